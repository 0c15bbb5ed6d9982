// The gradient check judges every coordinate on its own: a coordinate whose gradient is small next to the
// tensor's largest, and wrong, fails it (under the old rule, scaled by the largest gradient, it passed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coordinatesToCheck, gradCheck } from './gradcheck';

// loss = Σ cᵢ·tanh(xᵢ): smooth, gradient cᵢ·(1 − tanh²xᵢ), coordinates of very different sizes.
const c = Float64Array.of(3, -2, 0.05, 0.02, 1, 0.5, -0.03, 2);
function setUp() {
  const x = Float32Array.of(0.3, -0.7, 0.1, 1.2, -0.2, 0.9, 0.4, -1.5);
  const loss = () => x.reduce((s, v, i) => s + c[i] * Math.tanh(v), 0);
  const grad = Float32Array.from(x, (v, i) => c[i] * (1 - Math.tanh(v) ** 2));
  return { x, loss, grad };
}

test('the exact gradient passes, every coordinate of a small tensor is checked, and the values are restored', () => {
  const { x, loss, grad } = setUp();
  const before = x.slice();
  const [worst] = gradCheck(loss, [{ name: 'x', value: x, grad }]);
  assert.equal(worst.checked, 8);
  assert.ok(worst.error < 1e-5, `error ${worst.error}`);
  assert.deepEqual(x, before);
});

test('a small coordinate off by 10% fails and is named, though it is under 1% of the largest gradient', () => {
  const { x, loss, grad } = setUp();
  grad[3] *= 1.1; // 0.02·(1 − tanh²1.2) ≈ 0.0061, next to a largest 2.74
  assert.throws(() => gradCheck(loss, [{ name: 'x', value: x, grad }]), /gradCheck: x\[3\] numeric 6\.10\d+e-3 vs analytic 6\.71\d+e-3/);
});

test('a large coordinate off by 1% fails; a near-zero one off by less than the floor allows passes', () => {
  const { x, loss, grad } = setUp();
  grad[0] *= 1.01;
  assert.throws(() => gradCheck(loss, [{ name: 'x', value: x, grad }]), /x\[0\]/);
  const other = setUp();
  other.grad[6] += 2e-5; // |−0.03·0.86| ≈ 0.026 > floor: relative 8e-4, under the 5e-3 bound
  gradCheck(other.loss, [{ name: 'x', value: other.x, grad: other.grad }]);
});

test('large tensors are sampled evenly, both ends included', () => {
  assert.deepEqual(coordinatesToCheck(4, 256), [0, 1, 2, 3]);
  assert.deepEqual(coordinatesToCheck(101, 5), [0, 25, 50, 75, 100]);
});
