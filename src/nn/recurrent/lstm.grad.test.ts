import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../tensor';
import { LSTM } from './lstm';
import { checkRecurrentGradients } from './recurrentGradCheck';

// Central differences in float32 (see src/nn/gradcheck.ts): bugs in backward show as errors of order 1.

test('LSTM gradients match finite differences: one layer, full lengths, zero initial state', () => {
  const lstm = new LSTM({ inputSize: 3, hiddenSize: 4 }, new Rng(1));
  checkRecurrentGradients(lstm, { batch: 2, time: 4 });
});

test('LSTM gradients match finite differences: two layers, bidirectional, variable lengths, h0 and c0', () => {
  const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true }, new Rng(2));
  const worst = checkRecurrentGradients(lstm, { batch: 3, time: 5, lengths: [3, 5, 1], initialState: true });
  assert.ok(worst.some((w) => w.name === 'c0') && worst.some((w) => w.name === 'weight_hh_l1_reverse'));
});

test('LSTM gradients match finite differences: three layers with dropout between them (training mode)', () => {
  const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 3, dropout: 0.3 }, new Rng(3));
  checkRecurrentGradients(lstm, { batch: 2, time: 3, lengths: [2, 3], initialState: true, dropoutSeed: 11 });
});

test('LSTM without bias has only weights, and their gradients still check', () => {
  const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, bias: false, bidirectional: true }, new Rng(4));
  assert.deepEqual(lstm.namedParameters().map((p) => p.name), ['weight_ih_l0', 'weight_hh_l0', 'weight_ih_l0_reverse', 'weight_hh_l0_reverse']);
  checkRecurrentGradients(lstm, { batch: 2, time: 3, lengths: [1, 3] });
});

test('LSTM with a projection (proj_size): weight_hr and every other gradient match finite differences, two layers, both directions', () => {
  const lstm = new LSTM({ inputSize: 2, hiddenSize: 4, projSize: 2, numLayers: 2, bidirectional: true }, new Rng(5));
  assert.deepEqual(lstm.namedParameters().filter((p) => p.name.startsWith('weight_hr')).map((p) => [p.name, p.parameter.value.shape]),
    [['weight_hr_l0', [2, 4]], ['weight_hr_l0_reverse', [2, 4]], ['weight_hr_l1', [2, 4]], ['weight_hr_l1_reverse', [2, 4]]]);
  const worst = checkRecurrentGradients(lstm, { batch: 3, time: 4, lengths: [4, 2, 3], initialState: true });
  assert.ok(worst.some((w) => w.name === 'weight_hr_l1_reverse') && worst.some((w) => w.name === 'h0'));
});

test('LSTM with a projection: dropout between layers (training mode), no bias', () => {
  const lstm = new LSTM({ inputSize: 3, hiddenSize: 3, projSize: 1, numLayers: 2, dropout: 0.3, bias: false }, new Rng(6));
  checkRecurrentGradients(lstm, { batch: 2, time: 3, lengths: [3, 2], initialState: true, dropoutSeed: 4 });
});
