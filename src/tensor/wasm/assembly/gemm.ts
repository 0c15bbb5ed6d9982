// GEMM in WebAssembly SIMD: C[M,N] = alpha · op(A)[M,K] · op(B)[K,N] + beta · C (+ a bias row, when given, added
// after the product: a layer's y = x·Wᵀ + b in one call, bitwise the GEMM followed by addRowVector).
//
// GotoBLAS/BLIS structure: op(B) is packed in KC×NC blocks of NR-wide column panels, op(A) in MC×KC blocks
// of MR-high row panels (both zero-padded at the edges), and a 4×8 register-tiled micro-kernel (8 f32x4
// accumulators, as XNNPACK's wasmsimd x86 kernels; fused multiply-add in the relaxed-SIMD build) sweeps the
// packed panels. Packing absorbs the transposes and leading dimensions, so one micro-kernel serves all four
// transpose combinations.
//
// Pointers are byte addresses in this module's memory; leading dimensions are in elements. The caller owns
// the pack buffers (packA ≥ MC·KC floats, packB ≥ KC·NC + MR·NR floats: the tail is the edge tile), so two
// threads on one shared memory never share scratch.

import { add } from './elementwise';

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 128;
export const NC: i32 = 512;

/** C[M,N] *= beta over a strided block; beta = 0 stores zeros (NaN in C must not survive, as in BLAS). */
function scaleBlock(c: usize, ldc: i32, M: i32, N: i32, beta: f32): void {
  if (beta == 1) return;
  const vb = f32x4.splat(beta);
  const zero = f32x4.splat(0);
  for (let i = 0; i < M; i++) {
    const row = c + (<usize>i * <usize>ldc << 2);
    let j = 0;
    if (beta == 0) {
      for (; j + 4 <= N; j += 4) v128.store(row + (<usize>j << 2), zero);
      for (; j < N; j++) store<f32>(row + (<usize>j << 2), 0);
    } else {
      for (; j + 4 <= N; j += 4) {
        const p = row + (<usize>j << 2);
        v128.store(p, f32x4.mul(v128.load(p), vb));
      }
      for (; j < N; j++) {
        const p = row + (<usize>j << 2);
        store<f32>(p, load<f32>(p) * beta);
      }
    }
  }
}

/**
 * Rows x0..x3 (4 consecutive k each) become columns: stores [x0[k], x1[k], x2[k], x3[k]] for k = 0..3 at
 * out + k·strideBytes.
 */
// @ts-ignore: decorator
@inline
function transposeStore4x4(out: usize, x0: v128, x1: v128, x2: v128, x3: v128, strideBytes: usize): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(out, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(out + strideBytes, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(out + 2 * strideBytes, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(out + 3 * strideBytes, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/** packA[panel][k][r] = op(A)[i0 + panel·MR + r, k0 + k], zero rows past M. */
function packBlockA(dst: usize, a: usize, lda: i32, transA: bool, i0: i32, mc: i32, k0: i32, kc: i32): void {
  for (let p = 0; p < mc; p += MR) {
    const rows = min(MR, mc - p);
    const panel = dst + (<usize>p * <usize>kc << 2);
    if (!transA && rows == MR) {
      // A stored [M,K], a full panel: read 4 k of each of the 4 rows and transpose the 4×4 block in registers.
      const r0 = a + ((<usize>(i0 + p) * <usize>lda + <usize>k0) << 2);
      const ldaBytes = <usize>lda << 2;
      const r1 = r0 + ldaBytes, r2 = r1 + ldaBytes, r3 = r2 + ldaBytes;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k << 2;
        transposeStore4x4(panel + (<usize>k * MR << 2), v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o), 16);
      }
      for (; k < kc; k++) {
        const o = <usize>k << 2;
        const out = panel + (<usize>k * MR << 2);
        store<f32>(out, load<f32>(r0 + o));
        store<f32>(out, load<f32>(r1 + o), 4);
        store<f32>(out, load<f32>(r2 + o), 8);
        store<f32>(out, load<f32>(r3 + o), 12);
      }
    } else if (!transA) {
      // A stored [M,K], an edge panel: rows are contiguous in k; interleave MR rows, zero the missing ones.
      for (let r = 0; r < MR; r++) {
        if (r < rows) {
          const src = a + ((<usize>(i0 + p + r) * <usize>lda + <usize>k0) << 2);
          for (let k = 0; k < kc; k++) store<f32>(panel + ((<usize>k * MR + r) << 2), load<f32>(src + (<usize>k << 2)));
        } else {
          for (let k = 0; k < kc; k++) store<f32>(panel + ((<usize>k * MR + r) << 2), 0);
        }
      }
    } else {
      // A stored [K,M]: the MR values for one k are contiguous.
      for (let k = 0; k < kc; k++) {
        const src = a + ((<usize>(k0 + k) * <usize>lda + <usize>(i0 + p)) << 2);
        const out = panel + (<usize>k * MR << 2);
        if (rows == MR) v128.store(out, v128.load(src));
        else for (let r = 0; r < MR; r++) store<f32>(out + (<usize>r << 2), r < rows ? load<f32>(src + (<usize>r << 2)) : 0);
      }
    }
  }
}

/** packB[panel][k][c] = op(B)[k0 + k, j0 + panel·NR + c], zero columns past N. */
function packBlockB(dst: usize, b: usize, ldb: i32, transB: bool, k0: i32, kc: i32, j0: i32, nc: i32): void {
  for (let q = 0; q < nc; q += NR) {
    const cols = min(NR, nc - q);
    const panel = dst + (<usize>q * <usize>kc << 2);
    if (!transB) {
      // B stored [K,N]: NR contiguous values per k.
      for (let k = 0; k < kc; k++) {
        const src = b + ((<usize>(k0 + k) * <usize>ldb + <usize>(j0 + q)) << 2);
        const out = panel + (<usize>k * NR << 2);
        if (cols == NR) {
          v128.store(out, v128.load(src));
          v128.store(out, v128.load(src, 16), 16);
        } else {
          for (let c = 0; c < NR; c++) store<f32>(out + (<usize>c << 2), c < cols ? load<f32>(src + (<usize>c << 2)) : 0);
        }
      }
    } else if (cols == NR) {
      // B stored [N,K], a full panel: 4 k of 8 rows of B, transposed as two 4×4 blocks into 4 packed rows of 8.
      const ldbBytes = <usize>ldb << 2;
      const b0 = b + ((<usize>(j0 + q) * <usize>ldb + <usize>k0) << 2);
      const b1 = b0 + ldbBytes, b2 = b1 + ldbBytes, b3 = b2 + ldbBytes;
      const b4 = b3 + ldbBytes, b5 = b4 + ldbBytes, b6 = b5 + ldbBytes, b7 = b6 + ldbBytes;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k << 2;
        const out = panel + (<usize>k * NR << 2);
        transposeStore4x4(out, v128.load(b0 + o), v128.load(b1 + o), v128.load(b2 + o), v128.load(b3 + o), 32);
        transposeStore4x4(out + 16, v128.load(b4 + o), v128.load(b5 + o), v128.load(b6 + o), v128.load(b7 + o), 32);
      }
      for (; k < kc; k++) {
        const o = <usize>k << 2;
        const out = panel + (<usize>k * NR << 2);
        store<f32>(out, load<f32>(b0 + o)); store<f32>(out, load<f32>(b1 + o), 4);
        store<f32>(out, load<f32>(b2 + o), 8); store<f32>(out, load<f32>(b3 + o), 12);
        store<f32>(out, load<f32>(b4 + o), 16); store<f32>(out, load<f32>(b5 + o), 20);
        store<f32>(out, load<f32>(b6 + o), 24); store<f32>(out, load<f32>(b7 + o), 28);
      }
    } else {
      // B stored [N,K], an edge panel: each column of op(B) is a contiguous row of B.
      for (let c = 0; c < NR; c++) {
        if (c < cols) {
          const src = b + ((<usize>(j0 + q + c) * <usize>ldb + <usize>k0) << 2);
          for (let k = 0; k < kc; k++) store<f32>(panel + ((<usize>k * NR + c) << 2), load<f32>(src + (<usize>k << 2)));
        } else {
          for (let k = 0; k < kc; k++) store<f32>(panel + ((<usize>k * NR + c) << 2), 0);
        }
      }
    }
  }
}

/**
 * c + a·b. The relaxed-SIMD build (scripts/build-wasm.mjs) fuses it into one instruction where the CPU has FMA,
 * which is ~1.25× the GEMM rate here; the plain SIMD build multiplies and adds. Either way every C element
 * sums over k in the same order, so one and two threads agree bitwise within one build on one machine.
 */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * C[mr,nr] += alpha · Apanel[kc,MR]ᵀ-ish · Bpanel[kc,NR]; full tiles store straight, edge tiles go through `tile`.
 * The epilogue also does what would otherwise be passes over C of their own: `overwrite` (the first K block of a
 * beta = 0 GEMM) starts from 0 instead of loading C, and a `bias` row (the last K block; 0 for none) is added after
 * the block sum. Each store is (C or 0) + alpha·sum (+ bias): the bits of zeroing C, the GEMM, then addRowVector.
 */
// @ts-ignore: decorator
@inline
function microKernel4x8(
  kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, alpha: f32, mr: i32, nr: i32, tile: usize, overwrite: bool, bias: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(pa);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    const a1 = v128.load32_splat(pa, 4);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    const a2 = v128.load32_splat(pa, 8);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    const a3 = v128.load32_splat(pa, 12);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
    pa += 16;
    pb += 32;
  }
  const va = f32x4.splat(alpha);
  const ldcBytes = <usize>ldc << 2;
  if (mr == MR && nr == NR) {
    const bias0 = bias != 0 ? v128.load(bias) : f32x4.splat(0), bias1 = bias != 0 ? v128.load(bias, 16) : f32x4.splat(0);
    let p = c;
    storeTileRow(p, c00, c01, va, overwrite, bias, bias0, bias1);
    p += ldcBytes;
    storeTileRow(p, c10, c11, va, overwrite, bias, bias0, bias1);
    p += ldcBytes;
    storeTileRow(p, c20, c21, va, overwrite, bias, bias0, bias1);
    p += ldcBytes;
    storeTileRow(p, c30, c31, va, overwrite, bias, bias0, bias1);
    return;
  }
  v128.store(tile, f32x4.mul(c00, va)); v128.store(tile, f32x4.mul(c01, va), 16);
  v128.store(tile, f32x4.mul(c10, va), 32); v128.store(tile, f32x4.mul(c11, va), 48);
  v128.store(tile, f32x4.mul(c20, va), 64); v128.store(tile, f32x4.mul(c21, va), 80);
  v128.store(tile, f32x4.mul(c30, va), 96); v128.store(tile, f32x4.mul(c31, va), 112);
  for (let r = 0; r < mr; r++) {
    const row = c + <usize>r * ldcBytes;
    const t = tile + (<usize>(r * NR) << 2);
    for (let j = 0; j < nr; j++) {
      const p = row + (<usize>j << 2);
      let v = (overwrite ? <f32>0 : load<f32>(p)) + load<f32>(t + (<usize>j << 2));
      if (bias != 0) v += load<f32>(bias + (<usize>j << 2));
      store<f32>(p, v);
    }
  }
}

/** One full tile row of the micro-kernel's epilogue (see microKernel4x8). */
// @ts-ignore: decorator
@inline
function storeTileRow(p: usize, x0: v128, x1: v128, va: v128, overwrite: bool, bias: usize, bias0: v128, bias1: v128): void {
  let v0 = f32x4.add(overwrite ? f32x4.splat(0) : v128.load(p), f32x4.mul(x0, va));
  let v1 = f32x4.add(overwrite ? f32x4.splat(0) : v128.load(p, 16), f32x4.mul(x1, va));
  if (bias != 0) {
    v0 = f32x4.add(v0, bias0);
    v1 = f32x4.add(v1, bias1);
  }
  v128.store(p, v0);
  v128.store(p, v1, 16);
}

/**
 * The ic/jr/ir loops over one packed B block (kc × nc, its NR-wide panels kc·NR floats apart from `pb`):
 * C[:, 0..nc) += alpha · op(A)[:, pc..pc+kc) · block, `c` pointing at the block's first column of C;
 * `overwrite` and `bias` (at the block's first column, 0 for none) as in microKernel4x8.
 */
// @ts-ignore: decorator
@inline
function sweepBlock(
  M: i32, nc: i32, kc: i32, pc: i32, a: usize, lda: i32, transA: bool,
  pb: usize, c: usize, ldc: i32, alpha: f32, packA: usize, tile: usize, overwrite: bool, bias: usize,
): void {
  for (let ic = 0; ic < M; ic += MC) {
    const mc = min(MC, M - ic);
    packBlockA(packA, a, lda, transA, ic, mc, pc, kc);
    for (let jr = 0; jr < nc; jr += NR) {
      const nr = min(NR, nc - jr);
      const pbj = pb + (<usize>jr * <usize>kc << 2);
      for (let ir = 0; ir < mc; ir += MR) {
        const mr = min(MR, mc - ir);
        const pa = packA + (<usize>ir * <usize>kc << 2);
        const cp = c + ((<usize>(ic + ir) * <usize>ldc + <usize>jr) << 2);
        microKernel4x8(kc, pa, pbj, cp, ldc, alpha, mr, nr, tile, overwrite, bias != 0 ? bias + (<usize>jr << 2) : 0);
      }
    }
  }
}

/** op(A)[i, k] for rows i..i+rows (rows < MR) as one vector, zero past the last row. */
// @ts-ignore: decorator
@inline
function loadColumnPart(a: usize, lda: i32, transA: bool, i: i32, k: i32, rows: i32): v128 {
  // Element (i + r, k) sits at first + r·step.
  const first = a + ((transA ? <usize>k * <usize>lda + <usize>i : <usize>i * <usize>lda + <usize>k) << 2);
  const step: usize = transA ? 4 : <usize>lda << 2;
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(first));
  if (rows > 1) v = f32x4.replace_lane(v, 1, load<f32>(first + step));
  if (rows > 2) v = f32x4.replace_lane(v, 2, load<f32>(first + 2 * step));
  return v;
}

/** op(B)[k, j] splat. */
// @ts-ignore: decorator
@inline
function splatB(b: usize, ldb: i32, transB: bool, k: i32, j: i32): v128 {
  return v128.load32_splat(b + ((transB ? <usize>j * <usize>ldb + <usize>k : <usize>k * <usize>ldb + <usize>j) << 2));
}

/** C[i..i+rows, j] += alpha · acc (lanes are rows), as the micro-kernel stores: C + (acc · alpha). */
// @ts-ignore: decorator
@inline
function storeColumn(c: usize, ldc: i32, i: i32, j: i32, rows: i32, acc: v128, va: v128): void {
  const v = f32x4.mul(acc, va);
  const p = c + ((<usize>i * <usize>ldc + <usize>j) << 2);
  const ldcBytes = <usize>ldc << 2;
  store<f32>(p, load<f32>(p) + f32x4.extract_lane(v, 0));
  if (rows > 1) store<f32>(p + ldcBytes, load<f32>(p + ldcBytes) + f32x4.extract_lane(v, 1));
  if (rows > 2) store<f32>(p + 2 * ldcBytes, load<f32>(p + 2 * ldcBytes) + f32x4.extract_lane(v, 2));
  if (rows > 3) store<f32>(p + 3 * ldcBytes, load<f32>(p + 3 * ldcBytes) + f32x4.extract_lane(v, 3));
}

/**
 * C += alpha · op(A) · op(B) for N ≤ 4 columns (a layer's input of 1–4 features: dX = dGates · W_ih and
 * dW_ih = dGatesᵀ · X). Packing would copy all of A to use a quarter of each 8-wide B panel; here lanes are 4
 * rows of C, read straight from A. Each element still sums its k in order within the same KC blocks and adds
 * alpha · block sum to C, with the same madd, so results are bitwise those of the packed path.
 */
function gemmNarrowN(transA: bool, transB: bool, M: i32, N: i32, K: i32, alpha: f32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const va = f32x4.splat(alpha);
  const ldaBytes = <usize>lda << 2;
  for (let pc = 0; pc < K; pc += KC) {
    const kEnd = pc + min(KC, K - pc);
    for (let i = 0; i < M; i += MR) {
      const rows = min(MR, M - i);
      for (let j = 0; j < N; j += 2) {
        const two = j + 1 < N;
        let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0);
        let k = pc;
        if (rows == MR && transA) {
          for (; k < kEnd; k++) {
            const av = v128.load(a + ((<usize>k * <usize>lda + <usize>i) << 2));
            acc0 = madd(av, splatB(b, ldb, transB, k, j), acc0);
            if (two) acc1 = madd(av, splatB(b, ldb, transB, k, j + 1), acc1);
          }
        } else if (rows == MR) {
          // A stored [M,K]: 4 k of each of the 4 rows, transposed in registers into one vector per k.
          const r0 = a + ((<usize>i * <usize>lda) << 2), r1 = r0 + ldaBytes, r2 = r1 + ldaBytes, r3 = r2 + ldaBytes;
          for (; k + 4 <= kEnd; k += 4) {
            const o = <usize>k << 2;
            const x0 = v128.load(r0 + o), x1 = v128.load(r1 + o), x2 = v128.load(r2 + o), x3 = v128.load(r3 + o);
            const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
            const t1 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
            const t2 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
            const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
            const k0 = v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), k1 = v128.shuffle<f32>(t0, t2, 2, 3, 6, 7);
            const k2 = v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), k3 = v128.shuffle<f32>(t1, t3, 2, 3, 6, 7);
            acc0 = madd(k0, splatB(b, ldb, transB, k, j), acc0);
            acc0 = madd(k1, splatB(b, ldb, transB, k + 1, j), acc0);
            acc0 = madd(k2, splatB(b, ldb, transB, k + 2, j), acc0);
            acc0 = madd(k3, splatB(b, ldb, transB, k + 3, j), acc0);
            if (two) {
              acc1 = madd(k0, splatB(b, ldb, transB, k, j + 1), acc1);
              acc1 = madd(k1, splatB(b, ldb, transB, k + 1, j + 1), acc1);
              acc1 = madd(k2, splatB(b, ldb, transB, k + 2, j + 1), acc1);
              acc1 = madd(k3, splatB(b, ldb, transB, k + 3, j + 1), acc1);
            }
          }
          for (; k < kEnd; k++) {
            const o = <usize>k << 2;
            let av = f32x4.splat(load<f32>(r0 + o));
            av = f32x4.replace_lane(av, 1, load<f32>(r1 + o));
            av = f32x4.replace_lane(av, 2, load<f32>(r2 + o));
            av = f32x4.replace_lane(av, 3, load<f32>(r3 + o));
            acc0 = madd(av, splatB(b, ldb, transB, k, j), acc0);
            if (two) acc1 = madd(av, splatB(b, ldb, transB, k, j + 1), acc1);
          }
        } else {
          for (; k < kEnd; k++) {
            const av = loadColumnPart(a, lda, transA, i, k, rows);
            acc0 = madd(av, splatB(b, ldb, transB, k, j), acc0);
            if (two) acc1 = madd(av, splatB(b, ldb, transB, k, j + 1), acc1);
          }
        }
        storeColumn(c, ldc, i, j, rows, acc0, va);
        if (two) storeColumn(c, ldc, i, j + 1, rows, acc1, va);
      }
    }
  }
}

export function gemm(
  transA: i32, transB: i32, M: i32, N: i32, K: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32,
  beta: f32, c: usize, ldc: i32,
  packA: usize, packB: usize, bias: usize,
): void {
  if (M <= 0 || N <= 0) return;
  // beta = 0 with a packed sweep: its first K block overwrites C (no zeroing pass; NaN in C still cannot survive).
  const overwrite = beta == 0 && K > 0 && alpha != 0 && N > 4;
  if (!overwrite) scaleBlock(c, ldc, M, N, beta);
  if (K <= 0 || alpha == 0) {
    addBiasRows(c, ldc, M, N, bias);
    return;
  }
  if (N <= 4) {
    gemmNarrowN(transA != 0, transB != 0, M, N, K, alpha, a, lda, b, ldb, c, ldc);
    addBiasRows(c, ldc, M, N, bias);
    return;
  }
  const tile = packB + (<usize>KC * <usize>NC << 2);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      packBlockB(packB, b, ldb, transB != 0, pc, kc, jc, nc);
      const blockBias = bias != 0 && pc + kc >= K ? bias + (<usize>jc << 2) : 0;
      sweepBlock(M, nc, kc, pc, a, lda, transA != 0, packB, c + (<usize>jc << 2), ldc, alpha, packA, tile, overwrite && pc == 0, blockBias);
    }
  }
}

/** C[i, :] += bias for every row, as addRowVector does (bias 0: nothing), where the epilogue cannot add it. */
function addBiasRows(c: usize, ldc: i32, M: i32, N: i32, bias: usize): void {
  if (bias == 0) return;
  for (let i = 0; i < M; i++) {
    const row = c + (<usize>i * <usize>ldc << 2);
    add(row, row, bias, N);
  }
}

/** Floats between the KC-blocks of a whole packed op(B) of N columns: N rounded up to whole panels. */
// @ts-ignore: decorator
@inline
function packedStride(N: i32): i32 {
  return (N + NR - 1) / NR * NR;
}

/**
 * Packs all of op(B)[K,N] once, for many gemmPackedB calls (a recurrent weight over the time steps): KC-block
 * pc of k holds the full width in NR-wide panels (zero-padded) at dst + pc·stride floats, stride = N rounded up
 * to NR, panel of column j at + j·kc. K·stride floats in all. Each panel is what gemm's packBlockB would make.
 */
export function packB(transB: i32, N: i32, K: i32, b: usize, ldb: i32, dst: usize): void {
  if (N <= 0) return;
  const stride = packedStride(N);
  for (let pc = 0; pc < K; pc += KC) {
    const kc = min(KC, K - pc);
    packBlockB(dst + (<usize>pc * <usize>stride << 2), b, ldb, transB != 0, pc, kc, 0, N);
  }
}

/**
 * gemm with op(B) = columns j0..j0+N of a packB buffer of `width` columns and the same K (j0 a multiple of NR,
 * so a thread can take a column stripe). The same KC blocks, micro-kernel and order as gemm, so every element
 * of C is bitwise what gemm computes. `tile` is MR·NR floats of scratch for edge tiles.
 */
export function gemmPackedB(
  transA: i32, M: i32, N: i32, K: i32, alpha: f32,
  a: usize, lda: i32, packed: usize, width: i32, j0: i32,
  beta: f32, c: usize, ldc: i32,
  packA: usize, tile: usize, bias: usize,
): void {
  if (M <= 0 || N <= 0) return;
  const overwrite = beta == 0 && K > 0 && alpha != 0;
  if (!overwrite) scaleBlock(c, ldc, M, N, beta);
  if (K <= 0 || alpha == 0) {
    addBiasRows(c, ldc, M, N, bias);
    return;
  }
  const stride = packedStride(width);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const pb = packed + ((<usize>pc * <usize>stride + <usize>(j0 + jc) * <usize>kc) << 2);
      const lastBlock = pc + kc >= K;
      const blockBias = bias != 0 && lastBlock ? bias + (<usize>jc << 2) : 0;
      sweepBlock(M, nc, kc, pc, a, lda, transA != 0, pb, c + (<usize>jc << 2), ldc, alpha, packA, tile, overwrite && pc == 0, blockBias);
    }
  }
}
