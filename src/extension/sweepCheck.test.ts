// Run Sweep's pre-start check in its worker (sweepCheck.ts + src/train/sweeps/sweepCheckWorker.ts): the answer is
// the shared check's (`prepareSweep`, as `seqlab sweep` makes it), the editor's unsaved spec counts, progress
// comes per trial, cancelling ends the worker — and this thread, the extension host's, never opens the data file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { nodeRunIo } from '../train/runIo';
import { prepareSweep } from '../train/sweeps/sweepStart';
import { checkSweepInWorker, type SweepCheckWorker } from './sweepCheck';

const workerSource = fileURLToPath(new URL('../train/sweeps/sweepCheckWorker.ts', import.meta.url));
const tsxRegister = createRequire(import.meta.url).resolve('tsx/cjs');
const hangGuard = { timeout: 120_000 };

/** The worker entry from its TypeScript source (the extension runs the bundle, dist/sweepCheckWorker.js). */
function spawnCheckWorker(spawned: Worker[] = []): () => SweepCheckWorker {
  return () => {
    const worker = new Worker(`require(${JSON.stringify(tsxRegister)}); require(${JSON.stringify(workerSource)});`, { eval: true });
    spawned.push(worker);
    return worker as SweepCheckWorker;
  };
}

/** A forecasting spec over a CSV of `rows` rows, and a sweep of two hidden sizes (or the ones given) over it. */
function workspace(rows: number, hiddenSizes: number[] = [4, 8]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-sweepcheck-'));
  const lines = ['t,load,temp'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(50 + 10 * Math.sin(i / 12)).toFixed(3)},${(10 + 5 * Math.cos(i / 24)).toFixed(3)}`);
  const dataPath = path.join(dir, 'load.csv');
  fs.writeFileSync(dataPath, `${lines.join('\n')}\n`);
  const spec = {
    name: 'load', task: { type: 'forecast', horizon: 1 },
    data: { source: 'csv', path: 'load.csv', columns: ['load', 'temp'], target: ['load'], window: 12, normalize: 'zscore', split: { validation: 0.2 } },
    model: { encoder: { cell: 'gru', hiddenSize: 8, numLayers: 1 }, readout: 'hN' },
    training: { epochs: 1, batchSize: 16, seed: 1, optimizer: { type: 'adam', lr: 0.01 }, loss: 'mse' },
  };
  const specPath = path.join(dir, 'load.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify(spec, null, 2));
  const sweepPath = path.join(dir, 'sizes.seqsweep.json');
  const sweepText = JSON.stringify({ spec: 'load.seqmodel.json', parameters: { 'model.encoder.hiddenSize': { values: hiddenSizes } } }, null, 2);
  fs.writeFileSync(sweepPath, sweepText);
  return { dir, dataPath, spec, specPath, sweepPath, sweepText };
}

/** Every path this thread opens or reads whole while `run` runs (the worker's reads are its own thread's). */
async function pathsOpenedHere<T>(run: () => Promise<T>): Promise<{ result: T; opened: string[] }> {
  const nodeFs = createRequire(import.meta.url)('node:fs') as typeof fs;
  const { openSync, readFileSync } = nodeFs;
  const opened: string[] = [];
  nodeFs.openSync = ((file: fs.PathLike, ...rest: unknown[]) => {
    opened.push(String(file));
    return (openSync as (...args: unknown[]) => number)(file, ...rest);
  }) as typeof fs.openSync;
  nodeFs.readFileSync = ((file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    opened.push(String(file));
    return (readFileSync as (...args: unknown[]) => unknown)(file, ...rest);
  }) as typeof fs.readFileSync;
  syncBuiltinESMExports();
  try {
    return { result: await run(), opened };
  } finally {
    nodeFs.openSync = openSync;
    nodeFs.readFileSync = readFileSync;
    syncBuiltinESMExports();
  }
}

test('the worker answers what seqlab sweep\'s check answers, with progress per trial, and this thread never opens the data file', hangGuard, async () => {
  const { dataPath, sweepPath, sweepText } = workspace(20_000);
  const progress: [number, number][] = [];
  const { result: preparation, opened } = await pathsOpenedHere(() => checkSweepInWorker(
    { sweepPath, sweepText, openSpecs: {} },
    { worker: spawnCheckWorker(), onProgress: (checked, total) => progress.push([checked, total]) },
  ));
  assert.ok(preparation?.prepared, JSON.stringify(preparation?.diagnostics));
  assert.deepEqual(preparation.prepared.trials.map((trial) => trial.params['model.encoder.hiddenSize']), [4, 8]);
  assert.deepEqual(progress, [[1, 2], [2, 2]]);
  assert.deepEqual(opened.filter((file) => file === dataPath), [], 'the host thread opened the data file');
  // The spy sees a data load in this thread: the same check run here opens the file.
  const here = await pathsOpenedHere(async () => prepareSweep(sweepText, sweepPath, (file) => fs.readFileSync(file, 'utf8'), nodeRunIo));
  assert.ok(here.opened.includes(dataPath), `the control check did not open ${dataPath}: ${here.opened.join(', ')}`);
  assert.deepEqual(preparation, here.result, 'the worker\'s answer is the shared check\'s');
});

test('a trial the full check refuses is a located error of the sweep file, the same as seqlab sweep\'s, and nothing is prepared', hangGuard, async () => {
  // 60000 hidden units pass the spec analysis; the memory estimate, after the data loaded, refuses them.
  const { sweepPath, sweepText } = workspace(2_000, [4, 60_000]);
  const preparation = await checkSweepInWorker({ sweepPath, sweepText, openSpecs: {} }, { worker: spawnCheckWorker() });
  assert.equal(preparation?.prepared, undefined);
  const errors = preparation!.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0].code, 'sweep/trial-invalid');
  assert.equal(sweepText.slice(errors[0].offset, errors[0].offset + errors[0].length), '60000');
  // The sentence names the kernels the trials train with (the worker selects them as `seqlab sweep` does).
  assert.match(errors[0].message, /^Trial t001 \(model\.encoder\.hiddenSize=60000, seed 1\): Training this model needs about [\d.]+ GB/);
});

test('a spec open in the editor is checked as edited, unsaved text included', hangGuard, async () => {
  const { spec, specPath, sweepPath, sweepText } = workspace(2_000);
  const edited = JSON.stringify({ ...spec, data: { ...spec.data, columns: ['load', 'humidity'] } }, null, 2);
  const preparation = await checkSweepInWorker({ sweepPath, sweepText, openSpecs: { [specPath]: edited } }, { worker: spawnCheckWorker() });
  assert.equal(preparation?.prepared, undefined, 'the unsaved spec names a column the data lacks');
  assert.match(preparation!.diagnostics.map((d) => d.message).join('\n'), /humidity/);
  const saved = await checkSweepInWorker({ sweepPath, sweepText, openSpecs: {} }, { worker: spawnCheckWorker() });
  assert.ok(saved?.prepared, 'the spec on the disk passes');
});

test('cancelling answers undefined and ends the worker', hangGuard, async () => {
  const { sweepPath, sweepText } = workspace(20_000);
  const spawned: Worker[] = [];
  const cancel = new AbortController();
  const answer = checkSweepInWorker({ sweepPath, sweepText, openSpecs: {} }, { worker: spawnCheckWorker(spawned), cancel: cancel.signal });
  const exited = once(spawned[0], 'exit');
  cancel.abort();
  assert.equal(await answer, undefined);
  await exited;
});
