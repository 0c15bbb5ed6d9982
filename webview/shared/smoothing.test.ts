import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debiasedExponentialMovingAverage } from './smoothing';

test('a constant series stays constant from the first point (bias removed)', () => {
  assert.deepEqual(debiasedExponentialMovingAverage([2, 2, 2, 2], 0.9).map((v) => +v.toFixed(12)), [2, 2, 2, 2]);
});

test('weight 0 returns the values unchanged', () => {
  assert.deepEqual(debiasedExponentialMovingAverage([3, 1, 4, 1, 5], 0), [3, 1, 4, 1, 5]);
});

test('smoothing follows the textbook recurrence', () => {
  // s1 = 0.5·1 / 0.5 = 1; s2 = (0.25·1 + 0.5·3) / 0.75 = 7/3
  const [first, second] = debiasedExponentialMovingAverage([1, 3], 0.5);
  assert.equal(first, 1);
  assert.ok(Math.abs(second - 7 / 3) < 1e-12);
});

test('a NaN step passes through and later points ignore it', () => {
  const smoothed = debiasedExponentialMovingAverage([1, Number.NaN, 1], 0.6);
  assert.ok(Number.isNaN(smoothed[1]));
  assert.ok(Math.abs(smoothed[2] - 1) < 1e-12);
});

test('a weight outside [0, 1) is refused', () => {
  assert.throws(() => debiasedExponentialMovingAverage([1], 1), RangeError);
});
