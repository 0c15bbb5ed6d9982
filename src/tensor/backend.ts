import type { Kernels } from './kernels';
import { referenceKernels } from './referenceKernels';

/**
 * The active kernel backend. Layers call `kernels()` at run time rather than capturing a backend at
 * construction, so switching to WebAssembly SIMD (or back to the reference for a test) needs no caller change.
 */
let active: Kernels = referenceKernels;

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
