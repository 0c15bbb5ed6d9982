// Backend selection: run-time SIMD detection, the SEQLAB_KERNELS override, and a clear error for a typo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernels, kernelsPreference, referenceKernels, setKernels, useFastestKernels } from '..';
import { sharedWasmKernels, wasmSimdSupported } from '.';

function withEnvironment<T>(value: string | undefined, fn: () => T): T {
  const previousValue = process.env.SEQLAB_KERNELS;
  const previousBackend = kernels();
  if (value === undefined) delete process.env.SEQLAB_KERNELS;
  else process.env.SEQLAB_KERNELS = value;
  try {
    return fn();
  } finally {
    if (previousValue === undefined) delete process.env.SEQLAB_KERNELS;
    else process.env.SEQLAB_KERNELS = previousValue;
    setKernels(previousBackend);
  }
}

test('useFastestKernels picks WebAssembly SIMD where the engine has it, and makes it the active backend', () => {
  withEnvironment(undefined, () => {
    const chosen = useFastestKernels();
    assert.equal(chosen, kernels());
    assert.equal(chosen.name, wasmSimdSupported() ? 'wasm-simd' : 'reference');
    if (wasmSimdSupported()) assert.equal(chosen, sharedWasmKernels());
  });
});

test('SEQLAB_KERNELS=reference|wasm overrides the choice; another value is an error naming the choices', () => {
  withEnvironment('reference', () => assert.equal(useFastestKernels(), referenceKernels));
  if (wasmSimdSupported()) withEnvironment(' WASM ', () => assert.equal(useFastestKernels().name, 'wasm-simd'));
  withEnvironment('gpu', () => assert.throws(() => kernelsPreference(), /SEQLAB_KERNELS must be "reference" or "wasm", got "gpu"/));
});

test('Tensor storage allocated on the wasm backend lives in wasm memory; the reference backend allocates plain arrays', { skip: wasmSimdSupported() ? false : 'no WebAssembly SIMD' }, () => {
  const wasm = sharedWasmKernels()!;
  assert.notEqual(wasm.runtime.addressOf(wasm.alloc(8), 0), -1);
  assert.equal(wasm.runtime.addressOf(referenceKernels.alloc(8), 0), -1);
});
