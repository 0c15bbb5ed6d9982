import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../tensor';
import { RNN } from './rnn';
import { checkRecurrentGradients } from './recurrentGradCheck';

test('tanh RNN gradients match finite differences: one layer, full lengths', () => {
  const rnn = new RNN({ inputSize: 3, hiddenSize: 4 }, new Rng(1));
  checkRecurrentGradients(rnn, { batch: 2, time: 4 });
});

test('tanh RNN gradients match finite differences: three layers, bidirectional, variable lengths, h0', () => {
  const rnn = new RNN({ inputSize: 2, hiddenSize: 3, numLayers: 3, bidirectional: true }, new Rng(2));
  checkRecurrentGradients(rnn, { batch: 3, time: 4, lengths: [2, 4, 1], initialState: true });
});

test('ReLU RNN gradients match finite differences: two layers, bidirectional, variable lengths, h0', () => {
  // ReLU has kinks; with ε = 1e-2 a coordinate whose pre-activation sits within ε of 0 would break central
  // differences, so this seed keeps them clear (a wrong backward still fails by orders of magnitude), and the
  // check uses central differences only (Richardson's 2ε step would reach further).
  const rnn = new RNN({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, nonlinearity: 'relu' }, new Rng(5));
  checkRecurrentGradients(rnn, { batch: 2, time: 4, lengths: [4, 2], initialState: true, seed: 7, kinks: true });
});

test('tanh RNN gradients match finite differences: dropout between two layers (training mode)', () => {
  const rnn = new RNN({ inputSize: 2, hiddenSize: 4, numLayers: 2, dropout: 0.5 }, new Rng(6));
  checkRecurrentGradients(rnn, { batch: 2, time: 3, dropoutSeed: 9 });
});

test('tanh RNN without bias has only weights, and their gradients still check', () => {
  const rnn = new RNN({ inputSize: 2, hiddenSize: 3, bidirectional: true, bias: false }, new Rng(4));
  assert.deepEqual(rnn.namedParameters().map((p) => p.name), ['weight_ih_l0', 'weight_hh_l0', 'weight_ih_l0_reverse', 'weight_hh_l0_reverse']);
  checkRecurrentGradients(rnn, { batch: 2, time: 3, lengths: [2, 3] });
});
