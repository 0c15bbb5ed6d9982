// The one test command: typecheck, build, unit tests (node:test), then the end-to-end suites in a real
// VS Code when present. Prints one closing line "N passed, N failed" over every suite.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const unitOnly = process.argv.includes('--unit');
let passed = 0;
let failed = 0;

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

const files = [...findTests(join(root, 'src')), ...findTests(join(root, 'test')), ...findTests(join(root, 'webview'))].sort();
function unitSuite(label, testFiles, env = {}) {
  const unit = run(label, process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...testFiles], { capture: true, env });
  const count = (name) => Number((unit.stdout.match(new RegExp(`^ℹ ${name} (\\d+)`, 'm')) ?? [])[1] ?? 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  if (unit.status !== 0 && count('fail') === 0) failed++;
}
unitSuite('unit tests (reference kernels)', files, { SEQLAB_KERNELS: 'reference' });
// The tests of everything that computes (tensor core, layers, parity and gradient checks) run a second time on
// the WebAssembly SIMD kernels, so both backends pass the same suite.
// (src/tensor/wasm's own tests already exercise both backends, so they run once.)
const computeTests = files.filter((f) => (/^src\/(tensor|nn)\//.test(f) && !/^src\/tensor\/wasm\//.test(f)) || /^test\/.*(parity|grad)/.test(f));
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

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
