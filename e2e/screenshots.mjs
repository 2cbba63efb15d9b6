// The pictures in docs/usage.md, taken from a running studio (`cargo xtask demo`, or any `zonos-server serve
// --sandbox`): the presenter view at a projector's two common sizes (two takes, the second shown, playing); and a
// review of four variations, its listener's page on a phone and the maker's tally after three listeners; and the
// presenter view shared with the room, its QR code large and its tally as phones answer.
// Usage: node e2e/screenshots.mjs STUDIO_URL   (writes docs/presenter-1280x720.png, docs/presenter-1920x1080.png,
// docs/review-listener-390.png, docs/review-tally-1280.png and docs/review-presenter-1280x720.png)
import { launchChromium } from './chromium.mjs';

const [studio] = process.argv.slice(2);
const texts = [
  'Good morning, everyone. Thank you for making the time to be here today.',
  'What you are hearing now was never spoken by this voice: Zonos 2 learned it from a few seconds of recording, ' +
    'and read this sentence aloud a moment ago.',
];

const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
for (const [width, height] of [[1280, 720], [1920, 1080]]) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(studio);
  await page.getByLabel('Sample voice').locator('option', { hasText: 'Ada' }).waitFor({ state: 'attached' });
  for (const [index, text] of texts.entries()) {
    await page.getByLabel('Text', { exact: true }).fill(text);
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.getByRole('status', { name: `Progress of take ${index + 1}` }).getByText('Done', { exact: true }).waitFor({ timeout: 60_000 });
  }
  await page.getByRole('button', { name: 'Present', exact: true }).click();
  const presenter = page.getByRole('dialog', { name: 'Presenter' });
  await presenter.getByRole('img', { name: 'Waveform of the take' }).waitFor();
  await presenter.getByRole('img', { name: 'Waveform of the reference voice' }).waitFor();
  await page.keyboard.press('Space');
  await page.waitForTimeout(1500);
  await page.keyboard.press('Space');
  await page.screenshot({ path: `docs/presenter-${width}x${height}.png` });
  await page.close();
}

// A review of four variations, rated by three listeners.
// Tall enough that the takes' column, which scrolls on its own, shows the whole set and its tally.
const presenter = await browser.newPage({ viewport: { width: 1280, height: 2300 } });
await presenter.goto(studio);
await presenter.getByLabel('Text', { exact: true }).fill(texts[0]);
await presenter.getByRole('button', { name: 'Try variations' }).click();
await presenter.getByRole('region', { name: 'Variations to send' }).getByRole('button', { name: 'Send 4 requests' }).click();
const set = presenter.getByRole('article', { name: 'Variations 1' });
await set.getByText('4 of 4 done').waitFor({ timeout: 60_000 });
const labels = await set.getByRole('heading', { level: 4 }).allTextContents();
await set.getByRole('button', { name: 'Share for review' }).click();
const review = set.getByRole('region', { name: 'Review' });
const link = await review.getByRole('textbox', { name: 'Review link' }).inputValue();
const verdicts = [
  [5, 4, 'Warm and natural: the pause before "thank you" sells it.'],
  [4, 3, 'Clear, a little fast at the end.'],
  [4, 5, 'I could not tell it from the recording.'],
];
for (const [index, [first, second, comment]] of verdicts.entries()) {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(link);
  for (const [label, stars] of [[labels[0], first], [labels[1], second]]) {
    const take = phone.getByRole('region', { name: label });
    await take.getByRole('radio', { name: `${stars} stars` }).check();
    await take.getByRole('status').getByText('Saved.', { exact: true }).waitFor();
  }
  const take = phone.getByRole('region', { name: labels[0] });
  await take.getByLabel('Your comment (at most 500 characters)').fill(comment);
  await take.getByRole('status').getByText('Saving…').waitFor();
  await take.getByRole('status').getByText('Saved.', { exact: true }).waitFor();
  if (index === verdicts.length - 1) await phone.screenshot({ path: 'docs/review-listener-390.png' });
  await phone.close();
}
await review.getByText('3 listeners so far').waitFor();
await review.getByText(verdicts[2][2]).waitFor();
await set.screenshot({ path: 'docs/review-tally-1280.png' });
await presenter.close();

// The presenter view shared with the room: a take's QR code large, and its tally as two phones answer.
const room = await browser.newPage({ viewport: { width: 1280, height: 720 } });
await room.goto(studio);
await room.getByLabel('Text', { exact: true }).fill(texts[1]);
await room.getByRole('button', { name: 'Generate' }).click();
await room.getByRole('status', { name: 'Progress of take 1' }).getByText('Done', { exact: true }).waitFor({ timeout: 60_000 });
await room.getByRole('article', { name: 'Take 1' }).getByRole('button', { name: 'Present this take' }).click();
const view = room.getByRole('dialog', { name: 'Presenter' });
await view.getByRole('button', { name: 'Share with the room' }).click();
await view.getByRole('button', { name: 'Share for review' }).click();
const shared = view.getByRole('region', { name: 'Review' });
const roomLink = await shared.getByRole('textbox', { name: 'Review link' }).inputValue();
for (const stars of [5, 4]) {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(roomLink);
  await phone.getByRole('radio', { name: `${stars} stars` }).check();
  await phone.getByRole('status').getByText('Saved.', { exact: true }).waitFor();
  await phone.close();
}
await shared.getByText('2 listeners so far').waitFor();
await room.screenshot({ path: 'docs/review-presenter-1280x720.png' });
await browser.close();
