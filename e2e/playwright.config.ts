import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  accessCodeFile,
  inviteLinkFile,
  adminCodeFile,
  budgetCodeFile,
  accessStudio,
  oidcProvider,
  oidcSecretFile,
  oidcStudio,
  consentStudio,
  faultyStudio,
  gateway,
  nestedHost,
  roomStudio,
  slowStudio,
  staticHost,
  studio,
  syncStudio,
  topology,
  unhurriedStudio,
} from './servers';

// Debian's Chromium, never a downloaded browser. The background-networking flags keep it from calling hosts
// this network refuses; autoplay is allowed as it is after a person's click; the microphone is Chromium's fake
// device (a beeping tone), granted without a prompt.
const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

const server = process.env.ZONOS_SERVER ?? 'target/debug/zonos-server';
// Short stages, so that a job takes about a second, as on a quick gateway.
const stages = '--queue-ms 400 --process-ms 600';

function port(url: string): string {
  return new URL(url).port;
}

// Each proxy keeps its state in a directory of its own, new for every run.
const dataDirs = mkdtempSync(join(tmpdir(), 'zonos-e2e-'));
const dataDir = (name: string) => `--data-dir ${join(dataDirs, name)}`;
/** The access studio's CLI, on its data directory. */
const access = `${server} access ${dataDir('access')}`;

function start(args: string, url: string) {
  return {
    command: `${server} ${args}`,
    cwd: '..',
    url: `${url}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
  };
}

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 60_000,
  reporter: 'list',
  use: {
    baseURL: studio,
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    acceptDownloads: true,
    trace: 'retain-on-failure',
  },
  webServer: [
    start(`serve --addr 127.0.0.1:${port(studio)} --dist dist --sandbox ${stages} ${dataDir('studio')}`, studio),
    start(`serve --addr 127.0.0.1:${port(faultyStudio)} --dist dist --sandbox ${stages} ${dataDir('faulty')}`, faultyStudio),
    start(`serve --addr 127.0.0.1:${port(roomStudio)} --dist dist --sandbox ${stages} ${dataDir('room')}`, roomStudio),
    start(`serve --addr 127.0.0.1:${port(consentStudio)} --dist dist --sandbox ${stages} ${dataDir('consent')}`, consentStudio),
    start(
      `serve --addr 127.0.0.1:${port(slowStudio)} --dist dist --sandbox --queue-ms 2500 --process-ms 2500 ${dataDir('slow')}`,
      slowStudio,
    ),
    start(
      `serve --addr 127.0.0.1:${port(unhurriedStudio)} --dist dist --sandbox --queue-ms 2500 --process-ms 2500 ${dataDir('unhurried')}`,
      unhurriedStudio,
    ),
    start(`serve --addr 127.0.0.1:${port(syncStudio)} --dist dist --sandbox --sync ${stages} ${dataDir('sync')}`, syncStudio),
    // Its codes are made before it starts, for the tests to read.
    {
      command: [
        `${access} add ada > ${accessCodeFile}`,
        `${access} add bea --budget 1 > ${budgetCodeFile}`,
        `${access} invite cara --url ${accessStudio} > ${inviteLinkFile}`,
        `${access} add olga --admin > ${adminCodeFile}`,
        `exec ${server} serve --addr 127.0.0.1:${port(accessStudio)} --dist dist --sandbox --access codes ${stages} ${dataDir('access')}`,
      ].join(' && '),
      cwd: '..',
      url: `${accessStudio}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `node crates/zonos-server/tests/oidc/provider.mjs ${port(oidcProvider)} ${oidcStudio}/api/access/oidc/callback --host localhost`,
      cwd: '..',
      // It listens on 127.0.0.1 only (localhost may resolve to ::1 first here).
      url: `http://127.0.0.1:${port(oidcProvider)}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: [
        `printf a-secret-of-the-tests-own > ${oidcSecretFile}`,
        `exec ${server} serve --addr 127.0.0.1:${port(oidcStudio)} --dist dist --sandbox --access oidc --oidc-issuer ${oidcProvider} --oidc-client-id zonos-studio --oidc-client-secret-file ${oidcSecretFile} ${stages} ${dataDir('oidc')}`,
      ].join(' && '),
      cwd: '..',
      url: `${oidcStudio}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    start(`serve --addr 127.0.0.1:${port(staticHost)} --dist dist`, staticHost),
    start(`sandbox --addr 127.0.0.1:${port(gateway)} ${stages}`, gateway),
    {
      command: `node e2e/nested-host.mjs ${port(nestedHost)} ${gateway}`,
      cwd: '..',
      url: `${nestedHost}/team/zonos-studio/config.json`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `node e2e/topology.mjs ${topology.nginx} ${topology.replicas.join(' ')} ${topology.gateway} ${topology.redis} ${topology.signedIn.nginx} ${topology.signedIn.replicas.join(' ')} ${topology.signedIn.signInService}`,
      cwd: '..',
      url: `${topology.nginx}/studio/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
