import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GradientFlow } from '../../src/train/protocol';
import { earliestToLatestRatio, gradientFlowLines, normsForLogScale, snapshotIndicesToDraw, snapshotOpacity } from './gradientFlowSeries';

test('the latest snapshot and a few evenly spaced earlier ones are drawn, the first included', () => {
  assert.deepEqual(snapshotIndicesToDraw(0, 3), []);
  assert.deepEqual(snapshotIndicesToDraw(1, 3), [0]);
  assert.deepEqual(snapshotIndicesToDraw(3, 3), [0, 1, 2]);
  assert.deepEqual(snapshotIndicesToDraw(11, 3), [0, 5, 9, 10]);
  assert.deepEqual(snapshotIndicesToDraw(11, 1), [0, 10]);
});

test('the latest line is opaque and older lines fade', () => {
  assert.equal(snapshotOpacity(3, 4), 1);
  assert.ok(snapshotOpacity(0, 4) < snapshotOpacity(1, 4));
  assert.ok(snapshotOpacity(2, 4) < 1);
});

test('zeros and non-finite norms become gaps on the log axis', () => {
  assert.deepEqual(normsForLogScale([1e-8, 0, -1, Number.NaN, 2]), [1e-8, null, null, null, 2]);
});

test('the earliest/latest ratio exposes a vanishing gradient', () => {
  assert.equal(earliestToLatestRatio([1e-6, 1e-3, 1]), 1e-6);
  assert.equal(earliestToLatestRatio([1]), undefined);
  assert.equal(earliestToLatestRatio([1, 0]), undefined);
});

test('one line per layer per drawn snapshot, the latest flagged', () => {
  const flow = (step: number): GradientFlow => ({ type: 'gradFlow', epoch: 1, step, norms: [[1, 2], [3, 4]] });
  const lines = gradientFlowLines([flow(10), flow(20), flow(30)], 1);
  assert.deepEqual(lines.map((l) => [l.step, l.layer, l.latest]), [[10, 0, false], [10, 1, false], [30, 0, true], [30, 1, true]]);
});
