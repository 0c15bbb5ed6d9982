import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, Tensor } from '../tensor';
import { Embedding } from './embedding';
import { gradCheck, weightedSum } from './gradcheck';

test('Embedding backward matches finite differences, repeated ids accumulate, the padding row stays zero', () => {
  const rng = new Rng(11);
  const layer = new Embedding(6, 4, rng, 0);
  const ids = Int32Array.from([1, 3, 0, 3, 5, 1]); // [B=2, T=3] with padding id 0 and repeats
  const lossWeights = Tensor.zeros([2, 3, 4]);
  rng.fillUniform(lossWeights.data, -1, 1);
  const loss = () => weightedSum(layer.forward(ids, [2, 3]).data, lossWeights.data);
  layer.forward(ids, [2, 3]);
  layer.backward(lossWeights);
  // The padding row is excluded: PyTorch defines its gradient as zero, not as the true derivative.
  const D = 4;
  gradCheck(loss, [{ name: 'weight[1:]', value: layer.weight.value.data.subarray(D), grad: layer.weight.grad.data.subarray(D) }]);
  assert.deepEqual([...layer.weight.grad.data.subarray(0, 4)], [0, 0, 0, 0]);
  assert.deepEqual([...layer.weight.value.data.subarray(0, 4)], [0, 0, 0, 0]);
  // Row 2 and 4 are never looked up: their gradient must be exactly zero.
  assert.deepEqual([...layer.weight.grad.data.subarray(8, 12)], [0, 0, 0, 0]);
});

test('Embedding forward copies rows into [..., D] and rejects out-of-range ids with their position', () => {
  const layer = new Embedding(5, 2, new Rng(1));
  const y = layer.forward(Int32Array.from([4, 2]), [2]);
  assert.deepEqual(y.shape, [2, 2]);
  assert.deepEqual([...y.data], [...layer.weight.value.data.subarray(8, 10), ...layer.weight.value.data.subarray(4, 6)]);
  assert.throws(() => layer.forward(Int32Array.from([1, 5]), [2]), /id 5 at position 1 is out of range \[0, 4\]/);
  assert.throws(() => layer.forward(Int32Array.from([-1]), [1]), /id -1 at position 0/);
  assert.throws(() => layer.forward(Int32Array.from([1, 2, 3]), [2]), /3 ids for index shape \[2\]/);
});

test('Embedding accepts a negative padding index counted from the end, like PyTorch', () => {
  const layer = new Embedding(5, 3, new Rng(4), -1);
  assert.equal(layer.paddingIdx, 4);
  assert.deepEqual([...layer.weight.value.data.subarray(12, 15)], [0, 0, 0]);
  assert.throws(() => new Embedding(5, 3, new Rng(4), 5), /padding_idx 5/);
});
