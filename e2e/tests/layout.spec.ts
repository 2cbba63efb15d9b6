import { test, expect, type Page } from '@playwright/test';
import { studio } from '../servers';
import { policyViolations, watchPolicy } from './policy';
import { expectPlayableTake, generate, take } from './takes';

// A layout for every screen: with a long take, a long name and a script on the page, nothing scrolls sideways and
// no control, player or waveform is cut off, from a small phone to a large monitor.

// Over 200 characters, with a "word" longer than a phone's screen (a link read aloud).
const longText =
  'This take carries a long text, as a real demo does: a paragraph read in the cloned voice, long enough to wrap ' +
  'over several lines on any screen, and one unbroken address, ' +
  'https://intranet.example/team/zonos-studio/references/a-very-long-name-of-a-recorded-voice-without-a-single-space.wav.';
const longName = 'The take we play first to the board, unless the projector is in the other room again';
const scriptText =
  'The script begins here, in its first part. It goes on in a second sentence. ' +
  'A third sentence makes another part. And this is where it ends.';

const widths = [320, 360, 768, 1024, 1280, 1440, 1920, 2560];

/** Everything that breaks the layout at this width, in words; empty when nothing does. */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (element: Element) =>
      `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? '.' + element.className.trim().split(/\s+/).join('.') : ''}` +
      (element.getAttribute('aria-label') ? ` "${element.getAttribute('aria-label')}"` : '') +
      (element.textContent ? ` (${element.textContent.trim().slice(0, 40)})` : '');
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) {
      problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide in ${width}`);
    }
    const shown = (element: Element) => {
      const rect = element.getBoundingClientRect();
      return rect.width > 0 && rect.height > 0 && getComputedStyle(element).visibility !== 'hidden';
    };
    for (const element of document.querySelectorAll('body *')) {
      if (!shown(element) || element.closest('pre')) continue;
      const rect = element.getBoundingClientRect();
      if (rect.left < -1 || rect.right > width + 1) {
        problems.push(`${describe(element)} spans ${Math.round(rect.left)}…${Math.round(rect.right)} px in ${width}`);
      }
      const style = getComputedStyle(element);
      const scrollsSideways = ['auto', 'scroll'].includes(style.overflowX) && element.tagName !== 'PRE';
      if (scrollsSideways && element.scrollWidth > element.clientWidth + 1) {
        problems.push(`${describe(element)} scrolls sideways: ${element.scrollWidth} px in ${element.clientWidth}`);
      }
    }
    // A control is cut off when an ancestor clips it: sideways by any overflow, up or down by a hidden one (a
    // column that scrolls up and down holds what is below the fold, it does not cut it off).
    for (const control of document.querySelectorAll('button, input, select, textarea, audio, canvas, a, summary')) {
      if (!shown(control)) continue;
      const rect = control.getBoundingClientRect();
      for (let ancestor = control.parentElement; ancestor; ancestor = ancestor.parentElement) {
        const style = getComputedStyle(ancestor);
        const box = ancestor.getBoundingClientRect();
        if (style.overflowX !== 'visible' && (rect.left < box.left - 1 || rect.right > box.right + 1)) {
          problems.push(`${describe(control)} is cut off sideways by ${describe(ancestor)}`);
        }
        if (['hidden', 'clip'].includes(style.overflowY) && (rect.top < box.top - 1 || rect.bottom > box.bottom + 1)) {
          problems.push(`${describe(control)} is cut off by ${describe(ancestor)}`);
        }
      }
    }
    return problems;
  });
}

test('from 320 to 2560 px wide, nothing scrolls sideways and nothing is cut off', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await watchPolicy(page);
  await page.goto(studio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, longText);
  await expectPlayableTake(page, 1);
  page.once('dialog', (dialog) => dialog.accept(longName));
  await take(page, 1).getByRole('button', { name: 'Rename' }).click();
  await expect(take(page, 1)).toContainText(longName);
  // A script: a few words a part.
  await page.getByLabel('Max tokens').fill('200');
  await generate(page, scriptText);
  const script = page.getByRole('article', { name: /^Script \d+$/ });
  await expect(script.getByRole('link', { name: 'Download the script' })).toBeVisible({ timeout: 60_000 });

  for (const width of widths) {
    await page.setViewportSize({ width, height: width < 768 ? 740 : 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await layoutProblems(page), `at ${width} px`).toEqual([]);
    // Generate stays within reach: in view at the foot of the window while the form is longer than it.
    const generateButton = await page.getByRole('button', { name: 'Generate' }).boundingBox();
    const height = page.viewportSize()!.height;
    expect(generateButton, `Generate at ${width} px`).not.toBeNull();
    expect(generateButton!.y + generateButton!.height, `Generate at ${width} px`).toBeLessThanOrEqual(height);
    // Two columns where there is room, one on a phone.
    const form = (await page.locator('.controls').boundingBox())!;
    const takes = (await page.locator('.results').boundingBox())!;
    if (width >= 1024) {
      expect(takes.x, `side by side at ${width} px`).toBeGreaterThanOrEqual(form.x + form.width);
    } else {
      expect(takes.y, `one above the other at ${width} px`).toBeGreaterThanOrEqual(form.y + form.height);
    }
  }
  // The whole text stays readable.
  await expect(take(page, 1).getByText(longText)).toBeVisible();
  // Drawn, played and joined, all within the page's Content-Security-Policy.
  await expect(page.getByRole('img', { name: 'Waveform of Take 1' })).toBeVisible();
  expect(await policyViolations(page)).toEqual([]);
});
