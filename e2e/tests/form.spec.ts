import { test, expect } from '@playwright/test';
import { staticHost } from '../servers';
import { appStarted, holdTheAppBack } from './startup';

// The page read as a person reads it: by labels and roles. Hosted as static files, it starts with no voice chosen.
test.use({ baseURL: staticHost });

const labels = [
  'Reference audio URL',
  'Text',
  'Language',
  'Accurate mode',
  'Clean speaker background',
  'Temperature',
  'Top-p',
  'Min-p',
  'Top-k',
  'Max tokens',
  'Seed',
];

test('the form shows every parameter by its label, with the documented defaults', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Zonos Studio' })).toBeVisible();
  for (const label of labels) {
    await expect(page.getByLabel(label, { exact: true })).toBeVisible();
  }
  await expect(page.getByLabel('Temperature', { exact: true })).toHaveValue('1.15');
  await expect(page.getByLabel('Top-p', { exact: true })).toHaveValue('0');
  await expect(page.getByLabel('Min-p', { exact: true })).toHaveValue('0.18');
  await expect(page.getByLabel('Top-k', { exact: true })).toHaveValue('106');
  await expect(page.getByLabel('Language')).toHaveValue('en_us');
  await expect(page.getByLabel('Accurate mode')).toBeChecked();
  await expect(page.getByLabel('Clean speaker background')).not.toBeChecked();
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue(
    'Hello, this is a sample of my cloned voice speaking naturally.',
  );
  await expect(page.getByRole('button', { name: 'Generate' })).toBeEnabled();
});

test.describe('before any script has run', () => {
  test.use({ javaScriptEnabled: false });

  test('the first screen is in the page as served, labelled, with the documented defaults', async ({ page }) => {
    await page.goto('/');
    for (const label of labels) {
      await expect(page.getByLabel(label, { exact: true })).toBeVisible();
    }
    await expect(page.getByLabel('Temperature', { exact: true })).toHaveValue('1.15');
    await expect(page.getByLabel('Accurate mode')).toBeChecked();
    await expect(page.getByLabel('Text', { exact: true })).toHaveValue(
      'Hello, this is a sample of my cloned voice speaking naturally.',
    );
    await expect(page.getByRole('button', { name: 'Generate' })).toBeInViewport();
  });
});

test('what is typed before the app has started is kept, and so is the caret', async ({ page }) => {
  const release = await holdTheAppBack(page);
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  const text = page.getByLabel('Text', { exact: true });
  await text.fill('Typed on the first screen');
  await page.getByLabel('Top-k', { exact: true }).fill('90');
  // The temperature's slider, dragged: hidden from assistive technology (the field beside it is the control), it is
  // found beside that field.
  await page.locator('#temperature ~ input[type=range]').evaluate((slider: HTMLInputElement) => {
    slider.value = '1.5';
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await expect(page.getByLabel('Temperature', { exact: true })).toHaveValue('1.5');
  await text.focus();
  await text.press('End');
  expect(await appStarted(page)).toBe(false);
  release();
  await expect.poll(() => appStarted(page)).toBe(true);
  await expect(text).toBeFocused();
  await text.press('Shift+Home');
  await page.keyboard.type('Kept');
  await expect(text).toHaveValue('Kept');
  await expect(page.getByLabel('Top-k', { exact: true })).toHaveValue('90');
  await expect(page.getByLabel('Temperature', { exact: true })).toHaveValue('1.5');
});

test('an out-of-range value is named with its range as it is typed, and reset restores the defaults', async ({ page }) => {
  await page.goto('/');
  const topK = page.getByLabel('Top-k', { exact: true });
  await topK.fill('5000');
  await expect(page.getByRole('alert')).toHaveText('top_k = 5000 is outside the allowed range 0–2048');
  await expect(topK).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Seed').fill('42');
  await page.getByLabel('Language').selectOption({ label: 'German (de)' });
  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(topK).toHaveValue('106');
  await expect(page.getByLabel('Seed')).toHaveValue('');
  await expect(page.getByLabel('Language')).toHaveValue('en_us');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('Generate on an incomplete form lists every problem and keeps what was typed', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Temperature', { exact: true }).fill('3');
  await page.getByLabel('Text', { exact: true }).fill('Keep this text.');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('alert')).toHaveText([
    'reference_audio_url is required',
    'temperature = 3 is outside the allowed range 0–2',
  ]);
  await expect(page.getByLabel('Reference audio URL')).toBeFocused();
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue('Keep this text.');
});
