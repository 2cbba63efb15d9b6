import type { Page } from '@playwright/test';

// The app's start, held back at one of its steps until `release` is called.

/** Holds every request whose URL matches `url` until the returned function is called. */
export async function holdRequests(page: Page, url: RegExp): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(url, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** The prerendered page is there, the app's wasm is not. */
export function holdTheAppBack(page: Page): Promise<() => void> {
  return holdRequests(page, /_bg\.wasm$/);
}

/** Whether the app has taken the page over. */
export async function appStarted(page: Page): Promise<boolean> {
  return page.evaluate(() => 'zonosStarted' in window);
}
