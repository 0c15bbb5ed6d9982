import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyOf, rowShares, tagMatches } from './confusionMatrix';

test('rows are normalised by their truth totals', () => {
  assert.deepEqual(rowShares([[3, 1], [0, 0], [2, 2]]), [[0.75, 0.25], [0, 0], [0.5, 0.5]]);
});

test('accuracy is the diagonal share', () => {
  assert.equal(accuracyOf([[3, 1], [1, 5]]), 0.8);
  assert.equal(accuracyOf([]), 0);
});

test('tag matches compare token by token', () => {
  assert.deepEqual(tagMatches(['B-PER', 'O', 'O'], ['B-PER', 'B-LOC'], 3), [true, false, false]);
});
