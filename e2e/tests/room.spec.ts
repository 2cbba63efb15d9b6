import { test, expect, type APIRequestContext, type Locator } from '@playwright/test';
import { roomStudio } from '../servers';
import { expectNoSeriousViolations } from './axe';
import { policyViolations, watchPolicy } from './policy';
import { sandboxStats } from './sandbox';
import { expectPlayableTake, generate, take } from './takes';

// For the room a demo is shown to: the presenter view, "Real or clone?", and variations. One at a time: the room
// studio's submissions are counted.
test.describe.configure({ mode: 'serial' });

const stats = (request: APIRequestContext) => sandboxStats(request, `${roomStudio}/sandbox`);

const paused = (audio: Locator) => audio.evaluate((element: HTMLAudioElement) => element.paused);

/** Waits until the player has its audio, and has let go of any autoplay. */
async function loaded(audio: Locator): Promise<void> {
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.duration), { timeout: 15_000 }).toBeGreaterThan(0.5);
}

test('the presenter view opens with Present and with P; each key does what it says; Escape leaves', async ({ page }) => {
  await watchPolicy(page);
  await page.goto(roomStudio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'The first take, for the room.');
  await expectPlayableTake(page, 1);
  await generate(page, 'The second take: a longer sentence, to be read from the back of the room on a projector.');
  const cardAudio = await expectPlayableTake(page, 2);
  await cardAudio.evaluate((element: HTMLAudioElement) => element.pause());

  await page.getByRole('button', { name: 'Present', exact: true }).click();
  const presenter = page.getByRole('dialog', { name: 'Presenter' });
  await expect(presenter).toBeVisible();
  await expect(presenter).toContainText('The second take: a longer sentence');
  await expect(presenter).toContainText('Take 2 · 2 of 2');
  await expect(presenter).not.toContainText('not on this device');
  const reference = presenter.getByLabel('Reference voice', { exact: true });
  const takeAudio = presenter.getByLabel('Take', { exact: true });
  await loaded(takeAudio);
  await loaded(reference);
  await expectNoSeriousViolations(page, 'in the presenter view');

  // Space plays the take, and pauses it.
  await page.keyboard.press('Space');
  await expect.poll(() => paused(takeAudio)).toBe(false);
  await expect(presenter.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press('Space');
  await expect.poll(() => paused(takeAudio)).toBe(true);
  await expect(presenter.getByRole('button', { name: 'Play' })).toBeVisible();

  // B with nothing playing starts the reference; again, it switches to the take.
  await page.keyboard.press('b');
  await expect.poll(() => paused(reference)).toBe(false);
  await page.keyboard.press('b');
  await expect.poll(() => paused(takeAudio)).toBe(false);
  expect(await paused(reference)).toBe(true);
  await page.keyboard.press('Space');
  await expect.poll(() => paused(takeAudio)).toBe(true);

  // R plays the reference from its start, then the take.
  await page.keyboard.press('r');
  await expect.poll(() => paused(reference)).toBe(false);
  expect(await paused(takeAudio)).toBe(true);
  expect(await reference.evaluate((element: HTMLAudioElement) => element.currentTime)).toBeLessThan(1);
  await reference.evaluate((element: HTMLAudioElement) => (element.currentTime = element.duration - 0.2));
  await expect.poll(() => paused(takeAudio)).toBe(false);
  await page.keyboard.press('Space');

  // ←/→ move between the takes.
  await page.keyboard.press('ArrowLeft');
  await expect(presenter).toContainText('Take 1 · 1 of 2');
  await expect(presenter).toContainText('The first take, for the room.');
  await page.keyboard.press('ArrowLeft');
  await expect(presenter).toContainText('Take 1 · 1 of 2');
  await page.keyboard.press('ArrowRight');
  await expect(presenter).toContainText('Take 2 · 2 of 2');

  await page.keyboard.press('Escape');
  await expect(presenter).toHaveCount(0);
  // The focus is back where it was.
  await expect(page.getByRole('button', { name: 'Present', exact: true })).toBeFocused();

  // P opens it too, and a blind round runs in it.
  await page.keyboard.press('p');
  await expect(presenter).toBeVisible();
  await presenter.getByRole('button', { name: 'Real or clone?', exact: true }).click();
  const round = presenter.getByRole('region', { name: 'Real or clone?' });
  await expect(round.getByRole('button', { name: 'A is real' })).toBeVisible();
  await loaded(round.getByLabel('A', { exact: true }));
  await round.getByRole('button', { name: 'B is real' }).click();
  await round.getByRole('button', { name: 'Reveal' }).click();
  await expect(round.getByRole('status', { name: 'Answer' })).toHaveText(/^(A|B) was the real voice: guessed (right|wrong)\.$/);
  await expect(round.getByRole('status', { name: 'Score' })).toHaveText(/^[01] of 1 guessed right$/);
  await page.keyboard.press('Escape');
  await expect(presenter).toHaveCount(0);

  // A take chosen on its card opens the view on it.
  await take(page, 1).getByRole('button', { name: 'Present this take' }).click();
  await expect(presenter).toContainText('Take 1 · 1 of 2');
  await expect(presenter).toContainText('The first take, for the room.');
  await page.keyboard.press('Escape');
  await expect(presenter).toHaveCount(0);
  expect(await policyViolations(page)).toEqual([]);
});

test('the presenter view plays a kept take with the network cut', async ({ page, context }) => {
  await page.goto(roomStudio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'Rehearsed with the network, shown without it.');
  const cardAudio = await expectPlayableTake(page, 1);
  await cardAudio.evaluate((element: HTMLAudioElement) => element.pause());

  await context.setOffline(true);
  await page.keyboard.press('p');
  const presenter = page.getByRole('dialog', { name: 'Presenter' });
  await expect(presenter).toContainText('Rehearsed with the network, shown without it.');
  const takeAudio = presenter.getByLabel('Take', { exact: true });
  await loaded(takeAudio);
  expect(await takeAudio.evaluate((element: HTMLAudioElement) => element.currentSrc)).toMatch(/^blob:/);
  await expect(presenter).not.toContainText('not on this device');
  await page.keyboard.press('Space');
  await expect.poll(() => takeAudio.evaluate((element: HTMLAudioElement) => element.currentTime)).toBeGreaterThan(0.2);
  await page.keyboard.press('Escape');
  await expect(presenter).toHaveCount(0);

  // With its audio gone from the device, the view says so rather than failing in silence.
  await page.evaluate(() => caches.delete('zonos-studio-takes'));
  await page.keyboard.press('p');
  await expect(presenter.getByRole('status')).toHaveText(
    "This take's audio is not on this device, and the network can't reach it: it can't play now.",
  );
  await context.setOffline(false);
});

test('real or clone: a round reveals the real voice, both orders occur over many rounds, and the score counts', async ({ page }) => {
  await page.goto(roomStudio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await generate(page, 'Which of the two of us is the real one?');
  const cardAudio = await expectPlayableTake(page, 1);
  await cardAudio.evaluate((element: HTMLAudioElement) => element.pause());
  await take(page, 1).getByRole('button', { name: 'Real or clone?', exact: true }).click();
  const round = take(page, 1).getByRole('region', { name: 'Real or clone?' });
  const [a, b] = [round.getByLabel('A', { exact: true }), round.getByLabel('B', { exact: true })];
  await loaded(a);
  await loaded(b);
  await expectNoSeriousViolations(page, 'with a blind round open');
  // Cut to the same length: neither gives itself away by it.
  const lengths = await Promise.all([a, b].map((player) => player.evaluate((element: HTMLAudioElement) => element.duration)));
  expect(Math.abs(lengths[0] - lengths[1])).toBeLessThan(0.01);

  const real = new Set<string>();
  let right = 0;
  const rounds = 16;
  for (let count = 1; count <= rounds; count++) {
    await round.getByRole('button', { name: 'A is real' }).click();
    await expect(round.getByRole('button', { name: 'A is real' })).toHaveAttribute('aria-pressed', 'true');
    await round.getByRole('button', { name: 'Reveal' }).click();
    const answer = round.getByRole('status', { name: 'Answer' });
    await expect(answer).toHaveText(/^(A|B) was the real voice: guessed (right|wrong)\.$/);
    const words = (await answer.textContent()) ?? '';
    const side = words.slice(0, 1);
    expect(words).toContain(side === 'A' ? 'guessed right' : 'guessed wrong');
    real.add(side);
    right += side === 'A' ? 1 : 0;
    await expect(round.getByRole('status', { name: 'Score' })).toHaveText(`${right} of ${count} guessed right`);
    // A revealed round can't be guessed again.
    await expect(round.getByRole('button', { name: 'B is real' })).toBeDisabled();
    await round.getByRole('button', { name: 'Next round' }).click();
    await expect(answer).toHaveText('');
  }
  // The order is drawn anew each round: over 16 rounds, both orders (one alone: 1 chance in 32768).
  expect([...real].sort()).toEqual(['A', 'B']);
});

test('try variations: 4 seeds send exactly 4 submissions, each take names its seed, and one can be used again', async ({
  page,
  request,
}) => {
  await page.goto(roomStudio);
  await expect(page.getByLabel('Sample voice')).toHaveValue(/ada\.wav$/);
  await page.getByLabel('Text', { exact: true }).fill('One sentence, four seeds.');
  const before = (await stats(request)).submissions_received;

  await page.getByRole('button', { name: 'Try variations' }).click();
  const choices = page.getByRole('region', { name: 'Variations to send' });
  await expect(choices.getByLabel('New seeds')).toBeChecked();
  await expect(choices.getByLabel('How many')).toHaveValue('4');
  await expect(choices.getByRole('status')).toHaveText('This sends 4 requests to the gateway, and each one is paid.');
  await choices.getByLabel('How many').fill('9');
  await expect(choices.getByRole('alert')).toHaveText('Between 2 and 8 variations can be sent at once, not 9.');
  await expect(choices.getByRole('button', { name: 'Send' })).toBeDisabled();
  await choices.getByLabel('Temperature', { exact: true }).check();
  await choices.getByLabel('Temperature to').fill('2.5');
  await expect(choices.getByRole('alert')).toContainText('temperature');
  await choices.getByLabel('New seeds').check();
  await choices.getByLabel('How many').fill('4');
  await expectNoSeriousViolations(page, 'with the variations to send');
  // Nothing went before the confirmation.
  expect((await stats(request)).submissions_received).toBe(before);
  await choices.getByRole('button', { name: 'Send 4 requests' }).click();
  await expect(choices).toHaveCount(0);

  const set = page.getByRole('article', { name: 'Variations 1' });
  await expect(set.getByRole('status', { name: 'Progress of variations 1' })).toHaveText('4 of 4 done', { timeout: 30_000 });
  expect((await stats(request)).submissions_received - before).toBe(4);
  const labels = await set.getByRole('heading', { level: 4 }).allTextContents();
  expect(labels).toHaveLength(4);
  for (const label of labels) {
    expect(label).toMatch(/^Seed \d+$/);
  }
  expect(new Set(labels).size).toBe(4);
  await expectNoSeriousViolations(page, 'with a set of variations');
  for (const [index, label] of labels.entries()) {
    await expect(take(page, index + 1)).toContainText(`${label} (variations 1)`);
    await expect(set.getByLabel(label, { exact: true })).toHaveAttribute('src', /.+/);
  }

  const best = set.getByRole('listitem').filter({ hasText: labels[2] });
  await best.getByRole('button', { name: '☆ Star' }).click();
  await expect(best.getByRole('button', { name: '★ Starred' })).toHaveAttribute('aria-pressed', 'true');
  await expect(take(page, 3).getByRole('button', { name: '★ Starred' })).toBeVisible();
  await best.getByRole('button', { name: 'Use these settings' }).click();
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue(labels[2].replace('Seed ', ''));
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue('One sentence, four seeds.');
  await expect(set.getByRole('status').last()).toHaveText(`The settings of ${labels[2]} are in the form.`);
});
