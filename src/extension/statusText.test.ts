import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeTrainingStatus } from './statusText';
import type { StepProgress } from '../train/protocol';

const step: StepProgress = { type: 'step', epoch: 2, step: 45, totalSteps: 100, loss: 0.123456, lr: 0.01, gradNormBefore: 2, gradNormAfter: 1, samplesPerSecond: 812.4, etaSeconds: 75 };

test('a running run shows percent, loss and other active runs; the tooltip has epoch, step, ETA and speed', () => {
  const { text, tooltip } = describeTrainingStatus({ specName: 'forecaster', state: 'running', latestStep: step, otherActiveRuns: 1 });
  assert.equal(text, '$(sync~spin) forecaster 45% · loss 0.1235 (+1)');
  assert.equal(tooltip, 'Epoch 2, step 45/100, ETA 1m 15s, 812 samples/s. Click for the dashboard.');
});

test('the ETA reads as on the dashboard: seconds padded, rounded before they are split', () => {
  const eta = (etaSeconds: number) => describeTrainingStatus({ specName: 'f', state: 'running', latestStep: { ...step, etaSeconds }, otherActiveRuns: 0 }).tooltip.match(/ETA ([^,]*),/)?.[1];
  assert.equal(eta(65), '1m 05s');
  assert.equal(eta(119.6), '2m 00s');
  assert.equal(eta(3720), '1h 02m');
  assert.equal(eta(Number.POSITIVE_INFINITY), '—');
});

test('paused, queued and finished runs say so', () => {
  assert.match(describeTrainingStatus({ specName: 'f', state: 'paused', latestStep: step, otherActiveRuns: 0 }).text, /^\$\(debug-pause\) f 45% · loss 0\.1235 paused$/);
  assert.match(describeTrainingStatus({ specName: 'f', state: 'queued', otherActiveRuns: 0 }).text, /queued/);
  const failed = describeTrainingStatus({ specName: 'f', state: 'finished', otherActiveRuns: 0,
    finished: { type: 'runFinished', status: 'failed', message: 'loss became NaN', epochs: 1, steps: 3, bestValidationLoss: Number.NaN, bestEpoch: -1, finalMetrics: {}, seconds: 1, runDir: '' } });
  assert.equal(failed.text, '$(error) f failed');
  assert.match(failed.tooltip, /loss became NaN/);
  const completed = describeTrainingStatus({ specName: 'f', state: 'finished', otherActiveRuns: 0,
    finished: { type: 'runFinished', status: 'completed', message: '', epochs: 1, steps: 3, bestValidationLoss: 0.00123, bestEpoch: 1, finalMetrics: {}, seconds: 1, runDir: '' } });
  assert.equal(completed.text, '$(check) f completed · best val 1.23e-3');
  const early = describeTrainingStatus({ specName: 'f', state: 'finished', otherActiveRuns: 0,
    finished: { type: 'runFinished', status: 'early-stopped', message: 'Stopped early after 9 epochs (270 steps): no improvement of validation token accuracy for 3 epochs; best epoch 6 (validation loss 0.1546).', epochs: 9, steps: 270, bestValidationLoss: 0.1546, bestEpoch: 6, finalMetrics: {}, seconds: 1, runDir: '' } });
  assert.equal(early.text, '$(check) f stopped early · best val 0.1546');
  assert.equal(early.tooltip, 'Stopped early after 9 epochs (270 steps): no improvement of validation token accuracy for 3 epochs; best epoch 6 (validation loss 0.1546).\nClick for the dashboard.');
});
