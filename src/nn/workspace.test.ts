import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, Tensor } from '../tensor';
import { Dropout } from './dropout';
import { Embedding } from './embedding';
import { LayerNorm } from './layerNorm';
import { Linear } from './linear';
import { BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss } from './losses';
import { reuseOrAllocate } from './workspace';

/** Run `step` twice and return the storage of what it produced each time. */
function storageOfTwoCalls(step: () => Tensor[]): [Float32Array[], Float32Array[]] {
  const first = step().map((t) => t.data);
  const second = step().map((t) => t.data);
  return [first, second];
}

test('steady state: layers and losses return the same buffers on repeated calls of the same shape', () => {
  const rng = new Rng(1);
  const x = Tensor.zeros([2, 3, 4]);
  rng.fillUniform(x.data, -1, 1);
  const linear = new Linear(4, 5, rng);
  const embedding = new Embedding(10, 4, rng);
  const norm = new LayerNorm(4);
  const dropout = new Dropout(0.5, rng);
  const ids = Int32Array.from([1, 2, 3, 4, 5, 6]);
  const classes = Int32Array.from([0, 1, 4, 2, 3, 0]);
  const mse = new MSELoss();
  const ce = new CrossEntropyLoss({ labelSmoothing: 0.1 });
  const others = [new L1Loss(), new HuberLoss(), new BCEWithLogitsLoss()];
  const [first, second] = storageOfTwoCalls(() => {
    const y = linear.forward(x);
    const dx = linear.backward(y);
    const e = embedding.forward(ids, [2, 3]);
    const n = norm.forward(e);
    const dn = norm.backward(n);
    const d = dropout.forward(n);
    const dd = dropout.backward(d);
    mse.forward(x, dx);
    const dMse = mse.backward();
    ce.forward(y.reshape([6, 5]), classes);
    const dCe = ce.backward();
    const rest = others.map((loss) => {
      loss.forward(x, dx);
      return loss.backward();
    });
    return [y, dx, e, n, dn, d, dd, dMse, dCe, ...rest];
  });
  first.forEach((buffer, i) => assert.equal(second[i], buffer, `output ${i} was reallocated`));
});

test('reuseOrAllocate keeps a tensor of the same shape and replaces one of another shape', () => {
  const t = Tensor.zeros([2, 3]);
  assert.equal(reuseOrAllocate(t, [2, 3]), t);
  const other = reuseOrAllocate(t, [3, 2]);
  assert.notEqual(other, t);
  assert.deepEqual(other.shape, [3, 2]);
  assert.throws(() => reuseOrAllocate(undefined, [2, -1]), /invalid dimension -1/);
});
