/**
 * Workspaces, not garbage: after the first call with a given (B, T), forward + backward allocate no new
 * storage — neither through the backend's `alloc` nor by constructing any Float32Array — whatever the lengths.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, referenceKernels, withKernels, type Kernels, type Tensor } from '../../tensor';
import { makeLayer, randomTensor, type CellName } from './testing';
import { DetachedState } from './truncatedBptt';

function countingBackend(): { backend: Kernels; count: () => number } {
  let allocations = 0;
  const backend: Kernels = {
    ...referenceKernels,
    name: 'counting',
    alloc(n) {
      allocations++;
      return referenceKernels.alloc(n);
    },
  };
  return { backend, count: () => allocations };
}

/** Run fn while every `new Float32Array(…)` anywhere is counted (the global constructor is wrapped). */
function countFloat32ArrayConstructions(fn: () => void): number {
  const original = globalThis.Float32Array;
  let constructed = 0;
  globalThis.Float32Array = new Proxy(original, {
    construct(target, args, newTarget) {
      constructed++;
      return Reflect.construct(target, args, newTarget === globalThis.Float32Array ? target : newTarget);
    },
  });
  try {
    fn();
  } finally {
    globalThis.Float32Array = original;
  }
  return constructed;
}

// [cell, projSize]: the LSTM with a projection runs its own time loop, so it is counted too.
for (const [cell, projSize] of [['rnn', 0], ['lstm', 0], ['gru', 0], ['lstm', 2]] as [CellName, number][]) {
  test(`${cell}${projSize ? ' with projSize' : ''}: a steady-state forward + backward allocates nothing (same B, T; lengths may change)`, () => {
    const { backend, count } = countingBackend();
    withKernels(backend, () => {
      const layer = makeLayer(cell, { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, dropout: 0.2, projSize });
      const S = projSize || 4;
      const rng = new Rng(2);
      const x = randomTensor(rng, [3, 5, 3]);
      const h0 = randomTensor(rng, [4, 3, S]);
      const c0 = cell === 'lstm' ? randomTensor(rng, [4, 3, 4]) : undefined;
      const dOutput = randomTensor(rng, [3, 5, 2 * S]);
      const dhN = randomTensor(rng, [4, 3, S]);
      const dcN = c0 ? randomTensor(rng, [4, 3, 4]) : undefined;
      const step = (lengths: number[]) => {
        layer.forward(x, { lengths, h0, c0, rng });
        layer.backward({ dOutput, dhN, dcN });
      };
      step([5, 2, 4]);
      const afterFirst = count();
      assert.ok(afterFirst > 0, 'the first call allocates its workspace through the backend');
      const constructed = countFloat32ArrayConstructions(() => {
        step([5, 2, 4]);
        step([1, 5, 3]);
        layer.setTraining(false);
        step([5, 5, 5]);
      });
      assert.equal(count(), afterFirst, 'no backend allocation in steady state');
      assert.equal(constructed, 0, 'no Float32Array constructed in steady state');
      layer.forward(randomTensor(rng, [2, 5, 3]));
      assert.ok(count() > afterFirst, 'a new batch size gets a new workspace');
    });
  });
}

test('alternating batch sizes (a short last batch, validation) reuse their workspaces too', () => {
  const { backend, count } = countingBackend();
  withKernels(backend, () => {
    const layer = makeLayer('gru', { inputSize: 2, hiddenSize: 3 });
    const rng = new Rng(3);
    const sizes: [number, number][] = [[4, 5], [1, 5], [4, 3]];
    const inputs = sizes.map(([B, T]) => randomTensor(rng, [B, T, 2]));
    const grads = sizes.map(([B, T]) => randomTensor(rng, [B, T, 3]));
    const epoch = () => inputs.forEach((x, i) => (layer.forward(x), layer.backward({ dOutput: grads[i] })));
    epoch();
    const warm = count();
    epoch();
    epoch();
    assert.equal(count(), warm);
  });
});

test('the Float32Array counter used above does count constructions', () => {
  assert.equal(countFloat32ArrayConstructions(() => void new Float32Array(3)), 1);
});

test('truncated BPTT: a steady-state chunk loop allocates nothing', () => {
  const { backend, count } = countingBackend();
  const [B, I, H] = [2, 3, 4];
  withKernels(backend, () => {
    const layer = makeLayer('lstm', { inputSize: I, hiddenSize: H, numLayers: 2 });
    const rng = new Rng(6);
    const chunks = [randomTensor(rng, [B, 3, I]), randomTensor(rng, [B, 3, I]), randomTensor(rng, [B, 3, I])];
    const dOutput = randomTensor(rng, [B, 3, H]);
    const carry = new DetachedState();
    const step = (c: Tensor) => {
      carry.capture(layer.forward(c, carry.initial()));
      layer.backward({ dOutput });
    };
    step(chunks[0]);
    step(chunks[1]);
    const before = count();
    step(chunks[2]);
    step(chunks[0]);
    assert.equal(count(), before);
  });
});
