import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../tensor';
import { loadFixture, maxRelativeError } from '../../test/fixtures/load';
import { fixtureInt32, fixtureTensor, fixtureValues } from '../../test/fixtures/layers/fixtureTensors';
import { Embedding } from './embedding';
import { LayerNorm } from './layerNorm';
import { Linear } from './linear';

/*
 * PyTorch parity on fixtures from test/fixtures/generate_layers.py (float64 references, float32 inputs).
 * Bound: 1e-5 relative, with an absolute floor of 1e-2 for values near zero. These layers do one float32
 * rounding per stored value on top of float64 accumulation, i.e. a few 1e-8 relative, while an indexing or
 * transpose mistake produces errors of order 1; the floor only stops exact cancellations (|value| ≪ 1)
 * from dividing a 1e-8 absolute error by almost nothing.
 */
const BOUND = 1e-5;
const FLOOR = 1e-2;

function expectClose(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  const error = maxRelativeError(actual, expected, FLOOR);
  assert.ok(error <= BOUND, `${label}: max relative error ${error.toExponential(2)} > ${BOUND}`);
  return error;
}

test('Linear matches PyTorch: output, input gradient, weight and bias gradients ([R,I] and [B,T,I], with and without bias)', () => {
  const f = loadFixture('layers/linear.json');
  for (const { name, bias } of f.meta.cases as { name: string; bias: boolean }[]) {
    const layer = new Linear(5, 3, new Rng(0), bias);
    layer.weight.value.data.set(fixtureTensor(f, `${name}.weight`).data);
    if (bias) layer.bias!.value.data.set(fixtureTensor(f, `${name}.bias`).data);
    const x = fixtureTensor(f, `${name}.x`);
    const y = layer.forward(x);
    assert.deepEqual(y.shape, f.arrays[`${name}.y`].shape);
    expectClose(`${name} y`, y.data, fixtureValues(f, `${name}.y`));
    const dx = layer.backward(fixtureTensor(f, `${name}.dy`));
    expectClose(`${name} dx`, dx.data, fixtureValues(f, `${name}.dx`));
    expectClose(`${name} dweight`, layer.weight.grad.data, fixtureValues(f, `${name}.dweight`));
    if (bias) expectClose(`${name} dbias`, layer.bias!.grad.data, fixtureValues(f, `${name}.dbias`));
  }
});

test('Embedding matches PyTorch with padding_idx: lookup and scatter-added weight gradient', () => {
  const f = loadFixture('layers/embedding.json');
  const layer = new Embedding(f.meta.num as number, f.meta.dim as number, new Rng(0), f.meta.paddingIdx as number);
  layer.weight.value.data.set(fixtureTensor(f, 'weight').data);
  const ids = fixtureInt32(f, 'ids');
  const y = layer.forward(ids, f.arrays.ids.shape);
  assert.deepEqual(y.shape, f.arrays.y.shape);
  expectClose('y', y.data, fixtureValues(f, 'y'));
  layer.backward(fixtureTensor(f, 'dy'));
  expectClose('dweight', layer.weight.grad.data, fixtureValues(f, 'dweight'));
});

test('LayerNorm matches PyTorch: output, input gradient, weight and bias gradients', () => {
  const f = loadFixture('layers/layer_norm.json');
  const layer = new LayerNorm(f.meta.dim as number, f.meta.eps as number);
  layer.weight.value.data.set(fixtureTensor(f, 'weight').data);
  layer.bias.value.data.set(fixtureTensor(f, 'bias').data);
  const y = layer.forward(fixtureTensor(f, 'x'));
  expectClose('y', y.data, fixtureValues(f, 'y'));
  const dx = layer.backward(fixtureTensor(f, 'dy'));
  expectClose('dx', dx.data, fixtureValues(f, 'dx'));
  expectClose('dweight', layer.weight.grad.data, fixtureValues(f, 'dweight'));
  expectClose('dbias', layer.bias.grad.data, fixtureValues(f, 'dbias'));
});
