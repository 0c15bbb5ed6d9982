import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, Tensor } from '../tensor';
import { gradCheck } from './gradcheck';
import { BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, Loss, MSELoss } from './losses';

function randomTensor(rng: Rng, shape: number[], low = -1, high = 1): Tensor {
  const t = Tensor.zeros(shape);
  rng.fillUniform(t.data, low, high);
  return t;
}

/** Check d(loss)/d(prediction) from backward against central differences of forward. */
function checkLoss<T>(name: string, loss: Loss<T>, prediction: Tensor, target: T, kinks?: { eps: number }): void {
  loss.forward(prediction, target);
  const grad = loss.backward().data.slice();
  gradCheck(() => loss.forward(prediction, target), [{ name, value: prediction.data, grad }], kinks ? { eps: kinks.eps, kinks: true } : {});
}

test('MSE, L1 and Huber gradients match finite differences', () => {
  const rng = new Rng(1);
  const prediction = randomTensor(rng, [3, 4, 2]);
  const target = randomTensor(rng, [3, 4, 2]);
  checkLoss('mse', new MSELoss(), prediction, target);
  // L1 and Huber have kinks; ε = 1e-3 stays clear of them as long as every |d| and ||d| − δ| exceeds 2e-3.
  for (let i = 0; i < prediction.size; i++) {
    const d = Math.abs(prediction.data[i] - target.data[i]);
    assert.ok(d > 2e-3 && Math.abs(d - 0.5) > 2e-3, `difference ${d} too close to a kink`);
  }
  checkLoss('l1', new L1Loss(), prediction, target, { eps: 1e-3 });
  checkLoss('huber(0.5)', new HuberLoss(0.5), prediction, target, { eps: 1e-3 });
});

test('CrossEntropy gradient matches finite differences with ignored rows and label smoothing', () => {
  const rng = new Rng(2);
  const logits = randomTensor(rng, [5, 4], -2, 2);
  const targets = Int32Array.from([1, -100, 3, 0, 3]);
  checkLoss('ce', new CrossEntropyLoss(), logits, targets);
  checkLoss('ce smoothed', new CrossEntropyLoss({ labelSmoothing: 0.2 }), logits, targets);
  const ignoreTwo = Int32Array.from([1, 2, 2, 0, 3]);
  checkLoss('ce ignore 2', new CrossEntropyLoss({ ignoreIndex: 2, labelSmoothing: 0.1 }), logits, ignoreTwo);
  // Ignored rows get exactly zero gradient.
  const loss = new CrossEntropyLoss();
  loss.forward(logits, targets);
  assert.ok(loss.backward().data.subarray(4, 8).every((v) => v === 0));
});

test('BCEWithLogits gradient matches finite differences, and stays finite for huge logits', () => {
  const rng = new Rng(3);
  const logits = randomTensor(rng, [4, 3], -3, 3);
  const targets = randomTensor(rng, [4, 3], 0, 1);
  checkLoss('bce', new BCEWithLogitsLoss(), logits, targets);
  const loss = new BCEWithLogitsLoss();
  const value = loss.forward(Tensor.from([200, -200], [2]), Tensor.from([0, 1], [2]));
  assert.ok(Math.abs(value - 200) < 1e-9, `loss ${value}`);
  assert.deepEqual([...loss.backward().data], [0.5, -0.5]);
});

test('losses name both shapes on a mismatch and reject out-of-range class ids', () => {
  assert.throws(() => new MSELoss().forward(Tensor.zeros([2, 3]), Tensor.zeros([3, 2])), /MSELoss: prediction \[2, 3\] and target \[3, 2\]/);
  assert.throws(() => new CrossEntropyLoss().forward(Tensor.zeros([2, 3]), Int32Array.from([0, 3])), /target 3 at row 1 is out of range \[0, 2\]/);
  assert.throws(() => new CrossEntropyLoss().forward(Tensor.zeros([2, 3]), Int32Array.from([0])), /1 targets for logits \[2, 3\]/);
});

test('CrossEntropy over only ignored rows is NaN (as PyTorch) with a zero gradient', () => {
  const loss = new CrossEntropyLoss();
  assert.ok(Number.isNaN(loss.forward(Tensor.zeros([2, 3]), Int32Array.from([-100, -100]))));
  assert.ok(loss.backward().data.every((v) => v === 0));
});

test('a loss reuses its gradient buffer across calls of the same shape', () => {
  const loss = new MSELoss();
  const a = Tensor.from([1, 2], [2]);
  const b = Tensor.from([0, 0], [2]);
  loss.forward(a, b);
  const first = loss.backward();
  loss.forward(b, a);
  assert.equal(loss.backward(), first);
  assert.deepEqual([...first.data], [-1, -2]);
});
