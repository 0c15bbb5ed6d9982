import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referenceKernels as k } from './referenceKernels';
import { Rng } from './rng';

/** Naive triple loop on float64: the definition of GEMM, independent of the kernel's loop order. */
function naiveGemm(tA: boolean, tB: boolean, M: number, N: number, K: number, alpha: number, A: Float32Array, B: Float32Array, beta: number, C0: Float32Array): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let kk = 0; kk < K; kk++) s += (tA ? A[kk * M + i] : A[i * K + kk]) * (tB ? B[j * K + kk] : B[kk * N + j]);
      out[i * N + j] = alpha * s + beta * C0[i * N + j];
    }
  return out;
}

for (const tA of [false, true])
  for (const tB of [false, true])
    test(`gemm matches the definition (transA=${tA}, transB=${tB}, alpha/beta)`, () => {
      const rng = new Rng(7);
      const [M, N, K] = [5, 7, 3];
      const A = new Float32Array(M * K), B = new Float32Array(K * N), C = new Float32Array(M * N);
      rng.fillNormal(A); rng.fillNormal(B); rng.fillNormal(C);
      const expected = naiveGemm(tA, tB, M, N, K, 0.5, A, B, 2, C);
      k.gemm(tA, tB, M, N, K, 0.5, A, 0, tA ? M : K, B, 0, tB ? K : N, 2, C, 0, N);
      for (let i = 0; i < M * N; i++) assert.ok(Math.abs(C[i] - expected[i]) < 1e-5, `C[${i}] ${C[i]} vs ${expected[i]}`);
    });

test('gemm with beta=0 ignores NaN in C, as BLAS does', () => {
  const A = Float32Array.of(1, 2), B = Float32Array.of(3, 4), C = Float32Array.of(NaN);
  k.gemm(false, true, 1, 1, 2, 1, A, 0, 2, B, 0, 2, 0, C, 0, 1);
  assert.equal(C[0], 11);
});

test('logSoftmax rows are stable for large logits and exponentiate to softmax', () => {
  const x = Float32Array.of(1000, 1001, 1002, -5, 0, 5);
  const ls = new Float32Array(6), sm = new Float32Array(6);
  k.logSoftmaxRows(ls, 0, x, 0, 2, 3);
  k.softmaxRows(sm, 0, x, 0, 2, 3);
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(Math.exp(ls[i]) - sm[i]) < 1e-6);
  assert.ok(Math.abs(sm[0] + sm[1] + sm[2] - 1) < 1e-6);
});

test('the seeded RNG is reproducible and roughly standard normal', () => {
  const a = new Rng(42), b = new Rng(42);
  for (let i = 0; i < 10; i++) assert.equal(a.nextUint32(), b.nextUint32());
  const r = new Rng(1);
  let s = 0, s2 = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) { const v = r.normal(); s += v; s2 += v * v; }
  assert.ok(Math.abs(s / n) < 0.03);
  assert.ok(Math.abs(s2 / n - 1) < 0.05);
});
