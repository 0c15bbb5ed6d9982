import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesWindowStore } from './seriesWindows';
import { ExampleSplit } from './batching';

// Table [N=8, C=2]: column 0 is 10·row, column 1 is 10·row + 1.
const table = Float32Array.from({ length: 16 }, (_, i) => 10 * Math.floor(i / 2) + (i % 2));
const shape = { window: 3, horizon: 2, columnCount: 2, inputColumns: Int32Array.of(1, 0), targetColumns: Int32Array.of(0) };

test('series windows: window e of a split reads rows first+e .. first+e+W-1 and targets the next Hz rows', () => {
  const store = new SeriesWindowStore(table, shape, 2, 2); // windows 2 and 3 of the table (rows 2..6 and 3..7)
  const split = new ExampleSplit(store, () => ({ input: '', target: '' }));
  const [batch] = [...split.batches(2, { shuffle: false })];
  assert.equal(batch.steps, 3);
  assert.deepEqual(Array.from(batch.inputs!), [21, 20, 31, 30, 41, 40, 31, 30, 41, 40, 51, 50]); // [B,W,I] in column order 1, 0
  assert.deepEqual(Array.from(batch.targets!), [50, 60, 60, 70]); // [B,Hz·K]
  assert.deepEqual(Array.from(batch.lengths), [3, 3]);
  assert.deepEqual(Array.from(batch.indices), [0, 1]);
});

test('series windows: the last window of the table ends exactly at its last row; persistence is the last input row', () => {
  const store = new SeriesWindowStore(table, shape, 3, 1); // window 3: rows 3..5, targets rows 6 and 7 (the last)
  const example = store.example(0);
  assert.deepEqual(Array.from(example.targets!), [60, 70]);
  assert.deepEqual(Array.from(example.persistence!), [50, 50]);
  assert.deepEqual(Array.from(example.inputs!), [31, 30, 41, 40, 51, 50]);
  assert.ok(store.slidingWindows);
});
