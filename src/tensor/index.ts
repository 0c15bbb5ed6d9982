export type { Kernels } from './kernels';
export { referenceKernels, sigmoid } from './referenceKernels';
export { kernels, setKernels, withKernels } from './backend';
export { Tensor, sizeOf, formatShape, assertShape } from './tensor';
export { Rng } from './rng';
