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
   * Hand back storage `alloc` returned so a later `alloc` can reuse it (wasm memory never shrinks, so storage
   * dropped without this is lost for the life of the process). Optional: where absent, or for arrays the backend
   * did not allocate, it does nothing and the garbage collector reclaims ordinary arrays. The caller must not
   * use the array afterwards.
   */
  release?(array: Float32Array): void;

  /**
   * C[M,N] = alpha · op(A)[M,K] · op(B)[K,N] + beta · C, then + bias[N] on every row when a bias is given.
   * op(A) = A (lda ≥ K) or Aᵀ (A stored [K,M], lda ≥ M); likewise for B. beta = 0 ignores C's old contents
   * (even NaN), as BLAS does. The bias is bitwise what addRowVector after the GEMM gives, without its pass over C.
   */
  gemm(
    transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: Float32Array, aOff: number, lda: number,
    B: Float32Array, bOff: number, ldb: number,
    beta: number, C: Float32Array, cOff: number, ldc: number,
    bias?: Float32Array | null, biasOff?: number,
  ): void;

  // ---- prepacked op(B): one operand reused by many GEMMs (a recurrent weight over the time steps) ----
  // The packed form is backend-specific; the buffer comes from this backend's `alloc` and is owned by the caller.

  /** Floats `prepackB` needs for op(B)[K,N]. */
  prepackedBLength(N: number, K: number): number;
  /** packed = op(B)[K,N] (B stored [K,N], or [N,K] when transB) in this backend's GEMM layout. */
  prepackB(transB: boolean, N: number, K: number, B: Float32Array, bOff: number, ldb: number, packed: Float32Array): void;
  /**
   * gemm with op(B) taken from `packed` (made by `prepackB` with the same transB, N and K), bitwise equal to
   * gemm(transA, transB, M, N, K, …, B, …) on the same backend and thread count.
   */
  gemmPrepackedB(
    transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: Float32Array, aOff: number, lda: number, packed: Float32Array,
    beta: number, C: Float32Array, cOff: number, ldc: number,
  ): void;

  // ---- elementwise, flat length n ----
  fill(out: Float32Array, outOff: number, value: number, n: number): void;
  copy(out: Float32Array, outOff: number, x: Float32Array, xOff: number, n: number): void;
  /**
   * out[i, 0..cols) = x[i, 0..cols) for `rows` rows with their own row strides (gather/scatter between layouts,
   * e.g. batch-first ↔ packed time-major). Rows must not overlap.
   */
  copyRows(out: Float32Array, outOff: number, ldOut: number, x: Float32Array, xOff: number, ldX: number, rows: number, cols: number): void;
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

  // ---- fused recurrent cells (src/nn/recurrent), n rows of hidden size H; gates·H = G ----
  // One call per time step replaces a dozen elementwise passes; the saved activations are what backward and
  // the gate-activation panel read.

  /**
   * LSTM cell. gates[n,4H] holds pre-activations (i,f,g,o, PyTorch order) on entry and σ(i),σ(f),tanh(g),σ(o)
   * on exit; c[n,H] = f ⊙ cPrev + i ⊙ g; h[n,H] = o ⊙ tanh(c).
   */
  lstmCellForward(
    h: Float32Array, hOff: number, c: Float32Array, cOff: number, gates: Float32Array, gatesOff: number,
    cPrev: Float32Array, cPrevOff: number, n: number, H: number,
  ): void;
  /**
   * LSTM cell backward. dh, dc[n,H]: gradients reaching h_t and c_t (c_t's from the next step). Writes the
   * pre-activation gradients dGates[n,4H] and dcPrev[n,H] = (dc + dh ⊙ o ⊙ (1 − tanh²c)) ⊙ f.
   */
  lstmCellBackward(
    dGates: Float32Array, dGatesOff: number, dcPrev: Float32Array, dcPrevOff: number,
    dh: Float32Array, dhOff: number, dc: Float32Array, dcOff: number,
    gates: Float32Array, gatesOff: number, c: Float32Array, cOff: number, cPrev: Float32Array, cPrevOff: number,
    n: number, H: number,
  ): void;
  /**
   * GRU cell. gates[n,3H] holds the input projection W_i·x + b_i (r,z,n) on entry and the activations r,z,n on
   * exit; hiddenProj[n,3H] = W_h·hPrev + b_h (left unchanged: backward needs its n part).
   * r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r ⊙ h_n), h = (1 − z) ⊙ n + z ⊙ hPrev.
   */
  gruCellForward(
    h: Float32Array, hOff: number, gates: Float32Array, gatesOff: number,
    hiddenProj: Float32Array, hiddenProjOff: number, hPrev: Float32Array, hPrevOff: number, n: number, H: number,
  ): void;
  /**
   * GRU cell backward. Writes dGatesInput[n,3H] (gradient of the input projection), dGatesHidden[n,3H] (of
   * the hidden projection: its n part is scaled by r) and the direct part of dhPrev[n,H] = dh ⊙ z; the caller
   * adds dGatesHidden · W_hh.
   */
  gruCellBackward(
    dGatesInput: Float32Array, dGatesInputOff: number, dGatesHidden: Float32Array, dGatesHiddenOff: number,
    dhPrev: Float32Array, dhPrevOff: number, dh: Float32Array, dhOff: number,
    gates: Float32Array, gatesOff: number, hiddenProj: Float32Array, hiddenProjOff: number,
    hPrev: Float32Array, hPrevOff: number, n: number, H: number,
  ): void;

  // ---- one time step of a fused layer: the step's GEMM and its cell in one call, so that a backend can split
  //      the rows between threads (each row's step depends on that row alone) ----

  /**
   * gates[n,4H] += hPrev[n,H] · W_hhᵀ, with `packed` = prepackB(true, 4H, H, W_hh), then lstmCellForward:
   * bitwise the same as those two calls.
   */
  lstmStepForward(
    h: Float32Array, hOff: number, c: Float32Array, cOff: number, gates: Float32Array, gatesOff: number,
    cPrev: Float32Array, cPrevOff: number, hPrev: Float32Array, hPrevOff: number, packed: Float32Array, n: number, H: number,
  ): void;
  /**
   * hiddenProj[n,3H] = hPrev[n,H] · W_hhᵀ (+ biasHh when given), with `packed` = prepackB(true, 3H, H, W_hh),
   * then gruCellForward: bitwise the same as those calls.
   */
  gruStepForward(
    h: Float32Array, hOff: number, gates: Float32Array, gatesOff: number, hiddenProj: Float32Array, hiddenProjOff: number,
    hPrev: Float32Array, hPrevOff: number, packed: Float32Array, biasHh: Float32Array | null, n: number, H: number,
  ): void;
  /**
   * One backward time step: lstmCellBackward on n rows, then dhPrev[n,H] = dGates[n,4H] · W_hh with `packed` =
   * prepackB(false, H, 4H, W_hh): bitwise the same as those two calls.
   */
  lstmStepBackward(
    dGates: Float32Array, dGatesOff: number, dcPrev: Float32Array, dcPrevOff: number,
    dh: Float32Array, dhOff: number, dc: Float32Array, dcOff: number,
    gates: Float32Array, gatesOff: number, c: Float32Array, cOff: number, cPrev: Float32Array, cPrevOff: number,
    dhPrev: Float32Array, dhPrevOff: number, packed: Float32Array, n: number, H: number,
  ): void;
  /**
   * gruCellBackward on n rows, then dhPrev[n,H] += dGatesHidden[n,3H] · W_hh with `packed` = prepackB(false, H,
   * 3H, W_hh): bitwise the same as those two calls.
   */
  gruStepBackward(
    dGatesInput: Float32Array, dGatesInputOff: number, dGatesHidden: Float32Array, dGatesHiddenOff: number,
    dhPrev: Float32Array, dhPrevOff: number, dh: Float32Array, dhOff: number,
    gates: Float32Array, gatesOff: number, hiddenProj: Float32Array, hiddenProjOff: number,
    hPrev: Float32Array, hPrevOff: number, packed: Float32Array, n: number, H: number,
  ): void;

  /** Elman RNN cell backward, flat length n: dPre = dh ⊙ (1 − h²) where h = tanh(pre). */
  rnnTanhCellBackward(dPre: Float32Array, dPreOff: number, dh: Float32Array, dhOff: number, h: Float32Array, hOff: number, n: number): void;
  /** Elman RNN cell backward, flat length n: dPre = dh where h = relu(pre) > 0, else 0. */
  rnnReluCellBackward(dPre: Float32Array, dPreOff: number, dh: Float32Array, dhOff: number, h: Float32Array, hOff: number, n: number): void;
}

/** lstmStepForward as the two calls it stands for, on backend `k` (the reference; wasm for arrays outside its memory). */
export function lstmStepForwardOn(
  k: Kernels, h: Float32Array, hOff: number, c: Float32Array, cOff: number, gates: Float32Array, gatesOff: number,
  cPrev: Float32Array, cPrevOff: number, hPrev: Float32Array, hPrevOff: number, packed: Float32Array, n: number, H: number,
): void {
  const G = 4 * H;
  k.gemmPrepackedB(false, true, n, G, H, 1, hPrev, hPrevOff, H, packed, 1, gates, gatesOff, G);
  k.lstmCellForward(h, hOff, c, cOff, gates, gatesOff, cPrev, cPrevOff, n, H);
}

/** gruStepForward as the calls it stands for, on backend `k`. */
export function gruStepForwardOn(
  k: Kernels, h: Float32Array, hOff: number, gates: Float32Array, gatesOff: number, hiddenProj: Float32Array, hiddenProjOff: number,
  hPrev: Float32Array, hPrevOff: number, packed: Float32Array, biasHh: Float32Array | null, n: number, H: number,
): void {
  const G = 3 * H;
  k.gemmPrepackedB(false, true, n, G, H, 1, hPrev, hPrevOff, H, packed, 0, hiddenProj, hiddenProjOff, G);
  if (biasHh) k.addRowVector(hiddenProj, hiddenProjOff, hiddenProj, hiddenProjOff, biasHh, 0, n, G);
  k.gruCellForward(h, hOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, n, H);
}

/** lstmStepBackward as the two calls it stands for, on backend `k`. */
export function lstmStepBackwardOn(
  k: Kernels, dGates: Float32Array, dGatesOff: number, dcPrev: Float32Array, dcPrevOff: number,
  dh: Float32Array, dhOff: number, dc: Float32Array, dcOff: number,
  gates: Float32Array, gatesOff: number, c: Float32Array, cOff: number, cPrev: Float32Array, cPrevOff: number,
  dhPrev: Float32Array, dhPrevOff: number, packed: Float32Array, n: number, H: number,
): void {
  k.lstmCellBackward(dGates, dGatesOff, dcPrev, dcPrevOff, dh, dhOff, dc, dcOff, gates, gatesOff, c, cOff, cPrev, cPrevOff, n, H);
  k.gemmPrepackedB(false, false, n, H, 4 * H, 1, dGates, dGatesOff, 4 * H, packed, 0, dhPrev, dhPrevOff, H);
}

/** gruStepBackward as the two calls it stands for, on backend `k`. */
export function gruStepBackwardOn(
  k: Kernels, dGatesInput: Float32Array, dGatesInputOff: number, dGatesHidden: Float32Array, dGatesHiddenOff: number,
  dhPrev: Float32Array, dhPrevOff: number, dh: Float32Array, dhOff: number,
  gates: Float32Array, gatesOff: number, hiddenProj: Float32Array, hiddenProjOff: number,
  hPrev: Float32Array, hPrevOff: number, packed: Float32Array, n: number, H: number,
): void {
  k.gruCellBackward(dGatesInput, dGatesInputOff, dGatesHidden, dGatesHiddenOff, dhPrev, dhPrevOff, dh, dhOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, n, H);
  k.gemmPrepackedB(false, false, n, H, 3 * H, 1, dGatesHidden, dGatesHiddenOff, 3 * H, packed, 1, dhPrev, dhPrevOff, H);
}
