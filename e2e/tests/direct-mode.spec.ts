import { test, expect, type APIRequestContext } from '@playwright/test';
import { gateway, staticHost } from '../servers';
import { armFault, clearFaults, sandboxStats } from './sandbox';
import { attest, expectPlayableTake, figure, generate, progress, take } from './takes';
import { audioOf, chunkIds, infoOf, readWav } from './wav';

// The app hosted as plain static files, calling a gateway on another origin directly with the person's key, and
// following jobs by polling. One at a time: the gateway's faults and counts are shared.
test.use({ baseURL: staticHost });
test.describe.configure({ mode: 'serial' });

const arm = (request: APIRequestContext, fault: string) => armFault(request, gateway, fault);
const stats = (request: APIRequestContext) => sandboxStats(request, gateway);

test.beforeEach(async ({ page, request }) => {
  await clearFaults(request, gateway);
  await page.goto('/');
  await expect(page.getByText('This page calls the gateway directly')).toBeVisible();
  await page.getByLabel('Gateway URL').fill(gateway);
  await page.getByLabel('Gateway URL').press('Tab');
  await page.getByLabel('Check status every (seconds)').fill('1');
  await page.getByLabel('Reference audio URL').fill(`${gateway}/__sandbox/voices/basil.wav`);
  await attest(page, 'Basil');
});

test('without a key, Generate asks for it and sends nothing', async ({ page, request }) => {
  const before = await stats(request);
  await page.getByLabel('API key').fill('');
  await generate(page, 'No key yet.');
  await expect(page.getByRole('alert')).toHaveText(/^Enter your API key/);
  await expect(page.getByLabel('API key')).toBeFocused();
  expect((await stats(request)).submissions_received).toBe(before.submissions_received);
});

test('with a key, a take is generated, followed by polling, and downloaded marked', async ({ page, request }) => {
  await page.getByLabel('API key').fill('my-own-key');
  await generate(page, 'Straight to the gateway, followed by polling.');
  await expectPlayableTake(page, 1);
  await expect(progress(page, 1)).toContainText('Queued');
  await expect(figure(page, 1, 'Arrived by')).toHaveText('Polling');

  // The gateway's file is not marked; the page makes a marked copy when the download is wanted, its audio the
  // gateway's byte for byte.
  const link = take(page, 1).getByRole('link', { name: 'Download' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  await expect(link).toHaveAttribute('href', /^blob:/);
  const saved = readWav(await download.path());
  const requestId = (await figure(page, 1, 'Request id').textContent()) ?? '';
  expect(infoOf(saved).INAM).toBe('AI-generated speech');
  expect(infoOf(saved).ICMT).toContain(requestId);
  // The INFO chunk alone: Content Credentials are signed by the proxy, and a static host has none.
  expect(chunkIds(saved)).not.toContain('C2PA');
  const status = await (await request.get(`${gateway}/v2/requests/status/${requestId}`, {
    headers: { 'Ocp-Apim-Subscription-Key': 'my-own-key' },
  })).json();
  const original = await (await request.get(status.output.media_url[0])).body();
  expect(infoOf(original)).toEqual({});
  expect(audioOf(saved)?.equals(audioOf(original) ?? Buffer.alloc(0))).toBe(true);
});

test('the key stays for the tab, or on the device when asked, until forgotten', async ({ page }) => {
  await page.getByLabel('API key').fill('kept-for-this-tab');
  await page.reload();
  await expect(page.getByLabel('API key')).toHaveValue('kept-for-this-tab');
  await expect(page.getByLabel('Remember on this device')).not.toBeChecked();
  await page.getByLabel('Remember on this device').check();
  expect(await page.evaluate(() => localStorage.getItem('zonos-studio.api-key'))).toBe('kept-for-this-tab');
  expect(await page.evaluate(() => sessionStorage.getItem('zonos-studio.api-key'))).toBeNull();
  await page.getByRole('button', { name: 'Forget key' }).click();
  await expect(page.getByLabel('API key')).toHaveValue('');
  expect(await page.evaluate(() => localStorage.getItem('zonos-studio.api-key'))).toBeNull();
});

for (const [fault, words] of [
  ['poll-500', 'The gateway failed.'],
  ['poll-malformed', "The gateway's answer could not be read"],
]) {
  test(`${fault} while polling is noted, and the job goes on`, async ({ page, request }) => {
    await page.getByLabel('API key').fill('my-own-key');
    await arm(request, fault);
    await generate(page, `Polling through ${fault}.`);
    await expect(progress(page, 1)).toContainText(words);
    await expect(progress(page, 1)).toContainText('The job is safe');
    await expectPlayableTake(page, 1);
  });
}

test('a poll that hangs times out, and the job goes on', async ({ page, request }) => {
  test.setTimeout(90_000);
  await page.getByLabel('API key').fill('my-own-key');
  await arm(request, 'poll-hang');
  await generate(page, 'Polling through a hang.');
  await expect(progress(page, 1)).toContainText('did not answer within 15 s', { timeout: 30_000 });
  await expectPlayableTake(page, 1);
  await expect(take(page, 1).getByRole('alert')).toHaveCount(0);
});

test('a status check behind a bot challenge is said in plain words, and the take completes once it lifts', async ({ page, request }) => {
  await page.getByLabel('API key').fill('my-own-key');
  await armFault(request, gateway, 'poll-challenge', { count: 1000 });
  await generate(page, 'Polling behind a challenge.');
  await expect(progress(page, 1)).toContainText(
    "The gateway's status check was blocked (it answered with a web page, not a status). Still waiting for its callback; checking again in",
  );
  await expect(take(page, 1)).not.toContainText('key');
  await clearFaults(request, gateway);
  await expectPlayableTake(page, 1);
  await expect(take(page, 1).getByRole('alert')).toHaveCount(0);
});
