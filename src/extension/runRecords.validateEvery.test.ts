// A run folder trained with training.validateEvery 3 as the Runs view, the runs table, `seqlab runs` and the
// dashboard's replay read it: figures only from validated epochs, never a stale copy or a zero for the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { train } from '../train/trainer';
import { nodeRunIo } from '../train/runIo';
import { prepareSynthetic, steppingClock, tinyAddingSpec } from '../train/testing/tinyRuns';
import { readRunRow } from '../train/sweeps/runsTable';
import type { EpochEnd } from '../train/protocol';
import { RunRecordReader } from './runRecords';
import { buildRunsTable, runCurve } from './runsTableData';
import { bestValidationLoss } from './runsTreeModel';
import { loadRunHistory } from './runHistory';

test('a run validated every 3 epochs: final, best, curves and replay come from epochs 3, 6 and 7 only', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-validate-every-'));
  const runDir = path.join(dir, 'run');
  fs.mkdirSync(runDir);
  const spec = tinyAddingSpec({ epochs: 7, validateEvery: 3, optimizer: { type: 'adam', lr: 0.03 } });
  const finished = await train({ spec, data: prepareSynthetic(spec), io: nodeRunIo, runDir, emit: () => {}, now: steppingClock() });
  const record = new RunRecordReader().readRun(runDir)!;
  assert.equal(record.epochs.length, 7);
  const validated = record.epochs.filter((e) => e.validationLoss !== undefined);
  assert.deepEqual(validated.map((e) => e.epoch), [3, 6, 7]);
  for (const e of record.epochs.filter((e) => e.validationLoss === undefined)) assert.deepEqual(e.metrics, {}, `epoch ${e.epoch}`);
  const at = (epoch: number) => record.epochs[epoch - 1];

  // The Runs view's inline best.
  assert.equal(bestValidationLoss(record), Math.min(...validated.map((e) => e.validationLoss!)));
  assert.equal(bestValidationLoss(record), finished.bestValidationLoss);

  // The runs table: final = the last validation, best = the best validated epoch; the curve is NaN (no point) between.
  const [row] = buildRunsTable([], 'spec:tiny-adding', [{ record, status: 'completed' }]).rows;
  assert.deepEqual(row.final, { loss: at(7).validationLoss, ...at(7).metrics });
  assert.deepEqual(row.best, { loss: at(finished.bestEpoch).validationLoss, ...at(finished.bestEpoch).metrics });
  const curve = runCurve(record);
  assert.deepEqual(curve.series.loss.map((v) => (Number.isNaN(v) ? null : v)), record.epochs.map((e) => e.validationLoss ?? null));
  assert.deepEqual(curve.series.mae.map(Number.isNaN), [true, true, false, true, true, false, false]);

  // `seqlab runs` reads the same folder the same way.
  const cliRow = readRunRow(nodeRunIo, runDir, 'run')!;
  assert.deepEqual(cliRow.final, row.final);
  assert.deepEqual(cliRow.best, row.best);

  // The dashboard's replay of the folder: every epoch, the validated ones with figures, the metric names known.
  const history = loadRunHistory(runDir);
  const epochs = history.filter((e): e is EpochEnd => e.type === 'epoch');
  assert.deepEqual(epochs.filter((e) => e.validationLoss !== undefined).map((e) => e.epoch), [3, 6, 7]);
  const started = history.find((e) => e.type === 'runStarted');
  assert.deepEqual(started?.type === 'runStarted' ? started.metricNames : [], ['mse', 'rmse', 'mae']);
  fs.rmSync(dir, { recursive: true });
});

test('a run stopped after epoch 5 of a validateEvery 3 run: its final figures are epoch 3\'s, not empty or NaN', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-validate-every-'));
  const runDir = path.join(dir, 'run');
  fs.mkdirSync(runDir);
  const spec = tinyAddingSpec({ epochs: 7, validateEvery: 3 });
  let epochsDone = 0;
  const finished = await train({
    spec, data: prepareSynthetic(spec), io: nodeRunIo, runDir, now: steppingClock(),
    emit: (e) => { if (e.type === 'epoch') epochsDone = e.epoch; },
    control: { shouldStop: () => epochsDone >= 5, waitIfPaused: async () => {} },
  });
  assert.equal(finished.status, 'stopped');
  const record = new RunRecordReader().readRun(runDir)!;
  assert.deepEqual(record.epochs.map((e) => e.validationLoss !== undefined), [false, false, true, false, false], 'a stop is not validated');
  const third = record.epochs[2];
  const [row] = buildRunsTable([], 'spec:tiny-adding', [{ record, status: 'stopped' }]).rows;
  assert.deepEqual(row.final, { loss: third.validationLoss, ...third.metrics });
  assert.deepEqual(row.best, row.final);
  assert.deepEqual(readRunRow(nodeRunIo, runDir, 'run')!.final, row.final);
  const started = loadRunHistory(runDir).find((e) => e.type === 'runStarted');
  assert.deepEqual(started?.type === 'runStarted' ? started.metricNames : [], ['mse', 'rmse', 'mae'], 'from the last validated epoch');
  fs.rmSync(dir, { recursive: true });
});
