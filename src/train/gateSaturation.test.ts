import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSaturated, saturationKind, saturationShare } from './gateSaturation';

test('each gate is judged by the curve it comes from', () => {
  assert.equal(saturationKind('input'), 'sigmoid');
  assert.equal(saturationKind('forget'), 'sigmoid');
  assert.equal(saturationKind('output'), 'sigmoid');
  assert.equal(saturationKind('reset'), 'sigmoid');
  assert.equal(saturationKind('update'), 'sigmoid');
  assert.equal(saturationKind('cell'), 'tanh'); // the LSTM candidate g_t
  assert.equal(saturationKind('candidate'), 'tanh'); // the GRU candidate n_t
  assert.equal(saturationKind('hidden'), 'tanh');
  assert.equal(saturationKind('hidden', 'relu'), undefined);
  assert.equal(saturationKind('cellState'), 'cellState');
});

test('sigmoid gates saturate near 0 or 1, never in the middle', () => {
  assert.equal(saturationShare('sigmoid', [0.05, 0.5, 0.95, 0.1, 0.9]), 2 / 5);
  assert.equal(saturationShare('sigmoid', []), 0);
});

test('tanh values saturate near ±1: negative values in the middle are not saturated', () => {
  // The old rule (< 0.1 or > 0.9) would have counted all four negative values.
  assert.equal(saturationShare('tanh', [-0.95, -0.5, -0.05, 0, 0.05, 0.5, 0.95, -0.2]), 2 / 8);
  assert.equal(isSaturated('tanh', 0.9), false);
  assert.equal(isSaturated('tanh', -0.91), true);
});

test('the cell state saturates where tanh(c) does, whatever its sign', () => {
  // tanh(1.5) = 0.905, tanh(1.4) = 0.885.
  assert.equal(saturationShare('cellState', [1.5, -1.5, 1.4, -1.4, 0.3, -3, 0.05]), 3 / 7);
  for (const c of [-4, -1.5, -1.47, -0.5, 0, 0.5, 1.47, 1.48, 4]) assert.equal(isSaturated('cellState', c), Math.abs(Math.tanh(c)) > 0.9, `c = ${c}`);
});
