#!/usr/bin/env node
// End-to-end tests of SeqLab in a real VS Code (code-server 4.100.3) and a real browser (Debian Chromium driven by
// playwright-core), offline. Installs what it needs on a fresh machine (Debian packages, this folder's npm
// dependencies), packages the extension with `npm run package`, installs that .vsix into a fresh extensions dir
// (what is tested is what ships), then runs:
//   1. the mocha suite inside code-server's Node extension host (payload URL), full `vscode` API;
//   2. the UI suite through the workbench (palette, hover, Problems, webviews, canvas pixels).
// Prints "e2e: N passed, M failed" and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import util from 'node:util';

const e2eDir = new URL('.', import.meta.url).pathname;
const root = resolve(e2eDir, '..', '..');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
let passed = 0;
let failed = 0;

function step(label) {
  console.log(`\n--- e2e [${elapsed()}] ${label}`);
}

function sh(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', encoding: 'utf8', ...options });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function finish(extraMessage) {
  if (extraMessage) console.log(extraMessage);
  console.log(`e2e: ${passed} passed, ${failed} failed (${elapsed()})`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

// ----------------------------------------------------------------------------------------------- set-up

function ensureDebianPackages() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!existsSync('/usr/bin/rg')) missing.push('ripgrep');
  if (spawnSync('dpkg', ['-s', 'libkrb5-dev'], { stdio: 'ignore' }).status !== 0) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  step(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (sh('apt-get', ['update', '-qq'], { env }) !== 0) throw new Error('apt-get update failed');
  if (sh('apt-get', ['install', '-y', '-qq', ...missing], { env }) !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`);
}

// @vscode/ripgrep (inside code-server) downloads rg from GitHub in its postinstall; offline, it finds this cache.
function seedRipgrepCache() {
  const cacheDir = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = join(cacheDir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(archive)) return;
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'rg-'));
  copyFileSync('/usr/bin/rg', join(staging, 'rg'));
  if (sh('tar', ['czf', archive, '-C', staging, 'rg']) !== 0) throw new Error('could not seed the ripgrep cache');
}

function installE2eDependencies() {
  const ready = ['code-server', 'playwright-core', 'mocha', '@vscode/test-electron'].every((name) => existsSync(join(e2eDir, 'node_modules', name, 'package.json')))
    && existsSync(join(e2eDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'));
  if (ready) return;
  step('npm ci in test/e2e (code-server, playwright-core, mocha)');
  // unsafe_perm: code-server's postinstall refuses to run as root without it; yes: node-pty's `npx node-gyp`.
  const env = { ...process.env, CI: 'true', npm_config_unsafe_perm: 'true', npm_config_yes: 'true' };
  if (sh('npm', ['ci', '--no-audit', '--no-fund'], { cwd: e2eDir, env }) !== 0) throw new Error('npm ci in test/e2e failed');
}

function packageExtension() {
  step('npm run package');
  if (sh('npm', ['run', 'package'], { cwd: root }) !== 0) throw new Error('npm run package failed');
  const vsix = join(root, 'out', 'seqlab.vsix');
  if (!existsSync(vsix)) throw new Error('out/seqlab.vsix was not written');
  return vsix;
}

async function bundleExtensionHostTests(outDir) {
  const { build } = await import(join(root, 'node_modules', 'esbuild', 'lib', 'main.js'));
  await build({
    entryPoints: { index: join(e2eDir, 'exthost', 'index.ts'), 'extension.exthost': join(e2eDir, 'exthost', 'extension.exthost.ts') },
    outdir: outDir, bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline',
    mainFields: ['module', 'main'], external: ['vscode', 'mocha'], loader: { '.wasm': 'binary', '.py': 'text' }, logLevel: 'warning', absWorkingDir: root,
  });
  // The bundles are CommonJS (the extension host `require`s them) but this folder's package.json says ESM.
  writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n');
}

function freshWorkspace(runDir, name) {
  const workspace = join(runDir, name);
  cpSync(join(root, 'examples'), workspace, { recursive: true, filter: (src) => !src.includes(`${join('examples', '.seqlab')}`) });
  return workspace;
}

// ------------------------------------------------------------------------------------------------ suites

/**
 * Runs the extension-host suite through @vscode/test-electron's `runTests`, as the VS Code docs set it up. With
 * SEQLAB_E2E_VSCODE=desktop it downloads desktop VS Code (the engine version) and runs there (needs internet, and a
 * display or xvfb-run on Linux); by default `vscodeExecutablePath` is our stand-in executable, which runs the same
 * tests in code-server through Chromium, offline.
 */
async function runExtensionHostSuite(lib, runDir, extensionDir) {
  const desktop = process.env.SEQLAB_E2E_VSCODE === 'desktop';
  step(`suite 1: mocha inside the extension host (@vscode/test-electron runTests, ${desktop ? 'desktop VS Code' : 'code-server'})`);
  const testsDir = join(runDir, 'exthost-tests');
  await bundleExtensionHostTests(testsDir);
  const workspace = freshWorkspace(runDir, 'workspace-exthost');
  const reportPath = join(runDir, 'exthost-report.json');
  const serverDir = join(runDir, 'server-exthost');
  mkdirSync(serverDir, { recursive: true });
  cpSync(join(runDir, 'extensions'), join(serverDir, 'extensions'), { recursive: true });
  const { runTests } = await import('@vscode/test-electron');
  const engine = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.vscode.replace(/^[^\d]*/, '');
  let code;
  try {
    code = await runTests({
      ...(desktop ? { version: engine } : { vscodeExecutablePath: join(e2eDir, 'codeServerAsVscode.mjs') }),
      extensionDevelopmentPath: extensionDir,
      extensionTestsPath: join(testsDir, 'index.js'),
      launchArgs: [workspace, `--extensions-dir=${join(serverDir, 'extensions')}`, `--user-data-dir=${join(serverDir, 'user-data')}`],
      extensionTestsEnv: { SEQLAB_EXTHOST_REPORT: reportPath },
    });
  } catch (error) {
    code = error?.code ?? String(error?.message ?? error);
  }
  const report = existsSync(reportPath) ? JSON.parse(readFileSync(reportPath, 'utf8')) : undefined;
  if (!report) {
    failed++;
    console.log(`  ✘ extension-host suite produced no report (exit ${code})`);
    return;
  }
  passed += report.passed;
  failed += report.failed;
  for (const failure of report.failures) console.log(`  ✘ ${failure.title}\n    ${failure.error.split('\n').slice(0, 6).join('\n    ')}`);
  console.log(`  extension host: ${report.passed} passed, ${report.failed} failed (exit code ${code})`);
  if (code !== 0 && report.failed === 0) {
    failed++;
    console.log(`  ✘ the test runner exited with ${code}`);
  }
}

async function runUiSuite(lib, runDir) {
  step('suite 2: the workbench UI in Chromium');
  const { uiSuite } = await import('./ui.e2e.mjs');
  const workspace = freshWorkspace(runDir, 'workspace-ui');
  const eventsFile = join(runDir, 'ui-events.jsonl');
  writeFileSync(eventsFile, '');
  const serverDir = join(runDir, 'server-ui');
  mkdirSync(serverDir, { recursive: true });
  cpSync(join(runDir, 'extensions'), join(serverDir, 'extensions'), { recursive: true });
  const server = await lib.startCodeServer({ runDir: serverDir, workspace, env: { SEQLAB_E2E_EVENTS: eventsFile } });
  const { context, page } = await lib.launchBrowser(runDir);
  const shots = join(runDir, 'shots');
  // Browser-side errors (webview scripts included) go to a log that failures print the tail of.
  const consoleLog = join(runDir, 'browser-errors.log');
  page.on('console', (message) => {
    if (message.type() === 'error' && !/open-vsx|ENOTFOUND|vsda/.test(message.text())) appendFileSync(consoleLog, `${message.text().slice(0, 500)}\n`);
  });
  page.on('pageerror', (error) => appendFileSync(consoleLog, `pageerror: ${error.message}\n`));
  try {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'commit', timeout: lib.guard(60_000) });
    const result = await uiSuite(lib).run({
      page, workspace, eventsFile, shots,
      onFailure: async (title) => {
        if (existsSync(consoleLog)) console.log(`    browser errors (last 10):\n      ${readFileSync(consoleLog, 'utf8').trim().split('\n').slice(-10).join('\n      ')}`);
        await page.screenshot({ path: join(shots, `failed-${title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`) });
      },
    });
    passed += result.passed;
    failed += result.failed;
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
  }
}

/** The README shows the clearest screenshots of a run; refreshed only on request, so tests leave tracked files alone. */
function publishScreenshots(runDir) {
  const shots = join(runDir, 'shots');
  if (!existsSync(shots)) return;
  const target = join(root, 'media', 'screenshots');
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(shots)) {
    if (/^(0[1-9]|1\d)-.*\.png$/.test(name)) copyFileSync(join(shots, name), join(target, name.replace(/^\d+-/, '')));
  }
}

// ----------------------------------------------------------------------------------------------- main

try {
  ensureDebianPackages();
  seedRipgrepCache();
  installE2eDependencies();
  const vsix = packageExtension();
  const runDir = join(e2eDir, '.runs', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(join(runDir, 'shots'), { recursive: true });
  const lib = await import('./lib.mjs');
  console.log(`hang guards ×${lib.slack.toFixed(1)} (load per core at start)`);
  step(`install ${vsix} into a fresh extensions dir`);
  const extensionsDir = lib.installVsix(runDir, vsix);
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const extensionDir = join(extensionsDir, `seqlab.seqlab-${version}`);
  if (!existsSync(join(extensionDir, 'dist', 'extension.js'))) throw new Error(`the installed extension has no dist/extension.js (${extensionDir})`);
  const only = process.env.SEQLAB_E2E_ONLY; // 'exthost' or 'ui' while working on one suite
  if (only !== 'ui') await runExtensionHostSuite(lib, runDir, extensionDir);
  if (only !== 'exthost') await runUiSuite(lib, runDir);
  if (failed === 0 && only !== 'exthost' && process.env.SEQLAB_UPDATE_SCREENSHOTS === '1') publishScreenshots(runDir);
  // Keep the last few runs' screenshots and logs, not every run's.
  const runs = readdirSync(join(e2eDir, '.runs')).sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - 3))) rmSync(join(e2eDir, '.runs', old), { recursive: true, force: true });
  finish(`screenshots: ${join(runDir, 'shots')}`);
} catch (error) {
  failed++;
  finish(`e2e set-up failed: ${error?.stack ?? error}`);
}
