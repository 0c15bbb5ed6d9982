// regress-per-step: a window's targets are the target columns of its own rows, z-scored with training statistics;
// the baselines mean what they say (a linear relation is found exactly by the linear baseline, the training mean
// is the training mean); the loss and the metrics count real steps only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../tensor';
import { MSELoss } from '../nn/losses';
import { baselines } from './baselines';
import type { ExampleSplit } from './batching';
import { loadCsvSeries } from './series';
import { leastSquares } from './perStepBaselines';
import { perStepRegressionLoss } from '../train/perStepRegressionLoss';
import { MetricAccumulator } from '../train/metrics';
import type { Batch } from './types';

// 60 rows: x is a wave, y = 3x − 2 at the same row, noise n is unrelated to y.
const rows = Array.from({ length: 60 }, (_, r) => ({ x: Math.sin(r / 3) + r / 40, n: ((r * 7) % 11) / 10 }));
const csv = ['x,n,y', ...rows.map(({ x, n }) => `${x},${n},${3 * x - 2}`)].join('\n');
const options = { file: 'steps.csv', window: 5, horizon: 1, perStep: true, inputColumns: ['x', 'n'], targetColumns: ['y'], normalize: 'zscore' as const, split: { validation: 0.2 } };

test('per-step windows: N − W + 1 windows, targets are the target column at the window\'s own rows', () => {
  const prepared = loadCsvSeries([csv], options);
  const { info } = prepared;
  assert.equal(info.trainSize + info.validationSize, 60 - 5 + 1);
  assert.equal(info.outputSize, 1);
  assert.equal(info.horizon, undefined);
  const split = prepared.validation as ExampleSplit;
  const example = split.example(2);
  const first = info.trainSize + 2; // the window's first row
  assert.equal(example.targets!.length, 5);
  const targets = Float32Array.from(example.targets!);
  info.denormalizeTargets(targets);
  targets.forEach((value, t) => assert.ok(Math.abs(value - (3 * rows[first + t].x - 2)) < 1e-4, `step ${t}: ${value}`));
  // The inputs of the same rows, z-scored with the training rows' statistics.
  const mean = info.normalizer!.mean[0];
  const std = info.normalizer!.std[0];
  assert.ok(Math.abs(example.inputs![2 * 2] - (rows[first + 2].x - mean) / std) < 1e-5);
  const [batch] = [...split.batches(4, { shuffle: false })];
  assert.equal(batch.targets!.length, 4 * 5, '[B,T,K] targets');
});

test('per-step windows: the training statistics come from the training windows\' rows only', () => {
  const prepared = loadCsvSeries([csv], options);
  const trainingRows = prepared.info.trainSize - 1 + 5;
  const xs = rows.slice(0, trainingRows).map((r) => r.x);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(Math.abs(prepared.info.normalizer!.mean[0] - mean) < 1e-5);
});

test('per-step baselines: the linear map finds y = 3x − 2 exactly; the mean baseline is the training mean', () => {
  const prepared = loadCsvSeries([csv], options);
  const figures = baselines(prepared);
  assert.ok(figures.linearMse < 1e-8, `linear MSE ${figures.linearMse}`);
  // The training windows' steps: row r counted once per window holding it.
  const trainingWindows = prepared.info.trainSize;
  let sum = 0;
  let count = 0;
  for (let e = 0; e < trainingWindows; e++) for (let t = 0; t < 5; t++) (sum += 3 * rows[e + t].x - 2, count++);
  const mean = sum / count;
  let squared = 0;
  let values = 0;
  for (let e = trainingWindows; e < trainingWindows + prepared.info.validationSize; e++) for (let t = 0; t < 5; t++) (squared += (3 * rows[e + t].x - 2 - mean) ** 2, values++);
  assert.ok(Math.abs(figures.meanMse - squared / values) / figures.meanMse < 1e-4, `${figures.meanMse} vs ${squared / values}`);
  assert.equal(figures.meanRmse, Math.sqrt(figures.meanMse));
});

test('least squares: solves a 3×3 system with two outputs', () => {
  // X rows (x1, x2, 1) and Y = [2x1 − x2 + 0.5, −x1 + 4]
  const xs = [[1, 2], [3, -1], [0.5, 0.25], [-2, 1], [4, 3]];
  const P = 3, K = 2;
  const xx = new Float64Array(P * P), xy = new Float64Array(P * K);
  for (const [a, b] of xs) {
    const x = [a, b, 1], y = [2 * a - b + 0.5, -a + 4];
    for (let p = 0; p < P; p++) {
      for (let q = 0; q < P; q++) xx[p * P + q] += x[p] * x[q];
      for (let k = 0; k < K; k++) xy[p * K + k] += x[p] * y[k];
    }
  }
  const w = leastSquares(xx, xy, P, K);
  [2, -1, -1, 0, 0.5, 4].forEach((want, i) => assert.ok(Math.abs(w[i] - want) < 1e-6, `w[${i}] = ${w[i]}`));
});

test('per-step loss: mean over real steps only; padding gets no gradient and does not move the loss', () => {
  const B = 2, T = 3, K = 2;
  const outputs = Tensor.from(Float32Array.of(1, 2, 3, 4, 5, 6, 0.5, 0.5, 9, 9, 9, 9), [B, T, K]);
  const batch: Batch = { size: B, steps: T, lengths: Int32Array.of(3, 1), targets: Float32Array.of(0, 0, 0, 0, 0, 0, 1, 1, -7, -7, -7, -7), indices: Int32Array.of(0, 1) };
  const loss = perStepRegressionLoss(new MSELoss());
  const { loss: value, count } = loss.forward(outputs, batch);
  assert.equal(count, 4, 'real steps');
  const real = [1, 2, 3, 4, 5, 6, -0.5, -0.5];
  assert.ok(Math.abs(value - real.reduce((s, e) => s + e * e, 0) / 8) < 1e-9);
  const gradient = loss.backward();
  assert.deepEqual(Array.from(gradient.data.subarray(8)), [0, 0, 0, 0], 'padding steps');
  assert.ok(Math.abs(gradient.data[0] - (2 * 1) / 8) < 1e-7);
  assert.ok(Math.abs(gradient.data[6] - (2 * -0.5) / 8) < 1e-7);

  const metrics = new MetricAccumulator('regress-per-step', { outputSize: K, denormalizeTargets: (v: Float32Array) => v.forEach((x, i) => (v[i] = 10 * x)) } as never);
  metrics.add(batch, value, count, outputs.data);
  const m = metrics.metrics();
  assert.ok(Math.abs(m.mse - (100 * real.reduce((s, e) => s + e * e, 0)) / 8) < 1e-4, 'MSE in original units over real steps');
  assert.ok(Math.abs(m.mae - (10 * real.reduce((s, e) => s + Math.abs(e), 0)) / 8) < 1e-5);
});
