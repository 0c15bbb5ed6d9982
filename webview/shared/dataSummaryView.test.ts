import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataSummary } from '../../src/data/summary';
import type { TrainerEvent } from '../../src/train/protocol';
import { addDashboardEvent, dashboardSeriesFrom } from './dashboardSeries';
import { dataSummaryView } from './dataSummaryView';

const classification: DataSummary = {
  task: 'classify', kind: 'tokens', exampleUnit: 'samples', splits: { train: 480, validation: 120, test: 0 },
  vocabulary: { input: 93 },
  labels: { unit: 'examples', counts: [{ label: 'negative', splits: { train: 237, validation: 63, test: 0 } }, { label: '<b>positive</b>', splits: { train: 243, validation: 57, test: 0 } }] },
  lengths: { min: 5, max: 14, mean: 8.922, histogram: [{ from: 5, to: 6, count: 208 }, { from: 7, to: 14, count: 392 }] },
  baselines: { validation: { majorityAccuracy: 0.475 } },
};

test('the data block: a headline of splits, then facts and tables of labels, lengths and baselines', () => {
  const view = dataSummaryView(classification);
  assert.equal(view.headline, '600 samples · train 480 · validation 120 · test 0');
  assert.deepEqual(view.facts, ['vocabulary 93 tokens', 'sequences of 5–14 steps, mean 8.922']);
  const [labels, lengths, baselines] = view.tables;
  assert.deepEqual(labels.header, ['label', 'train', 'validation'], 'no test column without a test split');
  assert.deepEqual(labels.rows[0], ['negative', '237 (49.4%)', '63 (52.5%)']);
  assert.equal(labels.rows[1][0], '<b>positive</b>', 'labels stay text (the panel sets textContent)');
  assert.deepEqual(lengths.rows, [['5–6', '208'], ['7–14', '392']]);
  assert.deepEqual(baselines.rows, [['validation', 'majorityAccuracy', '0.475']]);
});

test('a series from a file: rows and column statistics; equal lengths need no histogram; baselines per split', () => {
  const view = dataSummaryView({
    task: 'forecast', kind: 'series', exampleUnit: 'windows', rows: 40, splits: { train: 22, validation: 7, test: 7 },
    columns: [{ name: 'passengers', count: 40, min: 0, max: 390, mean: 195, std: 115.43 }],
    lengths: { min: 4, max: 4, mean: 4, histogram: [{ from: 4, to: 4, count: 36 }] },
    baselines: { validation: { persistenceRmse: 10 }, test: { persistenceRmse: 12 } },
  });
  assert.deepEqual(view.facts, ['40 rows in the file', 'every sequence 4 steps']);
  assert.deepEqual(view.tables.map((t) => t.caption), ['Columns (original units)', 'Baselines to beat']);
  assert.deepEqual(view.tables[0].rows, [['passengers', '0', '390', '195', '115.4']]);
  assert.deepEqual(view.tables[1].rows, [['validation', 'persistenceRmse', '10'], ['test', 'persistenceRmse', '12']]);
});

test('the dashboard keeps the summary of the current run: it arrives after runStarted and a new run clears it', () => {
  const started: TrainerEvent = { type: 'runStarted', runId: 'r', runDir: '/r', specName: 's', task: 'classify', parameterCount: 1, totalSteps: 1, epochs: 1, stepsPerEpoch: 1, metricNames: [] };
  const series = dashboardSeriesFrom([started, { type: 'dataSummary', summary: classification }]);
  assert.equal(series.dataSummary, classification);
  addDashboardEvent(series, started);
  assert.equal(series.dataSummary, undefined);
});
