// SEQLAB_THREADS chooses one or two kernel threads; the default follows the cores; only the wasm backend gets a helper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referenceKernels, createWasmKernels, Rng } from '../tensor';
import { startKernelThreads, threadsFromEnvironment } from './gemmHelperNode';

test('SEQLAB_THREADS=1|2 wins; unset means 2 on two or more cores, 1 on one; anything else is an error', () => {
  assert.equal(threadsFromEnvironment({ SEQLAB_THREADS: '1' }, 8), 1);
  assert.equal(threadsFromEnvironment({ SEQLAB_THREADS: ' 2 ' }, 1), 2);
  assert.equal(threadsFromEnvironment({}, 2), 2);
  assert.equal(threadsFromEnvironment({ SEQLAB_THREADS: '' }, 1), 1);
  assert.throws(() => threadsFromEnvironment({ SEQLAB_THREADS: '4' }, 2), /SEQLAB_THREADS must be 1 or 2, got "4"/);
});

test('the reference backend and one thread start no helper; the wasm backend on two threads splits large GEMMs', () => {
  assert.equal(startKernelThreads(referenceKernels, 2), null);
  const wasm = createWasmKernels();
  assert.ok(wasm, 'this engine has no WebAssembly SIMD with shared memory (Node 20 has both): the wasm backend cannot be tested');
  assert.equal(startKernelThreads(wasm, 1), null);
  const helper = startKernelThreads(wasm, 2)!;
  try {
    const n = 256;
    const A = wasm.alloc(n * n), B = wasm.alloc(n * n), C = wasm.alloc(n * n);
    new Rng(3).fillNormal(A);
    new Rng(4).fillNormal(B);
    wasm.gemm(false, false, n, n, n, 1, A, 0, n, B, 0, n, 0, C, 0, n);
    assert.equal(helper.splits, 1);
  } finally {
    helper.stop();
  }
});
