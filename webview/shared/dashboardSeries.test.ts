import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrainerEvent } from '../../src/train/protocol';
import { addDashboardEvent, dashboardSeriesFrom, metricLabel, runStatusText } from './dashboardSeries';

const started: TrainerEvent = {
  type: 'runStarted', runId: 'r1', runDir: '/runs/r1', specName: 'forecaster', task: 'forecast', parameterCount: 17_345,
  totalSteps: 400, epochs: 4, stepsPerEpoch: 100, metricNames: ['rmse'],
};
const step = (n: number, loss: number): TrainerEvent => ({
  type: 'step', epoch: Math.floor(n / 100) + 1, step: n, totalSteps: 400, loss, lr: 0.01, gradNormBefore: 3, gradNormAfter: 1,
  samplesPerSecond: 1234.4, etaSeconds: 100,
});

test('steps and epochs become aligned loss series and per-epoch metrics', () => {
  const series = dashboardSeriesFrom([
    started, step(1, 0.9), step(2, 0.8),
    { type: 'epoch', epoch: 1, step: 100, trainLoss: 0.5, validationLoss: 0.6, metrics: { rmse: 0.7 }, best: true, lr: 0.01, seconds: 3 },
  ]);
  assert.deepEqual(series.trainLoss, [{ x: 1, y: 0.9 }, { x: 2, y: 0.8 }]);
  assert.deepEqual(series.validationLoss, [{ x: 100, y: 0.6 }]);
  assert.deepEqual(series.metrics, { rmse: [{ x: 1, y: 0.7 }] });
  assert.deepEqual(series.gradientNormBeforeClipping.map((p) => p.y), [3, 3]);
  assert.deepEqual(series.gradientNormAfterClipping.map((p) => p.y), [1, 1]);
  assert.equal(series.bestEpoch?.epoch, 1);
});

test('epochs without validation (validateEvery) add no validation point: the curves join the validated epochs', () => {
  const epoch = (n: number, validated?: { loss: number; rmse: number; best: boolean }): TrainerEvent => ({
    type: 'epoch', epoch: n, step: n * 100, trainLoss: 1 / n, ...(validated ? { validationLoss: validated.loss } : {}),
    metrics: validated ? { rmse: validated.rmse } : {}, best: validated?.best ?? false, lr: 0.01, seconds: 3,
  });
  const series = dashboardSeriesFrom([
    started, epoch(1), epoch(2, { loss: 0.6, rmse: 0.7, best: true }), epoch(3), epoch(4, { loss: 0.8, rmse: 0.9, best: false }), epoch(5),
  ]);
  assert.deepEqual(series.validationLoss, [{ x: 200, y: 0.6 }, { x: 400, y: 0.8 }]);
  assert.deepEqual(series.metrics, { rmse: [{ x: 2, y: 0.7 }, { x: 4, y: 0.9 }] });
  assert.equal(series.latestEpoch?.epoch, 5);
  assert.equal(series.latestValidation?.epoch, 4, 'the summary shows the latest validation, not an empty epoch');
  assert.equal(series.bestEpoch?.epoch, 2, 'an unvalidated first epoch never stands in as the best');
});

test('a second runStarted clears the previous run', () => {
  const series = dashboardSeriesFrom([started, step(1, 0.9)]);
  addDashboardEvent(series, started);
  assert.equal(series.trainLoss.length, 0);
});

test('only warnings and errors are kept, the newest five', () => {
  const logs: TrainerEvent[] = [];
  for (let i = 0; i < 8; i++) logs.push({ type: 'log', level: i === 0 ? 'info' : 'warning', message: `m${i}` });
  assert.deepEqual(dashboardSeriesFrom(logs).problems.map((l) => l.message), ['m3', 'm4', 'm5', 'm6', 'm7']);
});

test('the status line tells epoch, step, progress, speed and ETA, or the outcome', () => {
  const series = dashboardSeriesFrom([started, step(56, 0.5)]);
  assert.equal(runStatusText(series, 'running'), 'Running · epoch 1/4 · step 56/400 (14%) · 1,234 samples/s · ETA 1m 40s');
  assert.match(runStatusText(series, 'paused'), /^Paused · /);
  assert.equal(runStatusText(series, 'finished'), 'Not running · epoch 1/4 · step 56/400 (14%)');
  addDashboardEvent(series, {
    type: 'runFinished', status: 'diverged', message: 'loss became NaN', epochs: 1, steps: 57, bestValidationLoss: 0.25, bestEpoch: 1,
    finalMetrics: {}, seconds: 125, runDir: '/runs/r1',
  });
  assert.equal(runStatusText(series, 'finished'), 'Diverged: loss became NaN', 'a run recorded before the one-sentence outcome');
  const sentence = 'Stopped at step 63, in epoch 1 (63 of its 100 steps); its checkpoint is kept at /runs/r1/model.safetensors.';
  addDashboardEvent(series, { type: 'runFinished', status: 'stopped', message: sentence, epochs: 0, steps: 63, bestValidationLoss: Infinity, bestEpoch: 0, finalMetrics: {}, seconds: 9, runDir: '/runs/r1' });
  assert.equal(runStatusText(series, 'finished'), sentence, 'the trainer\'s sentence as it is: no "after 0 epochs" beside "in epoch 1"');
  assert.equal(runStatusText(dashboardSeriesFrom([]), 'idle'), 'No training run yet');
});

test('metric names are shown with the run\'s own labels, raw only for runs without them', () => {
  const labelled = dashboardSeriesFrom([{ ...started, metricNames: ['tokenAccuracy'], metricLabels: { tokenAccuracy: 'token accuracy' } } as TrainerEvent]);
  assert.equal(metricLabel(labelled, 'tokenAccuracy'), 'token accuracy');
  assert.equal(metricLabel(dashboardSeriesFrom([started]), 'rmse'), 'rmse');
});
