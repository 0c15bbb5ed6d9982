import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baselines } from './baselines';
import type { ExampleSplit } from './batching';
import { loadCsvSeries, readNumericColumnsFrom } from './series';
import { DataError } from './types';

const csvOf = (rows: number[][], header = 'month,passengers,temp') =>
  [header, ...rows.map((row, i) => `m${i},${row.join(',')}`)].join('\n') + '\n';
/** 20 rows: passengers = 10·i (a trend, so train and full-series statistics differ), temp = 100 + i. */
const rising = Array.from({ length: 20 }, (_, i) => [10 * i, 100 + i]);

const load = (text: string, overrides: Partial<Parameters<typeof loadCsvSeries>[1]> = {}) =>
  loadCsvSeries(text, {
    file: 'examples/data/airline.csv',
    window: 4,
    horizon: 1,
    inputColumns: ['passengers'],
    targetColumns: ['passengers'],
    normalize: 'zscore',
    split: { validation: 0.25 },
    ...overrides,
  });

test('series: a bad number is reported at file:line:col with the column name', () => {
  const rows = csvOf(rising).split('\n');
  rows[16] = 'm15,abc,115';
  assert.throws(() => load(rows.join('\n')), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.equal(String(error.message), 'examples/data/airline.csv:17:5: "abc" is not a number in column "passengers"');
    assert.deepEqual([error.file, error.line, error.column], ['examples/data/airline.csv', 17, 5]);
    return true;
  });
});

test('series: an empty cell and a missing column are named', () => {
  const rows = csvOf(rising).split('\n');
  rows[3] = 'm2,,102';
  assert.throws(() => load(rows.join('\n')), /airline\.csv:4:4: an empty cell is not a number in column "passengers"/);
  assert.throws(() => load(csvOf(rising), { inputColumns: ['riders'] }), /airline\.csv:1:1: no column "riders" in the header \(columns: "month", "passengers", "temp"\)/);
});

test('series: z-score is fitted on the rows the training windows touch, not on later rows', () => {
  const prepared = load(csvOf(rising));
  // 20 rows, window 4, horizon 1 → 16 windows; 4 held out → 12 train windows touching rows 0..15.
  assert.equal(prepared.info.trainSize, 12);
  assert.equal(prepared.info.validationSize, 4);
  const trainRows = rising.slice(0, 16).map((row) => row[0]);
  const mean = trainRows.reduce((a, b) => a + b, 0) / trainRows.length;
  const std = Math.sqrt(trainRows.reduce((a, b) => a + (b - mean) ** 2, 0) / trainRows.length);
  const normalizer = prepared.info.normalizer!;
  assert.ok(Math.abs(normalizer.mean[0] - mean) < 1e-9, `mean ${normalizer.mean[0]} vs ${mean}`);
  assert.ok(Math.abs(normalizer.std[0] - std) < 1e-9);
  assert.notEqual(normalizer.mean[0], 95); // the all-rows mean
});

test('series: windows and horizon line up (inputs rows e..e+W-1, targets rows e+W..e+W+Hz-1) and the split is chronological', () => {
  const prepared = load(csvOf(rising), { horizon: 2, normalize: 'none', inputColumns: ['passengers', 'temp'] });
  const train = prepared.train as ExampleSplit;
  const validation = prepared.validation as ExampleSplit;
  assert.equal(prepared.info.inputSize, 2);
  assert.equal(prepared.info.outputSize, 2);
  const first = train.example(0);
  assert.deepEqual(Array.from(first.inputs!), [0, 100, 10, 101, 20, 102, 30, 103]); // [W,I]
  assert.deepEqual(Array.from(first.targets!), [40, 50]); // [Hz,K]
  assert.deepEqual(Array.from(first.persistence!), [30, 30]);
  // 15 windows: 11 train then 4 validation, in time order.
  assert.equal(train.size + validation.size, 15);
  assert.deepEqual(Array.from(validation.example(0).inputs!.subarray(0, 2)), [110, 111]);
  assert.deepEqual(Array.from(validation.example(3).targets!), [180, 190]);
});

test('series: denormalizeTargets maps normalised targets back to original units', () => {
  const prepared = load(csvOf(rising), { inputColumns: ['temp', 'passengers'], targetColumns: ['passengers'] });
  const validation = prepared.validation as ExampleSplit;
  const targets = Float32Array.from(validation.example(0).targets!);
  assert.ok(Math.abs(targets[0] - 160) > 1); // really normalised
  prepared.info.denormalizeTargets(targets);
  assert.ok(Math.abs(targets[0] - 160) < 1e-3, `${targets[0]}`);
  assert.deepEqual(prepared.info.normalizerColumns, ['temp', 'passengers']);
});

test('series: the persistence baseline is the mean squared one-step change, in original units', () => {
  const prepared = load(csvOf(rising));
  const figures = baselines(prepared);
  assert.ok(Math.abs(figures.persistenceMse - 100) < 1e-3, `${figures.persistenceMse}`); // every step rises by 10
  assert.ok(Math.abs(figures.persistenceMae - 10) < 1e-4);
});

test('series: too few rows for the window is a clear error', () => {
  assert.throws(() => load(csvOf(rising.slice(0, 5))), /5 rows are too few for window 4 and horizon 1/);
});

test('series: the table is the float32 store itself; column statistics come from the exact values as read', () => {
  // 0.1 and 0.7 are not float32 numbers: the table holds their float32 roundings, the statistics the decimals.
  const rows = Array.from({ length: 20 }, (_, i) => [i % 2 ? 0.7 : 0.1, 100 + i]);
  const text = csvOf(rows);
  const table = readNumericColumnsFrom([text], 'x.csv', ['passengers', 'temp']);
  assert.ok(table.values instanceof Float32Array);
  assert.deepEqual(Array.from(table.values.subarray(0, 4)), [Math.fround(0.1), 100, Math.fround(0.7), 101]);
  const [passengers] = table.statistics;
  assert.deepEqual([passengers.min, passengers.max, passengers.count], [0.1, 0.7, 20]);
  assert.ok(Math.abs(passengers.mean - 0.4) < 1e-15 && Math.abs(passengers.std - 0.3) < 1e-15, `${passengers.mean} ${passengers.std}`);
  // Read in small pieces with the file's size given, the table is sized by projection and resized as needed.
  const pieces = text.match(/[^]{1,7}/g)!;
  const chunked = readNumericColumnsFrom(pieces, 'x.csv', ['passengers', 'temp'], text.length);
  assert.deepEqual(Array.from(chunked.values), Array.from(table.values));
  assert.equal(chunked.rowCount, 20);
  // The z-scored windows are that table, normalised in place with the training split's float64 statistics.
  const prepared = load(text);
  const { mean, std } = prepared.info.normalizer!;
  const trainingRows = prepared.info.trainSize - 1 + 4 + 1; // the last training window's rows and its target
  let sum = 0;
  for (let r = 0; r < trainingRows; r++) sum += table.values[r * 2];
  assert.ok(Math.abs(mean[0] - sum / trainingRows) < 1e-15);
  assert.ok(std[0] > 0.29 && std[0] < 0.31);
  const example = (prepared.train as ExampleSplit).example(1);
  assert.equal(example.inputs![0], Math.fround((Math.fround(0.7) - mean[0]) / std[0]));
  assert.deepEqual(prepared.info.stats!.columns, [passengers]);
});
