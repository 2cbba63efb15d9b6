// Review links: what a listener's phone transfers before the first take plays (its page, over a slow network:
// budget 60 KB brotli before the first audio byte), and how soon a listener's answer reaches the presenter's tally
// (its event stream): through one replica (budget 300 ms), and answered at one replica while the tally is followed
// at another over one Redis (budget 500 ms). Starts what it measures: `serve --sandbox` replicas and a redis-server.
// Usage: node e2e/bench/review.mjs ZONOS_SERVER DIST [--bytes-only]   (cargo xtask bench; xtask test with
// --bytes-only, which judges the transfer alone: timings need a quiet machine, bytes don't)
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:net';
import { brotliCompressSync, constants } from 'node:zlib';
import { launchChromium } from '../chromium.mjs';

const [server, dist] = process.argv.slice(2);
const bytesOnly = process.argv.includes('--bytes-only');
const BUDGET = { firstPlayBytes: 60 * 1024, oneReplicaMs: 300, twoReplicasMs: 500 };
const ANSWERS = 20;

const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGTERM')));

async function freePort() {
  const probe = createServer();
  await new Promise((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address();
  await new Promise((done) => probe.close(done));
  return port;
}

async function started(program, args, ready) {
  const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  for (let tries = 0; tries < 300; tries++) {
    if (await ready().catch(() => false)) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${program} ${args.join(' ')} did not start`);
}

/** A `serve --sandbox` replica (on the Redis at `redis`, if given): its URL. */
async function studio(redis = null) {
  const url = `http://127.0.0.1:${await freePort()}`;
  const kept = redis ? ['--redis', redis] : ['--data-dir', mkdtempSync(join(tmpdir(), 'zonos-review-bench-'))];
  const args = ['serve', '--sandbox', '--dist', dist, '--addr', new URL(url).host, '--queue-ms', '100', '--process-ms', '200', ...kept];
  await started(server, args, async () => (await fetch(`${url}/healthz`)).ok);
  return url;
}

async function json(url, body = undefined) {
  const response = await fetch(url, body && { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** A review of `count` takes made through `base` with a sample voice. */
async function review(base, count) {
  const items = [];
  for (let n = 1; n <= count; n++) {
    const text = `Take ${n} of the review, a sentence or two long, as a take shown to a room would be.`;
    const voice = `${base}/sandbox/__sandbox/voices/ada.wav`;
    const accepted = await json(`${base}/api/zonos-2/v1/zonos-2-request`, { reference_audio_url: voice, text });
    let status;
    do {
      await new Promise((done) => setTimeout(done, 100));
      status = await json(accepted.polling_url);
    } while (!['COMPLETED', 'FAILED', 'ERROR'].includes(status.status));
    items.push({ label: `Take ${n}`, text, media_url: status.output.media_url[0] });
  }
  return json(`${base}/api/reviews`, { title: 'How do these sound?', items });
}

/** The listener's page on a phone over a slow network: the brotli bytes before the first audio request, and the
 * time from navigation to the first take playing. */
async function firstPlay(link) {
  const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 400, downloadThroughput: (400 * 1024) / 8, uploadThroughput: (400 * 1024) / 8,
  });
  const before = [];
  let audioAsked = false;
  page.on('request', (request) => { if (new URL(request.url()).pathname.includes('/audio/')) audioAsked = true; });
  page.on('response', (response) => { if (!audioAsked && response.url().startsWith('http')) before.push(response); });
  const started = Date.now();
  await page.goto(link);
  const audio = page.getByRole('region', { name: 'Take 1' }).getByLabel('Take 1', { exact: true });
  await audio.evaluate((element) => new Promise((playing) => {
    element.addEventListener('playing', playing, { once: true });
    element.play();
  }));
  const playedMs = Date.now() - started;
  let bytes = 0;
  for (const response of before) {
    const body = await response.body().catch(() => Buffer.alloc(0));
    bytes += brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  await browser.close();
  return { bytes, requests: before.length, playedMs };
}

/** The tally stream of `made` at `base`, as events: `next()` resolves with the next tally's listener count. */
async function tallies(base, made) {
  const response = await fetch(`${base}/api/reviews/${made.token}/events?key=${made.owner_key}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  return {
    async next() {
      for (;;) {
        const end = pending.indexOf('\n\n');
        if (end >= 0) {
          const event = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const data = event.split('\n').find((line) => line.startsWith('data:'));
          if (event.includes('event: tally') && data) return JSON.parse(data.slice(5)).tally.listeners;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the tally stream ended');
        pending += value;
      }
    },
    close: () => reader.cancel(),
  };
}

/** Milliseconds from each of `ANSWERS` new listeners' answer at `answerAt` to the tally that counts them at
 * `followAt`. */
async function answerToTally(made, answerAt, followAt) {
  const stream = await tallies(followAt, made);
  let seen = await stream.next();
  const samples = [];
  for (let n = 0; n < ANSWERS; n++) {
    const listener = (0x1000 + n + seen).toString(16).padStart(32, '0');
    const sent = performance.now();
    await fetch(`${answerAt}/r/${made.token}/answers`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ listener, item: 0, stars: 4 }),
    });
    while ((seen = await stream.next()) < n + 1);
    samples.push(performance.now() - sent);
    // Apart from each other, as a room's answers come: the stream's shortest pause between tallies is not measured.
    await new Promise((done) => setTimeout(done, 300));
  }
  stream.close();
  return samples.sort((a, b) => a - b);
}

const failures = [];
const judge = (what, value, budget, unit) => {
  const within = value <= budget;
  console.log(`  ${within ? 'within' : 'OVER  '}  ${what} ${value}${unit} <= ${budget}${unit}`);
  if (!within) failures.push(what);
};

const one = await studio();
const made = await review(one, 4);
const played = await firstPlay(made.link);
console.log(`The listener's page (4 takes), at 390 px over 400 kb/s with 400 ms round trips:`);
console.log(`  before the first audio byte: ${played.requests} requests, ${(played.bytes / 1024).toFixed(1)} KB brotli`);
if (!bytesOnly) console.log(`  from navigation to the first take playing: ${played.playedMs} ms`);

if (!bytesOnly) {
  const median = (samples) => Math.round(samples[Math.floor(samples.length / 2)]);
  const alone = await answerToTally(made, one, one);
  console.log(`Answer → presenter's tally, ${ANSWERS} answers each (median judged; all in ms):`);
  console.log(`  through one replica:  median ${median(alone)}  (${alone.map(Math.round).join(', ')})`);
  const redisPort = await freePort();
  const redis = `redis://127.0.0.1:${redisPort}`;
  const listening = () => new Promise((answer) => {
    const socket = connect(redisPort, '127.0.0.1', () => { socket.destroy(); answer(true); }).on('error', () => answer(false));
  });
  await started('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], listening);
  const [a, b] = [await studio(redis), await studio(redis)];
  const shared = await review(a, 1);
  const across = await answerToTally(shared, b, a);
  console.log(`  across two replicas:  median ${median(across)}  (${across.map(Math.round).join(', ')})`);
  console.log('Budget:');
  judge('listener page before the first play', Number((played.bytes / 1024).toFixed(1)), BUDGET.firstPlayBytes / 1024, ' KB');
  judge('answer to tally through one replica', median(alone), BUDGET.oneReplicaMs, ' ms');
  judge('answer to tally across two replicas', median(across), BUDGET.twoReplicasMs, ' ms');
} else {
  console.log('Budget:');
  judge('listener page before the first play', Number((played.bytes / 1024).toFixed(1)), BUDGET.firstPlayBytes / 1024, ' KB');
}
process.exitCode = failures.length ? 1 : 0;
process.exit();
