import { test, expect, type APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { studio } from '../servers';
import { expectNoSeriousViolations } from './axe';
import { expectPlayableTake, generate, take as takeCard } from './takes';

// Review links (issue 26, begun). *Share for review* on a take's card shows the link and a QR code that decodes
// to it (zbarimg, from Debian), and the tally as listeners answer, pushed without a reload; on a set of variations
// it shares the set, and Export downloads the answers as CSV. The listener page on a phone: no sign-in, a take
// played, stars and a comment that reach the maker's tally; once closed, the page says the review has ended.

/** A take made through the studio with a sample voice, done: its media URL. */
async function take(request: APIRequestContext, text: string): Promise<string> {
  const voice = `${studio}/sandbox/__sandbox/voices/ada.wav`;
  const accepted = await (await request.post('/api/zonos-2/v1/zonos-2-request', { data: { reference_audio_url: voice, text } })).json();
  await expect.poll(async () => (await (await request.get(accepted.polling_url)).json()).status, { timeout: 20_000 }).toBe('COMPLETED');
  return (await (await request.get(accepted.polling_url)).json()).output.media_url[0];
}

test.use({ viewport: { width: 390, height: 844 } });

test('a listener on a phone plays a take, rates and comments it, and the maker tallies it; closed, the page says so', async ({ page, request }) => {
  const items = [];
  for (const [label, text] of [['Variation 1', 'Good morning, everyone.'], ['Variation 2', 'Good morning, everyone!']]) {
    items.push({ label, text, media_url: await take(request, text) });
  }
  const made = await (await request.post('/api/reviews', { data: { title: 'Which greeting?', items } })).json();
  expect(made.link).toBe(`${studio}/r/${made.token}`);

  await page.goto(made.link);
  await expect(page.getByRole('heading', { name: 'Which greeting?', level: 1 })).toBeVisible();
  const first = page.getByRole('region', { name: 'Variation 1' });
  await expect(first.getByText('AI-generated speech, in a sample voice')).toBeVisible();
  const audio = first.getByLabel('Variation 1', { exact: true });
  await audio.evaluate((element: HTMLAudioElement) => element.play());
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.currentTime)).toBeGreaterThan(0);
  await first.getByRole('radio', { name: '4 stars' }).check();
  await expect(first.getByRole('status')).toHaveText('Saved.');
  await first.getByLabel('Your comment (at most 500 characters)').fill('<b>Warm</b>, a little fast.');
  await expect(first.getByRole('status')).toHaveText('Saved.');
  await expectNoSeriousViolations(page, 'the listener page, answered');

  const tally = async () =>
    (await (await request.get(`/api/reviews/${made.token}/tally`, { headers: { 'x-review-key': made.owner_key } })).json()).tally;
  await expect.poll(async () => (await tally()).items[0].comments).toEqual(['<b>Warm</b>, a little fast.']);
  expect((await tally()).items[0].stars).toEqual([0, 0, 0, 1, 0]);

  expect((await request.post(`/api/reviews/${made.token}/close`, { headers: { 'x-review-key': made.owner_key } })).status()).toBe(204);
  // Answered after the close: the page learns the review has ended, and says so in place of the takes.
  await page.getByRole('region', { name: 'Variation 2' }).getByRole('radio', { name: '5 stars' }).click();
  await expect(page.getByRole('alert')).toHaveText('This review has ended: thank you for listening.');
  expect((await request.get(made.link)).status()).toBe(404);
  await page.reload();
  await expect(page.getByRole('alert')).toHaveText('This review has ended: thank you for listening.');
  await expectNoSeriousViolations(page, 'the ended page');
});

test('Share for review on a take shows its link, a QR code that decodes to it, and the tally as a listener answers', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');
  await generate(page, 'Shared with the room for its verdict.');
  await expectPlayableTake(page, 1);
  await takeCard(page, 1).getByRole('button', { name: 'Share for review' }).click();
  const review = takeCard(page, 1).getByRole('region', { name: 'Review' });
  const link = await review.getByRole('textbox', { name: 'Review link' }).inputValue();
  expect(link).toMatch(new RegExp(`^${studio}/r/[0-9a-f]{32}$`));
  const picture = join(mkdtempSync(join(tmpdir(), 'zonos-qr-')), 'qr.png');
  writeFileSync(picture, await review.getByRole('img', { name: 'QR code of the review link' }).screenshot());
  expect(execFileSync('zbarimg', ['--raw', '-q', picture], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()).toBe(link);

  const listener = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await listener.goto(link);
  await listener.getByRole('radio', { name: '4 stars' }).check();
  await expect(listener.getByRole('status')).toHaveText('Saved.');
  await expect(review.getByRole('status')).toHaveText('1 listener so far');
  await expect(review.getByText('1 listener · 4.0 stars')).toBeVisible();
  await review.getByRole('button', { name: 'Close review' }).click();
  await expect(review.getByText('This review is closed: its link no longer plays.')).toBeVisible({ timeout: 10_000 });
  await listener.reload();
  await expect(listener.getByRole('alert')).toHaveText('This review has ended: thank you for listening.');
});

test('Share for review on a set of four variations: listeners rate them, the means come without a reload, Export gives the CSV', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');
  await page.getByLabel('Text', { exact: true }).fill('One sentence, four seeds, for the room to judge.');
  await page.getByRole('button', { name: 'Try variations' }).click();
  await page.getByRole('region', { name: 'Variations to send' }).getByRole('button', { name: 'Send 4 requests' }).click();
  const set = page.getByRole('article', { name: 'Variations 1' });
  await expect(set.getByRole('status', { name: 'Progress of variations 1' })).toHaveText('4 of 4 done', { timeout: 30_000 });
  const labels = await set.getByRole('heading', { level: 4 }).allTextContents();
  await set.getByRole('button', { name: 'Share for review' }).click();
  const review = set.getByRole('region', { name: 'Review' });
  const link = await review.getByRole('textbox', { name: 'Review link' }).inputValue();
  await expect(review.getByRole('status')).toHaveText('0 listeners so far');

  for (const [stars, comment] of [[5, 'The clearest of the four.'], [3, '<i>Flat</i> at the end.']] as const) {
    const listener = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await listener.goto(link);
    const first = listener.getByRole('region', { name: labels[0] });
    await first.getByRole('radio', { name: `${stars} stars` }).check();
    await expect(first.getByRole('status')).toHaveText('Saved.');
    await first.getByLabel('Your comment (at most 500 characters)').fill(comment);
    await expect(first.getByRole('status')).toHaveText('Saved.');
    await listener.context().close();
  }
  await expect(review.getByRole('status')).toHaveText('2 listeners so far');
  const first = review.getByRole('listitem').filter({ has: page.getByRole('heading', { name: labels[0] }) });
  await expect(first.getByText('2 listeners · 4.0 stars')).toBeVisible();
  await expect(first.getByLabel('5 stars: 1')).toBeVisible();
  await expect(first.getByText('<i>Flat</i> at the end.')).toBeVisible();
  for (const label of labels.slice(1)) {
    await expect(review.getByRole('heading', { name: label, level: 5 })).toBeVisible();
  }

  const download = page.waitForEvent('download');
  await review.getByRole('link', { name: 'Export answers (CSV)' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('take,listener,stars,comment,guess,right');
  expect(csv.slice(1).map((row) => row.split(',')[2]).sort()).toEqual(['3', '5']);
  expect(csv.slice(1).every((row) => row.startsWith(`${labels[0]},`))).toBe(true);
});

test('Share as Real or clone? on a take: a listener guesses A or B, the reveal says whether it was right, and the tally counts it', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');
  await generate(page, 'Which of us is the recording?');
  await expectPlayableTake(page, 1);
  await takeCard(page, 1).getByRole('button', { name: 'Share as Real or clone?' }).click();
  const review = takeCard(page, 1).getByRole('region', { name: 'Blind review' });
  const link = await review.getByRole('textbox', { name: 'Review link' }).inputValue();

  const listener = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await listener.goto(link);
  const round = listener.getByRole('region', { name: 'Take 1' });
  await expect(round.getByText('One of A and B is AI-generated speech; the other is a recording of the voice it clones.')).toBeVisible();
  for (const side of ['A', 'B']) {
    const clip = round.getByLabel(`Take 1: ${side}`);
    await clip.evaluate((element: HTMLAudioElement) => element.play());
    await expect.poll(() => clip.evaluate((element: HTMLAudioElement) => element.currentTime)).toBeGreaterThan(0);
  }
  await expect(round.getByRole('button', { name: 'Reveal' })).toBeDisabled();
  await round.getByRole('radio', { name: 'A is real' }).check();
  await expect(round.getByRole('status')).toHaveText('Saved.');
  await round.getByRole('button', { name: 'Reveal' }).click();
  const told = round.getByText(/^[AB] was the real voice: you guessed (right|wrong)\.$/);
  await expect(told).toBeVisible();
  const right = (await told.textContent())!.endsWith('right.');
  await expect(round.getByRole('radio', { name: 'B is real' })).toBeDisabled();
  await expectNoSeriousViolations(listener, 'a blind round, revealed');
  await listener.reload();
  await expect(told).toBeVisible();

  await expect(review.getByText(`1 listener · ${right ? 1 : 0} of 1 guessed right`)).toBeVisible();
});

test('a review made here shows again after a reload, and the presenter view shows its QR code large for the room', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await generate(page, 'Kept on this device with its key.');
  await expectPlayableTake(page, 1);
  await takeCard(page, 1).getByRole('button', { name: 'Share for review' }).click();
  const link = await takeCard(page, 1).getByRole('region', { name: 'Review' }).getByRole('textbox', { name: 'Review link' }).inputValue();
  await page.reload();
  const review = takeCard(page, 1).getByRole('region', { name: 'Review' });
  await expect(review.getByRole('textbox', { name: 'Review link' })).toHaveValue(link);
  await expect(review.getByRole('status')).toHaveText('0 listeners so far');
  await expect(takeCard(page, 1).getByRole('button', { name: 'Share for review' })).toHaveCount(0);

  await takeCard(page, 1).getByRole('button', { name: 'Present this take' }).click();
  const presenter = page.getByRole('dialog', { name: 'Presenter' });
  await presenter.getByRole('button', { name: 'Share with the room' }).click();
  const shared = presenter.getByRole('region', { name: 'Review' });
  await expect(shared.getByRole('textbox', { name: 'Review link' })).toHaveValue(link);
  const qr = shared.getByRole('img', { name: 'QR code of the review link' });
  const box = (await qr.boundingBox())!;
  expect(box.width).toBeGreaterThan(0.55 * 800);
  const picture = join(mkdtempSync(join(tmpdir(), 'zonos-qr-')), 'qr.png');
  writeFileSync(picture, await qr.screenshot());
  expect(execFileSync('zbarimg', ['--raw', '-q', picture], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()).toBe(link);
  await expectNoSeriousViolations(page, 'the presenter view, shared with the room');
});

test('Share for review on a long script shares its parts, each with its own words', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');
  const paragraphs = ['The first paragraph opens the pitch.', 'The second paragraph makes the case.', 'The third paragraph closes it.'];
  // Few frames per request, so that each paragraph needs a part of its own.
  await page.getByLabel('Max tokens').fill('300');
  await generate(page, paragraphs.join('\n\n'));
  const script = page.getByRole('article', { name: 'Script 1' });
  await expect(script.getByRole('status', { name: 'Progress of script 1' })).toHaveText('3 of 3 parts done', { timeout: 30_000 });
  await script.getByRole('button', { name: 'Share for review' }).click();
  const link = await script.getByRole('region', { name: 'Review' }).getByRole('textbox', { name: 'Review link' }).inputValue();

  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Script 1', level: 1 })).toBeVisible();
  for (const [index, words] of paragraphs.entries()) {
    await expect(page.getByRole('region', { name: `Part ${index + 1} of 3` }).getByText(words)).toBeVisible();
  }
});
