// Elementwise and row-wise kernels in WebAssembly SIMD. Same contracts as the reference kernels in
// src/tensor/referenceKernels.ts; pointers are byte addresses, sizes in elements.
import { CELL_SCRATCH_BYTES } from './cells';

export function add(out: usize, x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) + load<f32>(y + o));
  }
}

export function mul(out: usize, x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) * load<f32>(y + o));
  }
}

/** y += a · x */
export function axpy(y: usize, a: f32, x: usize, n: i32): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

/** x *= a */
export function scale(x: usize, a: f32, n: i32): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(x + o, f32x4.mul(v128.load(x + o), va));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, load<f32>(x + o) * a);
  }
}

/** dst[i, 0..cols) = src[i, 0..cols) for `rows` rows with their own strides (floats): one memmove per row. */
export function copyRows(dst: usize, ldDst: i32, src: usize, ldSrc: i32, rows: i32, cols: i32): void {
  const bytes = <usize>cols << 2;
  if (ldDst === cols && ldSrc === cols) {
    memory.copy(dst, src, bytes * rows);
    return;
  }
  for (let i = 0; i < rows; i++) memory.copy(dst + (<usize>i * <usize>ldDst << 2), src + (<usize>i * <usize>ldSrc << 2), bytes);
}

/** out[r,c] = x[r,c] + bias[c] */
export function addRowVector(out: usize, x: usize, bias: usize, R: i32, C: i32): void {
  for (let r = 0; r < R; r++) {
    const rowOff = <usize>r * <usize>C << 2;
    add(out + rowOff, x + rowOff, bias, C);
  }
}

/** acc[c] += Σ_r x[r,c] */
export function sumRowsInto(acc: usize, x: usize, R: i32, C: i32): void {
  for (let r = 0; r < R; r++) add(acc, acc, x + (<usize>r * <usize>C << 2), C);
}

/** First free byte after the module's static data and the cells' scratch: the JS side allocates from here. */
export function heapBase(): usize {
  return (((__heap_base + 15) & ~<usize>15) + CELL_SCRATCH_BYTES + 63) & ~<usize>63;
}
