// The WebAssembly backend's memory never shrinks, and only blocks handed back with `release` are reused, so
// whatever the trainer allocated there per step and dropped would leak until training dies ("memory exhausted"). After the first epochs, an epoch — training, validation, greedy
// decoding, gate snapshots, predictions — must not allocate backend memory from src/train. (The layers' own
// workspaces are theirs to account for; they are excluded by looking at who asked for the memory.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernels, setKernels } from '../tensor';
import { sharedWasmKernels } from '../tensor/wasm';
import type { SeqModelSpec } from '../modelSpec/types';
import { prepareData } from '../data';
import { train } from './trainer';
import { memoryRunIo } from './runIo';
import { steppingClock } from './testing/tinyRuns';

const wasm = sharedWasmKernels();

const pairs = ['abc\tcba', 'ab\tba', 'bca\tacb', 'cab\tbac', 'ca\tac', 'bb\tbb', 'abca\tacba', 'cc\tcc', 'acb\tbca', 'ba\tab'].join('\n');
const spec: SeqModelSpec = {
  name: 'memory', task: { type: 'seq2seq' },
  data: { source: 'pairs', path: 'pairs.tsv', split: { validation: 0.3 } },
  model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 3, numLayers: 2, bidirectional: true, residual: true, layerNorm: true }, decoder: { cell: 'lstm', hiddenSize: 6, numLayers: 2 } },
  training: { epochs: 4, batchSize: 4, seed: 1, optimizer: { type: 'adam', lr: 0.01 }, teacherForcing: { start: 1, end: 0, decay: 'linear' } },
};

/** The first stack frame outside src/tensor: whoever asked the backend for memory. */
function requester(stack: string): string {
  const frames = stack.split('\n').slice(1).map((l) => l.trim());
  return frames.find((f) => !/[\\/]src[\\/]tensor[\\/]/.test(f) && !f.includes('node:') && !f.includes('steadyMemory.test')) ?? '';
}

test('steady-state epochs allocate no WebAssembly memory from the trainer', async () => {
  assert.ok(wasm, 'this engine has no WebAssembly SIMD with shared memory (Node 20 has both): the wasm backend cannot be tested');
  const data = prepareData(spec, '/d', { readTextFile: () => pairs }, '/d/memory.seqmodel.json');
  const runtime = wasm!.runtime as unknown as { allocBytes(n: number): number };
  const original = runtime.allocBytes;
  let epochsDone = 0;
  Error.stackTraceLimit = 50;
  const fromTrainer: string[] = [];
  runtime.allocBytes = function (this: unknown, bytes: number) {
    if (epochsDone >= 2) {
      const who = requester(new Error().stack ?? '');
      if (/[\\/]src[\\/]train[\\/]/.test(who)) fromTrainer.push(who);
    }
    return original.call(this, bytes);
  };
  const previous = kernels();
  setKernels(wasm!); // not withKernels: training is asynchronous, the backend must stay until the promise settles
  try {
    await train({ spec, data, io: memoryRunIo(), runDir: '/run', now: steppingClock(), emit: (e) => { if (e.type === 'predictions') epochsDone++; } });
  } finally {
    setKernels(previous);
    runtime.allocBytes = original;
  }
  assert.equal(epochsDone, 4);
  assert.deepEqual(fromTrainer, []);
});
