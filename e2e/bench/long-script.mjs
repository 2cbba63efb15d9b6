// Long-script wall time: a six-part script from Generate to its joined WAV, with the parts sent two at a time (the
// default) and one at a time, against the sandbox at its default pace (about four seconds a part).
// Usage: node e2e/bench/long-script.mjs STUDIO_URL   (cargo xtask bench starts it)
import { launchChromium } from '../chromium.mjs';

const [studio] = process.argv.slice(2);
const SCRIPT = [
  'One voice reads the first line.',
  'Then the second line follows it.',
  'The third line keeps the pace.',
  'A fourth line fills the middle.',
  'The fifth line comes near the end.',
  'And the sixth line closes the script.',
].join(' ');

async function wallTime(browser, atOnce) {
  const page = await browser.newPage();
  await page.goto(studio);
  await page.getByLabel('Sample voice').selectOption({ label: 'Ada' });
  await page.getByLabel('Max tokens').fill('300');
  await page.getByLabel('Long scripts: parts sent at once').fill(String(atOnce));
  await page.getByLabel('Text', { exact: true }).fill(SCRIPT);
  const started = Date.now();
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.getByRole('link', { name: 'Download the script' }).waitFor({ timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  const parts = await page.getByRole('status', { name: 'Progress of script' }).first().textContent();
  await page.close();
  return { seconds, parts };
}

const browser = await launchChromium();
const together = await wallTime(browser, 2);
const alone = await wallTime(browser, 1);
await browser.close();
console.log('Long script, Generate → joined WAV:');
console.log(`  two parts at a time   ${together.seconds.toFixed(1).padStart(5)} s   (${together.parts})`);
console.log(`  one part at a time    ${alone.seconds.toFixed(1).padStart(5)} s   (${alone.parts})`);
