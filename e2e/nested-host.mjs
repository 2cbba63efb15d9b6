// A plain static host (Python's http.server, not zonos-server) with the built app copied under a nested path,
// `team/zonos-studio/`, as on an intranet, a GitHub Pages project site or an S3 prefix. Its `config.json` names the
// sandbox gateway; another `config.json` at the host's root names a gateway the page must not use.
// Usage: node e2e/nested-host.mjs PORT GATEWAY_URL   (started by e2e/playwright.config.ts)
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [port, gateway] = process.argv.slice(2);
const root = join('target', 'nested-host');
const app = join(root, 'team', 'zonos-studio');
rmSync(root, { recursive: true, force: true });
mkdirSync(app, { recursive: true });
cpSync('dist', app, { recursive: true });
const config = (gatewayUrl, voice) => JSON.stringify({ gateway_url: gatewayUrl, voices: [voice] });
writeFileSync(join(app, 'config.json'), config(gateway, { name: 'Basil', url: `${gateway}/__sandbox/voices/basil.wav` }));
writeFileSync(
  join(root, 'config.json'),
  config(`${gateway}/the-root-config`, { name: 'Root voice', url: `${gateway}/__sandbox/voices/ada.wav` }),
);

const server = spawn('python3', ['-m', 'http.server', port, '--bind', '127.0.0.1', '--directory', root], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
