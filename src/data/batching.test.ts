import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../tensor/rng';
import { ExampleSplit, PackedStore, type Example } from './batching';

const describe = () => ({ input: '', target: '' });
/** Token examples of the given lengths; token t of example e is 10·e + t + 1, tags are t. */
function tokenSplit(lengths: number[]): ExampleSplit {
  const examples: Example[] = lengths.map((length, e) => ({
    length,
    inputIds: Int32Array.from({ length }, (_, t) => 10 * e + t + 1),
    targetIds: Int32Array.from({ length }, (_, t) => t),
  }));
  return ExampleSplit.fromExamples(examples, { featureCount: 1, targetWidth: 1 }, describe);
}

test('batching: pads ids with 0 and per-step targets with -1, and reports each length', () => {
  const split = tokenSplit([2, 4, 1]);
  const [batch] = [...split.batches(3, { shuffle: false })];
  assert.equal(batch.size, 3);
  assert.equal(batch.steps, 4);
  assert.deepEqual(Array.from(batch.lengths), [2, 4, 1]);
  assert.deepEqual(Array.from(batch.inputIds!), [1, 2, 0, 0, 11, 12, 13, 14, 21, 0, 0, 0]); // [B,T]
  assert.deepEqual(Array.from(batch.targetIds!), [0, 1, -1, -1, 0, 1, 2, 3, 0, -1, -1, -1]);
  assert.deepEqual(Array.from(batch.targetLengths!), [2, 4, 1]);
  assert.deepEqual(Array.from(batch.indices), [0, 1, 2]);
});

test('batching: real-valued inputs [B,T,I] are zero-padded and targets [B,O] packed', () => {
  const examples: Example[] = [
    { length: 1, inputs: Float32Array.of(1, 2), targets: Float32Array.of(5) },
    { length: 2, inputs: Float32Array.of(3, 4, 5, 6), targets: Float32Array.of(7) },
  ];
  const split = ExampleSplit.fromExamples(examples, { featureCount: 2, targetWidth: 1 }, describe);
  const [batch] = [...split.batches(2, { shuffle: false })];
  assert.deepEqual(Array.from(batch.inputs!), [1, 2, 0, 0, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(batch.targets!), [5, 7]);
});

test('batching: buffers are reused for the same (B, T) and stale padding is cleared', () => {
  const split = tokenSplit([3, 3, 1, 3]);
  const batches = [...split.batches(2, { shuffle: false })].map((batch) => ({ batch, ids: Array.from(batch.inputIds!) }));
  assert.equal(batches[0].batch, batches[1].batch); // same object and arrays, (B=2, T=3) both times
  assert.deepEqual(batches[1].ids, [21, 0, 0, 31, 32, 33]); // the 2nd batch overwrote the first completely
});

test('batching: shuffling is reproducible from the rng and covers every example once per epoch', () => {
  const split = tokenSplit(Array.from({ length: 23 }, (_, i) => 1 + (i % 5)));
  const order = (seed: number) => {
    const seen: number[] = []; // copied batch by batch: a Batch is only valid until the next one
    for (const batch of split.batches(4, { shuffle: true, rng: new Rng(seed) })) seen.push(...batch.indices);
    return seen;
  };
  assert.deepEqual(order(3), order(3));
  assert.notDeepEqual(order(3), order(4));
  assert.deepEqual([...order(3)].sort((a, b) => a - b), Array.from({ length: 23 }, (_, i) => i));
  assert.throws(() => [...split.batches(4, { shuffle: true })], /shuffle needs an rng/);
});

test('batching: bucketing by length cuts padding, and dropLast keeps B constant', () => {
  const lengths = Array.from({ length: 40 }, (_, i) => 1 + ((i * 7) % 20));
  const split = tokenSplit(lengths);
  const padding = (bucketByLength: boolean) => {
    let padded = 0;
    for (const batch of split.batches(8, { shuffle: true, rng: new Rng(1), bucketByLength })) {
      for (let b = 0; b < batch.size; b++) padded += batch.steps - batch.lengths[b];
    }
    return padded;
  };
  assert.ok(padding(true) * 3 < padding(false), `bucketed ${padding(true)} vs ${padding(false)}`);
  const sizes = [...tokenSplit(lengths.slice(0, 19)).batches(8, { shuffle: false, dropLast: true })].map((b) => b.size);
  assert.deepEqual(sizes, [8, 8]);
});

test('batching: a bucketed epoch is the shuffled order sorted stably by length, then its batches shuffled', () => {
  const lengths = Array.from({ length: 300 }, (_, i) => (i * 37) % 11); // many ties, and empty examples
  const split = tokenSplit(lengths);
  const rng = new Rng(9);
  const expected = Array.from({ length: lengths.length }, (_, i) => i);
  rng.shuffle(expected);
  expected.sort((a, b) => lengths[a] - lengths[b]); // Array.prototype.sort is stable
  const batches: number[][] = [];
  for (let start = 0; start < expected.length; start += 16) batches.push(expected.slice(start, start + 16));
  rng.shuffle(batches);
  const actual = split.batchOrder(16, { shuffle: true, rng: new Rng(9), bucketByLength: true }).map((chunk) => Array.from(chunk));
  assert.deepEqual(actual, batches);
});

test('batching: seq2seq decoder inputs and targets are padded to the batch target length', () => {
  const examples: Example[] = [
    { length: 2, inputIds: Int32Array.of(5, 6), targetIds: Int32Array.of(7, 3), decoderInputIds: Int32Array.of(2, 7) },
    { length: 1, inputIds: Int32Array.of(5), targetIds: Int32Array.of(7, 8, 3), decoderInputIds: Int32Array.of(2, 7, 8) },
  ];
  const split = ExampleSplit.fromExamples(examples, { featureCount: 1, targetWidth: 1 }, describe);
  const [batch] = [...split.batches(2, { shuffle: false })];
  assert.equal(batch.steps, 2);
  assert.equal(batch.targetSteps, 3);
  assert.deepEqual(Array.from(batch.targetIds!), [7, 3, -1, 7, 8, 3]);
  assert.deepEqual(Array.from(batch.decoderInputIds!), [2, 7, 0, 2, 7, 8]);
  assert.deepEqual(Array.from(batch.targetLengths!), [2, 3]);
});

test('batching: a packed store keeps ids in the narrowest array the largest id allows, and offsets per example', () => {
  const withMax = (maxId: number) => {
    const split = ExampleSplit.fromExamples([{ length: 2, inputIds: Int32Array.of(1, maxId), targetClass: 0 }, { length: 1, inputIds: Int32Array.of(4), targetClass: 1 }], { featureCount: 1, targetWidth: 1 }, describe);
    return split.store as PackedStore;
  };
  assert.ok(withMax(255).columns.inputIds instanceof Uint8Array);
  assert.ok(withMax(256).columns.inputIds instanceof Uint16Array);
  assert.ok(withMax(65536).columns.inputIds instanceof Int32Array);
  const store = withMax(70000);
  assert.deepEqual(Array.from(store.columns.inputOffsets), [0, 2, 3]);
  assert.deepEqual(Array.from(store.example(0).inputIds!), [1, 70000]);
  assert.equal(store.length(1), 1);
  assert.ok(store.columns.targetClass instanceof Uint8Array);
});
