// Finding things on the page as people do, by their role and accessible name or by their label, in any engine that
// speaks WebDriver (Selenium has no getByRole of its own). The lookups run in the page.
import assert from 'node:assert/strict';

// In the page: the accessible name (aria-label, else aria-labelledby's text, else the text) and the role (explicit,
// else implicit for the few elements these flows use).
const finders = `
  const nameOf = (element) => (element.getAttribute('aria-label')
    ?? element.getAttribute('aria-labelledby')?.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ')
    ?? element.textContent).trim();
  const implicit = { BUTTON: 'button', ARTICLE: 'article', A: 'link', TEXTAREA: 'textbox', SELECT: 'combobox', FORM: 'form', SECTION: 'region' };
  const roleOf = (element) => element.getAttribute('role') ?? implicit[element.tagName];
  const visible = (element) => element.getClientRects().length > 0;
  const byRole = (within, role, name) => [...within.querySelectorAll('*')]
    .filter((element) => roleOf(element) === role && visible(element) && (name === null || nameOf(element) === name));
  const byLabel = (text) => {
    const label = [...document.querySelectorAll('label')].find((label) => label.textContent.trim() === text);
    return label?.control ?? document.querySelector('[aria-label="' + CSS.escape(text) + '"]');
  };
`;

export class Page {
  constructor(browser) {
    this.browser = browser;
  }

  /** Runs `body` (the text of a function of `args`) in the page, with the finders above. */
  run(body, ...args) {
    return this.browser.executeScript(`${finders}\nreturn (${body})(...arguments);`, ...args);
  }

  /** Opens `url` and waits for the app to take its prerendered page over (the first screen's elements go then). */
  async open(url) {
    await this.browser.get(url);
    await this.until('the app to start', () => this.run("() => window.zonosStarted !== undefined"));
  }

  async reload() {
    await this.browser.navigate().refresh();
    await this.until('the app to start', () => this.run("() => window.zonosStarted !== undefined"));
  }

  /** Waits until `check` returns something other than null, false or undefined; returns it. An element redrawn
   * while it was being read is read again. */
  async until(what, check, timeout = 30_000) {
    let last;
    try {
      return await this.browser.wait(async () => {
        try {
          last = await check();
        } catch (error) {
          if (error.name !== 'StaleElementReferenceError') throw error;
          last = undefined;
        }
        return last === null || last === false || last === undefined ? false : last;
      }, timeout);
    } catch (error) {
      throw new Error(`waited ${timeout / 1000} s for ${what}; last seen: ${JSON.stringify(last)}`, { cause: error });
    }
  }

  /** The one visible element with this role and name (within the element `within`, if given). */
  role(role, name = null, within = null) {
    return this.until(`the ${role} "${name}"`, async () => {
      const found = await this.run('(within, role, name) => byRole(within ?? document, role, name)', within, role, name);
      return found.length === 1 ? found[0] : null;
    });
  }

  label(text) {
    return this.until(`the control labelled "${text}"`, () => this.run('(text) => byLabel(text)', text));
  }

  /** The value of the control labelled `label`, read in the page. */
  value(label) {
    return this.run('(text) => byLabel(text)?.value', label);
  }

  async fill(label, text) {
    const control = await this.label(label);
    // Select and replace, as a person does: clear() alone fires no input event.
    await this.run('(control) => control.select()', control);
    await control.sendKeys(text);
  }

  /** Ticks the checkbox labelled `label`, if it is not ticked. */
  async check(label) {
    const box = await this.label(label);
    if (!(await box.isSelected())) await box.click();
  }

  async click(role, name, within = null) {
    await (await this.role(role, name, within)).click();
  }

  /** The text of the element, as shown. */
  text(element) {
    return this.run('(element) => element.textContent', element);
  }

  take(number) {
    return this.role('article', `Take ${number}`);
  }

  /** Waits for take `number` to end with audio of more than half a second that the engine decoded. */
  async expectPlayableTake(number) {
    const progress = await this.role('status', `Progress of take ${number}`);
    await this.until(`take ${number} to be done`, async () => (await this.text(progress)).includes('Done'));
    const duration = await this.until(`take ${number}'s audio to load`, () =>
      this.run('(name) => { const audio = byLabel(name); return audio?.duration > 0.5 ? audio.duration : null; }', `Take ${number}`),
    );
    assert.ok(duration > 0.5, `take ${number} lasts ${duration} s`);
  }
}
