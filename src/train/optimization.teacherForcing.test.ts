import { test } from 'node:test';
import assert from 'node:assert/strict';
import { teacherForcingRatio } from './optimization';

const ratios = (decay: 'none' | 'linear' | 'exponential' | 'inverse-sigmoid', epochs = 5) =>
  Array.from({ length: epochs }, (_, k) => teacherForcingRatio({ start: 1, end: 0.2, decay }, k + 1, epochs));

test('teacher forcing: none keeps the start, every decay goes from start to end monotonically', () => {
  assert.deepEqual(ratios('none'), [1, 1, 1, 1, 1]);
  const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-12);
  assert.ok(close(ratios('linear'), [1, 0.8, 0.6, 0.4, 0.2]), String(ratios('linear')));
  assert.ok(close(ratios('exponential'), [1, 0.2 ** 0.25, 0.2 ** 0.5, 0.2 ** 0.75, 0.2]), String(ratios('exponential')));
  for (const decay of ['exponential', 'inverse-sigmoid'] as const) {
    const r = ratios(decay);
    assert.ok(Math.abs(r[0] - 1) < 1e-12 && Math.abs(r[4] - 0.2) < 1e-12, `${decay}: ${r}`);
    for (let k = 1; k < r.length; k++) assert.ok(r[k] < r[k - 1], `${decay} decreases: ${r}`);
  }
  // inverse-sigmoid stays high early and drops late, unlike the geometric curve.
  assert.ok(ratios('inverse-sigmoid')[1] > ratios('exponential')[1]);
});

test('teacher forcing: the decay spans spec.epochs, then holds the end value; no spec means always forcing', () => {
  assert.equal(teacherForcingRatio({ start: 1, end: 0, decay: 'linear', epochs: 3 }, 3, 10), 0);
  assert.equal(teacherForcingRatio({ start: 1, end: 0, decay: 'linear', epochs: 3 }, 8, 10), 0);
  assert.equal(teacherForcingRatio(undefined, 4, 10), 1);
});
