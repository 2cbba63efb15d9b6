// Result latency: from the sandbox marking a job COMPLETED (its completed_at) to the take's audio element firing
// canplay, when the end is pushed over Server-Sent Events and when it is found by polling (every 5 s, the docs'
// advice). Both clocks are this machine's.
// Usage: node e2e/bench/result-latency.mjs STUDIO_URL STATIC_URL GATEWAY_URL   (cargo xtask bench starts them)
import { launchChromium } from '../chromium.mjs';

const [studio, staticHost, gateway] = process.argv.slice(2);
const RUNS = 5;

// Wall-clock time of the first canplay of any audio element (media events reach the document's capture phase).
const canplayProbe = () => {
  document.addEventListener('canplay', () => { window.__canplayAt ??= Date.now(); }, true);
};

async function oneTake(browser, { url, prepare, statusBase, key }) {
  const page = await browser.newPage();
  await page.addInitScript(canplayProbe);
  await page.goto(url);
  await prepare(page);
  await page.getByLabel('Text', { exact: true }).fill('Measuring how soon a finished take can play.');
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.getByRole('status', { name: 'Progress of take 1' }).getByText('Done', { exact: true }).waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => window.__canplayAt !== undefined, null, { timeout: 30_000 });
  const canplayAt = await page.evaluate(() => window.__canplayAt);
  const requestId = await page.locator('.figures div').filter({ hasText: 'Request id' }).locator('dd').textContent();
  const headers = key ? { 'Ocp-Apim-Subscription-Key': key } : {};
  const status = await (await fetch(`${statusBase}/v2/requests/status/${requestId}`, { headers })).json();
  await page.close();
  return canplayAt - Date.parse(status.completed_at);
}

function summary(name, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`${name.padEnd(32)} median ${String(Math.round(median)).padStart(5)} ms   (${sorted.map(Math.round).join(', ')} ms)`);
}

const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
const pushed = { url: studio, statusBase: `${studio}/api`, prepare: async (page) => {
  await page.getByLabel('Sample voice').selectOption({ label: 'Ada' });
} };
const polled = { url: staticHost, statusBase: gateway, key: 'bench', prepare: async (page) => {
  await page.getByLabel('Gateway URL').fill(gateway);
  await page.getByLabel('Gateway URL').press('Tab');
  await page.getByLabel('API key').fill('bench');
  await page.getByLabel('Reference audio URL').fill(`${gateway}/__sandbox/voices/ada.wav`);
  await page.getByLabel("I have the speaker's permission to clone this voice").check();
  await page.getByLabel('Whose voice is it?').fill('Ada');
} };
const results = { pushed: [], polled: [] };
for (let run = 0; run < RUNS; run += 1) {
  results.pushed.push(await oneTake(browser, pushed));
  results.polled.push(await oneTake(browser, polled));
}
await browser.close();
console.log(`COMPLETED → canplay, ${RUNS} takes each:`);
summary('pushed (Server-Sent Events)', results.pushed);
summary('polled every 5 s', results.polled);
