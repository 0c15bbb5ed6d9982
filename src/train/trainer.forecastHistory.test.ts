// The forecast samples the predictions panel draws: "history" is the target column's own past values in original
// units, whichever position the target has among the inputs and whether or not the data is normalised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeqModelSpec } from '../modelSpec/types';
import { prepareData } from '../data';
import { train } from './trainer';
import { memoryRunIo } from './runIo';
import { recorder, steppingClock } from './testing/tinyRuns';

// Three columns on very different scales, so a value read from the wrong column or denormalised with the wrong
// statistics cannot pass for a target value: a ≈ 1000, b ≈ 0, c ≈ 50..170.
const ROWS = 40;
const csv = ['a,b,c', ...Array.from({ length: ROWS }, (_, r) => `${1000 + 7 * r},${(Math.sin(r) * 0.5).toFixed(4)},${50 + 3 * r}`)].join('\n');
const targetValues = Array.from({ length: ROWS }, (_, r) => 50 + 3 * r);

async function forecastSamples(columns: string[], normalize: 'zscore' | 'none') {
  const spec: SeqModelSpec = {
    name: 'history', task: { type: 'forecast' },
    data: { source: 'csv', path: 'series.csv', columns, target: ['c'], window: 6, normalize, split: { validation: 0.25 } },
    model: { encoder: { cell: 'gru', hiddenSize: 3 } },
    training: { epochs: 1, batchSize: 8, seed: 2, optimizer: { type: 'adam', lr: 0.01 } },
  };
  const data = prepareData(spec, '/d', { readTextFile: () => csv });
  const r = recorder();
  await train({ spec, data, io: memoryRunIo(), runDir: '/run', emit: r.emit, now: steppingClock() });
  const samples = r.of('predictions').flatMap((e) => e.samples);
  assert.ok(samples.length > 0, 'the run reports prediction samples');
  return samples.map((s) => {
    assert.equal(s.kind, 'forecast');
    return s as Extract<typeof s, { kind: 'forecast' }>;
  });
}

function assertTargetHistory(history: number[]): void {
  assert.equal(history.length, 6);
  for (const value of history) {
    assert.ok(targetValues.some((c) => Math.abs(c - value) < 1e-3), `history value ${value} is not a value of target column c`);
  }
  for (let t = 1; t < history.length; t++) assert.ok(Math.abs(history[t] - history[t - 1] - 3) < 1e-3, 'consecutive rows of c');
}

test('a target that is the second input column: history is that column, denormalised with its own statistics', async () => {
  for (const sample of await forecastSamples(['a', 'c'], 'zscore')) assertTargetHistory(sample.history);
});

test('a target that is the second input column of unnormalised data: history is that column, not column 0', async () => {
  for (const sample of await forecastSamples(['a', 'c'], 'none')) assertTargetHistory(sample.history);
});

test('a target that is not an input: no history (the window holds no past target values), truth in target units', async () => {
  for (const sample of await forecastSamples(['a', 'b'], 'zscore')) {
    assert.deepEqual(sample.history, []);
    for (const value of sample.truth) assert.ok(targetValues.some((c) => Math.abs(c - value) < 1e-3), `truth ${value}`);
  }
});
