import { test, expect } from '@playwright/test';
import { oidcStudio } from '../servers';
import { expectNoSeriousViolations } from './axe';
import { sandboxStats } from './sandbox';
import { expectPlayableTake, generate } from './takes';

// `serve --access oidc`: the page sends people to sign in at the OpenID provider (on another site), and back; what
// was typed comes back with them, and a Generate pressed before is sent then, once.
test.use({ baseURL: oidcStudio });
test.describe.configure({ mode: 'serial' });

test('signing in at the provider keeps the text typed, and the Generate pressed before is sent once', async ({ page, request }) => {
  const before = await sandboxStats(request, `${oidcStudio}/sandbox`);
  await page.goto('/');
  const signIn = page.getByRole('region', { name: 'Sign in' });
  await expect(signIn.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await generate(page, 'Said once the provider has signed me in.');
  await expect(page.getByRole('status').filter({ hasText: 'Sign in above: your take is sent once you are signed in.' })).toBeVisible();
  await expectNoSeriousViolations(page, 'with the provider sign-in panel');

  await signIn.getByRole('link', { name: 'Sign in with localhost' }).click();
  // The provider's own development pages, which label nothing: found by their fields' names.
  await expect(page).toHaveURL(/^http:\/\/localhost:8198\/interaction\//);
  await page.locator('input[name="login"]').fill('ada');
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL(`${oidcStudio}/`);
  await expect(page.getByText(/^Signed in as ada@example\.test/)).toBeVisible();
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue('Said once the provider has signed me in.');
  await expectPlayableTake(page, 1);
  const after = await sandboxStats(request, `${oidcStudio}/sandbox`);
  expect(after.submissions_received - before.submissions_received).toBe(1);
  await expect(page.getByRole('region', { name: 'Sign in' })).toHaveCount(0);
});

test('a sign-in that did not finish says why in words, and the word leaves the address bar', async ({ page }) => {
  // A callback this browser never began (a link from someone else's sign-in).
  await page.goto('/api/access/oidc/callback?state=never-begun&code=stolen');
  const signIn = page.getByRole('region', { name: 'Sign in' });
  await expect(signIn.getByRole('alert')).toHaveText('That sign-in expired, or was begun in another browser: sign in again.');
  await expect(page).toHaveURL(`${oidcStudio}/`);
});
