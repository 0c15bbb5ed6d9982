import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine, summaryTable, terminalReporter, jsonReporter } from './progress';
import type { RunFinished } from '../train/protocol';

const step = { type: 'step' as const, epoch: 3, step: 50, totalSteps: 200, loss: 0.123456, lr: 0.01, gradNormBefore: 2, gradNormAfter: 1, samplesPerSecond: 812.4, etaSeconds: 95 };
const finished: RunFinished = {
  type: 'runFinished', status: 'completed', message: 'trained 20 epochs', epochs: 20, steps: 620, bestValidationLoss: 0.159, bestEpoch: 9,
  finalMetrics: { rmse: 3.23 }, seconds: 106, runDir: '/w/.seqlab/runs/forecaster-20261125-111500',
};

test('the progress line shows epoch, a bar, step, loss, samples/s and ETA', () => {
  assert.equal(progressLine(step, 20, 8), 'epoch 3/20 ██░░░░░░ step 50/200  loss 0.1235  812 samples/s  ETA 1:35');
});

test('a terminal redraws the bar in place and prints epochs and the summary on their own lines', () => {
  let out = '';
  const reporter = terminalReporter((t) => { out += t; });
  reporter.event({ type: 'runStarted', runId: 'r', runDir: '/r', specName: 'forecaster', task: 'forecast', parameterCount: 50753, totalSteps: 200, epochs: 20, stepsPerEpoch: 10, metricNames: ['rmse'] });
  reporter.event(step);
  reporter.event({ ...step, step: 51 });
  reporter.event({ type: 'epoch', epoch: 3, step: 51, trainLoss: 0.2, validationLoss: 0.25, metrics: { rmse: 3.5 }, best: true, lr: 0.01, seconds: 4 });
  reporter.finish(finished, { persistenceRmse: 5.01 });
  assert.match(out, /^training forecaster \(forecast, 50,753 parameters\) → \/r\n/);
  assert.match(out, /\r\x1b\[2Kepoch 3\/20 .* step 51\/200/, 'the second bar overwrites the first');
  // Metric and baseline names as people write them, the way the panels show them.
  assert.match(out, /epoch 3: train loss 0\.2000 {2}val loss 0\.2500 {2}RMSE 3\.500 {2}\(best\)\n/);
  assert.match(out, /final RMSE\s+3\.230\n\s+baseline persistence RMSE\s+5\.010\n/);
});

test('JSON lines: one parseable object per event, gates left out, a closing summary', () => {
  const lines: string[] = [];
  const reporter = jsonReporter((l) => lines.push(l));
  reporter.event(step);
  reporter.event({ type: 'gates', epoch: 1, step: 1, cell: 'lstm', layer: 0, hiddenSize: 1, steps: 1, timeLabels: ['a'], gates: { input: new Float32Array(1) }, saturation: { input: 0 } });
  reporter.finish({ ...finished, bestValidationLoss: NaN }, {});
  assert.equal(lines.length, 2);
  assert.deepEqual(JSON.parse(lines[0]), step);
  assert.equal(JSON.parse(lines[1]).type, 'summary');
  assert.ok(summaryTable(finished, {}).includes('best validation loss  0.1590 (epoch 9)'));
});

test('JSON lines with gates: a gate snapshot\'s values as plain arrays (the editor\'s PyTorch runs show them)', () => {
  const lines: string[] = [];
  jsonReporter((l) => lines.push(l), { gates: true }).event({ type: 'gates', epoch: 1, step: 1, cell: 'gru', layer: 0, hiddenSize: 2, steps: 1, timeLabels: ['a'], gates: { reset: Float32Array.of(0.25, 0.5) }, saturation: { reset: 0 } });
  assert.deepEqual(JSON.parse(lines[0]).gates, { reset: [0.25, 0.5] });
});

test('the summary shows the held-out test figures apart, with the checkpoint, the example count and the test baselines', () => {
  const evaluation = {
    type: 'testEvaluation' as const, checkpoint: 'best' as const, checkpointFile: '/r/best.safetensors', epoch: 9, size: 1200, loss: 0.2,
    metrics: { rmse: 3.4 }, baselines: { persistenceRmse: 5.2 },
  };
  let out = '';
  const terminal = terminalReporter((t) => { out += t; });
  terminal.event(evaluation);
  assert.equal(out, '', 'reported once, in the summary');
  terminal.finish(finished, { persistenceRmse: 5.01 });
  assert.match(out, /final RMSE\s+3\.230\n/);
  assert.match(out, /test \(held out\)\s+best checkpoint of epoch 9, all 1,200 examples\n\s+test loss\s+0\.2000\n\s+test RMSE\s+3\.400\n\s+test baseline persistence RMSE\s+5\.200\n/);
  const lines: string[] = [];
  const json = jsonReporter((l) => lines.push(l));
  json.event(evaluation);
  json.finish(finished, {});
  assert.deepEqual(JSON.parse(lines[1]).test, { checkpoint: 'best', checkpointFile: '/r/best.safetensors', epoch: 9, size: 1200, loss: 0.2, metrics: { rmse: 3.4 }, baselines: { persistenceRmse: 5.2 } });
  assert.ok(!summaryTable(finished, {}).includes('test'), 'no test split, no test rows');
});

test('the data summary heads a terminal run and is one JSON line with --json', () => {
  const summary = {
    type: 'dataSummary' as const,
    summary: { task: 'classify' as const, kind: 'tokens' as const, exampleUnit: 'samples' as const, splits: { train: 8, validation: 2, test: 0 }, baselines: { validation: { majorityAccuracy: 0.5 } } },
  };
  let out = '';
  terminalReporter((t) => { out += t; }).event(summary);
  assert.match(out, /^data: classify; 10 samples: train 8 · validation 2 · test 0\n\nbaselines on validation: majorityAccuracy 0\.5\n\n$/);
  const lines: string[] = [];
  jsonReporter((l) => lines.push(l)).event(summary);
  assert.deepEqual(JSON.parse(lines[0]), summary);
});
