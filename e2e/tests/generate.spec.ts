import { test, expect } from '@playwright/test';
import { studio, syncStudio, unhurriedStudio } from '../servers';
import { expectPlayableTake, figure, generate, progress, take } from './takes';
import { credentialsOf } from './c2pa';
import { audioOf, chunkIds, infoOf, readWav } from './wav';

// The demo as `cargo xtask demo` serves it: the app behind its proxy, in front of the sandbox gateway.
test.use({ baseURL: studio });

test('a newcomer types text, presses Generate and hears it, pushed over SSE, then downloads it, marked', async ({ page, request }) => {
  await page.goto('/');
  await expect(page.getByLabel('Sample voice')).toHaveValue(/\/__sandbox\/voices\/ada\.wav$/);
  await expect(page.getByText('nothing is charged')).toBeVisible();
  await generate(page, 'Welcome to the demo. This voice was cloned a moment ago.');

  await expect(progress(page, 1)).toContainText(/Sending|Following|Queued/);
  const audio = await expectPlayableTake(page, 1);
  await expect(progress(page, 1)).toContainText('Queued and processing');
  await expect(progress(page, 1)).toContainText('Completed');
  await expect(figure(page, 1, 'Arrived by')).toHaveText('Push (Server-Sent Events)');
  await expect(figure(page, 1, 'Media type')).toHaveText('audio/wav');
  await expect(figure(page, 1, 'Audio length')).toHaveText(/^\d+\.\d s$/);
  await expect(figure(page, 1, 'Audio per second waited')).toHaveText(/×$/);
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.currentTime > 0 || element.ended)).toBe(true);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    take(page, 1).getByRole('link', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^zonos-2_[0-9a-f-]{36}-output\.wav$/);
  const saved = readWav(await download.path());
  expect(saved.length).toBeGreaterThan(44_100);
  // Marked as AI-generated speech by the proxy; its audio the gateway's, byte for byte.
  const requestId = (await figure(page, 1, 'Request id').textContent()) ?? '';
  const info = infoOf(saved);
  expect(info.INAM).toBe('AI-generated speech');
  expect(info.ISFT).toBe('Zonos Studio');
  expect(info.ICMT).toContain('model zonos-2');
  expect(info.ICMT).toContain(requestId);
  expect(info.ICRD).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const status = await (await request.get(`api/v2/requests/status/${requestId}`)).json();
  const original = await (await request.get(status.output.media_url[0])).body();
  expect(infoOf(original)).toEqual({});
  expect(audioOf(saved)?.equals(audioOf(original) ?? Buffer.alloc(0))).toBe(true);
  await expect(take(page, 1).getByText('AI-generated speech')).toBeVisible();

  // And Content Credentials the proxy signed, as c2pa-python reads them: made by a trained model, for this request,
  // with its settings, bound to the file's bytes (a self-issued certificate: valid, not trusted).
  expect(chunkIds(saved)).toContain('C2PA');
  const credentials = credentialsOf(await download.path());
  const created = credentials.actions.find((action) => action.action === 'c2pa.created');
  expect(created?.digitalSourceType).toBe('http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia');
  expect(created?.parameters?.request_id).toBe(requestId);
  expect(created?.parameters?.model).toBe('Zyphra Zonos 2');
  expect(created?.parameters?.settings?.sample_voice).toBe('Ada');
  expect(created?.parameters?.settings).not.toHaveProperty('reference_audio_url');
  expect(created?.parameters?.settings?.language).toBe('en_us');
  expect(created?.when).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  expect(credentials.success).toContain('assertion.dataHash.match');
  expect(credentials.failure.filter((code) => code !== 'signingCredential.untrusted')).toEqual([]);
  expect(credentials.validationState).toBe('Valid');
});

test('a second take can start while the first runs, and each ends with its own audio', async ({ page }) => {
  // Stages of a few seconds: the first take is still running when the second is sent, however busy the machine.
  await page.goto(unhurriedStudio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'The first take, a little longer than the second one.');
  await expect(progress(page, 1)).toContainText('Queued');
  await generate(page, 'The second take.');
  await expect(progress(page, 2)).toContainText('Queued');
  await expect(progress(page, 1)).not.toContainText('Done');
  const first = await expectPlayableTake(page, 1);
  const second = await expectPlayableTake(page, 2);
  const seconds = async (audio: typeof first) => audio.evaluate((element: HTMLAudioElement) => element.duration);
  expect(await seconds(first)).toBeGreaterThan(await seconds(second));
});

test('Ctrl+Enter generates from anywhere in the form', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await page.getByLabel('Text', { exact: true }).fill('Generated from the keyboard.');
  await page.getByLabel('Text', { exact: true }).press('Control+Enter');
  await expectPlayableTake(page, 1);
});

test('an invalid form is not sent, and says what to fix', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await page.getByLabel('Top-p', { exact: true }).fill('1.5');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('alert')).toHaveText('top_p = 1.5 is outside the allowed range 0–1');
  await expect(page.getByRole('article')).toHaveCount(0);
});

test('a gateway that answers the submission at once with the audio: the take plays and downloads, marked', async ({ page }) => {
  await page.goto(`${syncStudio}/`);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'Answered at once, with the audio itself.');
  await expectPlayableTake(page, 1);
  await expect(figure(page, 1, 'Arrived by')).toHaveText('The submit answer');
  await expect(take(page, 1).getByRole('alert')).toHaveCount(0);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    take(page, 1).getByRole('link', { name: 'Download' }).click(),
  ]);
  const saved = readWav(await download.path());
  expect(saved.length).toBeGreaterThan(44_100);
  expect(infoOf(saved).INAM).toBe('AI-generated speech');
});
