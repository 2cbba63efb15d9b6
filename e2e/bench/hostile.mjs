// Hostile load, measured: the sandbox asked to speak 60 KB of text in a 50-frame take, and the proxy flooded with
// thousands of tiny uploads. Each must end quickly with its memory bounded: the peak resident memory of the server
// and its children (espeak-ng), sampled every 20 ms, under 300 MB, and within 15 s.
// Usage: node e2e/bench/hostile.mjs SANDBOX_URL SANDBOX_PID STUDIO_URL STUDIO_PID   (run by cargo xtask bench)
import { readFileSync, readdirSync } from 'node:fs';

const [sandbox, sandboxPid, studio, studioPid] = process.argv.slice(2);
const BUDGET_MB = 300;
const BUDGET_S = 15;

/** Resident memory of `pid` and every process below it, in MB. */
function treeMegabytes(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      children.set(parent, [...(children.get(parent) ?? []), entry]);
    } catch {
      // Gone meanwhile.
    }
  }
  let kilobytes = 0;
  const visit = (id) => {
    try {
      kilobytes += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${id}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return;
    }
    for (const child of children.get(id) ?? []) visit(child);
  };
  visit(String(pid));
  return kilobytes / 1024;
}

/** Runs `work`, sampling the memory of `pid`'s tree; returns the seconds it took and the peak in MB. */
async function measured(pid, work) {
  let peak = treeMegabytes(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, treeMegabytes(pid))), 20);
  const started = performance.now();
  const outcome = await work();
  clearInterval(sampler);
  return { seconds: (performance.now() - started) / 1000, peak, outcome };
}

const key = { 'Ocp-Apim-Subscription-Key': 'bench' };
const speech = await measured(sandboxPid, async () => {
  const text = 'This sentence is read again and again, far longer than any take. '.repeat(1000);
  const body = { reference_audio_url: `${sandbox}/__sandbox/voices/basil.wav`, text, max_tokens: 50 };
  const accepted = await (
    await fetch(`${sandbox}/zonos-2/v1/zonos-2-request`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  ).json();
  for (;;) {
    const status = await (await fetch(accepted.polling_url, { headers: key })).json();
    if (['COMPLETED', 'FAILED', 'ERROR'].includes(status.status)) return status.status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

const flood = await measured(studioPid, async () => {
  const counts = {};
  let next = 0;
  const worker = async () => {
    while (next < 5000) {
      const index = next++;
      const wav = Buffer.concat([Buffer.from('RIFF\x24\0\0\0WAVEfmt ', 'latin1'), Buffer.from(String(index))]);
      // A refused upload's body is left unread, and its connection closed: a flood meets closed doors too.
      const status = await fetch(`${studio}/api/references`, { method: 'POST', body: wav }).then(
        (response) => response.status,
        () => 'closed',
      );
      counts[status] = (counts[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));
  return counts;
});

const line = (what, { seconds, peak, outcome }) =>
  `    ${what}: ${seconds.toFixed(1)} s, peak ${peak.toFixed(0)} MB (${JSON.stringify(outcome)})`;
console.log(line('60 KB of text, max_tokens 50, in the sandbox', speech));
console.log(line('5000 tiny uploads to the proxy, 50 at a time', flood));
const over = [speech, flood].filter(({ seconds, peak }) => seconds > BUDGET_S || peak > BUDGET_MB);
if (speech.outcome !== 'COMPLETED' || over.length > 0) {
  console.error(`    over budget (${BUDGET_MB} MB, ${BUDGET_S} s), or the job did not complete`);
  process.exit(1);
}
console.log(`    both within ${BUDGET_MB} MB and ${BUDGET_S} s`);
