// Tidy tests: architectural invariants checked with the suite (see ARCHITECTURE.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(new URL('.', import.meta.url).pathname, '..');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|mts|cts)$/.test(entry) && !entry.endsWith('.test.ts') && !p.includes(`${join('wasm', 'assembly')}`)) out.push(p);
  }
  return out;
}

const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);

test('only src/extension imports vscode', () => {
  const offenders = sourceFiles(join(root, 'src'))
    .filter((f) => !relative(root, f).startsWith(join('src', 'extension')))
    .filter((f) => importsOf(f).includes('vscode'))
    .map((f) => relative(root, f));
  assert.deepEqual(offenders, []);
});

test('src/tensor and src/nn use no Node APIs, so they also run in a browser worker', () => {
  const offenders: string[] = [];
  for (const dir of ['tensor', 'nn']) {
    for (const f of sourceFiles(join(root, 'src', dir))) {
      for (const spec of importsOf(f)) if (spec.startsWith('node:') || ['fs', 'path', 'os', 'worker_threads', 'child_process'].includes(spec)) offenders.push(`${relative(root, f)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the pure core never imports the shells (imports point down only)', () => {
  const offenders: string[] = [];
  for (const dir of ['tensor', 'nn', 'data', 'modelSpec', 'train', 'format']) {
    for (const f of sourceFiles(join(root, 'src', dir))) {
      for (const spec of importsOf(f)) if (/\/(extension|cli)(\/|$)/.test(spec)) offenders.push(`${relative(root, f)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('webview code imports only types from src/, and values only from the display format (src/format/display.ts)', () => {
  const offenders: string[] = [];
  const files = sourceFiles(join(root, 'webview'));
  assert.ok(files.length > 10, `${files.length} webview source files`);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+['"]([^'"]*\/src\/[^'"]*)['"]/gm)) {
      if (!m[1].endsWith('/src/format/display')) offenders.push(`${relative(root, f)} imports values from ${m[1]}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('src/format imports nothing, so the webviews, the extension, the CLI and the core can all use it', () => {
  const files = sourceFiles(join(root, 'src', 'format'));
  assert.ok(files.length > 0);
  const offenders = files.flatMap((f) => importsOf(f).map((spec) => `${relative(root, f)} imports ${spec}`));
  assert.deepEqual(offenders, []);
});

test('the extension takes nothing from the webview code (shared pure code lives in src/)', () => {
  const offenders: string[] = [];
  for (const f of sourceFiles(join(root, 'src'))) {
    for (const spec of importsOf(f)) if (/(^|\/)webview\//.test(spec)) offenders.push(`${relative(root, f)} imports ${spec}`);
  }
  assert.deepEqual(offenders, []);
});

test('the extension host leaves loading data for a check or a run to workers: no src/extension module imports what does it', () => {
  // The editor never blocks on a file: runs, trials and Run Sweep's pre-start check load their data in worker
  // threads (dist/worker.js, dist/sweepWorker.js, dist/sweepCheckWorker.js); the host only reads heads and records.
  const loadsData = new Set(['prepareSweep', 'validatingTrialCheck', 'validateRun', 'setUpRun', 'runTrial', 'runTrainingCommand', 'prepareData']);
  const offenders: string[] = [];
  for (const f of sourceFiles(join(root, 'src', 'extension'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^import\s+(?!type\b)\{([^}]*)\}\s*from\s+['"]([^'"]+)['"]/gm)) {
      for (const name of m[1].split(',').map((part) => part.trim()).filter((part) => part && !part.startsWith('type '))) {
        if (loadsData.has(name.split(/\s+as\s+/)[0])) offenders.push(`${relative(root, f)} imports ${name} from ${m[2]}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});
