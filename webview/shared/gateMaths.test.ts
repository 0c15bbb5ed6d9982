import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fillHeatmapPixels, gateRangeKind, gateValueRange, orderGateNames, toFloat32Values, unitTrace } from './gateMaths';
import { sequentialScale } from './colourScale';

test('sigmoid gates use [0, 1], tanh values [-1, 1], the cell state its own symmetric range', () => {
  assert.equal(gateRangeKind('forget'), 'sigmoid');
  assert.equal(gateRangeKind('candidate'), 'tanh');
  assert.deepEqual(gateValueRange('update', [5]), { minimum: 0, maximum: 1 });
  assert.deepEqual(gateValueRange('cell', [5]), { minimum: -1, maximum: 1 });
  assert.deepEqual(gateValueRange('cellState', [0.5, -3, 2]), { minimum: -3, maximum: 3 });
  assert.deepEqual(gateValueRange('cellState', [0, 0]), { minimum: -1, maximum: 1 });
});

test('gates are shown in the tutorial order', () => {
  assert.deepEqual(orderGateNames(['cellState', 'output', 'input', 'cell', 'forget']), ['input', 'forget', 'cell', 'output', 'cellState']);
  assert.deepEqual(orderGateNames(['candidate', 'update', 'reset']), ['reset', 'update', 'candidate']);
});

test('a unit trace is one column of the [T, H] array', () => {
  // T = 3, H = 2: rows t0 = [0, 1], t1 = [10, 11], t2 = [20, 21]
  const values = [0, 1, 10, 11, 20, 21];
  assert.deepEqual(unitTrace(values, 3, 2, 1), [1, 11, 21]);
  assert.throws(() => unitTrace(values, 3, 2, 2), RangeError);
});

test('heatmap pixels put time along x and units along y', () => {
  const black = { red: 0, green: 0, blue: 0, alpha: 1 };
  const white = { red: 255, green: 255, blue: 255, alpha: 1 };
  // T = 2, H = 3; only (t = 1, h = 2) is 1
  const values = [0, 0, 0, 0, 0, 1];
  const pixels = new Uint8ClampedArray(2 * 3 * 4);
  fillHeatmapPixels(pixels, values, 2, 3, sequentialScale(0, 1, black, white));
  const brightPixels = [];
  for (let p = 0; p < 6; p++) if (pixels[p * 4] === 255) brightPixels.push(p);
  // image row h = 2, column t = 1 → pixel index 2·T + 1 = 5
  assert.deepEqual(brightPixels, [5]);
  assert.equal(pixels[3], 255);
  assert.throws(() => fillHeatmapPixels(new Uint8ClampedArray(4), values, 2, 3, sequentialScale(0, 1, black, white)), RangeError);
});

test('gate data survives the trip through JSON', () => {
  const original = new Float32Array([0.25, 0.5, 0.75]);
  assert.deepEqual(toFloat32Values(original, 3), original);
  assert.deepEqual(toFloat32Values(JSON.parse(JSON.stringify(original)), 3), original);
  assert.deepEqual(toFloat32Values([0.25, 0.5, 0.75], 3), original);
  assert.equal(toFloat32Values([1, 2], 3), undefined);
  assert.equal(toFloat32Values({ 0: 1 }, 2), undefined);
  assert.equal(toFloat32Values('nope', 1), undefined);
});
