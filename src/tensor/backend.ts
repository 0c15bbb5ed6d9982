import type { Kernels } from './kernels';
import { referenceKernels } from './referenceKernels';
import { sharedWasmKernels } from './wasm';

/**
 * The active kernel backend. Layers call `kernels()` at run time rather than capturing a backend at
 * construction, so switching to WebAssembly SIMD (or back to the reference for a test) needs no caller change.
 * It starts as the reference unless SEQLAB_KERNELS=wasm asks otherwise (the test runner runs the unit suite
 * once per backend that way); entry points call `useFastestKernels()`.
 */
let active: Kernels = environmentValue() === 'wasm' ? backendNamed('wasm') : referenceKernels;

export function kernels(): Kernels {
  return active;
}

export function setKernels(k: Kernels): void {
  active = k;
}

/** Run `fn` with `k` as the active backend, restoring the previous one afterwards (tests use this). */
export function withKernels<T>(k: Kernels, fn: () => T): T {
  const previous = active;
  active = k;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

export type KernelsPreference = 'reference' | 'wasm' | 'fastest';

/** SEQLAB_KERNELS=reference|wasm when the host has an environment (Node); 'fastest' otherwise. */
export function kernelsPreference(): KernelsPreference {
  const value = environmentValue();
  if (value === 'reference' || value === 'wasm') return value;
  if (value) throw new Error(`SEQLAB_KERNELS must be "reference" or "wasm", got "${value}"`);
  return 'fastest';
}

/** SEQLAB_KERNELS, trimmed and lower-cased; validated by `kernelsPreference` (entry points), not at import. */
function environmentValue(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.SEQLAB_KERNELS?.trim().toLowerCase();
}

/** The backend for an explicit choice; asking for wasm where the engine lacks SIMD or shared memory is an error. */
function backendNamed(name: 'reference' | 'wasm'): Kernels {
  if (name === 'reference') return referenceKernels;
  const wasm = sharedWasmKernels();
  if (!wasm) throw new Error('SEQLAB_KERNELS=wasm, but this engine has no WebAssembly SIMD with shared memory');
  return wasm;
}

/**
 * Activate the fastest backend this engine supports (WebAssembly SIMD, detected at run time, else the
 * reference) unless SEQLAB_KERNELS overrides it. Synchronous: the small kernel module compiles in place.
 * The trainer, the CLI and the worker call it once at start. Returns the backend now active.
 */
export function useFastestKernels(preference: KernelsPreference = kernelsPreference()): Kernels {
  active = preference === 'fastest' ? sharedWasmKernels() ?? referenceKernels : backendNamed(preference);
  return active;
}
