import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, formatDuration, formatScalar } from './format';

test('durations read as seconds, minutes or hours', () => {
  assert.equal(formatDuration(45), '45s');
  assert.equal(formatDuration(125), '2m 05s');
  assert.equal(formatDuration(3720), '1h 02m');
  assert.equal(formatDuration(-1), '—');
  assert.equal(formatDuration(Number.NaN), '—');
});

test('counts get thousands separators', () => {
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(999), '999');
  assert.equal(formatCount(-12000), '-12,000');
});

test('scalars keep four significant digits and switch to exponents when tiny', () => {
  assert.equal(formatScalar(0.123456), '0.1235');
  assert.equal(formatScalar(0.00002), '2.00e-5');
  assert.equal(formatScalar(0), '0');
  assert.equal(formatScalar(Number.POSITIVE_INFINITY), 'Infinity');
});
