import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// axe-core's judgement of the page as it stands: no serious or critical violation.

export async function expectNoSeriousViolations(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      where: violation.nodes.map((node) => node.target.join(' ')).slice(0, 5),
    }));
  expect(serious, `axe, ${state}`).toEqual([]);
}
