import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedSeries, histogram, residuals } from './forecastSeries';

test('residuals are truth minus prediction, step by step', () => {
  assert.deepEqual(residuals([10, 12, 11], [9, 12.5, 11]), [1, -0.5, 0]);
});

test('the residual histogram puts every value in one bin of equal width', () => {
  const values = [-2, -1, -1, 0, 0, 0, 0, 1, 1]; // 9 values: 3 bins of width 1 over [-2, 1]
  const h = histogram(values);
  assert.deepEqual(h.edges, [-2, -1, 0, 1]);
  assert.deepEqual(h.counts, [1, 2, 6]); // the last bin holds its right edge
  assert.equal(h.counts.reduce((a, b) => a + b, 0), values.length);
  assert.deepEqual(histogram([3, 3, 3, 3]).counts, [4, 0]);
  assert.deepEqual(histogram([]), { edges: [], counts: [] });
});

test('a series from the host is drawn only when its arrays are finite numbers of equal length', () => {
  assert.deepEqual(checkedSeries({ target: 'y', truth: [1, 2], predicted: [1.5, 2] }), { target: 'y', truth: [1, 2], predicted: [1.5, 2] });
  assert.equal(checkedSeries({ target: 'y', truth: [1, 2], predicted: [1] }), undefined);
  assert.equal(checkedSeries({ truth: [1, Number.NaN], predicted: [1, 2] }), undefined);
  assert.equal(checkedSeries('nope'), undefined);
});
