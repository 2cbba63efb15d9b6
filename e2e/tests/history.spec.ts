import { test, expect } from '@playwright/test';
import { slowStudio, studio } from '../servers';
import { armFault, clearFaults, sandboxStats } from './sandbox';
import { appStarted, holdTheAppBack } from './startup';
import { expectPlayableTake, generate, progress, take } from './takes';

// Takes are kept on the device: a reload loses nothing that was paid for. One at a time: the slow studio's
// faults and counts are shared.
test.describe.configure({ mode: 'serial' });

test('a finished take survives a reload, plays with the network cut, and can be deleted', async ({ page, context }) => {
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'Kept across a reload.');
  await expectPlayableTake(page, 1);
  await page.reload();
  await expect(take(page, 1)).toContainText('Kept across a reload.');
  const audio = await expectPlayableTake(page, 1);
  // Its audio comes from the browser's own store, so it plays with no network at all.
  await context.setOffline(true);
  expect(await audio.evaluate((element: HTMLAudioElement) => element.currentSrc)).toMatch(/^blob:/);
  await audio.evaluate((element: HTMLAudioElement) => {
    element.pause();
    element.currentTime = 0;
    return element.play();
  });
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.currentTime)).toBeGreaterThan(0.2);
  await context.setOffline(false);
  await generate(page, 'The second take after the reload.');
  await expectPlayableTake(page, 2);

  await take(page, 1).getByRole('button', { name: 'Delete' }).click();
  await expect(take(page, 1)).toHaveCount(0);
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Clear takes' }).click();
  await expect(page.getByRole('article')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('article')).toHaveCount(0);
});

test('a Generate pressed as a page with kept takes starts is numbered after them, and both are kept', async ({ page }) => {
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'Kept from the first visit.');
  await expectPlayableTake(page, 1);
  const release = await holdTheAppBack(page);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await generate(page, 'Pressed on the first screen after a reload.');
  expect(await appStarted(page)).toBe(false);
  release();
  await expectPlayableTake(page, 2);
  await expect(take(page, 2)).toContainText('Pressed on the first screen after a reload.');
  await expect(take(page, 1)).toContainText('Kept from the first visit.');
  await expect(page.getByRole('article')).toHaveCount(2);
  await page.reload();
  await expect(take(page, 1)).toContainText('Kept from the first visit.');
  await expect(take(page, 2)).toContainText('Pressed on the first screen after a reload.');
  await expect(page.getByRole('article')).toHaveCount(2);
});

test('a job running at a reload is followed again, not sent again', async ({ page, request }) => {
  const stats = () => sandboxStats(request, `${slowStudio}/sandbox`);
  const before = await stats();
  await page.goto(slowStudio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'Still running when the page reloads.');
  await expect(progress(page, 1)).toContainText('Following');
  await page.reload();
  await expect(progress(page, 1)).toContainText('Following');
  await expectPlayableTake(page, 1);
  const after = await stats();
  expect(after.submissions_received - before.submissions_received).toBe(1);
});

test('a kept take still plays when the gateway no longer serves its audio', async ({ page, request }) => {
  await page.goto(slowStudio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'Kept in the browser, in case the link expires.');
  await expectPlayableTake(page, 1);
  // From now on the gateway's media answers 404, as an expired CDN link does.
  await armFault(request, `${slowStudio}/sandbox`, 'media-404', { count: 50 });
  await page.reload();
  await expectPlayableTake(page, 1);
  await expect(take(page, 1).getByRole('alert')).toHaveCount(0);
  await clearFaults(request, `${slowStudio}/sandbox`);
});

test('when storage is full, the oldest unstarred take gives up its audio, with a notice', async ({ page, context }) => {
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  // The same request three times: three takes with audio of the same size.
  const words = 'Three takes of the same words, to fill the store.';
  await generate(page, words);
  await expectPlayableTake(page, 1);
  await take(page, 1).getByRole('button', { name: '☆ Star' }).click();
  const keptAudio = () => page.evaluate(async () => (await (await caches.open('zonos-studio-takes')).keys()).length);
  await expect.poll(keptAudio).toBe(1);
  // Room for two such takes, not three: Chromium's own quota, lowered for this origin.
  const { usage } = await page.evaluate(() => navigator.storage.estimate());
  const devtools = await context.newCDPSession(page);
  const origin = new URL(studio).origin;
  await devtools.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: Math.round(usage! * 2.5) });
  try {
    await generate(page, words);
    await expectPlayableTake(page, 2);
    await expect.poll(keptAudio).toBe(2);
    await generate(page, words);
    const third = await expectPlayableTake(page, 3);

    // Take 1 is starred: take 2, the oldest unstarred, goes, and both takes say so.
    await expect(take(page, 3).getByRole('status').filter({ hasText: 'Storage on this device was full' }))
      .toContainText('the audio of Take 2 was removed');
    await expect(progress(page, 2)).toContainText('Its audio was removed from this device');
    expect(await third.evaluate((element: HTMLAudioElement) => element.currentSrc)).toMatch(/^blob:/);
    const kept = await page.evaluate(async () =>
      (await (await caches.open('zonos-studio-takes')).keys()).map((request) => request.url));
    expect(kept).toHaveLength(2);
    // The starred take's audio is still on the device after the reload.
    await page.reload();
    await expect(take(page, 1).getByRole('button', { name: '★ Starred' })).toBeVisible();
    const first = await expectPlayableTake(page, 1);
    expect(await first.evaluate((element: HTMLAudioElement) => element.currentSrc)).toMatch(/^blob:/);
    // Take 2 plays again from the gateway, without pushing out another take's audio to get back in.
    await expectPlayableTake(page, 2);
    await expect.poll(keptAudio).toBe(2);
  } finally {
    await devtools.send('Storage.overrideQuotaForOrigin', { origin });
  }
});
