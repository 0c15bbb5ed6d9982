import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../tensor';
import { baselines } from '../data/baselines';
import type { DataSplit, PreparedData } from '../data/types';
import type { SeqModelSpec } from '../modelSpec/types';
import { SequenceModel } from './model';
import { memoryRunIo } from './runIo';
import { saveWeights } from './runFolder';
import { evaluateSplit, evaluateTestSplit, testReport } from './evaluate';
import { prepareSynthetic, recorder, steppingClock, tinyAddingSpec } from './testing/tinyRuns';
import { train } from './trainer';

function addingWithTest(): { spec: SeqModelSpec; data: PreparedData } {
  const spec = tinyAddingSpec();
  spec.data = { source: 'synthetic', generator: 'adding', samples: 60, length: 8, seed: 3, split: { validation: 0.25, test: 0.25 } };
  return { spec, data: prepareSynthetic(spec) };
}

/** The model with every weight zero and the output bias `c`: it predicts `c` whatever the input (h = 0). */
function constantModel(spec: SeqModelSpec, data: PreparedData, c: number): SequenceModel {
  const model = new SequenceModel(spec, data.info, new Rng(1));
  for (const { name, parameter } of model.namedParameters()) parameter.value.data.fill(name === 'head.output.bias' ? c : 0);
  return model;
}

function targetsOf(split: DataSplit): number[] {
  const targets: number[] = [];
  for (const batch of split.batches(7, { shuffle: false })) targets.push(...batch.targets!.subarray(0, batch.size));
  return targets;
}

test('the test split is evaluated from the checkpoint file: a constant model scores what hand arithmetic says', () => {
  const { spec, data } = addingWithTest();
  const io = memoryRunIo();
  saveWeights(io, '/run/best.safetensors', constantModel(spec, data, 0.75).namedParameters(), { epoch: '4' });
  const result = evaluateTestSplit({ spec, data, io, checkpoint: { kind: 'best', file: '/run/best.safetensors' } });
  assert.ok(result);
  const truth = targetsOf(data.test!);
  assert.equal(truth.length, 15);
  const mse = truth.reduce((sum, y) => sum + (y - 0.75) ** 2, 0) / truth.length;
  const mae = truth.reduce((sum, y) => sum + Math.abs(y - 0.75), 0) / truth.length;
  assert.ok(Math.abs(result.metrics.mse - mse) < 1e-6, `${result.metrics.mse} vs ${mse}`);
  assert.ok(Math.abs(result.metrics.rmse - Math.sqrt(mse)) < 1e-6);
  assert.ok(Math.abs(result.metrics.mae - mae) < 1e-6);
  assert.ok(Math.abs(result.loss - mse) < 1e-6, 'the regression loss is the MSE');
  assert.deepEqual([result.checkpoint, result.checkpointFile, result.epoch, result.size], ['best', '/run/best.safetensors', 4, 15]);
});

test('the baselines are computed on the test split: predicting the training mean scores exactly the test constant baseline', () => {
  const { spec, data } = addingWithTest();
  const trainTargets = targetsOf(data.train);
  const trainMean = trainTargets.reduce((a, b) => a + b, 0) / trainTargets.length;
  const io = memoryRunIo();
  saveWeights(io, '/run/model.safetensors', constantModel(spec, data, trainMean).namedParameters(), { epoch: '2' });
  const result = evaluateTestSplit({ spec, data, io, checkpoint: { kind: 'final', file: '/run/model.safetensors' } })!;
  const testTruth = targetsOf(data.test!);
  const expected = testTruth.reduce((sum, y) => sum + (y - trainMean) ** 2, 0) / testTruth.length;
  assert.ok(Math.abs(result.baselines.constantMse - expected) < 1e-6, `${result.baselines.constantMse} vs ${expected}`);
  assert.ok(Math.abs(result.metrics.mse - result.baselines.constantMse) < 1e-5);
  assert.notEqual(result.baselines.constantMse, baselines(data).constantMse, 'validation and test are different examples');
  assert.equal(result.epoch, 2);
  assert.equal(evaluateTestSplit({ spec: tinyAddingSpec(), data: prepareSynthetic(tinyAddingSpec()), io, checkpoint: { kind: 'final', file: '/run/model.safetensors' } }), undefined, 'no test split, no evaluation');
});

test('a validation budget evaluates the same seeded sample of batches every time; no budget covers the whole split', () => {
  const spec = tinyAddingSpec();
  spec.data = { source: 'synthetic', generator: 'adding', samples: 200, length: 8, seed: 3, split: { validation: 0.5 } };
  const data = prepareSynthetic(spec);
  const model = new SequenceModel(spec, data.info, new Rng(5));
  const whole = evaluateSplit(model, data.validation, data.info, { batchSize: 10 });
  assert.deepEqual([whole.examples, whole.wholeSplit], [100, true]);
  const first = evaluateSplit(model, data.validation, data.info, { batchSize: 10, maxBatches: 3 });
  const again = evaluateSplit(model, data.validation, data.info, { batchSize: 10, maxBatches: 3 });
  assert.deepEqual([first.examples, first.wholeSplit], [30, false]);
  assert.deepEqual(first.metrics, again.metrics);
  const inOrder = evaluateSplit(model, data.validation, data.info, { batchSize: 10, maxBatches: 10 });
  assert.equal(inOrder.wholeSplit, true, 'a budget at least the split needs changes nothing');
  assert.equal(inOrder.loss, whole.loss);
  // The sample is spread over the split, not its first three batches.
  const firstThreeBatches: DataSplit = {
    size: 30,
    describe: (index) => data.validation.describe(index),
    *batches(batchSize, order) {
      let n = 0;
      for (const batch of data.validation.batches(batchSize, order)) if (n++ < 3) yield batch;
    },
  };
  const firstThree = evaluateSplit(model, firstThreeBatches, data.info, { batchSize: 10 });
  assert.notEqual(first.loss, firstThree.loss);
});

test('a run with a test split ends with one test evaluation of the best checkpoint, in the events and report.json', async () => {
  const { spec, data } = addingWithTest();
  spec.training = { ...spec.training, epochs: 5, optimizer: { type: 'adam', lr: 0.05 } }; // its best epoch is not its last
  const r = recorder();
  const io = memoryRunIo();
  const finished = await train({ spec, data, io, runDir: '/run', emit: r.emit, now: steppingClock() });
  assert.ok(finished.bestEpoch < finished.epochs, `best epoch ${finished.bestEpoch} of ${finished.epochs}`);
  const tests = r.of('testEvaluation');
  assert.equal(tests.length, 1);
  const [evaluation] = tests;
  assert.deepEqual([evaluation.checkpoint, evaluation.checkpointFile, evaluation.epoch, evaluation.size], ['best', '/run/best.safetensors', finished.bestEpoch, 15]);
  assert.ok(r.events.indexOf(evaluation) < r.events.indexOf(r.of('runFinished')[0]), 'reported before the run finishes');
  const report = JSON.parse(new TextDecoder().decode(io.files.get('/run/report.json')));
  assert.deepEqual(report.test, JSON.parse(JSON.stringify(testReport(evaluation))));
  assert.equal(report.test.checkpoint, 'best');
  // The figures are those of best.safetensors on the test split, recomputed here independently of the run.
  const again = evaluateTestSplit({ spec, data, io, checkpoint: { kind: 'best', file: '/run/best.safetensors' } })!;
  assert.deepEqual(again.metrics, evaluation.metrics);
  const last = evaluateTestSplit({ spec, data, io, checkpoint: { kind: 'final', file: '/run/model.safetensors' } })!;
  assert.notDeepEqual(last.metrics, evaluation.metrics, 'the final weights would have scored otherwise');
});

test('per-epoch validation keeps to training.validation.maxBatches: the same fixed sample as evaluateSplit with that budget', async () => {
  const spec = tinyAddingSpec({ epochs: 2, optimizer: { type: 'sgd', lr: 0 }, validation: { maxBatches: 2 } }); // lr 0: the weights stay initial
  spec.data = { source: 'synthetic', generator: 'adding', samples: 200, length: 8, seed: 3, split: { validation: 0.5 } };
  const data = prepareSynthetic(spec);
  const r = recorder();
  await train({ spec, data, io: memoryRunIo(), runDir: '/run', emit: r.emit, now: steppingClock() });
  const initial = new SequenceModel(spec, data.info, new Rng(spec.training.seed!));
  const budgeted = evaluateSplit(initial, data.validation, data.info, { batchSize: 16, maxBatches: 2 });
  const whole = evaluateSplit(initial, data.validation, data.info, { batchSize: 16 });
  assert.deepEqual(r.of('epoch').map((e) => e.validationLoss), [budgeted.loss, budgeted.loss], 'the same sample every epoch');
  assert.notEqual(budgeted.loss, whole.loss);
});
