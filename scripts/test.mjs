// The one test command: typecheck, build, installs what the tests need (PyTorch from Debian), unit tests
// (node:test), then the end-to-end suites in a real VS Code when present. Prints one closing line
// "N passed, N failed, N skipped, N todo" over every suite; under CI=true a skipped or todo test is a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const unitOnly = process.argv.includes('--unit');
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';
let passed = 0;
let failed = 0;
let skipped = 0;
let todo = 0;
const notRun = [];

function run(label, cmd, args, { capture = false, env = {} } = {}) {
  console.log(`\n=== ${label}: ${[cmd, ...args].join(' ').slice(0, 200)}`);
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (capture) process.stdout.write(r.stdout ?? '');
  return r;
}

function findTests(dir, out = []) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'e2e' || entry.startsWith('.')) continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (entry.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const typecheck = run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
if (typecheck.status !== 0) failed++;
const hasWebviewCode = existsSync(join(root, 'webview')) && readdirSync(join(root, 'webview')).some((d) => existsSync(join(root, 'webview', d, 'main.ts')));
if (hasWebviewCode) {
  const wv = run('typecheck webview', 'npx', ['tsc', '-p', 'webview/tsconfig.json', '--noEmit']);
  if (wv.status !== 0) failed++;
}
const buildResult = run('build', process.execPath, ['scripts/build.mjs']);
if (buildResult.status !== 0) failed++;

// The export tests run the exported project under PyTorch: Debian's python3-torch, installed here when missing
// (as test/e2e/run.mjs installs Chromium), so that they run on a fresh machine instead of being skipped.
function ensurePytorch() {
  const python = '/usr/bin/python3';
  const hasTorch = () => existsSync(python) && spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  if (hasTorch()) return;
  const started = Date.now();
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const update = run('install PyTorch (Debian python3-torch)', 'apt-get', ['update', '-qq'], { env });
  if (update.status === 0) run('install PyTorch (Debian python3-torch)', 'apt-get', ['install', '-y', '-qq', 'python3-torch'], { env });
  if (hasTorch()) console.log(`python3-torch installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  else console.log(`python3-torch could not be installed (apt-get needs root and Debian's repositories): the export tests will fail`);
}
ensurePytorch();

const files = [...findTests(join(root, 'src')), ...findTests(join(root, 'test')), ...findTests(join(root, 'webview'))].sort();
// The tests of everything that computes (tensor core, layers, the model's parity and gradient checks) run on both kernel
// backends: once in the whole suite on the reference kernels, again on the WebAssembly SIMD kernels. A file that
// chooses its backends itself (withKernels, a named backend) runs once: a rerun would repeat the same checks.
// The runs of a twice-run test are named "… [reference kernels]" and "… [wasm kernels]" (scripts/backendInTestNames.mjs).
const choosesItsBackend = (f) => /\b(withKernels|referenceKernels|createWasmKernels|sharedWasmKernels|setKernels)\b/.test(readFileSync(join(root, f), 'utf8'));
const computes = (f) => (/^src\/(tensor|nn)\//.test(f) && !/^src\/tensor\/wasm\//.test(f)) || /^(test|src\/train)\/.*\.(parity|grad)\.test\.ts$/.test(f);
const computeTests = files.filter((f) => computes(f) && !choosesItsBackend(f));
const backendNamed = { SEQLAB_BACKEND_NAMED_FILES: computeTests.join('\n') };

function unitSuite(label, testFiles, env = {}) {
  const args = ['--import', 'tsx', '--import', './scripts/backendInTestNames.mjs', '--test', '--test-reporter=spec', ...testFiles];
  const unit = run(label, process.execPath, args, { capture: true, env: { ...backendNamed, ...env } });
  const count = (name) => Number((unit.stdout.match(new RegExp(`^ℹ ${name} (\\d+)`, 'm')) ?? [])[1] ?? 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  skipped += count('skipped');
  todo += count('todo');
  // The spec reporter marks a skipped test with "﹣" (and its reason after "#"), a todo test with "# TODO".
  notRun.push(...unit.stdout.split('\n').filter((l) => /^\s*﹣ |# TODO\b/.test(l)).map((l) => l.trim()));
  if (unit.status !== 0 && count('fail') === 0) failed++;
}
unitSuite('unit tests (reference kernels)', files, { SEQLAB_KERNELS: 'reference' });
if (computeTests.length > 0) unitSuite('unit tests (wasm kernels)', computeTests, { SEQLAB_KERNELS: 'wasm' });

const e2e = join(root, 'test', 'e2e', 'run.mjs');
if (!unitOnly && existsSync(e2e) && process.env.SEQLAB_SKIP_E2E !== '1') {
  const r = run('end-to-end in code-server', process.execPath, [e2e], { capture: true });
  const m = r.stdout.match(/^e2e: (\d+) passed, (\d+) failed/m);
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  if (r.status !== 0 && (!m || Number(m[2]) === 0)) failed++;
}

if (notRun.length > 0) console.log(`\nNot run:\n  ${notRun.join('\n  ')}`);
// In CI every check is required: one that did not run is a failure, not a footnote.
if (inCi && skipped + todo > 0) {
  console.log(`CI: ${skipped + todo} test(s) skipped or todo, counted as failures`);
  failed += skipped + todo;
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped, ${todo} todo`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
