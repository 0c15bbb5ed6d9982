// Shared pieces of the end-to-end suites: a code-server on a free loopback port with fresh directories, a
// headless Debian Chromium driven by playwright-core, and helpers for the workbench (command palette, webview
// frames, canvas pixels). Everything runs offline.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Every timeout in these suites is a hang guard, not a measure of speed: each wait is for an event (a message, a
 * DOM node, a line in the events file). On a machine whose cores are shared, everything takes longer, so each
 * guard is stretched by the load per core when the run starts (1× on an idle machine, at most 8×).
 * SEQLAB_E2E_SLACK sets the factor; code-server passes it on to the extension-host suite.
 */
export const slack = Number(process.env.SEQLAB_E2E_SLACK) > 0
  ? Number(process.env.SEQLAB_E2E_SLACK)
  : Math.min(8, Math.max(1, loadavg()[0] / Math.max(1, cpus().length)));
process.env.SEQLAB_E2E_SLACK = String(slack);

/** A hang guard of `ms` on an idle machine, stretched by the load. */
export const guard = (ms) => Math.round(ms * slack);

/** Waits until no CSS animation or transition runs in the page (a hover fading in), before a screenshot. */
export async function animationsSettled(page) {
  await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'), undefined, { timeout: guard(10_000) });
}

export const e2eDir = new URL('.', import.meta.url).pathname;
export const codeServerBin = join(e2eDir, 'node_modules', '.bin', 'code-server');

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'editor.hover.delay': 150,
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
  'files.autoSave': 'off',
  'workbench.colorTheme': 'Default Dark Modern',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  // Debian's PyTorch, which the test run installs (the PATH's python3 may be another interpreter without it).
  'seqlab.pythonPath': '/usr/bin/python3',
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Fresh user-data dir with quiet settings; the same dir is used to install the .vsix first. */
export function prepareUserData(runDir) {
  const userData = join(runDir, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  return userData;
}

function isolatedEnv(runDir, extra = {}) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: join(runDir, 'xdg-config'),
    XDG_DATA_HOME: join(runDir, 'xdg-data'),
    XDG_CACHE_HOME: join(runDir, 'xdg-cache'),
    ...extra,
  };
}

export function installVsix(runDir, vsixPath) {
  const userData = prepareUserData(runDir);
  const extensionsDir = join(runDir, 'extensions');
  const r = spawnSync(codeServerBin, ['--user-data-dir', userData, '--extensions-dir', extensionsDir, '--install-extension', vsixPath], {
    encoding: 'utf8', env: isolatedEnv(runDir), timeout: guard(120_000),
  });
  const output = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0 || !/successfully installed/i.test(output)) throw new Error(`installing ${vsixPath} failed:\n${output}`);
  return extensionsDir;
}

const liveServers = new Set();
process.on('exit', () => {
  for (const child of liveServers) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

/** Starts code-server on `workspace`; resolves when it listens. `stop()` kills its whole process group. */
export async function startCodeServer({ runDir, workspace, env = {}, extensionsDir = join(runDir, 'extensions') }) {
  const port = await freePort();
  const userData = prepareUserData(runDir);
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(runDir, 'config.yaml'), 'auth: none\n');
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--config', join(runDir, 'config.yaml'),
    '--user-data-dir', userData, '--extensions-dir', extensionsDir, ...(workspace ? [workspace] : [])];
  // detached: its own process group, so the extension host, file watcher and JSON server die with it.
  const child = spawn(codeServerBin, args, { env: isolatedEnv(runDir, env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  liveServers.add(child);
  let log = '';
  const url = `http://127.0.0.1:${port}`;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start in ${guard(60_000) / 1000} s:\n${log}`)), guard(60_000));
    const onData = (chunk) => {
      log += chunk;
      if (log.includes(`HTTP server listening on ${url}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before listening:\n${log}`));
    });
  });
  return {
    url,
    port,
    log: () => log,
    async stop() {
      liveServers.delete(child);
      try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
      for (let i = 0; i < 30 && child.exitCode === null && child.signalCode === null; i++) await sleep(100);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* exited */ }
    },
  };
}

export async function launchBrowser(runDir) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(runDir, 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return { context, page: context.pages()[0] ?? (await context.newPage()) };
}

export async function waitForWorkbench(page, timeout = guard(60_000)) {
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('[id="status.problems"]').waitFor({ timeout });
}

/**
 * Runs a palette command by its full title. Retried: extension commands appear only once the remote extension
 * host has registered them, and a premature Enter would run a "similar" command instead.
 */
export async function runCommand(page, title, timeout = guard(30_000)) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: guard(5000) });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: guard(1500) });
      const label = (await row.getAttribute('aria-label')) ?? (await row.innerText());
      if (label.includes(title)) {
        await row.click();
        return;
      }
    } catch {
      /* not registered yet */
    }
    if (Date.now() > deadline) throw new Error(`command "${title}" never appeared in the palette`);
    await sleep(500);
  }
}

/** The inner frame of the panel of this kind (webview iframes are nested twice; our HTML marks its body). */
export async function webviewFrame(page, panelKind, timeout = 30_000) {
  const deadline = Date.now() + guard(timeout);
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame.isDetached() || !frame.url().includes('fake.html')) continue;
      try {
        if ((await frame.locator(`body[data-panel="${panelKind}"]`).count()) > 0) return frame;
      } catch {
        /* frame navigating or detached */
      }
    }
    await sleep(250);
  }
  throw new Error(`no ${panelKind} webview appeared`);
}

/**
 * Where a plotted line sits: among saturated (non-grey) pixels, the most common colour is taken as the line;
 * returns its painted pixel count and the mean y (0 = top) of its pixels in the left and right thirds.
 */
export async function lineProfile(canvasLocator) {
  return canvasLocator.evaluate((canvas) => {
    const context = canvas.getContext('2d');
    const { width, height } = canvas;
    const data = context.getImageData(0, 0, width, height).data;
    const counts = new Map();
    const keyAt = (i) => ((data[i] >> 3) << 10) | ((data[i + 1] >> 3) << 5) | (data[i + 2] >> 3);
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] < 128) continue;
      painted++;
      const max = Math.max(data[i], data[i + 1], data[i + 2]);
      const min = Math.min(data[i], data[i + 1], data[i + 2]);
      if (max - min < 60) continue; // grey: text, grid, axes
      const key = keyAt(i);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let lineKey = -1;
    let best = 0;
    for (const [key, count] of counts) if (count > best) { best = count; lineKey = key; }
    const third = width / 3;
    let leftSum = 0, leftCount = 0, rightSum = 0, rightCount = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (data[i + 3] < 128 || keyAt(i) !== lineKey) continue;
        if (x < third) { leftSum += y; leftCount++; } else if (x >= 2 * third) { rightSum += y; rightCount++; }
      }
    }
    return { width, height, painted, linePixels: best, leftMeanY: leftCount ? leftSum / leftCount : NaN, rightMeanY: rightCount ? rightSum / rightCount : NaN, leftCount, rightCount };
  });
}

export function ensureDir(path) {
  if (!existsSync(path)) mkdirSync(path, { recursive: true });
  return path;
}

/** A tiny test harness: named async tests run in order, each with a timeout; counts passes and failures. */
export function createSuite(name) {
  const tests = [];
  return {
    test(title, fn, timeoutMs = 60_000) {
      tests.push({ title, fn, timeoutMs });
    },
    async run(context) {
      let passed = 0;
      let failed = 0;
      for (const { title, fn, timeoutMs } of tests) {
        const started = Date.now();
        let timer;
        try {
          await Promise.race([fn(context), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${guard(timeoutMs)} ms`)), guard(timeoutMs)); })]);
          passed++;
          console.log(`  ✔ ${name}: ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        } catch (error) {
          failed++;
          console.log(`  ✘ ${name}: ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)\n    ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n    ')}`);
          if (context?.onFailure) await context.onFailure(title).catch(() => undefined);
        } finally {
          clearTimeout(timer);
        }
      }
      return { passed, failed };
    },
  };
}
