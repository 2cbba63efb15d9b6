import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { expectNoSeriousViolations } from './axe';
import { consentStudio } from '../servers';
import { sandboxStats } from './sandbox';
import { expectPlayableTake, generate, take } from './takes';

// The speaker's consent: a voice that is not a sample is sent only with it, recorded by the speaker's own voice or
// attested, and it travels with every take. On a studio of its own, one test at a time: they count submissions.
test.use({ baseURL: consentStudio });
test.describe.configure({ mode: 'serial' });

const submissions = async (page: Page) => (await sandboxStats(page.request, `${consentStudio}/sandbox`)).submissions_received;
const permission = "I have the speaker's permission to clone this voice";
/** Today as the page dates a consent: "30 November 2026". */
const today = () => new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });

test('an uploaded voice is refused until its permission is ticked and its speaker named; then it sends', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  // A sample voice needs no consent: no box to tick.
  await expect(page.getByLabel(permission)).toHaveCount(0);

  await page.getByLabel('Upload a reference').setInputFiles(path.join(__dirname, '../../crates/zonos-server/tests/references/basil.mp3'));
  await expect(page.getByRole('status').filter({ hasText: 'Uploaded basil.mp3' })).toBeVisible();
  await expect(page.getByLabel(permission)).not.toBeChecked();

  const before = await submissions(page);
  await generate(page, 'Nobody said this voice may be cloned.');
  await expect(page.getByRole('alert')).toHaveText(`This voice is not one of the samples: tick “${permission}” before Generate. Nothing was sent.`);
  await expect(page.getByLabel(permission)).toBeFocused();
  await expect(page.getByRole('article')).toHaveCount(0);
  // Variations of it are refused alike, and so is a script too long for one request.
  await page.getByRole('button', { name: 'Try variations' }).click();
  await page.getByRole('region', { name: 'Variations to send' }).getByRole('button', { name: 'Send 4 requests' }).click();
  await expect(page.getByRole('alert')).toHaveText(/^This voice is not one of the samples/);
  await page.getByLabel('Max tokens').fill('300');
  await generate(page, 'A first paragraph of a script.\n\nA second paragraph, sent as a part of its own.');
  // (The variations panel says, meanwhile, that such a text is not for variations.)
  await expect(page.getByRole('alert').filter({ hasText: /^This voice is not one of the samples/ })).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(0);
  expect(await submissions(page)).toBe(before);
  await page.getByLabel('Max tokens').fill('');
  await page.getByLabel('Text', { exact: true }).fill('Nobody said this voice may be cloned.');

  await page.getByLabel(permission).check();
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('alert')).toHaveText(/^Say whose voice it is/);
  await expect(page.getByLabel('Whose voice is it?')).toBeFocused();
  expect(await submissions(page)).toBe(before);
  // The form lost nothing.
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue('Nobody said this voice may be cloned.');
  await expectNoSeriousViolations(page, 'with the permission box');

  await page.getByLabel('Whose voice is it?').fill('Basil Hallward');
  await generate(page, 'Basil agreed to this.');
  await expectPlayableTake(page, 1);
  expect(await submissions(page)).toBe(before + 1);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(take(page, 1)).toContainText(`Permission to clone Basil Hallward's voice attested on ${today()}`);

  // Not a gateway field: the API call shows nothing of it.
  await page.getByText('API call', { exact: true }).click();
  await expect(page.getByLabel('The call as code')).not.toContainText('Basil Hallward');
  await expect(page.getByLabel('The call as code')).not.toContainText('permission');

  // The share link carries it: the voice opens with its attestation.
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.getByRole('status').filter({ hasText: 'Link copied' }).getByRole('link').getAttribute('href');
  const shared = await context.newPage();
  await shared.goto(link ?? 'no link');
  await expect(shared.getByLabel(permission)).toBeChecked();
  await expect(shared.getByLabel('Whose voice is it?')).toHaveValue('Basil Hallward');
  await expect(shared.getByRole('group', { name: "The speaker's consent" })).toContainText(
    `Permission to clone Basil Hallward's voice attested on ${today()} (from a shared link)`,
  );

  // Unticked, it is refused again; a sample voice needs nothing.
  await page.getByLabel(permission).uncheck();
  await generate(page, 'Refused again.');
  await expect(page.getByRole('alert')).toHaveText(/^This voice is not one of the samples/);
  await page.getByLabel('Sample voice').selectOption({ label: 'Ada' });
  await expect(page.getByLabel(permission)).toHaveCount(0);
  await generate(page, 'A sample voice, made by the project.');
  await expectPlayableTake(page, 2);
  expect(await submissions(page)).toBe(before + 2);
  await expect(take(page, 2)).not.toContainText('Permission to clone');
});

test('a recording shows the consent statement to read, and its consent goes with the voice and its takes', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await page.getByRole('button', { name: 'Record a reference' }).click();
  const statement = page.getByLabel('Consent statement');
  await expect(page.getByLabel("Speaker's name")).toBeFocused();
  await expect(statement).toHaveText(`I, (your name), agree that my voice, recorded today, ${today()}, is cloned by Zonos Studio for this demonstration.`);
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('alert')).toHaveText("Write the speaker's name first: the statement they read names them.");

  await page.getByLabel("Speaker's name").fill('Ada Lovelace');
  const words = `I, Ada Lovelace, agree that my voice, recorded today, ${today()}, is cloned by Zonos Studio for this demonstration.`;
  await expect(statement).toHaveText(words);
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByText('Read this aloud now:')).toBeVisible();
  await expect(statement).toHaveText(words);
  await expect(page.getByLabel("Speaker's name")).toBeDisabled();
  await expectNoSeriousViolations(page, 'while the statement is read');
  await page.waitForTimeout(1_500);
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await page.getByRole('button', { name: 'Use this recording' }).click();
  await expect(page.getByRole('status').filter({ hasText: "The recording is the reference now, with Ada Lovelace's consent." })).toBeVisible();

  // Kept with the voice, and shown with it: no box to tick.
  const record = page.getByRole('group', { name: "The speaker's consent" });
  await expect(record).toContainText(`Consent recorded by Ada Lovelace on ${today()}: ${words}`);
  await expect(page.getByLabel(permission)).toHaveCount(0);

  const before = await submissions(page);
  await generate(page, 'Spoken in the voice that agreed a moment ago.');
  await expectPlayableTake(page, 1);
  expect(await submissions(page)).toBe(before + 1);
  await expect(take(page, 1)).toContainText(`Consent recorded by Ada Lovelace on ${today()}: ${words}`);
  // Kept with the take on this device.
  await page.reload();
  await expect(take(page, 1)).toContainText(`Consent recorded by Ada Lovelace on ${today()}`);
});
