import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../tensor';
import { GRU } from './gru';
import { checkRecurrentGradients } from './recurrentGradCheck';

test('GRU gradients match finite differences: one layer, full lengths, zero initial state', () => {
  const gru = new GRU({ inputSize: 3, hiddenSize: 4 }, new Rng(1));
  checkRecurrentGradients(gru, { batch: 2, time: 4 });
});

test('GRU gradients match finite differences: two layers, bidirectional, variable lengths, h0', () => {
  const gru = new GRU({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true }, new Rng(2));
  const worst = checkRecurrentGradients(gru, { batch: 3, time: 5, lengths: [3, 5, 1], initialState: true });
  assert.ok(worst.some((w) => w.name === 'h0') && worst.some((w) => w.name === 'bias_hh_l1_reverse'));
});

test('GRU gradients match finite differences: three layers with dropout between them (training mode)', () => {
  const gru = new GRU({ inputSize: 2, hiddenSize: 5, numLayers: 3, dropout: 0.3 }, new Rng(3));
  checkRecurrentGradients(gru, { batch: 2, time: 3, lengths: [3, 2], initialState: true, dropoutSeed: 5 });
});

test('GRU without bias has only weights, and their gradients still check (b_hn absent inside r ⊙ (…))', () => {
  const gru = new GRU({ inputSize: 2, hiddenSize: 3, numLayers: 2, bias: false }, new Rng(4));
  assert.deepEqual(gru.namedParameters().map((p) => p.name), ['weight_ih_l0', 'weight_hh_l0', 'weight_ih_l1', 'weight_hh_l1']);
  checkRecurrentGradients(gru, { batch: 2, time: 3, lengths: [3, 1], initialState: true });
});
