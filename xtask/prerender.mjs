// Prerenders the app's first screen into the built page, so that it is drawn, and usable, from the first paint:
// the app itself renders it, in headless Chromium, as a first visit shows it before the page has found its gateway.
// The app then takes the page over when it starts (src/prerendered.rs).
// Usage: node xtask/prerender.mjs DIST PAGE BODY   (cargo xtask's build runs this): serves PAGE at / and the build's
// files from DIST, and writes what the app drew in the page's body to BODY, for the build to put in the page.
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { launchChromium } from '../e2e/chromium.mjs';

const [dist, page, bodyOut] = process.argv.slice(2);
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

// The build, as a static host serves it; `config.json` never answers, so the page stays as it is before it knows
// its gateway, whoever serves it later.
const server = createServer(async (request, response) => {
  const path = new URL(request.url, 'http://localhost').pathname;
  if (path === '/config.json') return;
  const file = path === '/' ? page : normalize(join(dist, path));
  if (path !== '/' && !file.startsWith(normalize(dist))) return response.writeHead(403).end();
  try {
    const body = await readFile(file);
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const browser = await launchChromium();
try {
  const tab = await browser.newPage();
  const problems = [];
  // An uncaught error, or a panic (the panic hook writes it to the console): the screen may be half drawn.
  tab.on('pageerror', (error) => problems.push(error.message));
  tab.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  const failed = () => {
    if (problems.length > 0) throw new Error(`the app failed while prerendering: ${problems.join('; ')}`);
  };
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.zonosStarted !== undefined, null, { timeout: 30_000 });
  failed();
  const body = await tab.evaluate(() => {
    // What the controls hold as properties goes into the markup, which is all a page's HTML can carry.
    for (const control of document.body.querySelectorAll('input, textarea, select')) {
      if (control.type === 'checkbox' || control.type === 'radio') {
        control.toggleAttribute('checked', control.checked);
      } else if (control.tagName === 'TEXTAREA') {
        control.textContent = control.value;
      } else if (control.tagName === 'SELECT') {
        for (const option of control.options) option.toggleAttribute('selected', option.selected);
      } else if (control.type !== 'file') {
        control.setAttribute('value', control.value);
      }
    }
    return document.body.innerHTML;
  });
  failed();
  if (!body.includes('Generate')) throw new Error('the prerendered page has no Generate button');
  await writeFile(bodyOut, body);
  console.log(`    prerendered the first screen (${body.length} characters)`);
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
}
