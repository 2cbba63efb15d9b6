// A real deployment on loopback, started for the end-to-end tests: Debian's nginx on one port proxies /studio/ to
// two `zonos-server serve` replicas (round-robin) sharing one Redis, with a standalone `zonos-server sandbox` as
// their upstream and --public-url pointing at nginx's /studio. Everything is started here, in the foreground, and
// stopped with this process (never a system service). The replicas' pids are written for the test that stops one.
// A second nginx site (deploy/nginx/zonos-studio-auth-request.conf) signs people in first, asking a sign-in stand-in
// served here, and names them to two more replicas, run with `--access header`, on the same Redis and gateway.
// Usage: node e2e/topology.mjs NGINX REPLICA_A REPLICA_B GATEWAY REDIS SIGNED_IN_NGINX REPLICA_C REPLICA_D SIGN_IN
// (URLs; started by e2e/playwright.config.ts)
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [nginx, replicaA, replicaB, gateway, redis, signedInNginx, replicaC, replicaD, signInService] = process.argv.slice(2);
const topology = { nginx, replicas: [replicaA, replicaB], gateway, redis };
const signedIn = { nginx: signedInNginx, replicas: [replicaC, replicaD], signInService };

const server = resolve(process.env.ZONOS_SERVER ?? 'target/debug/zonos-server');
const work = resolve('target', 'topology');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'nginx', 'logs'), { recursive: true });

const credentialsHome = join(work, 'data');

const children = [];
function start(program, args, env = {}) {
  const child = spawn(program, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  child.on('exit', (code, signal) => {
    if (!stopping && child.expectedToStop !== true) console.error(`${program} ${args[0]} exited (${code ?? signal})`);
  });
  children.push(child);
  return child;
}
let stopping = false;
function stopAll() {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { stopAll(); process.exit(0); });
process.on('exit', stopAll);

const port = (url) => new URL(url).port;
start('redis-server', ['--port', port(topology.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
// The replicas connect to Redis as they start.
async function listening(url) {
  for (let tries = 0; tries < 200; tries++) {
    const open = await new Promise((done) => {
      const socket = connect(Number(port(url)), '127.0.0.1', () => done(true)).on('error', () => done(false));
      socket.unref();
      setTimeout(() => socket.destroy(), 100);
    });
    if (open) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`nothing listens at ${url}`);
}
await listening(topology.redis);
start(server, ['sandbox', '--addr', new URL(topology.gateway).host, '--queue-ms', '1500', '--process-ms', '2500']);
function replica(url, publicUrl, extra = []) {
  const child = start(
    server,
    [
      'serve', '--addr', new URL(url).host, '--dist', 'dist',
      '--upstream', topology.gateway,
      '--public-url', publicUrl,
      '--media-host', new URL(topology.gateway).host,
      '--redis', topology.redis,
      ...extra,
    ],
    // The replicas' signing key for Content Credentials is made where this run's temporary files are, not in $HOME.
    { ZONOS_API_KEY: 'sandbox-key', XDG_DATA_HOME: credentialsHome },
  );
  return { url, pid: child.pid };
}
const replicas = topology.replicas.map((url) => replica(url, `${topology.nginx}/studio`));
// Behind the signing-in nginx: whoever it names may send 5 takes a day; olga reads the spend log.
const headerFlags = ['--access', 'header', '--trusted-proxy', '127.0.0.1/32', '--default-budget', '5', '--admin', 'olga'];
signedIn.replicas.forEach((url) => replica(url, `${signedIn.nginx}/studio`, headerFlags));

// The sign-in service's stand-in (tests only): whoever carries the cookie `zonos_test_person` is that person; anyone
// else is asked to sign in, on a page that says so.
createServer((request, response) => {
  const person = /(?:^|; )zonos_test_person=([a-z]+)/.exec(request.headers.cookie ?? '')?.[1];
  if (request.url.startsWith('/oauth2/auth')) {
    response.writeHead(person ? 202 : 401, person ? { 'X-Auth-Request-User': person } : {}).end();
  } else {
    response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Sign in</title><h1>The sign-in service</h1>');
  }
}).listen(Number(port(signedIn.signInService)), '127.0.0.1');

// The configuration of docs/deploy.md, on this test's ports, with the replica that answered in a header (for the test).
const site = readFileSync('deploy/nginx/zonos-studio.conf', 'utf8')
  .replace('server 127.0.0.1:8081;', `server ${new URL(topology.replicas[0]).host};`)
  .replace('server 127.0.0.1:8082;', `server ${new URL(topology.replicas[1]).host};`)
  .replace('listen 8080;', `listen 127.0.0.1:${port(topology.nginx)};`)
  .replace('proxy_buffering off;', 'proxy_buffering off;\n        add_header X-Served-By $upstream_addr always;');
// deploy/nginx's auth_request variant, on this test's ports (its upstreams renamed, beside the first site's).
const signedInSite = readFileSync('deploy/nginx/zonos-studio-auth-request.conf', 'utf8')
  .replaceAll('zonos_studio', 'zonos_studio_signed_in')
  .replaceAll('upstream sign_in', 'upstream sign_in_service')
  .replaceAll('http://sign_in', 'http://sign_in_service')
  .replace('server 127.0.0.1:8081;', `server ${new URL(signedIn.replicas[0]).host};`)
  .replace('server 127.0.0.1:8082;', `server ${new URL(signedIn.replicas[1]).host};`)
  .replace('server 127.0.0.1:4180;', `server ${new URL(signedIn.signInService).host};`)
  .replace('listen 8080;', `listen 127.0.0.1:${port(signedIn.nginx)};`);
const temp = (name) => `${name}_temp_path ${join(work, 'nginx', name)};`;
writeFileSync(
  join(work, 'nginx', 'nginx.conf'),
  `daemon off;
master_process on;
${process.getuid?.() === 0 ? 'user root;' : ''}
pid ${join(work, 'nginx', 'nginx.pid')};
error_log stderr warn;
events { worker_connections 256; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  ${site}
  ${signedInSite}
}
`,
);
writeFileSync(join(work, 'replicas.json'), JSON.stringify(replicas));
// Every replica listens before nginx does: the first site's health check then says the whole topology is up.
await Promise.all([...topology.replicas, ...signedIn.replicas].map(listening));
start('nginx', ['-p', join(work, 'nginx'), '-c', join(work, 'nginx', 'nginx.conf')]);
