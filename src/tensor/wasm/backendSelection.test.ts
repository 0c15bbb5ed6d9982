// Backend selection: run-time SIMD detection, the relaxed-SIMD build where the engine has it (or can be told to
// have it), the SEQLAB_KERNELS override, and a clear error for a typo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernels, kernelsPreference, referenceKernels, setKernels, useFastestKernels } from '..';
import { kernelsVariant, sharedWasmKernels, wasmSimdSupported } from '.';
import { selectKernelsVariant, type WasmApi } from './wasmRuntime';

const wasmName = kernelsVariant() === 'relaxed-simd' ? 'wasm-relaxed-simd' : 'wasm-simd';

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
    assert.equal(chosen.name, wasmSimdSupported() ? wasmName : 'reference');
    if (wasmSimdSupported()) assert.equal(chosen, sharedWasmKernels());
  });
});

test('SEQLAB_KERNELS=reference|wasm overrides the choice; another value is an error naming the choices', () => {
  withEnvironment('reference', () => assert.equal(useFastestKernels(), referenceKernels));
  if (wasmSimdSupported()) withEnvironment(' WASM ', () => assert.equal(useFastestKernels().name, wasmName));
  withEnvironment('gpu', () => assert.throws(() => kernelsPreference(), /SEQLAB_KERNELS must be "reference" or "wasm", got "gpu"/));
});

test('Tensor storage allocated on the wasm backend lives in wasm memory; the reference backend allocates plain arrays', () => {
  assert.ok(wasmSimdSupported(), 'this engine has no WebAssembly SIMD with shared memory (Node 20 has both): the wasm backend cannot be tested');
  const wasm = sharedWasmKernels()!;
  assert.notEqual(wasm.runtime.addressOf(wasm.alloc(8), 0), -1);
  assert.equal(wasm.runtime.addressOf(referenceKernels.alloc(8), 0), -1);
});

/** An engine that validates the SIMD probe when `simd`, and the relaxed build when `relaxed()` says so. */
function fakeEngine(simd: boolean, relaxed: () => boolean): Pick<WasmApi, 'validate'> & { validated: number } {
  const engine = {
    validated: 0,
    validate(bytes: Uint8Array): boolean {
      engine.validated++;
      return bytes === RELAXED ? relaxed() : simd;
    },
  };
  return engine;
}
const RELAXED = new Uint8Array([1]);

test('the relaxed-SIMD build is chosen where the engine validates it, without touching engine flags', () => {
  let flagged = 0;
  assert.equal(selectKernelsVariant(fakeEngine(true, () => true), RELAXED, () => { flagged++; return true; }), 'relaxed-simd');
  assert.equal(flagged, 0);
});

test('where relaxed SIMD needs a flag, it is switched on once and the relaxed build re-validated', () => {
  let on = false, flagged = 0;
  const engine = fakeEngine(true, () => on);
  assert.equal(selectKernelsVariant(engine, RELAXED, () => { flagged++; on = true; return true; }), 'relaxed-simd');
  assert.equal(flagged, 1);
});

test('plain SIMD when relaxed SIMD cannot be had (no flag, or a flag that does not help), or when it is refused', () => {
  assert.equal(selectKernelsVariant(fakeEngine(true, () => false), RELAXED, () => false), 'simd');
  assert.equal(selectKernelsVariant(fakeEngine(true, () => false), RELAXED, () => true), 'simd');
  let flagged = 0;
  assert.equal(selectKernelsVariant(fakeEngine(true, () => true), RELAXED, () => { flagged++; return true; }, false), 'simd');
  assert.equal(flagged, 0);
});

test('no SIMD at all: no build, and no flag is set', () => {
  let flagged = 0;
  assert.equal(selectKernelsVariant(fakeEngine(false, () => false), RELAXED, () => { flagged++; return true; }), null);
  assert.equal(flagged, 0);
});

test('the backend names the build it runs', () => {
  assert.ok(wasmSimdSupported(), 'this engine has no WebAssembly SIMD with shared memory (Node 20 has both): the wasm backend cannot be tested');
  const wasm = sharedWasmKernels()!;
  assert.equal(wasm.variant, kernelsVariant());
  assert.equal(wasm.name, wasmName);
});
