// Firefox ESR (through geckodriver) and WebKitGTK (through WebKitWebDriver, in a virtual display: it hangs
// headless), driven over WebDriver with selenium-webdriver. Each driver is started here and stopped with its session;
// nothing is downloaded (Selenium Manager is never asked: the drivers' addresses are given).
import { execFileSync, spawn } from 'node:child_process';
import { Builder } from 'selenium-webdriver';

const home = process.env.HOME ?? '/root';

export const engines = {
  firefox: {
    command: [process.env.GECKODRIVER ?? `${home}/.cargo/bin/geckodriver`],
    port: 4444,
    capabilities: {
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: '/usr/bin/firefox-esr',
        args: ['-headless'],
        // Audio may start without a click, as after a person's press on Generate; no network chatter.
        prefs: { 'media.autoplay.default': 0, 'network.captive-portal-service.enabled': false },
      },
    },
  },
  webkit: {
    command: ['xvfb-run', '-a', 'WebKitWebDriver'],
    // Its processes keep errno across signal handlers (see errno-shim.c): else the web process dies at random. A
    // narrow session's GTK style lets its window be as narrow as a phone (narrow/gtk-3.0/gtk.css).
    environment: ({ narrow }) => ({
      LD_PRELOAD: errnoShim(),
      ...(narrow && { XDG_CONFIG_HOME: new URL('narrow', import.meta.url).pathname }),
    }),
    port: 4445,
    capabilities: {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': {
        binary: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        // Audio may start without a click, as after a person's press (as Firefox's prefs allow).
        args: ['--automation', '--autoplay-policy=allow'],
      },
    },
  },
};

/** errno-shim.c, built (into target/) with the C compiler Rust links with. */
function errnoShim() {
  const library = new URL('../../target/errno-shim.so', import.meta.url).pathname;
  const source = new URL('errno-shim.c', import.meta.url).pathname;
  execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', library, source, '-ldl'], { stdio: 'inherit' });
  return library;
}

async function listening(port, deadline) {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/status`)).ok) return;
    } catch {
      // Not yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the WebDriver server on port ${port} did not start within 30 s`);
}

/** Starts the engine's driver and a browser session; `quit` ends both. `narrow`: its window may be made as narrow
 * as a phone's (WebKit only; Firefox's can be anyway). */
export async function startBrowser(name, { narrow = false } = {}) {
  const engine = engines[name];
  const [program, ...args] = engine.command;
  // A process group of its own, so that xvfb-run's display and the driver stop together.
  const driver = spawn(program, [...args, `--port=${engine.port}`], {
    env: { ...process.env, ...engine.environment?.({ narrow }) },
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const stopDriver = () => {
    try {
      process.kill(-driver.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', stopDriver);
  try {
    await listening(engine.port, Date.now() + 30_000);
    const browser = await new Builder()
      .usingServer(`http://127.0.0.1:${engine.port}`)
      .withCapabilities(engine.capabilities)
      .build();
    await browser.manage().setTimeouts({ script: 30_000, pageLoad: 30_000 });
    return {
      browser,
      async quit() {
        try {
          await browser.quit();
        } finally {
          stopDriver();
        }
      },
    };
  } catch (error) {
    stopDriver();
    throw error;
  }
}
