import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeqModelSpec } from '../modelSpec/types';
import { prepareData } from '../data';
import { train } from './trainer';
import { memoryRunIo } from './runIo';
import { perClassScores, macroF1 } from './metrics';
import { recorder, steppingClock } from './testing/tinyRuns';

const ROWS = 120;
const WINDOW = 6;
const values = Array.from({ length: ROWS }, (_, t) => Number((10 + 3 * Math.sin(t / 4)).toFixed(3)));
const seriesCsv = ['y', ...values.map(String)].join('\n');

for (const normalize of ['zscore', 'last-value'] as const) {
  test(`forecasting (${normalize}): the predictions carry the whole validation series, and the test evaluation the test series, in order and original units, one step ahead`, async () => {
    const spec: SeqModelSpec = {
      name: 'series', task: { type: 'forecast' },
      data: { source: 'csv', path: 'series.csv', columns: ['y'], window: WINDOW, normalize, split: { validation: 0.2, test: 0.15 } },
      model: { encoder: { cell: 'gru', hiddenSize: 4 } },
      training: { epochs: 1, batchSize: 8, seed: 3, optimizer: { type: 'adam', lr: 0.01 } },
    };
    const data = prepareData(spec, '/d', { readTextFile: () => seriesCsv });
    const r = recorder();
    await train({ spec, data, io: memoryRunIo(), runDir: '/run', emit: r.emit, now: steppingClock() });
    const series = r.of('predictions')[0].series!;
    assert.equal(series.target, 'y');
    const n = data.validation.size;
    assert.equal(series.truth.length, n);
    // Window e predicts row e + WINDOW: the validation windows follow the training ones, in order.
    const first = data.train.size + WINDOW;
    assert.deepEqual(series.truth.map((v) => Number(v.toFixed(3))), values.slice(first, first + n));
    // The predictions are the ones the metrics were computed from: their errors give the epoch's MAE and RMSE.
    const metrics = r.of('epoch')[0].metrics;
    assert.ok(Math.abs(meanAbsolute(series) - metrics.mae) < 1e-4, 'MAE');
    assert.ok(Math.abs(rootMeanSquare(series) - metrics.rmse) < 1e-4, 'RMSE');
    // The test windows are the end of the series: their targets are its last values, and give the test MAE.
    const held = r.of('testEvaluation')[0];
    const testSeries = held.series!;
    assert.equal(testSeries.truth.length, data.test!.size);
    assert.deepEqual(testSeries.truth.map((v) => Number(v.toFixed(3))), values.slice(ROWS - data.test!.size));
    assert.ok(Math.abs(meanAbsolute(testSeries) - held.metrics.mae) < 1e-4, 'test MAE');
  });
}

test('per-step regression: the series holds each validation row as predicted by the window ending at it, the samples whole windows, in original units', async () => {
  const clean = values.map((v) => Number((2 * v - 5).toFixed(3)));
  const csv = ['y,c', ...values.map((v, t) => `${v},${clean[t]}`)].join('\n');
  const spec: SeqModelSpec = {
    name: 'steps', task: { type: 'regress-per-step' },
    data: { source: 'csv', path: 'steps.csv', columns: ['y'], target: ['c'], window: WINDOW, split: { validation: 0.2 } },
    model: { encoder: { cell: 'gru', hiddenSize: 4 } },
    training: { epochs: 1, batchSize: 8, seed: 3, optimizer: { type: 'adam', lr: 0.01 } },
  };
  const data = prepareData(spec, '/d', { readTextFile: () => csv });
  const r = recorder();
  await train({ spec, data, io: memoryRunIo(), runDir: '/run', emit: r.emit, now: steppingClock() });
  const predictions = r.of('predictions')[0];
  const series = predictions.series!;
  assert.equal(series.perStep, true);
  assert.equal(series.target, 'c');
  // Validation window e covers rows first+e .. first+e+W-1; its last step is the row the series shows.
  const first = data.train.size;
  assert.deepEqual(series.truth.map((v) => Number(v.toFixed(3))), clean.slice(first + WINDOW - 1, first + WINDOW - 1 + data.validation.size));
  const windows = predictions.samples.filter((sample) => sample.kind === 'steps');
  assert.equal(windows.length, 5);
  windows.forEach((sample, e) => {
    assert.equal(sample.kind === 'steps' && sample.truth.length, WINDOW);
    assert.deepEqual(sample.kind === 'steps' && sample.truth.map((v) => Number(v.toFixed(3))), clean.slice(first + e, first + e + WINDOW), `window ${e}`);
  });
});

function meanAbsolute(series: { truth: number[]; predicted: number[] }): number {
  return series.truth.reduce((sum, truth, i) => sum + Math.abs(series.predicted[i] - truth), 0) / series.truth.length;
}

function rootMeanSquare(series: { truth: number[]; predicted: number[] }): number {
  return Math.sqrt(series.truth.reduce((sum, truth, i) => sum + (series.predicted[i] - truth) ** 2, 0) / series.truth.length);
}

test('classification: the worst mistakes are wrong, most confident first, with their inputs; per-class scores beside the matrix', async () => {
  const rows = ['text,label', ...Array.from({ length: 40 }, (_, i) => (i % 2 ? `good film ${i % 5 ? 'really' : 'bad'},pos` : `bad plot ${i % 3 ? 'awful' : 'good'},neg`))];
  const spec: SeqModelSpec = {
    name: 'reviews', task: { type: 'classify' },
    data: { source: 'text-classification', path: 'reviews.csv', split: { validation: 0.5 } },
    model: { embedding: { dim: 3 }, encoder: { cell: 'lstm', hiddenSize: 3 } },
    training: { epochs: 1, batchSize: 4, seed: 5, optimizer: { type: 'sgd', lr: 0.01 } },
  };
  const data = prepareData(spec, '/d', { readTextFile: () => rows.join('\n') });
  const r = recorder();
  await train({ spec, data, io: memoryRunIo(), runDir: '/run', emit: r.emit, now: steppingClock() });
  const predictions = r.of('predictions')[0];
  const mistakes = predictions.mistakes!;
  const wrong = predictions.confusion!.counts.reduce((sum, row, truth) => sum + row.reduce((s, v, p) => s + (p === truth ? 0 : v), 0), 0);
  assert.equal(mistakes.length, Math.min(8, wrong));
  for (const m of mistakes) {
    assert.notEqual(m.truth, m.predicted);
    assert.ok(m.confidence >= 0.5 && m.confidence <= 1, `two classes: the predicted one has at least half (${m.confidence})`);
    assert.match(m.input, /film|plot/);
  }
  assert.deepEqual(mistakes.map((m) => m.confidence), [...mistakes.map((m) => m.confidence)].sort((a, b) => b - a));
  assert.equal(predictions.classScores!.length, predictions.confusion!.labels.length);
});

test('per-class precision, recall and F1 from a confusion matrix (hand count)', () => {
  // truth ↓ / predicted →: class 0 has 5 examples, 4 right; class 1 has 3, 1 right; class 2 never occurs.
  const confusion = [[4, 1, 0], [2, 1, 0], [0, 0, 0]];
  const [a, b, c] = perClassScores(confusion);
  assert.deepEqual([a.precision, a.recall, a.support], [4 / 6, 4 / 5, 5]);
  assert.ok(Math.abs(a.f1 - (2 * (4 / 6) * (4 / 5)) / (4 / 6 + 4 / 5)) < 1e-12);
  assert.deepEqual([b.precision, b.recall, b.f1, b.support], [1 / 2, 1 / 3, 2 / 5, 3]);
  assert.deepEqual([c.precision, c.recall, c.f1, c.support], [0, 0, 0, 0]);
  assert.ok(Math.abs(macroF1(confusion) - (a.f1 + b.f1) / 2) < 1e-12, 'the absent class does not count in the macro mean');
});
