// A real deployment on loopback, started for the end-to-end tests: Debian's nginx on one port proxies /studio/ to
// two `zonos-server serve` replicas (round-robin) sharing one Redis, with a standalone `zonos-server sandbox` as
// their upstream and --public-url pointing at nginx's /studio. Everything is started here, in the foreground, and
// stopped with this process (never a system service). The replicas' pids are written for the test that stops one.
// Usage: node e2e/topology.mjs NGINX REPLICA_A REPLICA_B GATEWAY REDIS   (URLs; started by e2e/playwright.config.ts)
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [nginx, replicaA, replicaB, gateway, redis] = process.argv.slice(2);
const topology = { nginx, replicas: [replicaA, replicaB], gateway, redis };

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
const replicas = topology.replicas.map((url) => {
  const child = start(
    server,
    [
      'serve', '--addr', new URL(url).host, '--dist', 'dist',
      '--upstream', topology.gateway,
      '--public-url', `${topology.nginx}/studio`,
      '--media-host', new URL(topology.gateway).host,
      '--redis', topology.redis,
    ],
    // The replicas' signing key for Content Credentials is made where this run's temporary files are, not in $HOME.
    { ZONOS_API_KEY: 'sandbox-key', XDG_DATA_HOME: credentialsHome },
  );
  return { url, pid: child.pid };
});

// The configuration of docs/deploy.md, on this test's ports, with the replica that answered in a header (for the test).
const site = readFileSync('deploy/nginx/zonos-studio.conf', 'utf8')
  .replace('server 127.0.0.1:8081;', `server ${new URL(topology.replicas[0]).host};`)
  .replace('server 127.0.0.1:8082;', `server ${new URL(topology.replicas[1]).host};`)
  .replace('listen 8080;', `listen 127.0.0.1:${port(topology.nginx)};`)
  .replace('proxy_buffering off;', 'proxy_buffering off;\n        add_header X-Served-By $upstream_addr always;');
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
}
`,
);
writeFileSync(join(work, 'replicas.json'), JSON.stringify(replicas));
start('nginx', ['-p', join(work, 'nginx'), '-c', join(work, 'nginx', 'nginx.conf')]);
