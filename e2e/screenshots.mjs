// The pictures of the presenter view in docs/usage.md, at a projector's two common sizes, taken from a running studio
// (`cargo xtask demo`, or any `zonos-server serve --sandbox`): two takes, the second shown, playing.
// Usage: node e2e/screenshots.mjs STUDIO_URL   (writes docs/presenter-1280x720.png and docs/presenter-1920x1080.png)
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
await browser.close();
