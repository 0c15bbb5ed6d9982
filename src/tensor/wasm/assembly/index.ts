// Entry of the WebAssembly kernel module (compiled by scripts/build-wasm.mjs with --enable simd).
export { gemm } from './gemm';
export { add, mul, axpy, scale, addRowVector, sumRowsInto, heapBase } from './elementwise';
export { sigmoid, tanh } from './activations';
export { lstmCellForward, lstmCellBackward, gruCellForward, gruCellBackward } from './cells';
