// Debian's Chromium, never a downloaded browser, as the build's prerendering and the benches launch it. The
// background-networking flags keep it from calling hosts this network refuses. (The end-to-end tests launch it
// from e2e/playwright.config.ts, with the same flags and a fake microphone.)
import { chromium } from 'playwright-core';

const quiet = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Launches headless Chromium, with `extra` flags after the quiet ones. */
export function launchChromium(extra = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...quiet, ...extra] });
}
