import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { accessCodeFile, accessStudio, adminCodeFile, budgetCodeFile, inviteLinkFile } from '../servers';
import { expectNoSeriousViolations } from './axe';
import { sandboxStats } from './sandbox';
import { expectPlayableTake, generate, take as takeCard } from './takes';

// `serve --access codes`: the page asks for an access code before anything is sent; what is typed is kept, and a
// Generate pressed before signing in is sent once signed in, once.
test.use({ baseURL: accessStudio });
// One after the other: each counts the submissions that reach the studio's sandbox.
test.describe.configure({ mode: 'serial' });

const codeIn = (file: string) => readFileSync(file, 'utf8').trim().split(' ').pop()!;
const code = () => codeIn(accessCodeFile);

test('a wrong code is refused in plain words; the right one signs in, and the held Generate is sent once', async ({ page, request }) => {
  const before = await sandboxStats(request, `${accessStudio}/sandbox`);
  await page.goto('/');
  const signIn = page.getByRole('form', { name: 'Sign in' });
  await expect(signIn.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await generate(page, 'Said once I am signed in.');
  await expect(page.getByRole('status').filter({ hasText: 'Sign in above: your take is sent once you are signed in.' })).toBeVisible();
  expect((await sandboxStats(request, `${accessStudio}/sandbox`)).submissions_received).toBe(before.submissions_received);

  await signIn.getByLabel('Access code').fill('0123abcd-0123456789abcdef0123456789abcdef');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn.getByRole('alert')).toHaveText('That access code is not valid: it may be mistyped, used up, expired or revoked.');
  await expectNoSeriousViolations(page, 'with the sign-in panel and its alert');

  await signIn.getByLabel('Access code').fill(code());
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn).toHaveCount(0);
  await expectPlayableTake(page, 1);
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue('Said once I am signed in.');
  const after = await sandboxStats(request, `${accessStudio}/sandbox`);
  expect(after.submissions_received - before.submissions_received).toBe(1);

  // Signed in, a reload asks for nothing.
  await page.reload();
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await expect(page.getByRole('form', { name: 'Sign in' })).toHaveCount(0);
});

test('a session that ends mid-demo brings the sign-in back, and the refused take is sent again once signed in', async ({ page, context, request }) => {
  await page.goto('/');
  const signIn = page.getByRole('form', { name: 'Sign in' });
  await signIn.getByLabel('Access code').fill(code());
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn).toHaveCount(0);

  // The session ends (it expired, or was revoked): the next Generate is refused for want of one, in plain words.
  await context.clearCookies();
  const before = await sandboxStats(request, `${accessStudio}/sandbox`);
  await generate(page, 'Said after signing in again.');
  const take = takeCard(page, 1);
  await expect(take.getByRole('alert')).toContainText('Sign in above: this studio asks for your access code again.');
  await expect(signIn.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue('Said after signing in again.');

  await signIn.getByLabel('Access code').fill(code());
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn).toHaveCount(0);
  await take.getByRole('button', { name: 'Send again' }).click();
  await expectPlayableTake(page, 1);
  const after = await sandboxStats(request, `${accessStudio}/sandbox`);
  expect(after.submissions_received - before.submissions_received).toBe(1);
});

test('a budget says what is left, and past it the take is refused in plain words and not sent', async ({ page, request }) => {
  await page.goto('/');
  const signIn = page.getByRole('form', { name: 'Sign in' });
  await signIn.getByLabel('Access code').fill(codeIn(budgetCodeFile));
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('status').filter({ hasText: '1 of 1 left today' })).toBeVisible();

  await generate(page, 'The one take of my day.');
  await expectPlayableTake(page, 1);
  await expect(page.getByRole('status').filter({ hasText: '0 of 1 left today' })).toBeVisible();

  const before = await sandboxStats(request, `${accessStudio}/sandbox`);
  await generate(page, 'One take too many.');
  await expect(takeCard(page, 2).getByRole('alert')).toHaveText('Your budget for today is spent: 1 of 1. It renews at 00:00 UTC.');
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue('One take too many.');
  const after = await sandboxStats(request, `${accessStudio}/sandbox`);
  expect(after.submissions_received).toBe(before.submissions_received);
});

test('an invite link signs in, and stops working after its last use', async ({ browser }) => {
  const link = codeIn(inviteLinkFile);
  const signInFrom = async (link: string) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(link);
    const signIn = page.getByRole('form', { name: 'Sign in' });
    await expect(signIn.getByLabel('Access code')).toHaveValue(/^[0-9a-f]{8}-[0-9a-f]{32}$/);
    return { page, signIn };
  };
  const first = await signInFrom(link);
  await expect(first.signIn.getByRole('status')).toHaveText('You were invited: press Sign in to join.');
  expect(first.page.url(), 'the code left the address bar').toBe(`${accessStudio}/`);
  await first.signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(first.signIn).toHaveCount(0);
  await first.page.reload();
  await expect(first.page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await expect(first.page.getByRole('form', { name: 'Sign in' })).toHaveCount(0);

  const second = await signInFrom(link);
  await second.signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(second.signIn.getByRole('alert')).toHaveText('That access code is not valid: it may be mistyped, used up, expired or revoked.');
  await Promise.all([first, second].map(({ page }) => page.context().close()));
});

test("an admin's Usage lists the takes by person, and revokes someone, whose code then works no more", async ({ page, browser }) => {
  await page.goto('/');
  const signIn = page.getByRole('form', { name: 'Sign in' });
  await signIn.getByLabel('Access code').fill(codeIn(adminCodeFile));
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Signed in as olga' })).toBeVisible();
  await generate(page, 'A take of the admin herself.');
  await expectPlayableTake(page, 1);

  await page.getByRole('button', { name: 'Usage' }).click();
  const usage = page.getByRole('region', { name: 'Usage' });
  const table = usage.getByRole('table', { name: 'Submissions of the last 7 days, by day and person' });
  const today = new Date().toISOString().slice(0, 10);
  // Her one take, completed, with its audio's length; and the others' from the tests before (ada's, bea's).
  await expect(table.getByRole('row', { name: /olga/ })).toContainText(new RegExp(`${today}\\s*olga\\s*1\\s*1\\s*0\\s*\\d+(\\.\\d)? s`));
  await expect(table.getByRole('row', { name: /ada/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /bea/ })).toBeVisible();
  await expectNoSeriousViolations(page, 'with the Usage panel open');

  const people = usage.getByRole('list', { name: 'People' });
  await expect(people.getByRole('button', { name: 'Revoke olga' })).toHaveCount(0);
  await people.getByRole('button', { name: 'Revoke bea' }).click();
  await people.getByRole('button', { name: 'Press again to revoke bea' }).click();
  await expect(usage.getByRole('status')).toHaveText('bea is revoked: their sessions have ended.');

  const elsewhere = await (await browser.newContext({ baseURL: accessStudio })).newPage();
  await elsewhere.goto('/');
  const theirs = elsewhere.getByRole('form', { name: 'Sign in' });
  await theirs.getByLabel('Access code').fill(codeIn(budgetCodeFile));
  await theirs.getByRole('button', { name: 'Sign in' }).click();
  await expect(theirs.getByRole('alert')).toHaveText('That access code is not valid: it may be mistyped, used up, expired or revoked.');
  await elsewhere.context().close();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(signIn.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
