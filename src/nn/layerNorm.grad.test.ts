import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, Tensor } from '../tensor';
import { gradCheck, weightedSum } from './gradcheck';
import { LayerNorm } from './layerNorm';

test('LayerNorm backward matches finite differences for x, weight and bias', () => {
  const rng = new Rng(5);
  const layer = new LayerNorm(6);
  rng.fillUniform(layer.weight.value.data, 0.5, 1.5);
  rng.fillUniform(layer.bias.value.data, -0.5, 0.5);
  const x = Tensor.zeros([2, 3, 6]);
  rng.fillUniform(x.data, -2, 2);
  const lossWeights = Tensor.zeros([2, 3, 6]);
  rng.fillUniform(lossWeights.data, -1, 1);
  const loss = () => weightedSum(layer.forward(x).data, lossWeights.data);
  layer.forward(x);
  const dx = layer.backward(lossWeights).data.slice();
  // ε = 1e-3: normalisation divides by the row's spread, so it is less smooth than the default step assumes.
  gradCheck(loss, [
    { name: 'x', value: x.data, grad: dx },
    { name: 'weight', value: layer.weight.value.data, grad: layer.weight.grad.data },
    { name: 'bias', value: layer.bias.value.data, grad: layer.bias.grad.data },
  ], { eps: 1e-3 });
});

test('LayerNorm output rows have mean 0 and variance 1 before the affine part', () => {
  const layer = new LayerNorm(8);
  const x = Tensor.zeros([3, 8]);
  new Rng(9).fillUniform(x.data, 10, 20); // a large mean stresses the variance computation
  const y = layer.forward(x);
  for (let r = 0; r < 3; r++) {
    const row = y.data.subarray(r * 8, r * 8 + 8);
    const mean = row.reduce((a, b) => a + b, 0) / 8;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / 8;
    assert.ok(Math.abs(mean) < 1e-5, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 1e-3, `variance ${variance}`);
  }
});
