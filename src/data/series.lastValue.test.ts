// normalize "last-value": each window is taken relative to its last row and the model predicts the change. The
// inverse must give back the original values exactly (metrics and predictions stay in original units), and a
// new input encodes exactly as the training windows did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselines } from './baselines';
import type { ExampleSplit } from './batching';
import { encodeSeries, seriesAnchors } from './encode';
import { loadCsvSeries, readNumericColumns } from './series';
import { planStatefulBatches, StatefulTrainingError } from '../train/statefulBatches';
import { forecastTargetHistory } from '../train/forecastHistory';

const co2Text = readFileSync(join(__dirname, '..', '..', 'examples', 'data', 'co2-concentration.csv'), 'utf8');
const options = { file: 'co2.csv', window: 24, horizon: 2, inputColumns: ['CO2', 'adjusted CO2'], targetColumns: ['CO2'], split: { validation: 0.15, test: 0.1 } };
const load = (normalize: 'zscore' | 'last-value') => loadCsvSeries([co2Text], { ...options, normalize });
const original = readNumericColumns(co2Text, 'co2.csv', ['CO2', 'adjusted CO2']);
const value = (row: number, column: number) => original.values[row * 2 + column];

test('last-value: inputs are the window minus its last row over the scale, targets the change, anchors the last value', () => {
  const prepared = load('last-value');
  const { normalizer } = prepared.info;
  assert.equal(prepared.info.relativeToLastValue, true);
  assert.deepEqual(Array.from(normalizer!.mean), [0, 0], 'a pure scale');
  const split = prepared.validation as ExampleSplit;
  const first = prepared.info.trainSize; // row of the validation split's first window
  const example = split.example(3);
  const last = first + 3 + 23;
  const s = normalizer!.std;
  assert.equal(example.inputs![23 * 2], 0);
  assert.equal(example.inputs![0], Math.fround((Math.fround(value(first + 3, 0)) - Math.fround(value(last, 0))) * (1 / s[0])));
  assert.equal(example.inputs![1], Math.fround((Math.fround(value(first + 3, 1)) - Math.fround(value(last, 1))) * (1 / s[1])));
  assert.equal(example.targets![1], Math.fround((Math.fround(value(last + 2, 0)) - Math.fround(value(last, 0))) * (1 / s[0])));
  assert.deepEqual(Array.from(example.anchors!), [Math.fround(value(last, 0))]);
  assert.deepEqual(Array.from(example.persistence!), [0, 0], 'persistence predicts no change');
});

test('last-value: the inverse of every batch target is the original value, exactly (float32)', () => {
  const prepared = load('last-value');
  for (const [name, split] of [['train', prepared.train], ['validation', prepared.validation], ['test', prepared.test!]] as const) {
    const firstRow = name === 'train' ? 0 : name === 'validation' ? prepared.info.trainSize : prepared.info.trainSize + prepared.info.validationSize;
    let checked = 0;
    for (const batch of split.batches(32, { shuffle: false })) {
      const truth = batch.targets!.slice(0, batch.size * 2);
      prepared.info.denormalizeTargets(truth, batch.anchors);
      for (let b = 0; b < batch.size; b++) {
        for (let h = 0; h < 2; h++) {
          assert.equal(truth[b * 2 + h], Math.fround(value(firstRow + batch.indices[b] + 24 + h, 0)), `${name} window ${batch.indices[b]} step ${h + 1}`);
          checked++;
        }
      }
    }
    assert.equal(checked, split.size * 2);
  }
  assert.throws(() => prepared.info.denormalizeTargets(new Float32Array(2)), /need that value/);
});

test('last-value: persistence is the same baseline as with a z-score; the history is the window in original units', () => {
  const relative = baselines(load('last-value'));
  const zscore = baselines(load('zscore'));
  // Equal up to the z-score's own float32 round trip (its values pass through normalised float32; these do not).
  assert.ok(Math.abs(relative.persistenceMse - zscore.persistenceMse) < 1e-5 * zscore.persistenceMse, `${relative.persistenceMse} vs ${zscore.persistenceMse}`);
  assert.ok(Math.abs(relative.persistenceMae - zscore.persistenceMae) < 1e-5 * zscore.persistenceMae);
  const prepared = load('last-value');
  const [batch] = prepared.validation.batches(4, { shuffle: false });
  const history = forecastTargetHistory(prepared.info, batch.inputs!, 1, batch.steps, batch.lengths[1], batch.anchors!.subarray(1, 2));
  const first = prepared.info.trainSize + 1;
  history.forEach((v, t) => assert.ok(Math.abs(v - value(first + t, 0)) < 1e-4, `step ${t}: ${v} vs ${value(first + t, 0)}`));
});

test('last-value: new rows in original units encode exactly as the training window, with its anchor', () => {
  const prepared = load('last-value');
  const example = (prepared.validation as ExampleSplit).example(5);
  const firstRow = prepared.info.trainSize + 5;
  const rows = Array.from({ length: 24 }, (_, t) => [value(firstRow + t, 0), value(firstRow + t, 1)]);
  assert.deepEqual(Array.from(encodeSeries(prepared.info, rows)), Array.from(example.inputs!));
  assert.deepEqual(Array.from(seriesAnchors(prepared.info, rows)!), Array.from(example.anchors!));
  assert.equal(seriesAnchors(load('zscore').info, rows), undefined);
});

test('last-value: a target that is not an input is refused; stateful training refuses windows that do not continue one another', () => {
  assert.throws(() => loadCsvSeries([co2Text], { ...options, inputColumns: ['adjusted CO2'], normalize: 'last-value' }), /co2\.csv:1:1: normalize "last-value" .*\("CO2" is not\)/);
  assert.throws(() => planStatefulBatches(load('last-value').train, 4, 'csv'), StatefulTrainingError);
  assert.doesNotThrow(() => planStatefulBatches(load('zscore').train, 4, 'csv'));
});
