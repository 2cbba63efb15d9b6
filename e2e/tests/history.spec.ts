import { test, expect } from '@playwright/test';
import { slowStudio, studio } from '../servers';
import { armFault, clearFaults, sandboxStats } from './sandbox';
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
