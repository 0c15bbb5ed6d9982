import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, Tensor } from '../tensor';
import { gradCheck, weightedSum } from './gradcheck';
import { Linear } from './linear';

function randomTensor(rng: Rng, shape: number[]): Tensor {
  const t = Tensor.zeros(shape);
  rng.fillUniform(t.data, -1, 1);
  return t;
}

for (const bias of [true, false]) {
  test(`Linear backward matches finite differences for x, weight${bias ? ' and bias' : ''} on a [B,T,I] input`, () => {
    const rng = new Rng(7);
    const layer = new Linear(5, 3, rng, bias);
    const x = randomTensor(rng, [2, 4, 5]);
    const lossWeights = randomTensor(rng, [2, 4, 3]);
    const loss = () => weightedSum(layer.forward(x).data, lossWeights.data);
    layer.forward(x);
    const dx = layer.backward(lossWeights).data.slice();
    const targets = [
      { name: 'x', value: x.data, grad: dx },
      { name: 'weight', value: layer.weight.value.data, grad: layer.weight.grad.data },
    ];
    if (layer.bias) targets.push({ name: 'bias', value: layer.bias.value.data, grad: layer.bias.grad.data });
    gradCheck(loss, targets);
    assert.equal(layer.namedParameters().length, bias ? 2 : 1);
  });
}

test('Linear backward accumulates parameter gradients across calls', () => {
  const rng = new Rng(3);
  const layer = new Linear(4, 2, rng);
  const x = randomTensor(rng, [3, 4]);
  const dy = randomTensor(rng, [3, 2]);
  layer.forward(x);
  layer.backward(dy);
  const once = layer.weight.grad.data.slice();
  layer.forward(x);
  layer.backward(dy);
  for (let i = 0; i < once.length; i++) assert.ok(Math.abs(layer.weight.grad.data[i] - 2 * once[i]) < 1e-6);
});

test('Linear initialises weight and bias within ±1/√in and keeps shapes [out, in] and [out]', () => {
  const layer = new Linear(16, 8, new Rng(1));
  assert.deepEqual(layer.weight.value.shape, [8, 16]);
  assert.deepEqual(layer.bias!.value.shape, [8]);
  const bound = 1 / Math.sqrt(16);
  for (const v of [...layer.weight.value.data, ...layer.bias!.value.data]) assert.ok(Math.abs(v) <= bound);
  // The draws must actually spread over the interval, not collapse near zero.
  assert.ok(Math.max(...layer.weight.value.data.map(Math.abs)) > 0.8 * bound);
});

test('Linear reuses its output buffer for the same input shape and names the bad shape otherwise', () => {
  const rng = new Rng(2);
  const layer = new Linear(3, 2, rng);
  const first = layer.forward(randomTensor(rng, [4, 3]));
  const second = layer.forward(randomTensor(rng, [4, 3]));
  assert.equal(first.data, second.data);
  assert.throws(() => layer.forward(randomTensor(rng, [4, 5])), /Linear\.forward: input has shape \[4, 5\] but expected \[\.\.\., 3\]/);
});
