import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClock, formatCount, formatDuration, formatScalar, logAxisTickLabel, powerOfTenLabel } from './display';

test('durations read as seconds, minutes or hours', () => {
  assert.equal(formatDuration(45), '45s');
  assert.equal(formatDuration(125), '2m 05s');
  assert.equal(formatDuration(3720), '1h 02m');
  assert.equal(formatDuration(-1), '—');
  assert.equal(formatDuration(Number.NaN), '—');
});

test('a terminal clock reads minutes:seconds, or hours:minutes:seconds', () => {
  assert.equal(formatClock(95), '1:35');
  assert.equal(formatClock(3725), '1:02:05');
  assert.equal(formatClock(Infinity), '--:--');
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

test('log axes are labelled only at powers of ten', () => {
  assert.equal(powerOfTenLabel(1e-3), '10⁻³');
  assert.equal(powerOfTenLabel(1e-12), '10⁻¹²');
  assert.equal(powerOfTenLabel(100), '10²');
  assert.equal(powerOfTenLabel(1), '1');
  assert.equal(powerOfTenLabel(10), '10');
  assert.equal(powerOfTenLabel(2e-3), '');
  assert.equal(powerOfTenLabel(0), '');
});

test('a log axis over less than two decades also labels its 2 and 5 ticks', () => {
  assert.equal(logAxisTickLabel(2, 0.5, 5), '2');
  assert.equal(logAxisTickLabel(0.5, 0.5, 5), '0.5');
  assert.equal(logAxisTickLabel(3, 0.5, 5), '');
  assert.equal(logAxisTickLabel(1, 0.5, 5), '1');
  assert.equal(logAxisTickLabel(0.1, 0.03, 0.25), '0.1');
  assert.equal(logAxisTickLabel(2e-5, 1e-8, 1), '');
  assert.equal(logAxisTickLabel(1e-5, 1e-8, 1), '10⁻⁵');
});
