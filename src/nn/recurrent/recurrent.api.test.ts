/** PyTorch's naming, shapes and initialisation; error messages; eval-mode dropout; the FLOP count. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, Tensor } from '../../tensor';
import { GRU, LSTM, RNN, recurrentFlops } from './index';
import { makeLayer, randomTensor } from './testing';

test('parameter names, order and shapes are PyTorch state-dict keys (layers × directions)', () => {
  const gru = new GRU({ inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true }, new Rng(1));
  const rows = gru.namedParameters().map((p) => `${p.name} [${p.parameter.value.shape.join(',')}]`);
  assert.deepEqual(rows, [
    'weight_ih_l0 [15,3]', 'weight_hh_l0 [15,5]', 'bias_ih_l0 [15]', 'bias_hh_l0 [15]',
    'weight_ih_l0_reverse [15,3]', 'weight_hh_l0_reverse [15,5]', 'bias_ih_l0_reverse [15]', 'bias_hh_l0_reverse [15]',
    'weight_ih_l1 [15,10]', 'weight_hh_l1 [15,5]', 'bias_ih_l1 [15]', 'bias_hh_l1 [15]',
    'weight_ih_l1_reverse [15,10]', 'weight_hh_l1_reverse [15,5]', 'bias_ih_l1_reverse [15]', 'bias_hh_l1_reverse [15]',
  ]);
  assert.deepEqual(new LSTM({ inputSize: 2, hiddenSize: 3 }, new Rng(1)).namedParameters()[0].parameter.value.shape, [12, 2]);
  assert.deepEqual(new RNN({ inputSize: 2, hiddenSize: 3 }, new Rng(1)).namedParameters()[1].parameter.value.shape, [3, 3]);
});

test('default init is U(−1/√H, 1/√H) for every parameter, drawn in parameter order from the seed', () => {
  const H = 16, bound = 1 / Math.sqrt(H);
  const lstm = new LSTM({ inputSize: 8, hiddenSize: H, numLayers: 2 }, new Rng(9));
  let min = Infinity, max = -Infinity;
  for (const p of lstm.namedParameters()) for (const v of p.parameter.value.data) { min = Math.min(min, v); max = Math.max(max, v); }
  assert.ok(min >= -bound && max <= bound && min < -0.9 * bound && max > 0.9 * bound, `range [${min}, ${max}]`);
  const rng = new Rng(9);
  const first = lstm.namedParameters()[0].parameter.value.data;
  assert.ok(Math.abs(first[0] - rng.uniform(-bound, bound)) < 1e-7 && Math.abs(first[1] - rng.uniform(-bound, bound)) < 1e-7);
  const again = new LSTM({ inputSize: 8, hiddenSize: H, numLayers: 2 }, new Rng(9));
  assert.deepEqual(again.namedParameters()[5].parameter.value.data, lstm.namedParameters()[5].parameter.value.data);
});

test('shape errors name the op and print both shapes', () => {
  const lstm = new LSTM({ inputSize: 4, hiddenSize: 3, numLayers: 2 }, new Rng(1));
  assert.throws(() => lstm.forward(Tensor.zeros([2, 5, 3])), /LSTM\.forward: input has shape \[2, 5, 3\] but expected \[\*, \*, 4\] \(batch, time, input\)/);
  assert.throws(() => lstm.forward(Tensor.zeros([2, 5, 4]), { h0: Tensor.zeros([1, 2, 3]) }), /h0 has shape \[1, 2, 3\] but expected \[2, 2, 3\]/);
  assert.throws(() => lstm.backward({}), /LSTM\.backward: called before forward/);
  lstm.forward(Tensor.zeros([2, 5, 4]));
  assert.throws(() => lstm.backward({ dOutput: Tensor.zeros([2, 4, 3]) }), /dOutput has shape \[2, 4, 3\] but expected \[2, 5, 3\]/);
  const gru = new GRU({ inputSize: 4, hiddenSize: 3 }, new Rng(1));
  assert.throws(() => gru.forward(Tensor.zeros([2, 5, 4]), { c0: Tensor.zeros([1, 2, 3]) }), /GRU\.forward: c0 is only meaningful for an LSTM/);
  assert.throws(() => new RNN({ inputSize: 0, hiddenSize: 3 }, new Rng(1)), /RNN: inputSize must be a positive integer/);
});

test('dropout applies between layers in training mode only, and never after the last layer', () => {
  const options = { inputSize: 3, hiddenSize: 4, numLayers: 2, dropout: 0.5 };
  const layer = makeLayer('lstm', options, 7);
  const plain = makeLayer('lstm', { ...options, dropout: 0 }, 7);
  const x = randomTensor(new Rng(2), [2, 4, 3]);
  layer.setTraining(false);
  assert.deepEqual(layer.forward(x).output.data, plain.forward(x).output.data);
  layer.setTraining(true);
  const a = layer.forward(x, { rng: new Rng(1) }).output.clone();
  const b = layer.forward(x, { rng: new Rng(1) }).output.clone();
  const c = layer.forward(x, { rng: new Rng(2) }).output.clone();
  assert.deepEqual(a.data, b.data, 'the same rng gives the same mask');
  assert.notDeepEqual(a.data, c.data);
  assert.notDeepEqual(a.data, plain.forward(x).output.data);
  // One layer: nothing lies between layers, so training mode changes nothing.
  const single = makeLayer('gru', { inputSize: 3, hiddenSize: 4, dropout: 0.5 }, 3);
  const y1 = single.forward(x).output.clone();
  single.setTraining(false);
  assert.deepEqual(single.forward(x).output.data, y1.data);
});

test('recurrentFlops counts 2·M·N·K per GEMM plus bias and pointwise work (bench workload W1)', () => {
  const [B, T, H] = [32, 30, 64];
  const rows = B * T, G = 4 * H;
  const layer = (I: number) => 2 * rows * G * I + 2 * rows * G * H + 2 * rows * G + 9 * rows * H;
  assert.equal(recurrentFlops({ cell: 'lstm', inputSize: 1, hiddenSize: H, numLayers: 2 }, B, T), layer(1) + layer(H));
  const bi = recurrentFlops({ cell: 'gru', inputSize: 5, hiddenSize: 8, bidirectional: true, numLayers: 2 }, 2, 3);
  const gru = (I: number) => 2 * (2 * 6 * 24 * I + 2 * 6 * 24 * 8 + 2 * 6 * 24 + 12 * 6 * 8);
  assert.equal(bi, gru(5) + gru(16));
  assert.equal(recurrentFlops({ cell: 'rnn', inputSize: 2, hiddenSize: 3, bias: false }, 1, 1), 2 * 3 * 2 + 2 * 3 * 3 + 3);
});

for (const cell of ['rnn', 'lstm', 'gru'] as const) {
  test(`${cell}: backward with needInputGradient false gives the same parameter and state gradients, and no dInput`, () => {
    const options = { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true };
    const rng = new Rng(4);
    const x = randomTensor(rng, [3, 5, 3]);
    const dOutput = randomTensor(rng, [3, 5, 8]);
    const dhN = randomTensor(rng, [4, 3, 4]);
    const lengths = [5, 2, 4];
    const run = (needInputGradient?: boolean) => {
      const layer = makeLayer(cell, options, 7);
      layer.forward(x, { lengths });
      const r = layer.backward({ dOutput, dhN, needInputGradient });
      return { r, grads: layer.namedParameters().map((p) => Array.from(p.parameter.grad.data)) };
    };
    const full = run(), skipped = run(false);
    assert.ok(full.r.dInput, 'dInput by default');
    assert.equal(skipped.r.dInput, undefined);
    assert.deepEqual(skipped.grads, full.grads);
    assert.deepEqual(skipped.r.dh0.data, full.r.dh0.data);
    assert.deepEqual(skipped.r.dc0?.data, full.r.dc0?.data);
  });
}
