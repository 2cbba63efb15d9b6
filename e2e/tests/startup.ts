import type { Page } from '@playwright/test';

// The app's start, held back: the prerendered page is there, its wasm is not, until `release` is called.

export async function holdTheAppBack(page: Page): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** Whether the app has taken the page over. */
export async function appStarted(page: Page): Promise<boolean> {
  return page.evaluate(() => 'zonosStarted' in window);
}
