export type { Kernels } from './kernels';
export { referenceKernels, sigmoid } from './referenceKernels';
export { kernels, setKernels, withKernels, useFastestKernels, kernelsPreference, type KernelsPreference } from './backend';
export { sharedWasmKernels, createWasmKernels, wasmSimdSupported, type WasmKernels } from './wasm';
export { Tensor, sizeOf, formatShape, assertShape } from './tensor';
export { Rng } from './rng';
export type { RngState } from './rng';
