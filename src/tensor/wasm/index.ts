import { createWasmKernels, type WasmKernels } from './wasmKernels';

export { createWasmKernels, type WasmKernels, type AdamStepScalars } from './wasmKernels';
export type { GemmSplitter } from './gemmThreads';
export { wasmSimdSupported, kernelsVariant, type KernelsVariant } from './wasmRuntime';
export { startGemmHelperThread, GEMM_HELPER_SOURCE, DEFAULT_SPLIT_THRESHOLD, type GemmHelper, type SpawnHelperThread, type HelperThread } from './gemmThreads';

let shared: WasmKernels | null | undefined;

/** The process-wide WebAssembly SIMD backend (one memory, created on first use), or null where unsupported. */
export function sharedWasmKernels(): WasmKernels | null {
  if (shared === undefined) shared = createWasmKernels();
  return shared;
}
