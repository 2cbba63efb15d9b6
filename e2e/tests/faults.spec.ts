import { test, expect, type APIRequestContext } from '@playwright/test';
import { faultyStudio } from '../servers';
import { armFault, clearFaults, sandboxStats } from './sandbox';
import { appStarted, holdRequests, holdTheAppBack } from './startup';
import { expectPlayableTake, figure, generate, progress, take } from './takes';

// Every documented failure, injected in the sandbox behind the proxy: each is shown in plain words, the form keeps
// every value, and nothing is sent twice. One at a time: faults and counts are shared by the whole sandbox.
test.use({ baseURL: faultyStudio });
test.describe.configure({ mode: 'serial' });

const sandbox = `${faultyStudio}/sandbox`;
const arm = (request: APIRequestContext, fault: string, extra: object = {}) => armFault(request, sandbox, fault, extra);
const stats = (request: APIRequestContext) => sandboxStats(request, sandbox);

test.beforeEach(async ({ page, request }) => {
  await clearFaults(request, sandbox);
  await page.goto('/');
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await page.getByLabel('Seed').fill('1234');
});

const refusals: [string, string | RegExp][] = [
  ['submit-400', "The gateway refused the request: Model 'zonos-2' not found or is disabled"],
  ['submit-401', 'The API key was refused.'],
  ['submit-402', 'Insufficient balance: top up the wallet.'],
  ['submit-403', 'This key may not use Zonos 2.'],
  ['submit-500', /^The gateway failed\. It may have been accepted anyway/],
];

for (const [fault, words] of refusals) {
  test(`${fault} is shown in plain words and the form keeps every value`, async ({ page, request }) => {
    const before = await stats(request);
    await arm(request, fault);
    await generate(page, `Text kept after ${fault}.`);
    await expect(take(page, 1).getByRole('alert')).toHaveText(words);
    await expect(page.getByLabel('Text', { exact: true })).toHaveValue(`Text kept after ${fault}.`);
    await expect(page.getByLabel('Seed')).toHaveValue('1234');
    await expect(page.getByRole('button', { name: 'Generate' })).toBeEnabled();
    const after = await stats(request);
    expect(after.submissions_received - before.submissions_received).toBe(1);
    expect(after.submissions_accepted).toBe(before.submissions_accepted);
  });
}

test('a 429 on submit waits for Retry-After and sends again, once accepted', async ({ page, request }) => {
  const before = await stats(request);
  await arm(request, 'submit-429', { retry_after: 2 });
  await generate(page, 'Sent again after the rate limit.');
  await expect(take(page, 1).getByRole('alert')).toHaveText('Too many requests: retrying in 2 s.');
  await expect(progress(page, 1)).toContainText('Waiting to send again');
  await expectPlayableTake(page, 1);
  const after = await stats(request);
  expect(after.submissions_received - before.submissions_received).toBe(2);
  expect(after.submissions_accepted - before.submissions_accepted).toBe(1);
});

test('a submission that hangs is not sent twice, and can be sent again deliberately', async ({ page, request }) => {
  test.setTimeout(90_000);
  const before = await stats(request);
  await arm(request, 'submit-hang');
  await generate(page, 'This one hangs.');
  await expect(progress(page, 1)).toContainText('Sending');
  await expect(page.getByRole('button', { name: 'Generate' })).toBeDisabled();
  await expect(take(page, 1).getByRole('alert')).toContainText('may have been accepted anyway', { timeout: 45_000 });
  await expect(progress(page, 1)).toContainText('Not known whether it was accepted');
  await page.waitForTimeout(2_000);
  let after = await stats(request);
  expect(after.submissions_received - before.submissions_received).toBe(1);
  expect(after.submissions_accepted).toBe(before.submissions_accepted);

  await take(page, 1).getByRole('button', { name: 'Send again' }).click();
  await expectPlayableTake(page, 1);
  after = await stats(request);
  expect(after.submissions_received - before.submissions_received).toBe(2);
  expect(after.submissions_accepted - before.submissions_accepted).toBe(1);
});

test('a dead network is shown, the form survives, and nothing is re-sent by itself', async ({ page, context, request }) => {
  const before = await stats(request);
  // The page has been open a moment and the person has begun (the Text field has the focus): the parts that send
  // and follow jobs and show takes, fetched ahead of need, are here.
  await page.getByLabel('Text', { exact: true }).focus();
  for (const part of ['split_studio', 'split_takes']) {
    await expect.poll(() => page.evaluate((part) => performance.getEntriesByType('resource')
      .some((entry) => entry.name.includes(part) && entry.responseEnd > 0), part)).toBe(true);
  }
  await context.setOffline(true);
  await generate(page, 'Sent while offline.');
  await expect(take(page, 1).getByRole('alert')).toContainText('could not be reached');
  await context.setOffline(false);
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue('Sent while offline.');
  await expect(take(page, 1).getByRole('button', { name: 'Send again' })).toBeVisible();
  expect((await stats(request)).submissions_received).toBe(before.submissions_received);
});

test('a part of the page that cannot be fetched is said so; nothing is lost, and nothing is sent', async ({ page, request }) => {
  const before = await stats(request);
  // The parts the page loads after its first screen can't be fetched, as when the network drops just then.
  await page.route('**/*-split/*.wasm', (route) => route.abort('internetdisconnected'));
  await page.goto('/');
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'Sent once the page is whole.');
  // Each part says so where it would stand: the takes, and the panels below the form.
  const unloaded = page.getByRole('alert').filter({ hasText: 'Part of this page could not be loaded' });
  await expect(unloaded).toHaveCount(2);
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue('Sent once the page is whole.');
  expect((await stats(request)).submissions_received).toBe(before.submissions_received);

  await page.unroute('**/*-split/*.wasm');
  const tryAgain = page.getByRole('button', { name: 'Try again' });
  await expect(tryAgain).toHaveCount(2);
  // One part's arrival can take the other's "Try again" away with it: press whichever is left, until none is.
  await expect(async () => {
    if ((await tryAgain.count()) > 0) await tryAgain.first().click({ timeout: 1_000 });
    await expect(tryAgain).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Copy share link' })).toBeVisible();
  // What remains to say is the take's own: it was never sent.
  await expect(unloaded).toHaveCount(1);
  await expect(take(page, 1).getByRole('alert')).toContainText('Part of this page could not be loaded');
  await take(page, 1).getByRole('button', { name: 'Send again' }).click();
  await expectPlayableTake(page, 1);
  expect((await stats(request)).submissions_received).toBe(before.submissions_received + 1);
});

test('a Generate pressed before the app has started is sent once, when it has', async ({ page, request }) => {
  const before = await stats(request);
  const release = await holdTheAppBack(page);
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await page.getByLabel('Text', { exact: true }).fill('Pressed on the first screen.');
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.getByRole('button', { name: 'Generate' }).click();
  expect(await appStarted(page)).toBe(false);
  release();
  await expectPlayableTake(page, 1);
  await expect(take(page, 1)).toContainText('Pressed on the first screen.');
  await expect(page.getByRole('article')).toHaveCount(1);
  expect((await stats(request)).submissions_received).toBe(before.submissions_received + 1);
});

test('a Generate pressed while the page finds its gateway is held, said so, and sent once', async ({ page, request }) => {
  const before = await stats(request);
  const found = await holdRequests(page, /\/config\.json$/);
  await page.goto('/');
  await expect.poll(() => appStarted(page)).toBe(true);
  await page.getByLabel('Text', { exact: true }).fill('Pressed before the gateway was found.');
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Finding the gateway' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect((await stats(request)).submissions_received).toBe(before.submissions_received);
  found();
  await expectPlayableTake(page, 1);
  await expect(take(page, 1)).toContainText('Pressed before the gateway was found.');
  await expect(page.getByRole('status').filter({ hasText: 'Finding the gateway' })).toHaveCount(0);
  await expect(page.getByRole('article')).toHaveCount(1);
  expect((await stats(request)).submissions_received).toBe(before.submissions_received + 1);
});

test('a FAILED job shows the gateway error, an ERROR job says it was not charged', async ({ page, request }) => {
  await arm(request, 'job-failed');
  await generate(page, 'This job fails.');
  await expect(take(page, 1).getByRole('alert')).toHaveText(/^The job failed: .*could not generate audio/, { timeout: 20_000 });
  await expect(progress(page, 1)).toContainText('Failed');

  await arm(request, 'job-error');
  await generate(page, 'This job errs.');
  await expect(take(page, 2).getByRole('alert')).toContainText('it was not charged', { timeout: 20_000 });
  await expect(progress(page, 2)).toContainText('Error');
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue('This job errs.');
});

test('audio that cannot be fetched is explained', async ({ page, request }) => {
  await arm(request, 'media-404', { count: 5 });
  await generate(page, 'The audio of this take is gone.');
  await expect(progress(page, 1)).toContainText('Done', { timeout: 20_000 });
  await expect(take(page, 1).getByRole('alert')).toContainText('The audio could not be loaded');
});

test('a failed part of a long script is sent again alone, and the script is joined', async ({ page, request }) => {
  await page.getByLabel('Max tokens').fill('300');
  await arm(request, 'job-failed');
  const before = await stats(request);
  await generate(page, 'The first sentence is here. The second one follows it.');
  const progress = page.getByRole('status', { name: 'Progress of script 1' });
  await expect(progress).toContainText('1 of 2 parts done; 1 to send again', { timeout: 30_000 });
  const failed = page.getByRole('article').filter({ hasText: 'The job failed' });
  await failed.getByRole('button', { name: 'Send again' }).click();
  await expect(progress).toHaveText('2 of 2 parts done', { timeout: 30_000 });
  await expect(page.getByRole('link', { name: 'Download the script' })).toBeVisible({ timeout: 15_000 });
  const after = await stats(request);
  expect(after.submissions_accepted - before.submissions_accepted).toBe(3);
});

test('a status check behind a bot challenge does not stop a pushed take, nor blame the key', async ({ page, request }) => {
  await arm(request, 'poll-challenge', { count: 1000 });
  await generate(page, 'Pushed past a challenged status check.');
  await expectPlayableTake(page, 1);
  await expect(figure(page, 1, 'Arrived by')).toHaveText('Push (Server-Sent Events)');
  await expect(take(page, 1).getByRole('alert')).toHaveCount(0);
  await expect(take(page, 1)).not.toContainText('key');
});

test('a webhook that never comes is made up by the proxy\'s own status check, and nothing is sent twice', async ({ page, request }) => {
  const before = await stats(request);
  await arm(request, 'webhook-drop');
  await generate(page, 'Finished by the proxy checking for itself.');
  await expectPlayableTake(page, 1);
  await expect(figure(page, 1, 'Arrived by')).toHaveText('Push (Server-Sent Events)');
  const after = await stats(request);
  expect(after.submissions_received - before.submissions_received).toBe(1);
  expect(after.webhooks_delivered).toBe(before.webhooks_delivered);
});
