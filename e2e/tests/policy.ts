import type { Page } from '@playwright/test';

// What the page's Content-Security-Policy refused: nothing, in a flow that works. Recorded from before the page's
// own scripts run (Playwright's init scripts are not subject to the policy).

export async function watchPolicy(page: Page): Promise<void> {
  await page.addInitScript(() => {
    addEventListener('securitypolicyviolation', (event) => {
      const seen = (window as unknown as { policyViolations?: string[] });
      seen.policyViolations = [...(seen.policyViolations ?? []), `${event.effectiveDirective} ${event.blockedURI}`];
    });
  });
}

export function policyViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { policyViolations?: string[] }).policyViolations ?? []);
}
