// A review's listener, on its page (/r/<token>), in any engine: over WebDriver (Firefox, WebKit) with the finders
// of page.mjs, or in Chromium with Playwright's own. Both find what they press by its role or label, as people do.
import assert from 'node:assert/strict';

const ENDED = 'This review has ended: thank you for listening.';
const COMMENT = 'Your comment (at most 500 characters)';

/** A listener driven over WebDriver; `page` is a page.mjs Page. */
export class WebDriverListener {
  constructor(page, name) {
    this.page = page;
    this.name = name;
  }

  async open(link) {
    await this.page.browser.get(link);
  }

  /** The take `label`'s section. */
  take(label) {
    return this.page.role('region', label);
  }

  /** The control labelled `text` within the take `label`'s section. */
  async control(label, text) {
    const take = await this.take(label);
    return this.page.until(`"${text}" of ${label} in ${this.name}`, () =>
      this.page.run("(take, text) => [...take.querySelectorAll('label')].find((label) => label.textContent.trim() === text)?.control", take, text),
    );
  }

  /** Plays the audio labelled `label` until it has begun. */
  async play(label) {
    await this.page.until(`${label} to play in ${this.name}`, () =>
      this.page.run(
        '(name) => { const audio = byLabel(name); if (audio.paused) audio.play().catch(() => {}); return audio.currentTime > 0; }',
        label,
      ),
    );
  }

  async saved(label) {
    const status = await this.page.role('status', null, await this.take(label));
    await this.page.until(`"${label}" saved in ${this.name}`, async () => (await this.page.text(status)) === 'Saved.');
  }

  /** Gives the take `label` `stars`, and a comment if any. */
  async rate(label, stars, comment = null) {
    await (await this.control(label, `${stars} stars`)).click();
    await this.saved(label);
    if (comment === null) return;
    const box = await this.control(label, COMMENT);
    await box.click();
    await box.sendKeys(comment);
    const status = await this.page.role('status', null, await this.take(label));
    await this.page.until(`the comment to wait in ${this.name}`, async () => (await this.page.text(status)) !== 'Saved.');
    await this.saved(label);
  }

  /** Guesses `side` is real in the blind round `label`, asks for the reveal: whether the guess was right. */
  async guess(label, side) {
    await (await this.control(label, `${side} is real`)).click();
    await this.saved(label);
    const round = await this.take(label);
    await this.page.click('button', 'Reveal', round);
    const told = await this.page.until(`the reveal in ${this.name}`, () =>
      this.page.run("(round) => round.querySelector('.answer:not([hidden])')?.textContent", round),
    );
    assert.match(told, /^[AB] was the real voice: you guessed (right|wrong)\.$/);
    return told.endsWith('right.');
  }

  /** Answers again once the review is closed: the page says it has ended. */
  async seesTheEnd(stars) {
    await (await this.page.label(`${stars} stars`)).click();
    const alert = await this.page.role('alert');
    await this.page.until(`the end in ${this.name}`, async () => (await this.page.text(alert)).trim() === ENDED);
  }
}

/** A listener in a Playwright page (Chromium). */
export class PlaywrightListener {
  constructor(page, name) {
    this.page = page;
    this.name = name;
  }

  async open(link) {
    await this.page.goto(link);
  }

  take(label) {
    return this.page.getByRole('region', { name: label });
  }

  async play(label) {
    const audio = this.take(label).getByLabel(label, { exact: true });
    await audio.evaluate((element) => element.play());
    await this.page.waitForFunction((element) => element.currentTime > 0, await audio.elementHandle());
  }

  async saved(label) {
    await this.take(label).getByRole('status').filter({ hasText: /^Saved\.$/ }).waitFor();
  }

  async rate(label, stars, comment = null) {
    await this.take(label).getByRole('radio', { name: `${stars} stars` }).check();
    await this.saved(label);
    if (comment === null) return;
    await this.take(label).getByLabel(COMMENT).fill(comment);
    await this.take(label).getByRole('status').filter({ hasText: 'Saving…' }).waitFor();
    await this.saved(label);
  }

  async guess(label, side) {
    const round = this.take(label);
    await round.getByRole('radio', { name: `${side} is real` }).check();
    await this.saved(label);
    await round.getByRole('button', { name: 'Reveal' }).click();
    const told = round.getByText(/^[AB] was the real voice: you guessed (right|wrong)\.$/);
    await told.waitFor();
    return (await told.textContent()).endsWith('right.');
  }

  async seesTheEnd(stars) {
    await this.page.getByRole('radio', { name: `${stars} stars` }).first().check();
    await this.page.getByRole('alert').filter({ hasText: ENDED }).waitFor();
  }
}
