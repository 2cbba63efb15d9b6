import { expect, type Locator, type Page } from '@playwright/test';

// Reading and driving takes as a person does: by the take's name, its progress, its audio and its alerts.

export function take(page: Page, number: number): Locator {
  return page.getByRole('article', { name: `Take ${number}` });
}

export function progress(page: Page, number: number): Locator {
  return page.getByRole('status', { name: `Progress of take ${number}` });
}

export async function generate(page: Page, text: string): Promise<void> {
  await page.getByLabel('Text', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Generate' }).click();
}

/** Ticks the permission to clone a voice that is not a sample, naming its speaker, as Generate asks. */
export async function attest(page: Page, speaker: string): Promise<void> {
  await page.getByLabel("I have the speaker's permission to clone this voice").check();
  await page.getByLabel('Whose voice is it?').fill(speaker);
}

/** Waits for the take to finish with audio that plays for more than half a second. */
export async function expectPlayableTake(page: Page, number: number): Promise<Locator> {
  await expect(progress(page, number)).toContainText('Done', { timeout: 30_000 });
  const audio = take(page, number).getByLabel(`Take ${number}`, { exact: true });
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.duration), { timeout: 15_000 }).toBeGreaterThan(0.5);
  return audio;
}

/** The value shown beside a figure's name in the take's figures. */
export function figure(page: Page, number: number, name: string): Locator {
  return take(page, number).locator('.figures div').filter({ has: page.getByText(name, { exact: true }) }).locator('dd');
}
