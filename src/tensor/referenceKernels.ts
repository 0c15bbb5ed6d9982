import { gruStepBackwardOn, gruStepForwardOn, lstmStepBackwardOn, lstmStepForwardOn, type Kernels } from './kernels';

/** C = alpha · op(A) · op(B) + beta · C, in float64 sums rounded to float32 at each store. */
function gemmProduct(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number,
  beta: number, C: Float32Array, cOff: number, ldc: number,
): void {
  // Scale (or clear) C first so the accumulation loops below are pure "C += alpha·a·b".
  for (let i = 0; i < M; i++) {
    const row = cOff + i * ldc;
    if (beta === 0) C.fill(0, row, row + N);
    else if (beta !== 1) for (let j = 0; j < N; j++) C[row + j] *= beta;
  }
  if (M === 0 || N === 0 || K === 0 || alpha === 0) return;
  if (!transB) {
    // i-k-j order: the inner loop walks a row of B and a row of C contiguously.
    for (let i = 0; i < M; i++) {
      const cRow = cOff + i * ldc;
      for (let k = 0; k < K; k++) {
        const a = alpha * (transA ? A[aOff + k * lda + i] : A[aOff + i * lda + k]);
        if (a === 0) continue;
        const bRow = bOff + k * ldb;
        for (let j = 0; j < N; j++) C[cRow + j] += a * B[bRow + j];
      }
    }
  } else {
    // B is stored [N,K]: each C[i,j] is a dot product of two contiguous rows (when A is not transposed).
    for (let i = 0; i < M; i++) {
      const cRow = cOff + i * ldc;
      for (let j = 0; j < N; j++) {
        const bRow = bOff + j * ldb;
        let s = 0;
        if (!transA) {
          const aRow = aOff + i * lda;
          for (let k = 0; k < K; k++) s += A[aRow + k] * B[bRow + k];
        } else {
          for (let k = 0; k < K; k++) s += A[aOff + k * lda + i] * B[bRow + k];
        }
        C[cRow + j] += alpha * s;
      }
    }
  }
}

/**
 * Plain TypeScript kernels: the oracle every other backend is tested against, and the fallback where
 * WebAssembly SIMD is unavailable. Written for clarity first, but with the loop orders that keep the
 * inner loop contiguous, because this backend also trains real models.
 */
export const referenceKernels: Kernels = {
  name: 'reference',

  alloc(n) {
    return new Float32Array(n);
  },

  gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc, bias, biasOff = 0) {
    gemmProduct(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
    if (!bias) return;
    for (let i = 0; i < M; i++) referenceKernels.addRowVector(C, cOff + i * ldc, C, cOff + i * ldc, bias, biasOff, 1, N);
  },

  // The "packed" form is op(B) copied compactly in B's own layout, so the sums are exactly gemm's.
  prepackedBLength(N, K) {
    return N * K;
  },
  prepackB(transB, N, K, B, bOff, ldb, packed) {
    const rows = transB ? N : K, cols = transB ? K : N;
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) packed[r * cols + j] = B[bOff + r * ldb + j];
  },
  gemmPrepackedB(transA, transB, M, N, K, alpha, A, aOff, lda, packed, beta, C, cOff, ldc) {
    referenceKernels.gemm(transA, transB, M, N, K, alpha, A, aOff, lda, packed, 0, transB ? K : N, beta, C, cOff, ldc);
  },

  fill(out, outOff, value, n) {
    out.fill(value, outOff, outOff + n);
  },
  copy(out, outOff, x, xOff, n) {
    out.set(x.subarray(xOff, xOff + n), outOff);
  },
  copyRows(out, outOff, ldOut, x, xOff, ldX, rows, cols) {
    for (let i = 0; i < rows; i++) {
      const o = outOff + i * ldOut, s = xOff + i * ldX;
      for (let j = 0; j < cols; j++) out[o + j] = x[s + j];
    }
  },
  add(out, outOff, x, xOff, y, yOff, n) {
    for (let i = 0; i < n; i++) out[outOff + i] = x[xOff + i] + y[yOff + i];
  },
  mul(out, outOff, x, xOff, y, yOff, n) {
    for (let i = 0; i < n; i++) out[outOff + i] = x[xOff + i] * y[yOff + i];
  },
  axpy(y, yOff, a, x, xOff, n) {
    for (let i = 0; i < n; i++) y[yOff + i] += a * x[xOff + i];
  },
  scale(x, xOff, a, n) {
    for (let i = 0; i < n; i++) x[xOff + i] *= a;
  },
  sigmoid(out, outOff, x, xOff, n) {
    for (let i = 0; i < n; i++) out[outOff + i] = sigmoid(x[xOff + i]);
  },
  tanh(out, outOff, x, xOff, n) {
    for (let i = 0; i < n; i++) out[outOff + i] = Math.tanh(x[xOff + i]);
  },
  relu(out, outOff, x, xOff, n) {
    for (let i = 0; i < n; i++) {
      const v = x[xOff + i];
      out[outOff + i] = v > 0 ? v : 0;
    }
  },

  addRowVector(out, outOff, x, xOff, bias, biasOff, R, C) {
    for (let r = 0; r < R; r++) {
      const o = outOff + r * C;
      const xi = xOff + r * C;
      for (let c = 0; c < C; c++) out[o + c] = x[xi + c] + bias[biasOff + c];
    }
  },
  sumRowsInto(acc, accOff, x, xOff, R, C) {
    for (let r = 0; r < R; r++) {
      const xi = xOff + r * C;
      for (let c = 0; c < C; c++) acc[accOff + c] += x[xi + c];
    }
  },
  softmaxRows(out, outOff, x, xOff, R, C) {
    for (let r = 0; r < R; r++) {
      const xi = xOff + r * C;
      const o = outOff + r * C;
      let max = -Infinity;
      for (let c = 0; c < C; c++) if (x[xi + c] > max) max = x[xi + c];
      let s = 0;
      for (let c = 0; c < C; c++) {
        const e = Math.exp(x[xi + c] - max);
        out[o + c] = e;
        s += e;
      }
      const inv = 1 / s;
      for (let c = 0; c < C; c++) out[o + c] *= inv;
    }
  },
  logSoftmaxRows(out, outOff, x, xOff, R, C) {
    for (let r = 0; r < R; r++) {
      const xi = xOff + r * C;
      const o = outOff + r * C;
      let max = -Infinity;
      for (let c = 0; c < C; c++) if (x[xi + c] > max) max = x[xi + c];
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(x[xi + c] - max);
      const lse = max + Math.log(s);
      for (let c = 0; c < C; c++) out[o + c] = x[xi + c] - lse;
    }
  },

  sum(x, xOff, n) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[xOff + i];
    return s;
  },
  sumSquares(x, xOff, n) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[xOff + i] * x[xOff + i];
    return s;
  },
  dot(x, xOff, y, yOff, n) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[xOff + i] * y[yOff + i];
    return s;
  },

  // ---- fused recurrent cells: one pass over n rows per time step (shape letters: n rows, H hidden) ----
  lstmCellForward(h, hOff, c, cOff, gates, gatesOff, cPrev, cPrevOff, n, H) {
    for (let r = 0; r < n; r++) {
      const g = gatesOff + r * 4 * H; // gates[r] = [i | f | g | o], each H wide
      const s = r * H;
      for (let j = 0; j < H; j++) {
        const i = logistic(gates[g + j]);
        const f = logistic(gates[g + H + j]);
        const cand = Math.tanh(gates[g + 2 * H + j]);
        const o = logistic(gates[g + 3 * H + j]);
        gates[g + j] = i;
        gates[g + H + j] = f;
        gates[g + 2 * H + j] = cand;
        gates[g + 3 * H + j] = o;
        const cNew = f * cPrev[cPrevOff + s + j] + i * cand;
        c[cOff + s + j] = cNew;
        h[hOff + s + j] = o * Math.tanh(cNew);
      }
    }
  },
  lstmCellBackward(dGates, dGatesOff, dcPrev, dcPrevOff, dh, dhOff, dc, dcOff, gates, gatesOff, c, cOff, cPrev, cPrevOff, n, H) {
    for (let r = 0; r < n; r++) {
      const g = gatesOff + r * 4 * H;
      const dg = dGatesOff + r * 4 * H;
      const s = r * H;
      for (let j = 0; j < H; j++) {
        const i = gates[g + j], f = gates[g + H + j], cand = gates[g + 2 * H + j], o = gates[g + 3 * H + j];
        // tanh(c) is recomputed rather than stored: one transcendental per unit is cheaper than another [N,H] buffer.
        const tc = Math.tanh(c[cOff + s + j]);
        const dhj = dh[dhOff + s + j];
        const dcTotal = dc[dcOff + s + j] + dhj * o * (1 - tc * tc);
        dGates[dg + j] = dcTotal * cand * i * (1 - i);
        dGates[dg + H + j] = dcTotal * cPrev[cPrevOff + s + j] * f * (1 - f);
        dGates[dg + 2 * H + j] = dcTotal * i * (1 - cand * cand);
        dGates[dg + 3 * H + j] = dhj * tc * o * (1 - o);
        dcPrev[dcPrevOff + s + j] = dcTotal * f;
      }
    }
  },
  gruCellForward(h, hOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, n, H) {
    for (let r = 0; r < n; r++) {
      const g = gatesOff + r * 3 * H; // gates[r] = [r | z | n]
      const p = hiddenProjOff + r * 3 * H;
      const s = r * H;
      for (let j = 0; j < H; j++) {
        const reset = logistic(gates[g + j] + hiddenProj[p + j]);
        const update = logistic(gates[g + H + j] + hiddenProj[p + H + j]);
        const cand = Math.tanh(gates[g + 2 * H + j] + reset * hiddenProj[p + 2 * H + j]);
        gates[g + j] = reset;
        gates[g + H + j] = update;
        gates[g + 2 * H + j] = cand;
        h[hOff + s + j] = (1 - update) * cand + update * hPrev[hPrevOff + s + j];
      }
    }
  },
  gruCellBackward(dGatesInput, dGatesInputOff, dGatesHidden, dGatesHiddenOff, dhPrev, dhPrevOff, dh, dhOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, n, H) {
    for (let r = 0; r < n; r++) {
      const g = gatesOff + r * 3 * H;
      const p = hiddenProjOff + r * 3 * H;
      const di = dGatesInputOff + r * 3 * H;
      const dhid = dGatesHiddenOff + r * 3 * H;
      const s = r * H;
      for (let j = 0; j < H; j++) {
        const reset = gates[g + j], update = gates[g + H + j], cand = gates[g + 2 * H + j];
        const dhj = dh[dhOff + s + j];
        const dCandPre = dhj * (1 - update) * (1 - cand * cand);
        const dResetPre = dCandPre * hiddenProj[p + 2 * H + j] * reset * (1 - reset);
        const dUpdatePre = dhj * (hPrev[hPrevOff + s + j] - cand) * update * (1 - update);
        dGatesInput[di + j] = dResetPre;
        dGatesInput[di + H + j] = dUpdatePre;
        dGatesInput[di + 2 * H + j] = dCandPre;
        dGatesHidden[dhid + j] = dResetPre;
        dGatesHidden[dhid + H + j] = dUpdatePre;
        dGatesHidden[dhid + 2 * H + j] = dCandPre * reset;
        dhPrev[dhPrevOff + s + j] = dhj * update;
      }
    }
  },
  rnnTanhCellBackward(dPre, dPreOff, dh, dhOff, h, hOff, n) {
    for (let i = 0; i < n; i++) {
      const v = h[hOff + i];
      dPre[dPreOff + i] = dh[dhOff + i] * (1 - v * v);
    }
  },
  rnnReluCellBackward(dPre, dPreOff, dh, dhOff, h, hOff, n) {
    for (let i = 0; i < n; i++) dPre[dPreOff + i] = h[hOff + i] > 0 ? dh[dhOff + i] : 0;
  },
  lstmStepForward(h, hOff, c, cOff, gates, gatesOff, cPrev, cPrevOff, hPrev, hPrevOff, packed, n, H) {
    lstmStepForwardOn(referenceKernels, h, hOff, c, cOff, gates, gatesOff, cPrev, cPrevOff, hPrev, hPrevOff, packed, n, H);
  },
  gruStepForward(h, hOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, packed, biasHh, n, H) {
    gruStepForwardOn(referenceKernels, h, hOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, packed, biasHh, n, H);
  },
  lstmStepBackward(dGates, dGatesOff, dcPrev, dcPrevOff, dh, dhOff, dc, dcOff, gates, gatesOff, c, cOff, cPrev, cPrevOff, dhPrev, dhPrevOff, packed, n, H) {
    lstmStepBackwardOn(referenceKernels, dGates, dGatesOff, dcPrev, dcPrevOff, dh, dhOff, dc, dcOff, gates, gatesOff, c, cOff, cPrev, cPrevOff, dhPrev, dhPrevOff, packed, n, H);
  },
  gruStepBackward(dGatesInput, dGatesInputOff, dGatesHidden, dGatesHiddenOff, dhPrev, dhPrevOff, dh, dhOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, packed, n, H) {
    gruStepBackwardOn(referenceKernels, dGatesInput, dGatesInputOff, dGatesHidden, dGatesHiddenOff, dhPrev, dhPrevOff, dh, dhOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, packed, n, H);
  },
};

/** Numerically safe logistic: never evaluates exp of a large positive number. */
export function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/**
 * The logistic for the fused cells' inner loops: in float64, exp(−v) overflows to Infinity for v < −709 and
 * 1/(1+∞) = 0 exactly, so the branch-free form is safe here and lets V8 inline it.
 */
function logistic(v: number): number {
  return 1 / (1 + Math.exp(-v));
}
