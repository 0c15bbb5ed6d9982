import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, Tensor } from '../tensor';
import { Dropout } from './dropout';
import { gradCheck, weightedSum } from './gradcheck';

test('Dropout backward matches finite differences under a fixed mask', () => {
  const rng = new Rng(21);
  const x = Tensor.zeros([4, 5]);
  rng.fillUniform(x.data, -1, 1);
  const lossWeights = Tensor.zeros([4, 5]);
  rng.fillUniform(lossWeights.data, -1, 1);
  // A fresh layer with the same seed draws the same mask, so every loss evaluation sees one mask.
  const loss = () => weightedSum(new Dropout(0.4, new Rng(99)).forward(x).data, lossWeights.data);
  const layer = new Dropout(0.4, new Rng(99));
  layer.forward(x);
  const dx = layer.backward(lossWeights).data.slice();
  gradCheck(loss, [{ name: 'x', value: x.data, grad: dx }]);
});

test('Dropout zeroes about p of the elements and scales the rest by 1/(1−p)', () => {
  const x = Tensor.zeros([100, 100]);
  x.data.fill(1);
  const y = new Dropout(0.3, new Rng(1)).forward(x);
  let zeros = 0;
  for (const v of y.data) {
    if (v === 0) zeros++;
    else assert.equal(v, Math.fround(1 / 0.7));
  }
  // 10,000 Bernoulli(0.3) draws: standard deviation ≈ 46, so ±250 is over five sigmas.
  assert.ok(Math.abs(zeros - 3000) < 250, `zeros ${zeros}`);
});

test('Dropout is the identity in evaluation mode and for p = 0; p = 1 drops everything', () => {
  const x = Tensor.from([1, -2, 3], [3]);
  const layer = new Dropout(0.5, new Rng(1));
  layer.setTraining(false);
  assert.equal(layer.forward(x), x);
  assert.equal(layer.backward(x), x);
  assert.equal(new Dropout(0, new Rng(1)).forward(x), x);
  const all = new Dropout(1, new Rng(1));
  assert.ok(all.forward(x).data.every((v) => v === 0));
  assert.ok(all.backward(x).data.every((v) => v === 0));
  assert.throws(() => new Dropout(1.5, new Rng(1)), /p must be in \[0, 1\]/);
});

test('Dropout draws a new mask on each training forward', () => {
  const x = Tensor.zeros([64]);
  x.data.fill(1);
  const layer = new Dropout(0.5, new Rng(3));
  const first = layer.forward(x).data.slice();
  const second = layer.forward(x).data.slice();
  assert.notDeepEqual([...first], [...second]);
});
