import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../modelSpec/types';
import { prepareData } from '../data';
import type { PreparedData } from '../data/types';
import type { ExampleSplit } from '../data/batching';
import { SequenceModel } from './model';
import { forecastRollout, RolloutRefusal } from './rollout';

// A ReLU RNN with one unit whose prediction is known in closed form: h = relu(w·x_last + 10) = w·x_last + 10 for
// the small inputs here (the recurrent weight is 0, so only the window's last row counts), and the head gives
// a·h + c. In model units the prediction is therefore a·(w·x_last + 10) + c.
const ROWS = 60;
const WINDOW = 5;
const y = Array.from({ length: ROWS }, (_, t) => Number((10 + 3 * Math.sin(t / 4)).toFixed(3)));
const x = Array.from({ length: ROWS }, (_, t) => t % 7);
const csv = ['y,x', ...y.map((v, t) => `${v},${x[t]}`)].join('\n');

function setUp(data: Partial<Extract<SeqModelSpec['data'], { source: 'csv' }>>, head: { a: number; c: number }, inputWeights = [1]): { model: SequenceModel; prepared: PreparedData } {
  const spec: SeqModelSpec = {
    name: 'rollout', task: { type: 'forecast' },
    data: { source: 'csv', path: 's.csv', columns: ['y'], window: WINDOW, split: { validation: 0.2, test: 0.2 }, ...data },
    model: { encoder: { cell: 'rnn', hiddenSize: 1, nonlinearity: 'relu' }, readout: 'hN' },
    training: { epochs: 1, batchSize: 4, optimizer: { type: 'sgd', lr: 0.1 } },
  };
  const prepared = prepareData(spec, '/d', { readTextFile: () => csv });
  const model = new SequenceModel(spec, prepared.info, new Rng(1));
  const values: Record<string, number[]> = {
    'encoder.weight_ih_l0': inputWeights, 'encoder.weight_hh_l0': [0], 'encoder.bias_ih_l0': [10], 'encoder.bias_hh_l0': [0],
    'head.output.weight': [head.a], 'head.output.bias': [head.c],
  };
  for (const { name, parameter } of model.namedParameters()) {
    assert.ok(values[name], `unexpected parameter ${name}`);
    parameter.value.data.set(values[name]);
  }
  return { model, prepared };
}

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) <= 1e-4 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

test('z-scored: each prediction fed back halves the distance to the training mean, in original units', () => {
  // a = 0.5, c = −5: the prediction is 0.5·z_last, i.e. v_next = m + (v_last − m)/2 in original units.
  const { model, prepared } = setUp({ normalize: 'zscore' }, { a: 0.5, c: -5 });
  const trainingRows = prepared.train.size - 1 + WINDOW + 1; // rows the training windows touch, targets included
  const m = y.slice(0, trainingRows).reduce((s, v) => s + v, 0) / trainingRows;
  const start = 3;
  const rollout = forecastRollout(model, prepared, { split: 'validation', start, horizon: 6 });
  const first = prepared.train.size + start; // the window's first row
  const last = y[first + WINDOW - 1];
  assert.equal(rollout.target, 'y');
  assert.equal(rollout.horizon, 6);
  assert.deepEqual(rollout.fromData, []);
  rollout.history.forEach((v, t) => close(v, y[first + t], `history ${t}`));
  rollout.predicted.forEach((v, k) => close(v, m + 0.5 ** (k + 1) * (last - m), `step ${k + 1}`));
  rollout.truth.forEach((v, k) => close(v!, y[first + WINDOW + k], `truth ${k + 1}`));
});

test('"last-value": a constant predicted change δ climbs δ·s per step from the window\'s last value', () => {
  // a = 1, c = −10 + δ: the window's last row is 0 relative to itself, so the prediction is δ, scaled back by the
  // standard deviation s of the training rows' one-step changes and added to the last value.
  const delta = 0.25;
  const { model, prepared } = setUp({ normalize: 'last-value' }, { a: 1, c: -10 + delta });
  const trainingRows = prepared.train.size - 1 + WINDOW + 1;
  let squares = 0;
  for (let t = 1; t < trainingRows; t++) squares += (y[t] - y[t - 1]) ** 2;
  const s = Math.sqrt(squares / (trainingRows - 1));
  const start = 0;
  const rollout = forecastRollout(model, prepared, { split: 'validation', start, horizon: 5 });
  const last = y[prepared.train.size + start + WINDOW - 1];
  rollout.predicted.forEach((v, k) => close(v, last + (k + 1) * delta * s, `step ${k + 1}`));
});

test('the first value of a rollout is the window\'s one-step-ahead prediction', () => {
  const { model, prepared } = setUp({ normalize: 'zscore' }, { a: 0.9, c: -8.7 });
  const start = 4;
  const example = (prepared.validation as ExampleSplit).example(start);
  const batch = { size: 1, steps: WINDOW, inputs: example.inputs, lengths: Int32Array.of(WINDOW), indices: Int32Array.of(0) };
  const direct = model.forward(batch).data.slice(0, 1);
  prepared.info.denormalizeTargets(direct);
  const rollout = forecastRollout(model, prepared, { split: 'validation', start, horizon: 3 });
  assert.equal(rollout.predicted[0], direct[0]);
});

test('inputs that are not predicted come from the data, and the rollout stops where the data does', () => {
  // Columns y and x, target y; the model reads only y (its weight on x is 0), so the rollout is the z-score one.
  const { model, prepared } = setUp({ columns: ['y', 'x'], target: ['y'], normalize: 'zscore' }, { a: 0.5, c: -5 }, [1, 0]);
  const test = prepared.test!;
  const start = test.size - 3; // three rows of data follow this window
  const rollout = forecastRollout(model, prepared, { split: 'test', start, horizon: 10 });
  assert.deepEqual(rollout.fromData, ['x']);
  assert.equal(rollout.horizon, 3);
  assert.equal(rollout.requestedHorizon, 10);
  assert.deepEqual(rollout.truth.map((v) => Number(v!.toFixed(3))), y.slice(ROWS - 3));
});

test('a single series rolls on past the end of the data, with no truth there', () => {
  const { model, prepared } = setUp({ normalize: 'zscore' }, { a: 0.5, c: -5 });
  const rollout = forecastRollout(model, prepared, { split: 'test', start: prepared.test!.size - 1, horizon: 4 });
  assert.equal(rollout.horizon, 4);
  assert.equal(rollout.truth[0] !== null, true);
  assert.deepEqual(rollout.truth.slice(1), [null, null, null]);
  assert.ok(rollout.predicted.every(Number.isFinite));
});

test('refused in words: a target that is not an input, a start outside the split, a horizon out of range', () => {
  const { model, prepared } = setUp({ columns: ['x'], target: ['y'], normalize: 'zscore' }, { a: 0.5, c: -5 });
  assert.throws(() => forecastRollout(model, prepared, { split: 'validation', start: 0, horizon: 3 }), (e: Error) => e instanceof RolloutRefusal && /"y" is predicted but not an input column/.test(e.message));
  const usable = setUp({ normalize: 'zscore' }, { a: 0.5, c: -5 });
  const size = usable.prepared.validation.size;
  assert.throws(() => forecastRollout(usable.model, usable.prepared, { split: 'validation', start: size, horizon: 3 }), new RegExp(`validation index from 0 to ${size - 1}`));
  assert.throws(() => forecastRollout(usable.model, usable.prepared, { split: 'validation', start: 0, horizon: 0 }), /horizon must be/);
});
