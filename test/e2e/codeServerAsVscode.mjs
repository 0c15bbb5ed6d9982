#!/usr/bin/env node
// A stand-in for the VS Code executable that @vscode/test-electron's `runTests` launches, for machines that cannot
// download desktop VS Code. It accepts the arguments `runTests` passes (--extensionTestsPath, --extensionDevelopmentPath,
// --extensions-dir, --user-data-dir, a folder to open, and Electron flags it has no use for), runs the same extension
// tests in the real VS Code we have — code-server's Node extension host, opened by Debian Chromium with the workbench's
// test `payload` — and exits with the test runner's exit code, as the desktop executable would.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import util from 'node:util';
import { guard, launchBrowser, startCodeServer } from './lib.mjs';

/** A hang guard, stretched on a loaded machine (see lib.mjs). */
const TEST_TIMEOUT_MS = guard(6 * 60_000);

/** The part of VS Code's command line that matters to a test run; Electron and update flags are accepted and ignored. */
export function parseVscodeArguments(argv) {
  const parsed = { extensionDevelopmentPaths: [], extensionTestsPath: undefined, extensionsDir: undefined, userDataDir: undefined, folder: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inlineValue] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inlineValue ?? argv[++i];
    if (flag === '--extensionDevelopmentPath') parsed.extensionDevelopmentPaths.push(resolve(value()));
    else if (flag === '--extensionTestsPath') parsed.extensionTestsPath = resolve(value());
    else if (flag === '--extensions-dir') parsed.extensionsDir = resolve(value());
    else if (flag === '--user-data-dir') parsed.userDataDir = resolve(value());
    else if (!arg.startsWith('-')) parsed.folder = resolve(arg);
  }
  if (!parsed.extensionTestsPath) throw new Error('no --extensionTestsPath: this stand-in only runs extension tests');
  if (parsed.extensionDevelopmentPaths.length === 0) throw new Error('no --extensionDevelopmentPath');
  return parsed;
}

/** The workbench URL that makes code-server's extension host load the extension under development and run its tests. */
export function testPayloadUrl(serverUrl, { extensionDevelopmentPaths, extensionTestsPath, folder }) {
  const authority = new URL(serverUrl).host;
  const remote = (path) => `vscode-remote://${authority}${path}`;
  const payload = [
    ...extensionDevelopmentPaths.map((path) => ['extensionDevelopmentPath', remote(path)]),
    ['extensionTestsPath', remote(extensionTestsPath.endsWith('.js') ? extensionTestsPath : join(extensionTestsPath, 'index.js'))],
  ];
  const query = folder ? `folder=${encodeURIComponent(folder)}&` : '';
  return `${serverUrl}/?${query}payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function main() {
  const args = parseVscodeArguments(process.argv.slice(2));
  // code-server keeps its user data and extensions in the dirs it is given; runTests names them under .vscode-test.
  const runDir = args.userDataDir ? join(args.userDataDir, '..', 'code-server') : mkdtempSync(join(tmpdir(), 'seqlab-vscode-'));
  mkdirSync(runDir, { recursive: true });
  const server = await startCodeServer({ runDir, workspace: args.folder, extensionsDir: args.extensionsDir, env: {} });
  let browser;
  let code = 1;
  try {
    browser = await launchBrowser(runDir);
    const { page } = browser;
    const exit = new Promise((resolveExit) => {
      void page.exposeFunction('codeAutomationLog', (_type, logArgs) => console.log(util.format(...(logArgs ?? []))));
      void page.exposeFunction('codeAutomationExit', (exitCode) => resolveExit(exitCode));
    });
    // 'commit': the server answered; what follows is awaited as an event (the suite's exit), not the page's load.
    await page.goto(testPayloadUrl(server.url, args), { waitUntil: 'commit', timeout: guard(60_000) });
    const outcome = await Promise.race([exit, new Promise((resolveTimeout) => setTimeout(() => resolveTimeout('timeout'), TEST_TIMEOUT_MS).unref())]);
    if (outcome === 'timeout') console.error(`the extension tests did not finish in ${(TEST_TIMEOUT_MS / 60_000).toFixed(0)} min\n${server.log().slice(-3000)}`);
    else code = Number(outcome);
  } finally {
    await browser?.context.close().catch(() => undefined);
    await server.stop();
  }
  process.exit(code);
}

if (process.argv[1] && resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  main().catch((error) => {
    console.error(error?.stack ?? String(error));
    process.exit(1);
  });
}
