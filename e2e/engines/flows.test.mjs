// The core flows in Firefox ESR and WebKitGTK (the engine of Safari), as the Playwright suite runs them in Chromium:
// generate and hear, a take kept across a reload, an injected fault shown in words, direct mode from a static
// host, and signing in: with an access code, an invite link, and at an OpenID provider on another site. Then a
// review heard in three engines at once: a presenter in Chromium shares a set of variations and a blind round, and
// listeners in WebKit (at a phone's width), Firefox and Chromium answer; the tally comes to the presenter without
// a reload. Run by `cargo xtask test` with node's test runner: `node --test e2e/engines/`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchChromium } from '../chromium.mjs';
import { startBrowser } from './drivers.mjs';
import { PlaywrightListener, WebDriverListener } from './listeners.mjs';
import { Page } from './page.mjs';
import {
  accessCode, accessStudio, adminCode, armFault, budgetCodes, gateway, inviteLinks, oidcProvider, oidcStudio, sandboxStats,
  startServers, staticHost, studio,
} from './servers.mjs';

let stopServers = () => {};
before(async () => {
  stopServers = await startServers();
});
after(() => stopServers());

for (const engine of ['firefox', 'webkit']) {
  describe(engine, { timeout: 300_000 }, () => {
    let session;
    let page;
    before(async () => {
      session = await startBrowser(engine);
      page = new Page(session.browser);
    });
    after(async () => session?.quit());

    it('generates a take through the proxy and plays it', async () => {
      await page.open(`${studio}/`);
      await page.until('a sample voice to be chosen', async () => (await page.value('Sample voice'))?.endsWith('ada.wav'));
      await page.fill('Text', `Spoken for ${engine}, through the proxy.`);
      await page.click('button', 'Generate');
      await page.expectPlayableTake(1);
    });

    it('keeps the take across a reload', async () => {
      await page.reload();
      const take = await page.take(1);
      await page.until('the kept take to show its text', async () =>
        (await page.text(take)).includes(`Spoken for ${engine}, through the proxy.`),
      );
      await page.expectPlayableTake(1);
    });

    it('says an injected fault in plain words, and the form keeps its text', async () => {
      const sandbox = `${studio}/sandbox`;
      const before = await sandboxStats(sandbox);
      await armFault(sandbox, 'submit-402');
      await page.fill('Text', 'Refused for want of balance.');
      await page.click('button', 'Generate');
      const alert = await page.role('alert', null, await page.take(2));
      assert.equal((await page.text(alert)).trim(), 'Insufficient balance: top up the wallet.');
      assert.equal(await page.value('Text'), 'Refused for want of balance.');
      const after = await sandboxStats(sandbox);
      assert.equal(after.submissions_received - before.submissions_received, 1, 'sent once');
    });

    it('calls the gateway directly from a static host', async () => {
      await page.open(`${staticHost}/`);
      await page.until('the page to say it calls the gateway directly', () =>
        page.run("() => document.body.textContent.includes('This page calls the gateway directly')"),
      );
      await page.fill('Gateway URL', gateway);
      await page.fill('Check status every (seconds)', '1');
      await page.fill('Reference audio URL', `${gateway}/__sandbox/voices/basil.wav`);
      await page.check("I have the speaker's permission to clone this voice");
      await page.fill('Whose voice is it?', 'Basil');
      await page.fill('API key', 'my-own-key');
      await page.fill('Text', `Straight to the gateway from ${engine}.`);
      await page.click('button', 'Generate');
      await page.expectPlayableTake(1);
    });

    it('signs in with an access code, and the Generate pressed before is sent once', async () => {
      const sandbox = `${accessStudio}/sandbox`;
      const before = await sandboxStats(sandbox);
      await page.open(`${accessStudio}/`);
      const signIn = await page.role('form', 'Sign in');
      await page.fill('Text', `Held for ${engine} until signed in.`);
      await page.click('button', 'Generate');
      await page.until('the held notice', () =>
        page.run("() => document.body.textContent.includes('Sign in above: your take is sent once you are signed in.')"),
      );
      await page.fill('Access code', accessCode);
      await page.click('button', 'Sign in', signIn);
      await page.expectPlayableTake(1);
      assert.equal(await page.value('Text'), `Held for ${engine} until signed in.`);
      const after = await sandboxStats(sandbox);
      assert.equal(after.submissions_received - before.submissions_received, 1, 'sent once');
    });

    const says = (words) => page.until(`"${words}"`, () => page.run('(words) => document.body.textContent.includes(words)', words));

    // These follow the sign-in above, in order: the page is signed in as ada, and signs out with its own button.
    it('joins by an invite link, which stops working after its last use', async () => {
      const signedOut = async () => {
        await page.open(`${accessStudio}/`);
        await page.click('button', 'Sign out');
        await page.role('form', 'Sign in');
        await page.open(inviteLinks[engine]);
        return page.role('form', 'Sign in');
      };
      let signIn = await signedOut();
      await says('You were invited: press Sign in to join.');
      assert.equal(await page.run('() => location.href'), `${accessStudio}/`, 'the code left the address bar');
      await page.click('button', 'Sign in', signIn);
      await page.until('the sign-in to go', () => page.run("() => !document.querySelector('form[aria-label=\"Sign in\"]')"));

      signIn = await signedOut();
      await page.click('button', 'Sign in', signIn);
      await says('That access code is not valid: it may be mistyped, used up, expired or revoked.');
    });

    it("shows an admin the spend log by person, with ada's takes", async () => {
      // Signed out still, by the invite refused above.
      await page.open(`${accessStudio}/`);
      const signIn = await page.role('form', 'Sign in');
      await page.fill('Access code', adminCode);
      await page.click('button', 'Sign in', signIn);
      await page.click('button', 'Usage');
      const usage = await page.role('region', 'Usage');
      // ada sent one take from this engine's sign-in flow (and one from the other engine's, if it ran first).
      const row = await page.until("ada's row", () =>
        page.run("(usage) => [...usage.querySelectorAll('tbody tr')].find((row) => row.querySelector('th')?.textContent === 'ada')?.textContent", usage),
      );
      assert.match(row, /^\d{4}-\d\d-\d\dada[12][12]0/);
      await page.click('button', 'Sign out');
      await page.role('form', 'Sign in');
    });

    it('says what a budget leaves, and past it refuses the take in words and sends nothing', async () => {
      // Signed out by the admin above.
      const sandbox = `${accessStudio}/sandbox`;
      await page.open(`${accessStudio}/`);
      const signIn = await page.role('form', 'Sign in');
      await page.fill('Access code', budgetCodes[engine]);
      await page.click('button', 'Sign in', signIn);
      await says('1 of 1 left today');
      await page.fill('Text', `The one take of ${engine}'s day.`);
      await page.click('button', 'Generate');
      await says('0 of 1 left today');
      const before = await sandboxStats(sandbox);
      await page.fill('Text', 'One take too many.');
      await page.click('button', 'Generate');
      await says('Your budget for today is spent: 1 of 1. It renews at 00:00 UTC.');
      assert.equal(await page.value('Text'), 'One take too many.');
      assert.equal((await sandboxStats(sandbox)).submissions_received, before.submissions_received, 'nothing sent');
    });

    it('signs in at an OpenID provider on another site, and comes back with the form and the held take', async () => {
      const sandbox = `${oidcStudio}/sandbox`;
      const before = await sandboxStats(sandbox);
      const text = `Held for ${engine} while it signs in elsewhere.`;
      await page.open(`${oidcStudio}/`);
      const signIn = await page.role('region', 'Sign in');
      await page.fill('Text', text);
      await page.click('button', 'Generate');
      await says('Sign in above: your take is sent once you are signed in.');
      await page.click('link', 'Sign in with localhost', signIn);
      // The provider's development pages, which label nothing: found by their fields' names.
      const field = (name) => page.until(`the provider's ${name} field`, () =>
        page.run('(name, origin) => location.origin === origin && document.querySelector(`input[name="${name}"]`)', name, oidcProvider));
      await (await field('login')).sendKeys('ada');
      await (await field('password')).sendKeys('any password');
      await page.click('button', 'Sign-in');
      await page.click('button', 'Continue');
      await page.until('the studio to take the page back', () =>
        page.run('(studio) => location.href === studio && window.zonosStarted !== undefined', `${oidcStudio}/`));
      await says('Signed in as ada@example.test');
      await page.expectPlayableTake(1);
      assert.equal(await page.value('Text'), text);
      const after = await sandboxStats(sandbox);
      assert.equal(after.submissions_received - before.submissions_received, 1, 'sent once');
    });
  });
}

describe('a review, heard in three engines', { timeout: 300_000 }, () => {
  let chromium;
  const sessions = [];
  let presenter;
  let listeners;
  before(async () => {
    chromium = await launchChromium();
    presenter = await (await chromium.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const phone = await chromium.newContext({ viewport: { width: 390, height: 844 } });
    const [webkit, firefox] = await Promise.all([startBrowser('webkit', { narrow: true }), startBrowser('firefox')]);
    sessions.push(webkit, firefox);
    await webkit.browser.manage().window().setRect({ width: 390, height: 844 });
    listeners = [
      new WebDriverListener(new Page(webkit.browser), 'webkit'),
      new WebDriverListener(new Page(firefox.browser), 'firefox'),
      new PlaywrightListener(await phone.newPage(), 'chromium'),
    ];
  });
  after(async () => {
    await Promise.all(sessions.map((session) => session.quit()));
    await chromium?.close();
  });

  // The first variation's label: the name of its take's review item too.
  let first;

  /** Waits for `text` in the presenter's review `region`. */
  const presenterSees = (region, text) => region.getByText(text, { exact: true }).waitFor({ timeout: 15_000 });

  it('three listeners rate a set of four variations, and the presenter sees their mean without a reload', async () => {
    await presenter.goto(`${studio}/`);
    await presenter.getByLabel('Text', { exact: true }).fill('Four seeds, for three engines to judge.');
    await presenter.getByRole('button', { name: 'Try variations' }).click();
    await presenter.getByRole('region', { name: 'Variations to send' }).getByRole('button', { name: 'Send 4 requests' }).click();
    const set = presenter.getByRole('article', { name: 'Variations 1' });
    await set.getByRole('status', { name: 'Progress of variations 1' }).filter({ hasText: '4 of 4 done' }).waitFor({ timeout: 60_000 });
    [first] = await set.getByRole('heading', { level: 4 }).allTextContents();
    await set.getByRole('button', { name: 'Share for review' }).click();
    const review = set.getByRole('region', { name: 'Review' });
    const link = await review.getByRole('textbox', { name: 'Review link' }).inputValue();

    const [webkit] = listeners;
    await webkit.open(link);
    assert.ok((await webkit.page.run('() => innerWidth')) <= 390, 'WebKit at a phone\'s width');
    for (const [listener, stars] of listeners.map((listener, index) => [listener, 5 - index])) {
      if (listener !== webkit) await listener.open(link);
      await listener.play(first);
      await listener.rate(first, stars, `${stars} from ${listener.name}.`);
    }
    await presenterSees(review, '3 listeners so far');
    await presenterSees(review, '3 listeners · 4.0 stars (1★ 0 · 2★ 0 · 3★ 1 · 4★ 1 · 5★ 1)');
    for (const listener of listeners) await presenterSees(review, `${5 - listeners.indexOf(listener)} from ${listener.name}.`);
  });

  it('a blind round scores the guesses the listeners see revealed', async () => {
    const card = presenter.getByRole('article', { name: 'Take 1' });
    await card.getByRole('button', { name: 'Share as Real or clone?' }).click();
    const review = card.getByRole('region', { name: 'Blind review' });
    const link = await review.getByRole('textbox', { name: 'Review link' }).inputValue();
    let right = 0;
    for (const listener of listeners) {
      await listener.open(link);
      right += Number(await listener.guess(first, 'A'));
    }
    await presenterSees(review, `3 listeners · ${right} of 3 guessed right`);
  });

  it('Close review ends it for every listener, and its link answers 404', async () => {
    const review = presenter.getByRole('article', { name: 'Variations 1' }).getByRole('region', { name: 'Review' });
    const link = await review.getByRole('textbox', { name: 'Review link' }).inputValue();
    for (const listener of listeners) await listener.open(link);
    await review.getByRole('button', { name: 'Close review' }).click();
    await presenterSees(review, 'This review is closed: its link no longer plays.');
    for (const listener of listeners) await listener.seesTheEnd(2);
    assert.equal((await fetch(link)).status, 404);
  });
});
