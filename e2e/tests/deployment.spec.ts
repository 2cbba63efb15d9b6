import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { topology } from '../servers';
import { attest, expectPlayableTake, figure, generate, progress, take } from './takes';

// The real topology (e2e/topology.mjs): nginx at /studio/ in front of two replicas sharing one Redis, with a
// standalone sandbox as their gateway; the replica the first test stops stays stopped. And a second nginx site that
// signs people in (auth_request) in front of two `--access header` replicas of its own.
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

test('behind nginx that signs people in, the studio knows them by the name it gives, and by no other', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const signedInStudio = `${topology.signedIn.nginx}/studio/`;
  // Nobody signed in: nginx sends the browser to the sign-in service, and no call reaches a replica.
  const anonymous = await request.get(signedInStudio, { maxRedirects: 0 });
  expect(anonymous.status()).toBe(302);
  expect(anonymous.headers()['location']).toContain('/oauth2/sign_in?rd=');
  const forgedAlone = await request.get(`${signedInStudio}api/access/session`, { headers: { 'Remote-User': 'olga' }, maxRedirects: 0 });
  expect(forgedAlone.status(), 'a name of ones own choosing signs nobody in').toBe(302);

  // Signed in as ada at the sign-in service, and naming herself olga too: nginx puts its own name in its place.
  const person = async (name: string) => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'Remote-User': 'olga' } });
    await context.addCookies([{ name: 'zonos_test_person', value: name, url: topology.signedIn.nginx }]);
    const page = await context.newPage();
    await page.goto(signedInStudio);
    return page;
  };
  const ada = await person('ada');
  await expect(ada.getByRole('status').filter({ hasText: 'Signed in as ada · 5 of 5 left today' })).toBeVisible();
  await expect(ada.getByRole('button', { name: 'Sign out' }), 'signing out is the sign-in service’s').toHaveCount(0);
  await expect(ada.getByRole('button', { name: 'Usage' }), 'ada is no admin').toHaveCount(0);
  await ada.getByLabel('Reference audio URL').fill(voice);
  await attest(ada, 'Basil');
  // Pushed: the gateway's webhook passes nginx without a sign-in.
  await generate(ada, 'Signed in by the proxy in front, and counted against my budget.');
  await expectPlayableTake(ada, 1);
  await expect(figure(ada, 1, 'Arrived by')).toHaveText('Push (Server-Sent Events)');
  await expect(ada.getByRole('status').filter({ hasText: 'Signed in as ada · 4 of 5 left today' })).toBeVisible();

  // olga, named --admin, reads who spent what.
  const olga = await person('olga');
  await olga.getByRole('button', { name: 'Usage' }).click();
  const row = olga.getByRole('region', { name: 'Usage' }).getByRole('row', { name: /ada/ });
  await expect(row).toContainText(/ada\s*1\s*1\s*0/);
  await Promise.all([ada, olga].map((page) => page.context().close()));
});
