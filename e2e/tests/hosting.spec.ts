import { test, expect } from '@playwright/test';
import { gateway, nestedHost, studio } from '../servers';
import { expectPlayableTake, generate } from './takes';

// Hosted anywhere: under a nested path of a plain static host, using its own config.json; and a page that cannot
// start says so, keeping what was typed.

test('under a nested path of a static host, the page uses its own config.json and generates', async ({ page }) => {
  const failed: string[] = [];
  page.on('response', (response) => response.status() >= 400 && failed.push(`${response.status()} ${response.url()}`));
  page.on('requestfailed', (request) => failed.push(`failed ${request.url()}`));
  await page.goto(`${nestedHost}/team/zonos-studio/`);
  await expect(page.getByText('This page calls the gateway directly')).toBeVisible();
  // The config.json beside the page, not the one at the host's root.
  await expect(page.getByLabel('Gateway URL')).toHaveValue(gateway);
  await expect(page.getByLabel('Sample voice')).toHaveValue(`${gateway}/__sandbox/voices/basil.wav`);
  await expect(page.getByRole('option', { name: 'Root voice' })).toHaveCount(0);
  await page.getByLabel('Check status every (seconds)').fill('1');
  await page.getByLabel('API key').fill('my-own-key');
  await generate(page, 'Served from a folder of a static host.');
  await expectPlayableTake(page, 1);
  // Whatever the page asked its own host for was there.
  expect(failed).toEqual([]);
});

for (const [what, file] of [
  ['the wasm', /_bg\.wasm$/],
  ['the JS glue', /zonos-studio-[0-9a-f]+\.js$/],
] as const) {
  test(`with ${what} blocked, the page says it cannot start and keeps what was typed`, async ({ page }) => {
    await page.route(file, (route) => route.abort('blockedbyclient'));
    await page.goto(studio);
    await page.getByLabel('Text', { exact: true }).fill('Typed before the page gave up.');
    await expect(page.getByRole('alert')).toContainText('Zonos Studio could not start', { timeout: 15_000 });
    await expect(page.getByLabel('Text', { exact: true })).toHaveValue('Typed before the page gave up.');
  });
}

test('a page whose app never starts says so within seconds', async ({ page }) => {
  // The wasm never arrives: no error, just nothing.
  await page.route(/_bg\.wasm$/, () => {});
  await page.goto(studio);
  await expect(page.getByRole('alert')).toContainText('has not started after 10 seconds', { timeout: 15_000 });
});
