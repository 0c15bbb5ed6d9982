// Every task's metrics on batches small enough to work out by hand (the expected values below are written out,
// not computed with the code under test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Batch, DataInfo } from '../data/types';
import { MetricAccumulator, macroF1, metricNamesFor } from './metrics';

function info(task: DataInfo['task'], outputSize: number, denormalizeTargets: (values: Float32Array) => void = () => {}): DataInfo {
  return { kind: 'series', task, inputSize: 1, outputSize, maxLength: 3, trainSize: 0, validationSize: 0, testSize: 0, denormalizeTargets };
}

const batchOf = (size: number, fields: Partial<Batch>): Batch => ({ size, steps: 1, lengths: new Int32Array(size).fill(1), indices: new Int32Array(size), ...fields });

function close(actual: Record<string, number>, expected: Record<string, number>): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  for (const [name, value] of Object.entries(expected)) assert.ok(Math.abs(actual[name] - value) < 1e-6, `${name} = ${actual[name]}, expected ${value}`);
}

test('regression: mse, rmse and mae over every value of every batch, in the original units', () => {
  // Targets are stored z-scored with std 2 and mean 10: both outputs and targets are denormalised first.
  const m = new MetricAccumulator('regress', info('regress', 2, (v) => v.forEach((x, i) => (v[i] = 2 * x + 10))));
  // Original units: predicted (12, 10) vs (10, 10), then (8, 16) vs (10, 10): errors 2, 0, −2, 6.
  m.add(batchOf(1, { targets: Float32Array.of(0, 0) }), 0, 1, Float32Array.of(1, 0));
  m.add(batchOf(1, { targets: Float32Array.of(0, 0) }), 0, 1, Float32Array.of(-1, 3));
  close(m.metrics(), { mse: (4 + 0 + 4 + 36) / 4, rmse: Math.sqrt(11), mae: (2 + 0 + 2 + 6) / 4 });
});

test('classification: accuracy and macro-F1 with the confusion matrix', () => {
  const m = new MetricAccumulator('classify', info('classify', 3));
  // Predictions (argmax of each row): 0, 1, 1, 2 for truths 0, 1, 2, 2.
  const outputs = Float32Array.of(5, 1, 0, /**/ 0, 3, 1, /**/ 0, 2, 1, /**/ 1, 0, 4);
  m.add(batchOf(4, { targetIds: Int32Array.of(0, 1, 2, 2) }), 0.5, 4, outputs);
  assert.deepEqual(m.confusion, [[1, 0, 0], [0, 1, 0], [0, 1, 1]]);
  // F1: class 0 = 1, class 1 = 2·1/(1 + 2) = 2/3, class 2 = 2·1/(2 + 1) = 2/3.
  close(m.metrics(), { accuracy: 3 / 4, f1: (1 + 2 / 3 + 2 / 3) / 3 });
});

test('tagging: token accuracy over real steps only (padding targets are -1)', () => {
  const m = new MetricAccumulator('tag', info('tag', 2));
  // Two sequences of 3 steps, the second 2 long: steps predicted 1, 0, 1 | 1, 1, (pad).
  const outputs = Float32Array.of(0, 1, /**/ 1, 0, /**/ 0, 1, /**/ 0, 1, /**/ 0, 1, /**/ 9, 0);
  m.add({ ...batchOf(2, { targetIds: Int32Array.of(1, 1, 1, 0, 1, -1) }), steps: 3 }, 0.3, 5, outputs);
  // Right at 1, 3, 5 of 5 real steps; F1: class 0 (truth 1, predicted 1, tp 0) = 0, class 1 = 2·3/(4 + 4) = 3/4.
  close(m.metrics(), { tokenAccuracy: 3 / 5, f1: (0 + 3 / 4) / 2 });
});

test('generation: perplexity is exp of the mean loss per token, weighted by each batch\'s token count', () => {
  const m = new MetricAccumulator('generate', info('generate', 2));
  m.add(batchOf(1, { targetIds: Int32Array.of(0, 1, 1) }), 1, 3, Float32Array.of(1, 0, 1, 0, 0, 1));
  m.add(batchOf(1, { targetIds: Int32Array.of(0) }), 2, 1, Float32Array.of(0, 1));
  // Mean loss (1·3 + 2·1)/4 = 1.25; tokens right: 0, 1 wrong, 1 right, 0 wrong = 2 of 4.
  close(m.metrics(), { perplexity: Math.exp(1.25), tokenAccuracy: 2 / 4 });
  assert.equal(m.meanLoss, 1.25);
});

test('macro-F1 ignores classes absent from both truth and predictions; metric names per task', () => {
  assert.equal(macroF1([[2, 0, 0], [0, 0, 0], [1, 0, 1]]), (2 * 2 / (2 + 3) + 2 * 1 / (2 + 1)) / 2);
  assert.equal(macroF1([[0, 0], [0, 0]]), 0);
  assert.deepEqual(metricNamesFor('classify'), ['accuracy', 'f1']);
  assert.deepEqual(metricNamesFor('seq2seq'), ['perplexity', 'tokenAccuracy', 'exactMatch']);
});
