/**
 * Bounded WebAssembly memory: a model run through shapes that keep changing — training batches with bucketed
 * lengths, the short last batch, validation, step-by-step decoding, a beam-sized batch — reaches a fixed wasm
 * heap after warm-up, although more (B, T) shapes come by than a recurrent layer keeps workspaces for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, withKernels } from '../tensor';
import { createWasmKernels } from '../tensor/wasm';
import { Embedding } from './embedding';
import { Linear } from './linear';
import { reuseOrAllocate } from './workspace';
import { CrossEntropyLoss } from './losses';
import { LSTM } from './recurrent';
import { KEPT_WORKSPACES } from './recurrent/fusedRecurrent';

assert.ok(createWasmKernels(), 'this engine has no WebAssembly SIMD with shared memory (Node 20 has both): the wasm backend cannot be tested');

const VOCABULARY = 11, EMBEDDING = 6, HIDDEN = 8;

/** One epoch's worth of (B, T, training) calls, in the order a trainer with validation and decoding makes them. */
const EPOCH_SHAPES: [number, number, boolean][] = [
  [16, 12, true], [16, 7, true], [16, 9, true], [16, 4, true], [5, 12, true], // bucketed lengths, short last batch
  [10, 12, false], [3, 6, false], // validation batches
  ...Array.from({ length: 6 }, (): [number, number, boolean] => [10, 1, false]), // greedy decoding, step by step
  [30, 1, false], [30, 1, false], // beam search: batch × beam width rows
];

test('alternating train, validation and decoding shapes leave the wasm heap constant after warm-up', () => {
  assert.ok(new Set(EPOCH_SHAPES.map(([B, T]) => `${B}x${T}`)).size > KEPT_WORKSPACES, 'more shapes than kept workspaces');
  // A backend of its own per test, so its memory holds this test's allocations only.
  const wasm = createWasmKernels()!;
  const runtime = wasm.runtime;
  withKernels(wasm, () => {
    const rng = new Rng(5);
    const embedding = new Embedding(VOCABULARY, EMBEDDING, rng);
    const lstm = new LSTM({ inputSize: EMBEDDING, hiddenSize: HIDDEN, numLayers: 2 }, rng);
    const head = new Linear(HIDDEN, VOCABULARY, rng);
    const loss = new CrossEntropyLoss();
    const ids = new Int32Array(16 * 12).map((_, i) => (i * 7) % VOCABULARY);

    const call = (B: number, T: number, training: boolean) => {
      lstm.setTraining(training);
      const x = embedding.forward(ids.subarray(0, B * T), [B, T]);
      const { output } = lstm.forward(x);
      const logits = head.forward(output);
      loss.forward(logits.reshape([B * T, VOCABULARY]), ids.subarray(0, B * T));
      if (!training) return;
      const dOutput = head.backward(loss.backward().reshape([B, T, VOCABULARY]));
      embedding.backward(lstm.backward({ dOutput }).dInput);
    };
    const epoch = () => EPOCH_SHAPES.forEach(([B, T, training]) => call(B, T, training));

    // Warm-up: the free lists settle within a few epochs (a freed block may first serve a smaller request).
    for (let e = 0; e < 4; e++) epoch();
    const heapAfterWarmUp = runtime.allocatedBytes, memoryAfterWarmUp = runtime.memoryBytes;
    for (let e = 0; e < 15; e++) epoch();
    assert.equal(runtime.allocatedBytes, heapAfterWarmUp, `heap grew by ${runtime.allocatedBytes - heapAfterWarmUp} bytes over 15 epochs`);
    assert.equal(runtime.memoryBytes, memoryAfterWarmUp);
    assert.ok(runtime.freeBytes > 0, 'replaced workspaces went back to the free lists');
  });
});

test('a workspace slot serves a smaller shape from its own block, zeroed, and hands an outgrown block back', () => {
  const wasm = createWasmKernels()!;
  const runtime = wasm.runtime;
  withKernels(wasm, () => {
    const big = reuseOrAllocate(undefined, [6, 3]);
    big.data.fill(7);
    const heap = runtime.allocatedBytes;
    const small = reuseOrAllocate(big, [2, 3]);
    assert.equal(small.data.byteOffset, big.data.byteOffset, 'a view of the same block');
    assert.deepEqual(small.shape, [2, 3]);
    assert.ok(small.data.every((v) => v === 0), 'zeroed like a fresh tensor');
    const back = reuseOrAllocate(small, [6, 3]);
    assert.equal(back.data.byteOffset, big.data.byteOffset, 'the full size still fits the block');
    assert.equal(runtime.allocatedBytes, heap, 'no allocation for shapes that fit');
    const freeBefore = runtime.freeBytes;
    const larger = reuseOrAllocate(back, [40, 3]);
    assert.notEqual(larger.data.byteOffset, big.data.byteOffset, 'a larger shape needs a larger block');
    assert.ok(runtime.freeBytes > freeBefore, 'the outgrown block went back to the free list');
  });
});
