import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { topology } from '../servers';
import { attest, expectPlayableTake, figure, generate, progress, take } from './takes';

// The real topology (e2e/topology.mjs): nginx at /studio/ in front of two replicas sharing one Redis, with a
// standalone sandbox as their gateway. One test: the replica it stops stays stopped.
const studio = `${topology.nginx}/studio/`;
const voice = `${topology.gateway}/__sandbox/voices/basil.wav`;

test('behind nginx, two replicas: pushed results, an upload, a replica stopped mid-job, takes kept', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(studio);
  await expect(page.getByText('This page calls the gateway directly')).toHaveCount(0);
  await page.getByLabel('Reference audio URL').fill(voice);
  await attest(page, 'Basil');
  await page.getByLabel('Check status every (seconds)').fill('1');

  // Pushed: the gateway calls back through nginx, whichever replica gets the webhook.
  await generate(page, 'Served at a path of a reverse proxy, by two replicas.');
  await expectPlayableTake(page, 1);
  await expect(figure(page, 1, 'Arrived by')).toHaveText('Push (Server-Sent Events)');

  // An upload lands on one replica; the gateway fetches it through nginx from either.
  const recording = path.join(__dirname, '../../crates/zonos-server/tests/references/basil.mp3');
  await page.getByLabel('Upload a reference').setInputFiles(recording);
  await expect(page.getByRole('status').filter({ hasText: 'Uploaded basil.mp3' })).toBeVisible();
  await expect(page.getByLabel('Reference audio URL')).toHaveValue(/\/studio\/api\/references\/[0-9a-f]{64}\.mp3$/);
  await attest(page, 'Basil');
  await generate(page, 'In the voice of the uploaded file.');
  await expectPlayableTake(page, 2);

  // The replica holding the job's event stream stops mid-job: the job still ends, its audio plays.
  const stream = page.waitForResponse((response) => response.url().includes('/api/v2/requests/events/'));
  await generate(page, 'A replica stops while this is being made.');
  const holder = (await stream).headers()['x-served-by'];
  const replicas: { url: string; pid: number }[] = JSON.parse(
    readFileSync(path.join(__dirname, '../../target/topology/replicas.json'), 'utf8'),
  );
  const stopped = replicas.find((replica) => new URL(replica.url).host === holder);
  expect(stopped, `the stream's replica (${holder}) is one of ${JSON.stringify(replicas)}`).toBeDefined();
  await expect(progress(page, 3)).toContainText('Following');
  process.kill(stopped!.pid, 'SIGTERM');
  await expectPlayableTake(page, 3);

  // Everything is still there after a reload, served by the replica left.
  await page.reload();
  for (const number of [1, 2, 3]) await expectPlayableTake(page, number);
  await expect(take(page, 3)).toContainText('A replica stops while this is being made.');
});
