import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeqModelSpec } from '../modelSpec/types';
import { baselines } from './baselines';
import { prepareData } from './prepare';
import { loadCsvSeries } from './series';
import { columnStatistics, formatDataSummary, lengthSummary, RunningStatistics, summarizeData } from './summary';

test('column statistics: min, max, mean and population std per column of a row-major table', () => {
  const [a, b] = columnStatistics([1, 10, 2, 20, 3, 30, 6, 40], ['a', 'b']);
  assert.deepEqual([a.name, a.count, a.min, a.max, a.mean], ['a', 4, 1, 6, 3]);
  assert.ok(Math.abs(a.std - Math.sqrt((4 + 1 + 0 + 9) / 4)) < 1e-12);
  assert.deepEqual([b.min, b.max, b.mean], [10, 40, 25]);
  assert.ok(Math.abs(b.std - Math.sqrt(125)) < 1e-12);
  // One pass stays exact where the naive sum of squares cancels (large offset, small spread).
  const running = new RunningStatistics();
  for (const v of [1e9 + 1, 1e9 + 2, 1e9 + 3]) running.add(v);
  assert.ok(Math.abs(running.result('x').std - Math.sqrt(2 / 3)) < 1e-6);
  assert.ok(Number.isNaN(new RunningStatistics().result('empty').mean));
});

test('length histogram: equal-width integer bins covering min..max, every length counted once', () => {
  const lengths = [3, 3, 4, 10, 11, 20, 20, 20];
  const summary = lengthSummary(lengths);
  assert.deepEqual([summary.min, summary.max, summary.mean], [3, 20, 91 / 8]);
  assert.equal(summary.histogram.reduce((n, b) => n + b.count, 0), 8);
  assert.equal(summary.histogram[0].from, 3);
  assert.equal(summary.histogram.at(-1)!.to, 20);
  for (let i = 1; i < summary.histogram.length; i++) assert.equal(summary.histogram[i].from, summary.histogram[i - 1].to + 1);
  assert.deepEqual(lengthSummary([7, 7]).histogram, [{ from: 7, to: 7, count: 2 }]);
});

test('a CSV series: rows and column statistics in original units, windows per split, baselines per held-out split', () => {
  const rows = Array.from({ length: 40 }, (_, i) => `m${i},${10 * i},${100 + (i % 5)}`);
  const prepared = loadCsvSeries(['month,passengers,temp', ...rows].join('\n'), {
    file: 'air.csv', window: 4, horizon: 1, inputColumns: ['passengers', 'temp'], targetColumns: ['passengers'], normalize: 'zscore',
    split: { validation: 0.2, test: 0.2 },
  });
  const summary = summarizeData(prepared);
  assert.equal(summary.rows, 40);
  assert.equal(summary.exampleUnit, 'windows');
  assert.deepEqual(summary.splits, { train: 22, validation: 7, test: 7 });
  const passengers = summary.columns!.find((c) => c.name === 'passengers')!;
  assert.deepEqual([passengers.min, passengers.max, passengers.mean], [0, 390, 195]);
  assert.deepEqual(summary.lengths, { min: 4, max: 4, mean: 4, histogram: [{ from: 4, to: 4, count: 36 }] });
  assert.deepEqual(summary.baselines.validation, baselines(prepared, 'validation'));
  assert.deepEqual(summary.baselines.test, baselines(prepared, 'test'));
  assert.equal(summary.baselines.test!.persistenceRmse, 10, 'the series rises by 10 a row: persistence is off by 10');
  assert.deepEqual(summarizeData(prepared, { validationBaselines: { persistenceRmse: 10 } }).baselines.validation, { persistenceRmse: 10 }, 'figures the run has already are reused');
  const text = formatDataSummary(summary);
  assert.match(text, /^data: forecast, 40 rows; 36 windows: train 22 · validation 7 · test 7$/m);
  assert.match(text, /^ {2}passengers +0 +390 +195 +115\.4$/m);
  assert.match(text, /^sequence length: 4 steps, every example$/m);
  assert.match(text, /^baselines on test: persistenceMse 100 · persistenceRmse 10 · /m);
});

test('text classification: labels counted per split, lengths histogrammed, vocabulary size', () => {
  const lines = ['text,label', ...Array.from({ length: 20 }, (_, i) => `${'word '.repeat(1 + (i % 6))}x${i},${i < 14 ? 'pos' : 'neg'}`)];
  const spec: SeqModelSpec = {
    name: 't', task: { type: 'classify', labels: ['neg', 'pos'] }, data: { source: 'text-classification', path: 'd.csv', split: { validation: 0.25 } },
    model: { encoder: { cell: 'lstm', hiddenSize: 4 } }, training: { epochs: 1, batchSize: 2, seed: 5, optimizer: { type: 'adam', lr: 0.01 } },
  };
  const prepared = prepareData(spec, '/ws', { readTextFile: () => lines.join('\n') });
  const summary = summarizeData(prepared);
  assert.equal(summary.exampleUnit, 'samples');
  assert.equal(summary.rows, undefined);
  assert.deepEqual(summary.labels!.counts.map((c) => c.label), ['neg', 'pos']);
  const neg = summary.labels!.counts[0].splits;
  const pos = summary.labels!.counts[1].splits;
  assert.equal(neg.train + neg.validation, 6);
  assert.equal(pos.train + pos.validation, 14);
  assert.equal(neg.train + pos.train, summary.splits.train);
  assert.equal(summary.lengths!.min, 2);
  assert.equal(summary.lengths!.max, 7);
  assert.equal(summary.lengths!.histogram.reduce((n, b) => n + b.count, 0), 20);
  assert.equal(summary.vocabulary!.input, prepared.info.vocabulary!.size);
  assert.deepEqual(summary.baselines.validation, baselines(prepared));
  assert.equal(summary.baselines.test, undefined);
  const text = formatDataSummary(summary);
  assert.match(text, /^labels \(examples per split\):$/m);
  assert.match(text, new RegExp(`^ {2}neg +${neg.train} \\(${((100 * neg.train) / summary.splits.train).toFixed(1)}%\\) +${neg.validation} \\(`, 'm'));
  assert.ok(!/ test/.test(text.split('\n').find((l) => l.includes('label ') && l.includes('train'))!), 'no test column without a test split');
  assert.match(text, /^sequence length: 2–7 steps, mean /m);
});
