import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { staticHost, studio } from '../servers';
import { appStarted, holdTheAppBack } from './startup';
import { attest, expectPlayableTake, figure, generate, take } from './takes';
import { infoOf, readWav } from './wav';

// The studio around the form: the API call as code, presets, and links that share a setup.

/** Unfolds the API-call panel, folded at first. */
async function openApiCall(page: Page): Promise<void> {
  await page.getByText('API call', { exact: true }).click();
  await expect(page.getByLabel('The call as code')).toBeVisible();
}

async function shownCall(page: Page, format: string): Promise<string> {
  await page.getByLabel('Show as').selectOption({ label: format });
  return (await page.getByLabel('The call as code').textContent()) ?? '';
}

test('the API call shown is exactly what the app sends, and runs as shown', async ({ page }) => {
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await page.getByLabel('Text', { exact: true }).fill("It's exactly what is sent.");
  await page.getByLabel('Seed').fill('99');
  await openApiCall(page);
  const http = await shownCall(page, 'HTTP');
  const shownBody = JSON.parse(http.slice(http.indexOf('\n\n') + 2));
  expect(http).toContain('Ocp-Apim-Subscription-Key: YOUR_API_KEY');

  const [sent] = await Promise.all([
    page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/zonos-2/v1/zonos-2-request')),
    page.getByRole('button', { name: 'Generate' }).click(),
  ]);
  expect(sent.postDataJSON()).toEqual(shownBody);
  await expectPlayableTake(page, 1);

  // In the sandbox, the shown calls reach it as they are (no colours in what they print; progress meters aside).
  const run = (program: string, flag: string, code: string) =>
    execFileSync(program, [flag, code], { env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const curl = run('bash', '-c', await shownCall(page, 'cURL'));
  expect(JSON.parse(curl).status).toBe('QUEUED');
  const python = run('python3', '-c', await shownCall(page, 'Python (requests)'));
  expect(python).toContain("'status': 'QUEUED'");
  const javascript = run('node', '-e', await shownCall(page, 'JavaScript (fetch)'));
  expect(javascript).toContain("status: 'QUEUED'");
});

test('in direct mode the call shows the configured gateway and a masked key', async ({ page }) => {
  await page.goto(staticHost);
  await page.getByLabel('Gateway URL').fill('https://gateway.example');
  await page.getByLabel('Gateway URL').press('Tab');
  await page.getByLabel('API key').fill('sk-secret-1234abcd');
  await page.getByLabel('Reference audio URL').fill('https://cdn.example/voice.wav');
  await openApiCall(page);
  const curl = await shownCall(page, 'cURL');
  expect(curl).toContain('curl -X POST "https://gateway.example/zonos-2/v1/zonos-2-request"');
  expect(curl).toContain('Ocp-Apim-Subscription-Key: ••••••••abcd');
  expect(curl).not.toContain('sk-secret');
});

test('presets set the delivery, and New seed picks a valid seed', async ({ page }) => {
  await page.goto(studio);
  // The presets work once the app has started (the prerendered first screen keeps only a press on Generate).
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await page.getByRole('button', { name: 'Expressive' }).click();
  await expect(page.getByLabel('Accurate mode')).not.toBeChecked();
  await expect(page.getByLabel('Temperature', { exact: true })).toHaveValue('1.4');
  await page.getByRole('button', { name: 'Accurate', exact: true }).click();
  await expect(page.getByLabel('Accurate mode')).toBeChecked();
  await expect(page.getByLabel('Temperature', { exact: true })).toHaveValue('0.9');
  await page.getByRole('button', { name: 'New seed' }).click();
  const seed = Number(await page.getByLabel('Seed').inputValue());
  expect(Number.isInteger(seed) && seed >= 0 && seed <= 2147483647).toBe(true);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a share link opens the same form, and never carries the key', async ({ page, context }) => {
  await page.goto(staticHost);
  await page.getByLabel('API key').fill('sk-never-shared');
  await page.getByLabel('Reference audio URL').fill('https://cdn.example/shared.wav');
  await page.getByLabel('Text', { exact: true }).fill('A shared setup.');
  await page.getByLabel('Top-k', { exact: true }).fill('300');
  await page.getByLabel('Language').selectOption('de');
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = (await page.getByRole('status').filter({ hasText: 'Link copied' }).getByRole('link').textContent()) ?? '';
  expect(link).not.toContain('sk-never-shared');

  // The colleague sets a seed on the first screen, before the app has started: the link's form comes with the
  // app, and what was typed stays.
  const colleague = await context.newPage();
  const release = await holdTheAppBack(colleague);
  await colleague.goto(link, { waitUntil: 'domcontentloaded' });
  await colleague.getByLabel('Seed').fill('77');
  expect(await appStarted(colleague)).toBe(false);
  release();
  await expect.poll(() => appStarted(colleague)).toBe(true);
  await expect(colleague.getByLabel('Seed')).toHaveValue('77');
  await expect(colleague.getByLabel('Text', { exact: true })).toHaveValue('A shared setup.');
  await expect(colleague.getByLabel('Top-k', { exact: true })).toHaveValue('300');
  await expect(colleague.getByLabel('Language')).toHaveValue('de');
  await expect(colleague.getByLabel('Reference audio URL')).toHaveValue('https://cdn.example/shared.wav');
});

test('Space plays and pauses the latest take when the focus is not in a field', async ({ page }) => {
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'Space bar playback, a sentence long enough to still be playing.');
  const audio = await expectPlayableTake(page, 1);
  await audio.evaluate((element: HTMLAudioElement) => element.pause());
  await page.getByRole('heading', { name: 'Takes' }).click();
  await page.keyboard.press('Space');
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.paused)).toBe(false);
  await page.keyboard.press('Space');
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.paused)).toBe(true);
});

test('a file from this device becomes the reference, checked by content before it is uploaded', async ({ page }) => {
  const uploads: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/references')) uploads.push(request.url());
  });
  await page.goto(studio);
  // A file chosen before the app has started is not read (see docs/usage.md's known limits): wait for it, as a
  // person waits for the sample voice.
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await page.getByLabel('Upload a reference').setInputFiles({ name: 'notes.txt', mimeType: 'audio/wav', buffer: Buffer.from('not a recording at all') });
  await expect(page.getByRole('alert')).toHaveText(/^notes\.txt is not audio in a format the gateway takes/);
  expect(uploads).toHaveLength(0);

  const recording = path.join(__dirname, '../../crates/zonos-server/tests/references/basil.mp3');
  await page.getByLabel('Upload a reference').setInputFiles(recording);
  await expect(page.getByRole('status').filter({ hasText: 'Uploaded basil.mp3' })).toBeVisible();
  await expect(page.getByLabel('Reference audio URL')).toHaveValue(/\/api\/references\/[0-9a-f]{64}\.mp3$/);
  await expect(page.getByLabel('Sample voice')).toHaveValue('');
  await attest(page, 'Basil');
  await generate(page, 'Spoken in the voice of the uploaded file.');
  await expectPlayableTake(page, 1);
  expect(uploads).toHaveLength(1);
});

test('hosted as static files, the page says why it cannot upload', async ({ page }) => {
  await page.goto(staticHost);
  await expect(page.getByText('open this page from the Zonos Studio server')).toBeVisible();
  await expect(page.getByLabel('Upload a reference')).toHaveCount(0);
});

test('a take is drawn as a waveform, compared with its reference by ear, and B switches between them', async ({ page }) => {
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'Compare me with the voice I was cloned from.');
  const takeAudio = await expectPlayableTake(page, 1);
  const wave = page.getByRole('img', { name: 'Waveform of Take 1' });
  await expect(wave).toBeVisible();
  await takeAudio.evaluate((element: HTMLAudioElement) => element.pause());
  await wave.click({ position: { x: 5, y: 10 } });
  await expect.poll(() => takeAudio.evaluate((element: HTMLAudioElement) => element.currentTime)).toBeLessThan(0.5);

  const reference = page.getByLabel('Reference voice');
  const paused = (audio: typeof reference) => audio.evaluate((element: HTMLAudioElement) => element.paused);
  await page.getByRole('button', { name: 'Reference, then this take' }).click();
  await expect.poll(() => paused(reference)).toBe(false);
  await expect.poll(() => paused(takeAudio), { timeout: 15_000 }).toBe(false);
  await expect.poll(() => paused(reference)).toBe(true);

  await page.getByRole('heading', { name: 'Takes' }).click();
  await page.keyboard.press('b');
  await expect.poll(() => paused(reference)).toBe(false);
  await expect.poll(() => paused(takeAudio)).toBe(true);
  await page.keyboard.press('b');
  await expect.poll(() => paused(takeAudio)).toBe(false);
  await expect.poll(() => paused(reference)).toBe(true);
});

test('a take can be starred, named, and a star keeps it through Clear takes', async ({ page }) => {
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'A keeper.');
  await expectPlayableTake(page, 1);
  await generate(page, 'Not a keeper.');
  await expectPlayableTake(page, 2);
  await take(page, 1).getByRole('button', { name: '☆ Star' }).click();
  await expect(take(page, 1).getByRole('button', { name: '★ Starred' })).toHaveAttribute('aria-pressed', 'true');
  page.once('dialog', (dialog) => dialog.accept('The best take'));
  await take(page, 1).getByRole('button', { name: 'Rename' }).click();
  await expect(take(page, 1)).toContainText('The best take');
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Clear takes' }).click();
  await expect(page.getByRole('article')).toHaveCount(1);
  await page.reload();
  await expect(take(page, 1)).toContainText('The best take');
});

test('a reference recorded on the spot is trimmed, heard, uploaded as WAV and cloned', async ({ page }) => {
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await page.getByRole('button', { name: 'Record a reference' }).click();
  await page.getByLabel("Speaker's name").fill('Ada');
  await page.getByRole('button', { name: 'Start recording' }).click();
  const meter = page.getByLabel('Input level');
  await expect(meter).toBeVisible();
  await expect.poll(() => meter.evaluate((element: HTMLMeterElement) => element.value), { timeout: 10_000 }).toBeGreaterThan(0);
  await page.waitForTimeout(2_500);
  await page.getByRole('button', { name: 'Stop recording' }).click();

  const end = page.getByLabel('Trim end (s)');
  await expect.poll(async () => Number(await end.inputValue()), { timeout: 10_000 }).toBeGreaterThan(1.5);
  await page.getByLabel('Trim start (s)').fill('0.2');
  const recording = page.getByLabel('Recording', { exact: true });
  await expect.poll(() => recording.evaluate((element: HTMLAudioElement) => element.duration), { timeout: 10_000 }).toBeGreaterThan(1);
  await page.getByRole('button', { name: 'Use this recording' }).click();
  await expect(page.getByRole('status').filter({ hasText: "The recording is the reference now, with Ada's consent." })).toBeVisible();
  await expect(page.getByLabel('Reference audio URL')).toHaveValue(/\/api\/references\/[0-9a-f]{64}\.wav$/);
  await generate(page, 'Spoken in the voice recorded a moment ago.');
  await expectPlayableTake(page, 1);
  await expect(page.getByRole('button', { name: 'Record again' })).toBeVisible();
});

test('a three-paragraph script is sent in parts and comes back as one WAV as long as its parts', async ({ page }) => {
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  // Few frames per request, so that each paragraph needs a part of its own.
  await page.getByLabel('Max tokens').fill('300');
  await generate(
    page,
    'The first paragraph speaks of voices.\n\nThe second paragraph speaks of time.\n\nThe third paragraph ends the script.',
  );
  const progress = page.getByRole('status', { name: 'Progress of script 1' });
  await expect(progress).toContainText('of 3 parts done');
  await expect(take(page, 3)).toContainText('Part 3 of 3 of script 1');
  await expect(progress).toHaveText('3 of 3 parts done', { timeout: 30_000 });
  const duration = (audio: ReturnType<typeof page.getByLabel>) => audio.evaluate((element: HTMLAudioElement) => element.duration);
  let parts = 0;
  for (const number of [1, 2, 3]) {
    const audio = await expectPlayableTake(page, number);
    parts += await duration(audio);
  }
  const script = page.getByRole('article', { name: 'Script 1' }).getByLabel('Script 1', { exact: true });
  await expect.poll(() => duration(script), { timeout: 15_000 }).toBeGreaterThan(1);
  // Each of the two joints overlaps by a 30 ms crossfade.
  expect(Math.abs((await duration(script)) - (parts - 2 * 0.03))).toBeLessThan(0.01);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the script' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('script-1.wav');
  // Marked as AI-generated speech, naming each part's request.
  const info = infoOf(readWav(await download.path()));
  expect(info.INAM).toBe('AI-generated speech');
  for (const number of [1, 2, 3]) {
    expect(info.ICMT).toContain((await figure(page, number, 'Request id').textContent()) ?? 'a request id');
  }
});

test('a saved preset brings its settings back, keeping the voice and the text', async ({ page }) => {
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await page.getByLabel('Temperature', { exact: true }).fill('0.7');
  await page.getByLabel('Top-k', { exact: true }).fill('42');
  await page.getByLabel('Language').selectOption('fr_fr');
  page.once('dialog', (dialog) => dialog.accept('Calm French'));
  await page.getByRole('button', { name: 'Save as preset' }).click();
  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  await page.getByLabel('Text', { exact: true }).fill('My own text stays.');
  await page.reload();
  await page.getByLabel('Text', { exact: true }).fill('My own text stays.');
  await page.getByLabel('Saved presets').selectOption('Calm French');
  await expect(page.getByLabel('Temperature', { exact: true })).toHaveValue('0.7');
  await expect(page.getByLabel('Top-k', { exact: true })).toHaveValue('42');
  await expect(page.getByLabel('Language')).toHaveValue('fr_fr');
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue('My own text stays.');
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
});
