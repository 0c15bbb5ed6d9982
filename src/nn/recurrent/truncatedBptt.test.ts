/**
 * Truncated BPTT: `forward(chunk, carry.initial())` with the state captured from the previous chunk gives
 * exactly the untruncated forward, while backward stops at the chunk boundary (dh0 is discarded).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, Tensor } from '../../tensor';
import { DetachedState } from './truncatedBptt';
import { assertClose, makeLayer, randomTensor, timeSlice, type CellName } from './testing';

const [B, T, I, H] = [2, 6, 3, 4];

function chunk(x: Tensor, t0: number, t1: number): Tensor {
  const out = Tensor.zeros([B, t1 - t0, I]);
  for (let b = 0; b < B; b++) out.data.set(timeSlice(x, b, t0, t1), b * (t1 - t0) * I);
  return out;
}

for (const cell of ['rnn', 'lstm', 'gru'] as CellName[]) {
  test(`${cell}: chunks with a carried, detached state reproduce the full-sequence forward`, () => {
    const layer = makeLayer(cell, { inputSize: I, hiddenSize: H, numLayers: 2 });
    const x = randomTensor(new Rng(3), [B, T, I]);
    const full = layer.forward(x);
    const fullOutput = full.output.clone(), fullH = full.hN.clone(), fullC = full.cN?.clone();

    const carry = new DetachedState();
    assert.deepEqual(carry.initial(), {});
    const outputs: Tensor[] = [];
    let last;
    for (const [t0, t1] of [[0, 3], [3, 6]]) {
      last = layer.forward(chunk(x, t0, t1), carry.initial());
      outputs.push(last.output.clone());
      carry.capture(last);
    }
    for (let b = 0; b < B; b++) {
      assertClose(timeSlice(outputs[0], b, 0, 3), timeSlice(fullOutput, b, 0, 3), 1e-6, 'first chunk');
      assertClose(timeSlice(outputs[1], b, 0, 3), timeSlice(fullOutput, b, 3, 6), 1e-6, 'second chunk');
    }
    assertClose(last!.hN.data, fullH.data, 1e-6, 'h_n');
    if (fullC) assertClose(last!.cN!.data, fullC.data, 1e-6, 'c_n');
  });
}

test('the carried state is a copy: the next forward overwriting h_n does not change it', () => {
  const layer = makeLayer('lstm', { inputSize: I, hiddenSize: H });
  const rng = new Rng(4);
  const carry = new DetachedState();
  carry.capture(layer.forward(randomTensor(rng, [B, 3, I])));
  const saved = carry.initial().h0!.clone();
  const next = layer.forward(randomTensor(rng, [B, 3, I]), carry.initial());
  assert.notDeepEqual(next.hN.data, saved.data);
  assert.deepEqual(carry.initial().h0!.data, saved.data);
  assert.ok(carry.initial().c0);
  carry.reset();
  assert.deepEqual(carry.initial(), {});
});

test('backward stops at the chunk boundary: parameter gradients equal those with a constant h0', () => {
  const layer = makeLayer('gru', { inputSize: I, hiddenSize: H });
  const rng = new Rng(5);
  const x = randomTensor(rng, [B, T, I]);
  const dOutput = randomTensor(rng, [B, 3, H]);
  const carry = new DetachedState();
  carry.capture(layer.forward(chunk(x, 0, 3)));
  for (const p of layer.namedParameters()) p.parameter.zeroGrad();
  layer.forward(chunk(x, 3, 6), carry.initial());
  layer.backward({ dOutput });
  const truncated = layer.namedParameters().map((p) => p.parameter.grad.clone());
  // The same chunk from an h0 that is merely a constant tensor with the same values: identical gradients.
  const constant = carry.initial().h0!.clone();
  for (const p of layer.namedParameters()) p.parameter.zeroGrad();
  layer.forward(chunk(x, 3, 6), { h0: constant });
  layer.backward({ dOutput });
  layer.namedParameters().forEach((p, i) => assert.deepEqual(p.parameter.grad.data, truncated[i].data));
});
