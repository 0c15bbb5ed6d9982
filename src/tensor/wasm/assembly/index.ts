// Entry of the WebAssembly kernel module (compiled by scripts/build-wasm.mjs twice: --enable simd, and
// --enable simd,relaxed-simd for the build whose GEMM and exp use fused multiply-add).
export { gemm, packB, gemmPackedB } from './gemm';
export { add, mul, axpy, scale, addRowVector, sumRowsInto, heapBase, copyRows } from './elementwise';
export { sigmoid, tanh } from './activations';
export { lstmCellForward, lstmCellBackward, gruCellForward, gruCellBackward, rnnTanhCellBackward, rnnReluCellBackward } from './cells';
export { adamUpdate } from './optim';
