import { test, expect } from '@playwright/test';
import { expectNoSeriousViolations } from './axe';
import { staticHost, studio } from '../servers';
import { policyViolations, watchPolicy } from './policy';
import { expectPlayableTake, generate, take } from './takes';

// Accessible by proof: axe finds no serious or critical violation in the states people use, and the core flow
// works from the keyboard alone.

test('axe: the page with takes, with the recorder open and with the API call open', async ({ page }) => {
  await watchPolicy(page);
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'A take on the page for axe to read.');
  await expectPlayableTake(page, 1);
  await generate(page, 'A second take, so that the list is a list.');
  await expectPlayableTake(page, 2);
  await expectNoSeriousViolations(page, 'with takes');

  await page.getByRole('button', { name: 'Record a reference' }).click();
  await page.getByLabel("Speaker's name").fill('Ada');
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('button', { name: 'Stop recording' })).toBeVisible();
  await expectNoSeriousViolations(page, 'while recording');
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByRole('button', { name: 'Use this recording' })).toBeVisible();
  await expectNoSeriousViolations(page, 'with a recording to use');

  await page.getByText('API call', { exact: true }).click();
  await expect(page.getByLabel('The call as code')).toBeVisible();
  await expectNoSeriousViolations(page, 'with the API call open');
  // Recorded, decoded and shown, all within the page's Content-Security-Policy.
  expect(await policyViolations(page)).toEqual([]);
});

test('axe: direct mode, as a static host serves the page', async ({ page }) => {
  await page.goto(staticHost);
  await expect(page.getByText('This page calls the gateway directly')).toBeVisible();
  await expectNoSeriousViolations(page, 'in direct mode');
});

test('keyboard only: Tab to the text, type, Ctrl+Enter, Escape, Space plays, B switches', async ({ page }) => {
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  const text = page.getByLabel('Text', { exact: true });
  for (let presses = 0; presses < 30 && !(await text.evaluate((element) => element === document.activeElement)); presses++) {
    await page.keyboard.press('Tab');
  }
  await expect(text).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Typed, sent and played without a mouse.');
  await page.keyboard.press('Control+Enter');
  const audio = await expectPlayableTake(page, 1);
  await expect(take(page, 1)).toContainText('Typed, sent and played without a mouse.');
  // Escape leaves the field, so that the keys reach the takes.
  await page.keyboard.press('Escape');
  await expect(text).not.toBeFocused();
  await audio.evaluate((element: HTMLAudioElement) => element.pause());
  await page.keyboard.press(' ');
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => !element.paused)).toBe(true);
  await page.keyboard.press(' ');
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.paused)).toBe(true);
  const reference = page.getByLabel('Reference voice');
  await page.keyboard.press('b');
  await expect.poll(() => reference.evaluate((element: HTMLAudioElement) => !element.paused)).toBe(true);
  await page.keyboard.press('b');
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => !element.paused)).toBe(true);
  await expect.poll(() => reference.evaluate((element: HTMLAudioElement) => element.paused)).toBe(true);
});
