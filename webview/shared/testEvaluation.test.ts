import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestEvaluation } from '../../src/train/protocol';
import { addDashboardEvent, dashboardSeriesFrom } from './dashboardSeries';
import { testEvaluationView } from './testEvaluation';

const evaluation: TestEvaluation = {
  type: 'testEvaluation', checkpoint: 'best', checkpointFile: '/runs/r1/best.safetensors', epoch: 7, size: 1250, loss: 0.41234,
  metrics: { accuracy: 0.8125, f1: 0.79 }, baselines: { majorityAccuracy: 0.5 },
};

test('the test block names the split, the checkpoint and its epoch, and says it covers every test example', () => {
  const view = testEvaluationView(evaluation);
  assert.equal(view.title, 'Test (held out, best checkpoint of epoch 7)');
  assert.match(view.note, /once, after training, on all 1,250 test examples/);
  assert.match(view.note, /validation chose the checkpoint/);
  assert.deepEqual(view.figures, [['loss', '0.4123'], ['accuracy', '0.8125'], ['f1', '0.79']]);
  assert.deepEqual(view.baselines, [['majorityAccuracy', '0.5']]);
  const labelled = testEvaluationView(evaluation, { f1: 'F1', majorityAccuracy: 'majority accuracy' });
  assert.deepEqual(labelled.figures.map(([name]) => name), ['loss', 'accuracy', 'F1']);
  assert.deepEqual(labelled.baselines.map(([name]) => name), ['majority accuracy']);
});

test('without a validation choice the block says the final weights were evaluated', () => {
  const view = testEvaluationView({ ...evaluation, checkpoint: 'final', epoch: 3, size: 1, baselines: {} });
  assert.equal(view.title, 'Test (held out, final weights of epoch 3)');
  assert.match(view.note, /all 1 test example:/);
  assert.match(view.note, /final weights were evaluated/);
  assert.deepEqual(view.baselines, []);
});

test('the dashboard keeps the test evaluation apart from the validation series, and a new run clears it', () => {
  const series = dashboardSeriesFrom([
    { type: 'runStarted', runId: 'r1', runDir: '/runs/r1', specName: 'sentiment', task: 'classify', parameterCount: 10, totalSteps: 10, epochs: 1, stepsPerEpoch: 10, metricNames: ['accuracy', 'f1'] },
    { type: 'epoch', epoch: 1, step: 10, trainLoss: 0.5, validationLoss: 0.6, metrics: { accuracy: 0.7, f1: 0.6 }, best: true, lr: 0.01, seconds: 1 },
    evaluation,
  ]);
  assert.equal(series.test, evaluation);
  assert.deepEqual(series.metrics.accuracy, [{ x: 1, y: 0.7 }], 'test figures are not plotted as a validation epoch');
  addDashboardEvent(series, { type: 'runStarted', runId: 'r2', runDir: '/runs/r2', specName: 'sentiment', task: 'classify', parameterCount: 10, totalSteps: 10, epochs: 1, stepsPerEpoch: 10, metricNames: [] });
  assert.equal(series.test, undefined);
});
