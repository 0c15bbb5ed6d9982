/**
 * pack_padded_sequence semantics: a sequence in a padded batch behaves exactly as if it ran alone, cut to its
 * own length (in both directions: the reverse pass starts at its last real step), padding is exactly zero in
 * the outputs and in the input gradient, and nothing written at padded positions can influence anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, Tensor } from '../../tensor';
import { assertClose, makeLayer, randomTensor, timeSlice, type CellName } from './testing';

const lengths = [3, 6, 1, 4];
const [B, T, I, H, L] = [4, 6, 3, 5, 2];

for (const cell of ['rnn', 'lstm', 'gru'] as CellName[]) {
  test(`${cell}: each sequence of a padded batch equals the same sequence run alone, cut to its length`, () => {
    const layer = makeLayer(cell, { inputSize: I, hiddenSize: H, numLayers: L, bidirectional: true });
    const rng = new Rng(4);
    const x = randomTensor(rng, [B, T, I]);
    const h0 = randomTensor(rng, [2 * L, B, H], 0.5);
    const c0 = cell === 'lstm' ? randomTensor(rng, [2 * L, B, H], 0.5) : undefined;
    const batched = layer.forward(x, { lengths, h0, c0 });
    const output = batched.output.clone(), hN = batched.hN.clone(), cN = batched.cN?.clone();
    for (let b = 0; b < B; b++) {
      const n = lengths[b];
      const alone = Tensor.from(timeSlice(x, b, 0, n), [1, n, I]);
      const pick = (state: Tensor | undefined) => {
        if (!state) return undefined;
        const s = Tensor.zeros([2 * L, 1, H]);
        for (let k = 0; k < 2 * L; k++) s.data.set(state.data.subarray((k * B + b) * H, (k * B + b + 1) * H), k * H);
        return s;
      };
      const single = layer.forward(alone, { h0: pick(h0), c0: pick(c0) });
      assertClose(timeSlice(output, b, 0, n), single.output.data, 1e-6, `output of sequence ${b}`);
      assert.deepEqual(timeSlice(output, b, n, T), new Array((T - n) * 2 * H).fill(0), `padding of sequence ${b} is exactly zero`);
      assertClose(pick(hN)!.data, single.hN.data, 1e-6, `h_n of sequence ${b}`);
      if (cN) assertClose(pick(cN)!.data, single.cN!.data, 1e-6, `c_n of sequence ${b}`);
    }
  });

  test(`${cell}: values and gradients written at padded positions change nothing; dInput is zero there`, () => {
    const layer = makeLayer(cell, { inputSize: I, hiddenSize: H, numLayers: L, bidirectional: true });
    const rng = new Rng(5);
    const x = randomTensor(rng, [B, T, I]);
    const dOutput = randomTensor(rng, [B, T, 2 * H]);
    const dhN = randomTensor(rng, [2 * L, B, H]);
    const run = () => {
      for (const p of layer.namedParameters()) p.parameter.zeroGrad();
      const out = layer.forward(x, { lengths }).output.clone();
      const g = layer.backward({ dOutput, dhN });
      return { out, dx: g.dInput.clone(), dh0: g.dh0.clone(), grads: layer.namedParameters().map((p) => p.parameter.grad.clone()) };
    };
    const before = run();
    for (let b = 0; b < B; b++) {
      for (let t = lengths[b]; t < T; t++) {
        for (let i = 0; i < I; i++) x.data[(b * T + t) * I + i] = 1e3 * (i + 1);
        for (let j = 0; j < 2 * H; j++) dOutput.data[(b * T + t) * 2 * H + j] = -1e3;
      }
    }
    const after = run();
    assert.deepEqual(after.out.data, before.out.data);
    assert.deepEqual(after.dx.data, before.dx.data);
    assert.deepEqual(after.dh0.data, before.dh0.data);
    after.grads.forEach((g, i) => assert.deepEqual(g.data, before.grads[i].data));
    for (let b = 0; b < B; b++) assert.ok(timeSlice(after.dx, b, lengths[b], T).every((v) => v === 0), `dInput padding of ${b}`);
    assert.ok(timeSlice(after.dx, 1, 0, T).some((v) => v !== 0));
  });
}

test('lengths all below T leave the trailing steps empty: output zero there, h_n at each last real step', () => {
  const layer = makeLayer('lstm', { inputSize: 2, hiddenSize: 3, bidirectional: true });
  const x = randomTensor(new Rng(1), [2, 5, 2]);
  const short = layer.forward(x, { lengths: [2, 3] });
  const outputShort = short.output.clone(), hShort = short.hN.clone();
  const cut = Tensor.zeros([2, 3, 2]);
  for (let b = 0; b < 2; b++) cut.data.set(timeSlice(x, b, 0, 3), b * 3 * 2);
  const trimmed = layer.forward(cut, { lengths: [2, 3] });
  for (let b = 0; b < 2; b++) assertClose(timeSlice(outputShort, b, 0, 3), timeSlice(trimmed.output, b, 0, 3), 0, `sequence ${b}`);
  assert.ok(timeSlice(outputShort, 0, 2, 5).every((v) => v === 0) && timeSlice(outputShort, 1, 3, 5).every((v) => v === 0));
  assertClose(hShort.data, trimmed.hN.data, 0, 'h_n');
});

test('lengths outside [1, T] and of the wrong count are rejected with the op name', () => {
  const layer = makeLayer('gru', { inputSize: 2, hiddenSize: 3 });
  const x = Tensor.zeros([2, 4, 2]);
  assert.throws(() => layer.forward(x, { lengths: [0, 4] }), /GRU\.forward: lengths\[0\] = 0 must be an integer in \[1, 4\]/);
  assert.throws(() => layer.forward(x, { lengths: [5, 4] }), /lengths\[0\] = 5/);
  assert.throws(() => layer.forward(x, { lengths: [4] }), /1 lengths for a batch of 2/);
});
