import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExampleSplit } from './batching';
import { TokenWindowStore, loadPlainText } from './plainText';
import { BOS_ID } from './vocabulary';

test('token windows: window i starts at start + i·stride, inputs are <s> + the window shifted, the last one ends inside the part', () => {
  const ids = Uint8Array.from({ length: 20 }, (_, i) => 10 + i);
  const store = new TokenWindowStore(ids, 4, 11, 4, 2); // part ids[4..15): windows at 4, 6, 8, 10 (10+4 ≤ 15; 12+4 > 15)
  assert.equal(store.count, 4);
  const split = new ExampleSplit(store, () => ({ input: '', target: '' }));
  assert.deepEqual(Array.from(split.example(0).targetIds!), [14, 15, 16, 17]);
  assert.deepEqual(Array.from(split.example(0).inputIds!), [BOS_ID, 14, 15, 16]);
  assert.deepEqual(Array.from(split.example(3).targetIds!), [20, 21, 22, 23]);
  const [batch] = [...split.batches(4, { shuffle: false })];
  assert.deepEqual(Array.from(batch.inputIds!.subarray(4, 8)), [BOS_ID, 16, 17, 18]);
  assert.deepEqual(Array.from(batch.targetIds!.subarray(12, 16)), [20, 21, 22, 23]);
  assert.deepEqual(split.longest(), { steps: 4, targetSteps: 4 });
  assert.equal(new TokenWindowStore(ids, 0, 3, 4, 2).count, 0);
});

test('plain text: a character vocabulary keeps its id stream in bytes', () => {
  const prepared = loadPlainText(['abcabcabd\r\n'.repeat(20)], { source: 'text', path: 'x.txt', window: 4 }, { file: 'x.txt' });
  const store = (prepared.train as ExampleSplit).store as TokenWindowStore;
  assert.ok(store.ids instanceof Uint8Array);
  assert.equal(store.ids.length, 200); // CRLF counted as one "\n"
});
