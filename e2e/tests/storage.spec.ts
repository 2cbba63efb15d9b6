import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { studio } from '../servers';
import { expectPlayableTake, generate, take } from './takes';

// Takes kept on the device never lost: what the previous version wrote is read, one take that can't be read costs
// none of the others (and is kept as written), and two pages of the studio keep each other's takes.

const ITEM = 'zonos-studio.takes';
// What the previous version wrote: four takes (two, and a script in two parts), the second starred and named.
const versionZero = readFileSync(path.join(__dirname, '../../crates/studio-core/tests/fixtures/takes-v0.json'), 'utf8');

/** Puts `value` in the takes' storage item before the page's first load (only then: reloads keep what it wrote). */
async function seed(page: Page, value: string): Promise<void> {
  await page.addInitScript(([item, kept]) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem(item, kept);
      sessionStorage.setItem('seeded', 'yes');
    }
  }, [ITEM, value]);
}

const stored = (page: Page) => page.evaluate((item) => JSON.parse(localStorage.getItem(item) ?? 'null'), ITEM);

test("the previous version's takes are read, and written back in today's format", async ({ page }) => {
  await seed(page, versionZero);
  await page.goto(studio);
  for (const number of [1, 2, 3, 4]) await expect(take(page, number)).toBeVisible();
  await expect(take(page, 2)).toContainText('The good one');
  await take(page, 1).getByRole('button', { name: '☆ Star' }).click();
  await expect.poll(async () => (await stored(page))?.version).toBe(1);
  const kept = await stored(page);
  expect(kept.takes.map((kept: { number: number }) => kept.number).sort()).toEqual([1, 2, 3, 4]);
  expect(kept.unreadable).toEqual([]);
});

test('a kept take that cannot be read costs none of the others, and is kept as written', async ({ page }) => {
  const list = JSON.parse(versionZero);
  list[1].request.temperature = 9; // what today's contract refuses
  await seed(page, JSON.stringify(list));
  await page.goto(studio);
  for (const number of [1, 3, 4]) await expect(take(page, number)).toBeVisible();
  await expect(take(page, 2)).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: '1 kept take could not be read' })).toBeVisible();
  await take(page, 1).getByRole('button', { name: '☆ Star' }).click();
  await expect.poll(async () => (await stored(page))?.version).toBe(1);
  const kept = await stored(page);
  expect(kept.takes).toHaveLength(3);
  expect(kept.unreadable.map((text: string) => JSON.parse(text))).toEqual([list[1]]);
  // And after a reload, still.
  await page.reload();
  await expect(take(page, 4)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '1 kept take could not be read' })).toBeVisible();
});

test('two pages of the studio each make a take, and both are kept', async ({ context }) => {
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const page of [first, second]) {
    await page.goto(studio);
    await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  }
  await generate(first, 'Made in the first page.');
  await expectPlayableTake(first, 1);
  // The second page hears of it, and numbers its own take after it.
  await expect(second.getByText('Made in the first page.')).toBeVisible();
  await generate(second, 'Made in the second page.');
  await expectPlayableTake(second, 2);
  for (const page of [first, second]) {
    await page.reload();
    await expect(page.getByText('Made in the first page.')).toBeVisible();
    await expect(page.getByText('Made in the second page.')).toBeVisible();
  }
});

test('Space plays the latest take, not a joined script above it', async ({ page }) => {
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await page.getByLabel('Max tokens').fill('200');
  await generate(page, 'A script in two parts. It is cut here, and joined again.');
  const script = page.getByRole('article', { name: /^Script \d+$/ });
  await expect(script.getByRole('link', { name: 'Download the script' })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Max tokens').fill('');
  await generate(page, 'The latest take, which Space plays.');
  const latest = await expectPlayableTake(page, 3);
  const joined = script.getByLabel(/^Script \d+$/);
  await latest.evaluate((element: HTMLAudioElement) => element.pause());
  await page.getByRole('heading', { name: 'Takes' }).click();
  await page.keyboard.press('Space');
  await expect.poll(() => latest.evaluate((element: HTMLAudioElement) => !element.paused)).toBe(true);
  expect(await joined.evaluate((element: HTMLAudioElement) => element.paused)).toBe(true);
});
