// First-load benchmark: what the release build costs a first-time visitor, next to a static one-button page.
// The page is the app's first screen, prerendered: Generate is usable from the first paint (a press before the app
// has started is carried out once it has), so the time to the app's start is measured and shown too.
// Usage: node e2e/bench/first-load.mjs http://127.0.0.1:PORT [--bytes-only]   (cargo xtask bench starts the server)
// With --bytes-only (as `cargo xtask test` runs it), only what the first load transfers is measured and judged: the
// timings need a quiet machine, the bytes don't.
import { launchChromium } from '../chromium.mjs';
import { brotliCompressSync, constants } from 'node:zlib';

const base = process.argv[2];
const bytesOnly = process.argv.includes('--bytes-only');
const LOADS = 21;
const BUDGET = { brotliBytes: 120 * 1024, requests: 5, ratio: 2 };
// Everything a first visit fetches by itself, its first second and after (the parts fetched ahead of need too),
// until the network has been quiet a while: what a slow network must carry before the page stops asking.
const UNASKED = { brotliBytes: 250 * 1024, requests: 30, quietMs: 1500 };

// Records, in the page's own clock (ms since navigation start), when a button named Generate is first visible
// and enabled. Installed before any page script runs.
const readyProbe = () => {
  const ready = () => [...document.querySelectorAll('button')].some(
    (button) => button.textContent.trim() === 'Generate' && !button.disabled && button.checkVisibility());
  const check = () => {
    if (window.__generateReadyAt === undefined && document.body && ready()) {
      window.__generateReadyAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  document.addEventListener('DOMContentLoaded', check);
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/// When the app marked itself ready (it knows its gateway: `zonos-ready`), in the page's clock, if it is an app.
const appReady = () => performance.getEntriesByName('zonos-ready')[0]?.startTime;

/// One fresh-profile load, timed by the page's own clock; nothing listens to the network meanwhile. Returns when
/// Generate was usable and, for the app, when it was ready.
async function timeLoad(browser, path, app) {
  const context = await browser.newContext(); // a fresh profile: empty cache
  const page = await context.newPage();
  await page.addInitScript(readyProbe);
  await page.goto(base + path, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__generateReadyAt !== undefined, null, { timeout: 30_000 });
  if (app) await page.waitForFunction(appReady, null, { timeout: 30_000 });
  const times = await page.evaluate(`({ usable: window.__generateReadyAt, ready: (${appReady})() })`);
  await context.close();
  await settle(); // let the closed profile's renderer wind down, so it doesn't slow the next load
  return times;
}

/// One fresh-profile load of the app, recording every response until the network is idle. The first load is what
/// was asked for before the app was ready; what the page fetched after that (the parts it loads ahead of need)
/// is listed apart.
async function transferOf(browser, path) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(readyProbe);
  const responses = [];
  page.on('response', (response) => responses.push(response));
  await page.goto(base + path, { waitUntil: 'networkidle' });
  await page.waitForFunction(appReady, null, { timeout: 30_000 });
  // Until nothing more was asked for in a while: a part fetched once the page is idle comes after networkidle.
  for (let seen = -1; seen !== responses.length;) {
    seen = responses.length;
    await page.waitForTimeout(UNASKED.quietMs);
  }
  const { readyAt, starts } = await page.evaluate(`({
    readyAt: (${appReady})(),
    starts: Object.fromEntries(performance.getEntriesByType('resource').map((entry) => [entry.name, entry.startTime])),
  })`);
  const files = [];
  for (const response of responses.filter((r) => r.url().startsWith('http'))) {
    const body = await response.body();
    const brotli = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    const sizes = await response.request().sizes();
    files.push({
      path: new URL(response.url()).pathname,
      type: response.headers()['content-type'] ?? '',
      encoding: response.headers()['content-encoding'] ?? 'none',
      wire: sizes.responseBodySize,
      raw: body.length,
      brotli,
      // The page itself has no resource entry: it is the first request of all. Any other request without one
      // started after the entries were read, which was after the app was ready.
      later: !response.request().isNavigationRequest() && !(starts[response.url()] <= readyAt),
    });
  }
  await context.close();
  return files;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const browser = await launchChromium();
const files = await transferOf(browser, '/');
const app = [];
const baseline = [];
for (let i = 0; i < (bytesOnly ? 0 : LOADS); i++) {
  app.push(await timeLoad(browser, '/', true));
  baseline.push((await timeLoad(browser, '/static.html', false)).usable);
}
await browser.close();

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const table = (list) => {
  console.log('  file'.padEnd(62) + 'type'.padEnd(26) + 'raw'.padStart(11) + 'brotli'.padStart(11) + '  sent as');
  for (const file of list) {
    console.log(`  ${file.path.padEnd(60)}${file.type.padEnd(26)}${kb(file.raw).padStart(11)}${kb(file.brotli).padStart(11)}  ${file.encoding}, ${kb(file.wire)}`);
  }
};
const firstLoad = files.filter((file) => !file.later);
const later = files.filter((file) => file.later);
const totalBrotli = firstLoad.reduce((sum, file) => sum + file.brotli, 0);
const totalWire = firstLoad.reduce((sum, file) => sum + file.wire, 0);
console.log('\nFirst load of the release build, until the app is ready (one fresh profile):');
table(firstLoad);
console.log(`  total: ${firstLoad.length} requests, ${kb(totalBrotli)} brotli (${kb(totalWire)} on the wire)`);
console.log('\nLoaded after that, ahead of need, once the page was idle (nobody touching it):');
table(later);
console.log(`  total: ${later.length} requests, ${kb(later.reduce((sum, file) => sum + file.brotli, 0))} brotli`);
const unaskedBrotli = files.reduce((sum, file) => sum + file.brotli, 0);
console.log(`Everything the visit fetched by itself: ${files.length} requests, ${kb(unaskedBrotli)} brotli`);

const transferVerdicts = [
  [`transfer ${kb(totalBrotli)} brotli <= ${kb(BUDGET.brotliBytes)}`, totalBrotli <= BUDGET.brotliBytes],
  [`requests ${firstLoad.length} <= ${BUDGET.requests}`, firstLoad.length <= BUDGET.requests],
  [`fetched by itself ${kb(unaskedBrotli)} brotli <= ${kb(UNASKED.brotliBytes)}`, unaskedBrotli <= UNASKED.brotliBytes],
  [`fetched by itself ${files.length} requests <= ${UNASKED.requests}`, files.length <= UNASKED.requests],
];
const judge = (verdicts) => {
  console.log('\nBudget:');
  for (const [text, ok] of verdicts) console.log(`  ${ok ? 'within' : 'OVER  '}  ${text}`);
  process.exit(verdicts.every(([, ok]) => ok) ? 0 : 1);
};
if (bytesOnly) judge(transferVerdicts);

const usable = app.map((times) => times.usable);
const ready = app.map((times) => times.ready);
const appMs = median(usable);
const staticMs = median(baseline);
const ratio = appMs / staticMs;
console.log(`\nTime until Generate is visible and enabled (median of ${LOADS} fresh-profile loads):`);
console.log(`  app           ${appMs.toFixed(1)} ms   (${usable.map((ms) => ms.toFixed(0)).join(', ')})`);
console.log(`  static page   ${staticMs.toFixed(1)} ms   (${baseline.map((ms) => ms.toFixed(0)).join(', ')})`);
console.log(`  ratio         ${ratio.toFixed(2)}x`);
console.log(`The app started and found its gateway (a Generate pressed earlier is carried out then):`);
console.log(`  app ready     ${median(ready).toFixed(1)} ms   (${ready.map((ms) => ms.toFixed(0)).join(', ')})`);

judge([...transferVerdicts, [`time ${ratio.toFixed(2)}x the static page <= ${BUDGET.ratio}x`, ratio <= BUDGET.ratio]]);
