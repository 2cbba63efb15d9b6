// The servers the Firefox and WebKit flows drive: the same roles as the Playwright suite's (see e2e/servers.ts),
// on ports of their own, started here and stopped when the flows end.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const server = process.env.ZONOS_SERVER ?? 'target/debug/zonos-server';
// Short stages, so that a job takes about a second.
const stages = ['--queue-ms', '400', '--process-ms', '600'];

export const studio = 'http://127.0.0.1:8281';
export const staticHost = 'http://127.0.0.1:8282';
export const gateway = 'http://127.0.0.1:8283';
/** `serve --sandbox --access codes`, with one code made before it starts (see `accessCode`). */
export const accessStudio = 'http://127.0.0.1:8284';
/** `serve --sandbox --access oidc`, and its OpenID provider (the native tests' oidc-provider), named `localhost`: on
 * another site than the studio, as a real provider is. */
export const oidcStudio = 'http://127.0.0.1:8285';
export const oidcProvider = 'http://localhost:8286';

const work = mkdtempSync(join(tmpdir(), 'zonos-engines-'));
const roles = [
  [studio, ['serve', '--dist', 'dist', '--sandbox', ...stages, '--data-dir', join(work, 'studio')]],
  [staticHost, ['serve', '--dist', 'dist']],
  [gateway, ['sandbox', ...stages]],
  [accessStudio, ['serve', '--dist', 'dist', '--sandbox', ...stages, '--access', 'codes', '--data-dir', join(work, 'access')]],
  [
    oidcStudio,
    ['serve', '--dist', 'dist', '--sandbox', ...stages, '--access', 'oidc', '--data-dir', join(work, 'oidc'),
      '--oidc-issuer', oidcProvider, '--oidc-client-id', 'zonos-studio', '--oidc-client-secret-file', join(work, 'oidc-secret')],
  ],
];
const provider = ['crates/zonos-server/tests/oidc/provider.mjs', new URL(oidcProvider).port, `${oidcStudio}/api/access/oidc/callback`, '--host', 'localhost'];

/** The access studio's code for ada, made (and printed once) by `zonos-server access add` before it starts. */
export let accessCode = '';
/** A code for olga, an admin of the access studio: she reads its spend log in the page. */
export let adminCode = '';
/** An invite link to the access studio for each engine, good for one sign-in (`zonos-server access invite`). */
export const inviteLinks = {};
/** A code for each engine whose budget is one take a day. */
export const budgetCodes = {};

async function healthy(url, deadline, path = '/healthz') {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}${path}`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer ${path} within 30 s`);
}

/** Starts every server and waits until each answers; returns a function that stops them all. */
export async function startServers() {
  const access = (...args) =>
    execFileSync(server, ['access', '--data-dir', join(work, 'access'), ...args], { encoding: 'utf8' }).trim().split(' ').pop();
  accessCode = access('add', 'ada');
  adminCode = access('add', 'olga', '--admin');
  for (const engine of ['firefox', 'webkit']) {
    inviteLinks[engine] = access('invite', `guest-${engine}`, '--uses', '1', '--url', accessStudio);
    budgetCodes[engine] = access('add', `thrifty-${engine}`, '--budget', '1');
  }
  writeFileSync(join(work, 'oidc-secret'), 'a-secret-of-the-tests-own');
  const started = (program, args) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code, signal) => {
      if (code !== null && code !== 0) console.error(`${program} ${args.join(' ')} exited with ${code ?? signal}`);
    });
    return child;
  };
  const children = [
    ...roles.map(([url, args]) => started(server, [...args, '--addr', new URL(url).host])),
    started('node', provider),
  ];
  const stop = () => children.forEach((child) => child.kill('SIGTERM'));
  // Stopped with the flows, however they end.
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(1));
  try {
    const deadline = Date.now() + 30_000;
    // The provider listens on 127.0.0.1 only (localhost may resolve to ::1 first here).
    const providerHere = `http://127.0.0.1:${new URL(oidcProvider).port}`;
    await Promise.all([
      ...roles.map(([url]) => healthy(url, deadline)),
      healthy(providerHere, deadline, '/.well-known/openid-configuration'),
    ]);
  } catch (error) {
    stop();
    throw error;
  }
  return stop;
}

/** The sandbox's test controls: arm a fault, read the counts. */
export async function armFault(sandbox, fault) {
  const response = await fetch(`${sandbox}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault }),
  });
  if (!response.ok) throw new Error(`arming ${fault}: HTTP ${response.status}`);
}

export async function sandboxStats(sandbox) {
  return (await fetch(`${sandbox}/__sandbox/stats`)).json();
}
