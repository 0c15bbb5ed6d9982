import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedRollout, checkedSeries, defaultRolloutHorizon, histogram, residuals, rolloutMeanAbsoluteError, rolloutPoints } from './forecastSeries';

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
  assert.deepEqual(checkedSeries({ target: 'y', truth: [1, 2], predicted: [1.5, 2] }), { target: 'y', truth: [1, 2], predicted: [1.5, 2], perStep: false });
  // A per-step regressor's series says so (the panel then offers no rollout); only `true` counts.
  assert.equal(checkedSeries({ target: 'y', truth: [1], predicted: [1], perStep: true })?.perStep, true);
  assert.equal(checkedSeries({ target: 'y', truth: [1], predicted: [1], perStep: 'yes' })?.perStep, false);
  assert.equal(checkedSeries({ target: 'y', truth: [1, 2], predicted: [1] }), undefined);
  assert.equal(checkedSeries({ truth: [1, Number.NaN], predicted: [1, 2] }), undefined);
  assert.equal(checkedSeries('nope'), undefined);
});

const rollout = {
  split: 'validation' as const, start: 10, horizon: 3, requestedHorizon: 3, target: 'load', history: [5, 6, 7, 8],
  truth: [9, 10, null], predicted: [8.5, 10.5, 11], fromData: ['temperature'], weights: { file: '/r/best.safetensors', epoch: 4 },
};

test('a rollout is drawn on its split\'s axis: the window before the start, the rollout and the truth from it', () => {
  const points = rolloutPoints(rollout);
  assert.deepEqual(points.history, [{ x: 6, y: 5 }, { x: 7, y: 6 }, { x: 8, y: 7 }, { x: 9, y: 8 }]);
  assert.deepEqual(points.predicted, [{ x: 10, y: 8.5 }, { x: 11, y: 10.5 }, { x: 12, y: 11 }]);
  assert.deepEqual(points.truth, [{ x: 10, y: 9 }, { x: 11, y: 10 }], 'no truth past the end of the data');
  assert.equal(rolloutMeanAbsoluteError(rollout), (0.5 + 0.5) / 2);
  assert.ok(Number.isNaN(rolloutMeanAbsoluteError({ ...rollout, truth: [null, null, null] })));
});

test('a rollout from the host is drawn only when it is well formed', () => {
  assert.deepEqual(checkedRollout(structuredClone(rollout)), rollout);
  assert.equal(checkedRollout({ ...rollout, predicted: [1, Number.NaN, 2] }), undefined);
  assert.equal(checkedRollout({ ...rollout, truth: [1, 2] }), undefined, 'truth and predictions of different lengths');
  assert.equal(checkedRollout({ ...rollout, horizon: 7 }), undefined, 'a horizon that is not the number of predictions');
  assert.equal(checkedRollout({ ...rollout, start: -1 }), undefined);
  assert.equal(checkedRollout({ ...rollout, fromData: [3] }), undefined);
  assert.equal(checkedRollout(null), undefined);
});

test('the default rollout length is the spec\'s horizon when it predicts several steps, else one window', () => {
  assert.equal(defaultRolloutHorizon({ history: new Array(36).fill(0), truth: [1] }), 36);
  assert.equal(defaultRolloutHorizon({ history: new Array(36).fill(0), truth: [1, 2, 3, 4, 5, 6] }), 6);
});
