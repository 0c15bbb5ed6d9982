// The two-thread GEMM: a helper worker computes stripes of C on the shared wasm memory; the result must equal
// the one-thread result exactly (each element is computed by the same micro-kernel in the same order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { Rng } from '../rng';
import { createWasmKernels } from './wasmKernels';
import { startGemmHelperThread, type GemmHelperOptions } from './gemmThreads';

const kernels = createWasmKernels();
assert.ok(kernels, 'this engine has no WebAssembly SIMD with shared memory (Node 20 has both): the wasm backend cannot be tested');

/**
 * With a helper thread that splits everything, `run` must give `expected` bitwise, every GEMM or step split
 * (`splitsPerRun` of a run's results); repeated until the helper (which starts asleep, and may wait for a core)
 * has computed some stripes itself. No clock decides: the loop yields to the event loop between runs, so only the
 * test's timeout (a hang guard, far above any machine's need) can end it early.
 */
async function splitUntilHelperTakesPart(run: () => Float32Array[], expected: Float32Array[], options: GemmHelperOptions, splitsPerRun: (results: Float32Array[]) => number): Promise<void> {
  const spawn = (source: string) => new Worker(`${source}\nrequire('node:worker_threads').parentPort.once('message', start);`, { eval: true });
  const helper = startGemmHelperThread(kernels!, spawn, options);
  try {
    let splits = 0;
    do {
      const results = run();
      splits += splitsPerRun(results);
      assert.equal(helper.splits, splits, 'every GEMM or step split');
      results.forEach((x, i) => assert.deepEqual(x, expected[i], `result ${i}`));
      await new Promise((resolve) => setImmediate(resolve));
    } while (helper.helperStripes === 0);
  } finally {
    helper.stop();
  }
}

const hangGuard = { timeout: 10 * 60_000 };

test('a GEMM split across two threads (plain and prepacked B, with and without a bias row) equals the one-thread GEMM for every transpose, by rows and by columns', hangGuard, async () => {
  const k = kernels!;
  // M ≥ N splits rows; M < N splits columns; the 192² case is long enough for an awake helper to claim stripes.
  const cases = [[70, 37, 29], [37, 70, 29], [9, 130, 300], [192, 192, 192]];
  const expected: Float32Array[] = [];
  const run = () => {
    const results: Float32Array[] = [];
    for (const [M, N, K] of cases)
      for (const transA of [false, true])
        for (const transB of [false, true]) {
          const r = new Rng(M * 1000 + N + (transA ? 7 : 0) + (transB ? 13 : 0));
          const A = k.alloc(M * K), B = k.alloc(K * N), C = k.alloc(M * (N + 1));
          r.fillNormal(A); r.fillNormal(B); r.fillNormal(C);
          const C2 = C.slice();
          k.gemm(transA, transB, M, N, K, 0.5, A, 0, transA ? M : K, B, 0, transB ? K : N, 1.5, C, 0, N + 1);
          results.push(C);
          // The prepacked-B GEMM splits too (column stripes are ranges of packed panels); same result.
          const packed = k.alloc(k.prepackedBLength(N, K)), P = k.alloc(C2.length);
          P.set(C2);
          k.prepackB(transB, N, K, B, 0, transB ? K : N, packed);
          k.gemmPrepackedB(transA, transB, M, N, K, 0.5, A, 0, transA ? M : K, packed, 1.5, P, 0, N + 1);
          results.push(P);
          // With a bias row (a column stripe takes its part of it), beta = 0 over NaN.
          const bias = k.alloc(N + 1), D = k.alloc(C2.length).fill(NaN);
          r.fillNormal(bias);
          k.gemm(transA, transB, M, N, K, 0.5, A, 0, transA ? M : K, B, 0, transB ? K : N, 0, D, 0, N + 1, bias, 1);
          results.push(D);
        }
    return results;
  };
  expected.push(...run());
  await splitUntilHelperTakesPart(run, expected, { threshold: 1, alwaysSplit: true }, (results) => results.length);
});

test('a recurrent time step (GEMM and cell, forward and backward) split by rows across two threads equals the one-thread step, LSTM and GRU', hangGuard, async () => {
  const k = kernels!;
  // Rows not a multiple of the micro-tile, H not a multiple of the SIMD width or above the cells' 64-unit block.
  const cases = [[32, 64], [13, 5], [9, 131], [64, 128]];
  const run = () => {
    const results: Float32Array[] = [];
    for (const [n, H] of cases) {
      const r = new Rng(n * 100 + H);
      const fill = (x: Float32Array) => { r.fillNormal(x); return x; };
      const hPrev = fill(k.alloc(n * H)), cPrev = fill(k.alloc(n * H));
      // LSTM: gates start as the input projection, the step adds hPrev·W_hhᵀ.
      const wL = fill(k.alloc(4 * H * H)), packL = k.alloc(k.prepackedBLength(4 * H, H));
      k.prepackB(true, 4 * H, H, wL, 0, H, packL);
      const gates = fill(k.alloc(n * 4 * H)), h = k.alloc(n * H), c = k.alloc(n * H);
      k.lstmStepForward(h, 0, c, 0, gates, 0, cPrev, 0, hPrev, 0, packL, n, H);
      results.push(gates, h, c);
      // GRU with and without the hidden bias.
      const wG = fill(k.alloc(3 * H * H)), packG = k.alloc(k.prepackedBLength(3 * H, H)), bias = fill(k.alloc(3 * H));
      k.prepackB(true, 3 * H, H, wG, 0, H, packG);
      for (const b of [bias, null]) {
        const gGates = fill(k.alloc(n * 3 * H)), proj = k.alloc(n * 3 * H), gh = k.alloc(n * H);
        k.gruStepForward(gh, 0, gGates, 0, proj, 0, hPrev, 0, packG, b, n, H);
        results.push(gGates, proj, gh);
      }
      // Backward steps (cell, then dhPrev = dGates·W_hh) on the activations the forward steps left.
      const dh = fill(k.alloc(n * H)), dc = fill(k.alloc(n * H));
      const packLb = k.alloc(k.prepackedBLength(H, 4 * H)), packGb = k.alloc(k.prepackedBLength(H, 3 * H));
      k.prepackB(false, H, 4 * H, wL, 0, H, packLb);
      k.prepackB(false, H, 3 * H, wG, 0, H, packGb);
      const dGates = k.alloc(n * 4 * H), dcPrev = k.alloc(n * H), dhPrevL = k.alloc(n * H);
      k.lstmStepBackward(dGates, 0, dcPrev, 0, dh, 0, dc, 0, gates, 0, c, 0, cPrev, 0, dhPrevL, 0, packLb, n, H);
      const gGates = results[results.length - 3], proj = results[results.length - 2];
      const dIn = k.alloc(n * 3 * H), dHid = k.alloc(n * 3 * H), dhPrevG = k.alloc(n * H);
      k.gruStepBackward(dIn, 0, dHid, 0, dhPrevG, 0, dh, 0, gGates, 0, proj, 0, hPrev, 0, packGb, n, H);
      results.push(dGates, dcPrev, dhPrevL, dIn, dHid, dhPrevG);
    }
    return results;
  };
  await splitUntilHelperTakesPart(run, run(), { stepThreshold: 1, alwaysSplit: true }, () => cases.length * 5);
});
