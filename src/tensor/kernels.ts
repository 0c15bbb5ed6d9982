/**
 * The kernel interface: every numeric hot loop SeqLab runs goes through one of these functions.
 *
 * Conventions (llm.c style): outputs first, then inputs, then sizes. Arrays are row-major Float32Array
 * with an element offset, so callers can address a time step or a batch slice without allocating a
 * subarray view. A backend (the TypeScript reference, or WebAssembly SIMD) implements all of it;
 * callers only ever see `Kernels`.
 *
 * Shape letters used in comments: M, N, K for GEMM; n for a flat length; R rows × C columns.
 */
export interface Kernels {
  readonly name: string;

  /** Allocate storage this backend can compute on directly (WebAssembly memory for the wasm backend). */
  alloc(n: number): Float32Array;

  /**
   * C[M,N] = alpha · op(A)[M,K] · op(B)[K,N] + beta · C.
   * op(A) = A (lda ≥ K) or Aᵀ (A stored [K,M], lda ≥ M); likewise for B. beta = 0 ignores C's old contents
   * (even NaN), as BLAS does.
   */
  gemm(
    transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: Float32Array, aOff: number, lda: number,
    B: Float32Array, bOff: number, ldb: number,
    beta: number, C: Float32Array, cOff: number, ldc: number,
  ): void;

  // ---- elementwise, flat length n ----
  fill(out: Float32Array, outOff: number, value: number, n: number): void;
  copy(out: Float32Array, outOff: number, x: Float32Array, xOff: number, n: number): void;
  /** out = x + y */
  add(out: Float32Array, outOff: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number, n: number): void;
  /** out = x ⊙ y */
  mul(out: Float32Array, outOff: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number, n: number): void;
  /** y += a · x */
  axpy(y: Float32Array, yOff: number, a: number, x: Float32Array, xOff: number, n: number): void;
  /** x *= a */
  scale(x: Float32Array, xOff: number, a: number, n: number): void;
  sigmoid(out: Float32Array, outOff: number, x: Float32Array, xOff: number, n: number): void;
  tanh(out: Float32Array, outOff: number, x: Float32Array, xOff: number, n: number): void;
  relu(out: Float32Array, outOff: number, x: Float32Array, xOff: number, n: number): void;

  // ---- row-wise, R rows × C columns ----
  /** out[r,c] = x[r,c] + bias[c] (out may alias x) */
  addRowVector(out: Float32Array, outOff: number, x: Float32Array, xOff: number, bias: Float32Array, biasOff: number, R: number, C: number): void;
  /** acc[c] += Σ_r x[r,c]  (the bias gradient) */
  sumRowsInto(acc: Float32Array, accOff: number, x: Float32Array, xOff: number, R: number, C: number): void;
  softmaxRows(out: Float32Array, outOff: number, x: Float32Array, xOff: number, R: number, C: number): void;
  logSoftmaxRows(out: Float32Array, outOff: number, x: Float32Array, xOff: number, R: number, C: number): void;

  // ---- reductions ----
  sum(x: Float32Array, xOff: number, n: number): number;
  /** Σ x², accumulated in float64 (gradient norms must not overflow or lose small terms). */
  sumSquares(x: Float32Array, xOff: number, n: number): number;
  dot(x: Float32Array, xOff: number, y: Float32Array, yOff: number, n: number): number;
}
