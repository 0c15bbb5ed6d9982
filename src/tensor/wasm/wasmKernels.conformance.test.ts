// Backend conformance: every kernel of the WebAssembly SIMD backend against the definition (GEMM, in float64)
// or the reference kernel (the rest), on odd shapes, offsets, leading dimensions, all transposes, alpha/beta,
// and on arrays both inside and outside wasm memory. GEMM is checked on both builds the engine can run (plain
// SIMD, and relaxed SIMD with fused multiply-add), since the backend in use here is only one of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gruStepBackwardOn, gruStepForwardOn, lstmStepBackwardOn, lstmStepForwardOn, type Kernels } from '../kernels';
import { referenceKernels } from '../referenceKernels';
import { Rng } from '../rng';
import { createWasmKernels, type WasmKernels } from './wasmKernels';

const wasm = createWasmKernels();
assert.ok(wasm, 'this engine has no WebAssembly SIMD with shared memory (Node 20 has both): the wasm backend cannot be tested');
const FLOAT32_EPSILON = 2 ** -24;
const builds = (['simd', 'relaxed-simd'] as const).map((v) => createWasmKernels(v)).filter((k): k is WasmKernels => k !== null);

type Placement = 'wasm' | 'foreign';
function array(n: number, where: Placement, k: Kernels = wasm!): Float32Array {
  return where === 'wasm' ? k.alloc(n) : new Float32Array(n);
}

interface GemmCase { M: number; N: number; K: number; transA: boolean; transB: boolean; alpha: number; beta: number; pad: number; where: Placement }

/**
 * Runs one GEMM on a backend and checks every element of C against the float64 definition, within the
 * classic float32 accumulation bound γ_(K+3)·(|α|·Σ|a·b| + |β·c| + |bias|), which holds with or without fused
 * multiply-add; also checks C's padding is untouched. With `withBias`, a bias row is added in the GEMM.
 */
function checkGemm(c: GemmCase, rng: Rng, k: Kernels, withBias = false): void {
  const { M, N, K, transA, transB, alpha, beta, pad, where } = c;
  const lda = (transA ? M : K) + pad, ldb = (transB ? K : N) + pad, ldc = N + pad;
  const aOff = 3, bOff = 5, cOff = 7;
  const A = array(aOff + (transA ? K : M) * lda, where, k), B = array(bOff + (transB ? N : K) * ldb, where, k);
  const C = array(cOff + M * ldc, where, k);
  const bias = withBias ? array(1 + N, where, k) : undefined;
  rng.fillNormal(A); rng.fillNormal(B); rng.fillNormal(C);
  if (bias) rng.fillNormal(bias);
  if (beta === 0) C.fill(NaN, cOff, cOff + M * ldc); // beta = 0 must ignore C, NaN included; padding stays NaN
  const before = C.slice();
  if (bias) k.gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc, bias, 1);
  else k.gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
  const label = `${k.name} ${JSON.stringify(c)}`;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let exact = 0, magnitude = 0;
      for (let p = 0; p < K; p++) {
        const a = transA ? A[aOff + p * lda + i] : A[aOff + i * lda + p];
        const b = transB ? B[bOff + j * ldb + p] : B[bOff + p * ldb + j];
        exact += a * b;
        magnitude += Math.abs(a * b);
      }
      const old = beta === 0 ? 0 : before[cOff + i * ldc + j];
      const b = bias ? bias[1 + j] : 0;
      exact = alpha * exact + beta * old + b;
      const bound = (K + 3) * FLOAT32_EPSILON * 1.01 * (Math.abs(alpha) * magnitude + Math.abs(beta * old) + Math.abs(b)) + 1e-30;
      const got = C[cOff + i * ldc + j];
      if (!(Math.abs(got - exact) <= bound)) assert.fail(`${label}: C[${i},${j}] = ${got}, expected ${exact} ± ${bound}`);
    }
    for (let j = N; j < ldc && i * ldc + j + cOff < C.length; j++) {
      const index = cOff + i * ldc + j;
      assert.ok(Object.is(C[index], before[index]), `${label}: padding C[${i},${j}] changed`);
    }
  }
  for (let index = 0; index < cOff; index++) assert.ok(Object.is(C[index], before[index]), `${label}: C before cOff changed`);
}

/** Every shape × both transposes of A and B, cycling through alpha/beta pairs, padding 0–2 and both placements. */
function forEachGemmCase(shapes: number[][], visit: (c: { M: number; N: number; K: number; transA: boolean; transB: boolean; alpha: number; beta: number; pad: number; where: Placement }) => void): void {
  const scalars = [[1, 0], [0.5, 2], [-1.5, 1], [0, 0.5], [2, -1]];
  let n = 0;
  for (const [M, N, K] of shapes)
    for (const transA of [false, true])
      for (const transB of [false, true]) {
        const [alpha, beta] = scalars[n % scalars.length];
        visit({ M, N, K, transA, transB, alpha, beta, pad: n % 3, where: n % 2 === 0 ? 'wasm' : 'foreign' });
        n++;
      }
}

for (const k of builds) {
  test(`wasm gemm (${k.name}) matches the definition on odd shapes, offsets, leading dimensions, all transposes, alpha/beta`, () => {
    const rng = new Rng(11);
    const shapes = [[1, 1, 1], [1, 9, 3], [3, 1, 5], [4, 8, 1], [5, 7, 3], [7, 13, 17], [13, 9, 31], [33, 65, 20], [32, 256, 64], [9, 17, 0], [9, 4, 17], [70, 3, 300], [131, 2, 263], [6, 1, 7]];
    forEachGemmCase(shapes, (c) => checkGemm(c, rng, k));
  });

  test(`wasm gemm (${k.name}) crosses every cache block (M > MC, N > NC, K > KC) correctly`, () => {
    const rng = new Rng(12);
    checkGemm({ M: 131, N: 521, K: 263, transA: false, transB: true, alpha: 1, beta: 0, pad: 1, where: 'wasm' }, rng, k);
    checkGemm({ M: 130, N: 515, K: 259, transA: true, transB: false, alpha: 0.25, beta: 1, pad: 0, where: 'foreign' }, rng, k);
  });

  test(`wasm gemm (${k.name}) with beta=0 overwrites NaN in C, as BLAS does`, () => {
    for (const where of ['wasm', 'foreign'] as const) {
      const A = array(2, where, k), B = array(2, where, k), C = array(1, where, k);
      A.set([1, 2]); B.set([3, 4]); C[0] = NaN;
      k.gemm(false, true, 1, 1, 2, 1, A, 0, 2, B, 0, 2, 0, C, 0, 1);
      assert.equal(C[0], 11);
    }
  });
}

/**
 * gemmPrepackedB against gemm on the same build, bitwise: op(B) packed once (inside or outside wasm memory),
 * then two GEMMs with different A, alpha and beta reuse it. Also the reference backend's prepacked path.
 */
function checkPrepacked(k: typeof referenceKernels, M: number, N: number, K: number, transA: boolean, transB: boolean, alpha: number, beta: number, pad: number, where: Placement, rng: Rng, label: string): void {
  const make = (n: number) => (where === 'wasm' ? k.alloc(n) : new Float32Array(n));
  const lda = (transA ? M : K) + pad, ldb = (transB ? K : N) + pad, ldc = N + pad;
  const B = make(2 + (transB ? N : K) * ldb);
  rng.fillNormal(B);
  const packed = make(k.prepackedBLength(N, K));
  packed.fill(NaN); // padding the packer must overwrite, not read
  k.prepackB(transB, N, K, B, 2, ldb, packed);
  for (const [al, be] of [[alpha, beta], [1, 0]]) {
    const A = make(1 + (transA ? K : M) * lda), C = make(3 + M * ldc);
    rng.fillNormal(A); rng.fillNormal(C);
    if (be === 0) C.fill(NaN, 3);
    const expected = C.slice();
    k.gemm(transA, transB, M, N, K, al, A, 1, lda, B, 2, ldb, be, expected, 3, ldc);
    k.gemmPrepackedB(transA, transB, M, N, K, al, A, 1, lda, packed, be, C, 3, ldc);
    for (let i = 0; i < C.length; i++) {
      if (!Object.is(C[i], expected[i])) assert.fail(`${label} ${JSON.stringify({ M, N, K, transA, transB, al, be, pad, where })}: C[${i}] = ${C[i]}, gemm gives ${expected[i]}`);
    }
  }
}

// The bias against the definition, on every backend: the bitwise test below compares a backend with its own
// gemm and addRowVector, which for the reference is how it computes the bias, so it alone could not fail there.
for (const k of [...builds, referenceKernels]) {
  test(`gemm (${k.name}) with a bias row matches the float64 definition α·op(A)·op(B) + β·C + bias`, () => {
    const rng = new Rng(19);
    forEachGemmCase([[5, 3, 7], [4, 8, 0], [33, 4, 9], [9, 130, 70], [70, 37, 300]], (c) => checkGemm(c, rng, k, true));
  });
}

for (const k of [...builds, referenceKernels]) {
  test(`gemm (${k.name}) with a bias row equals, bitwise, gemm then addRowVector (narrow N, K = 0, alpha = 0, K and N past a block, foreign arrays)`, () => {
    const rng = new Rng(17);
    const shapes = [[5, 3, 7], [7, 13, 17], [4, 8, 0], [33, 4, 9], [9, 521, 263], [70, 192, 1], [130, 37, 300]];
    forEachGemmCase(shapes, ({ M, N, K, transA, transB, alpha, beta, pad, where }) => {
      const make = (n: number) => (where === 'wasm' ? k.alloc(n) : new Float32Array(n));
      const lda = (transA ? M : K) + pad, ldb = (transB ? K : N) + pad, ldc = N + pad;
      const A = make(1 + (transA ? K : M) * lda), B = make(2 + (transB ? N : K) * ldb), C = make(3 + M * ldc), bias = make(N + 2);
      for (const x of [A, B, C, bias]) rng.fillNormal(x);
      if (beta === 0) C.fill(NaN, 3);
      const expected = C.slice();
      for (const al of [alpha, 0]) {
        k.gemm(transA, transB, M, N, K, al, A, 1, lda, B, 2, ldb, beta, expected, 3, ldc);
        for (let i = 0; i < M; i++) k.addRowVector(expected, 3 + i * ldc, expected, 3 + i * ldc, bias, 2, 1, N);
        k.gemm(transA, transB, M, N, K, al, A, 1, lda, B, 2, ldb, beta, C, 3, ldc, bias, 2);
        for (let i = 0; i < C.length; i++) {
          if (!Object.is(C[i], expected[i])) assert.fail(`${k.name} ${JSON.stringify({ M, N, K, transA, transB, al, beta, pad, where })}: C[${i}] = ${C[i]}, gemm + addRowVector gives ${expected[i]}`);
        }
      }
    });
  });
}

for (const k of [...builds, referenceKernels]) {
  test(`prepacked-B gemm (${k.name}) equals gemm bitwise for every transpose, edge sizes and cache blocks`, () => {
    const rng = new Rng(13);
    // Edges: N and M off the micro-tile, K = 0, K past KC = 256, N past NC = 512, M past MC = 128, N ≤ 4 (gemm's
    // unpacked narrow path against the packed micro-kernel); the recurrent shapes.
    const shapes = [[1, 1, 1], [3, 9, 5], [5, 7, 3], [4, 8, 0], [7, 13, 17], [32, 1024, 256], [64, 512, 128], [13, 65, 300], [9, 521, 263], [131, 37, 513], [32, 256, 1024], [70, 3, 300], [33, 4, 9], [6, 1, 513]];
    forEachGemmCase(shapes, (c) => checkPrepacked(k, c.M, c.N, c.K, c.transA, c.transB, c.alpha, c.beta, c.pad, c.where, rng, k.name));
  });
}

test('both builds load under Node ≥ 20.16 (relaxed SIMD by default, or flagged on); elsewhere at least the plain one', () => {
  assert.ok(builds.some((k) => k.variant === 'simd'));
  if (typeof (process as { getBuiltinModule?: unknown }).getBuiltinModule === 'function') assert.deepEqual(builds.map((k) => k.variant), ['simd', 'relaxed-simd']);
});

test('wasm gemm refuses operands too short for their shape instead of reading other arrays', () => {
  const A = wasm!.alloc(6), B = wasm!.alloc(6), C = wasm!.alloc(3);
  assert.throws(() => wasm!.gemm(false, false, 2, 2, 3, 1, A, 0, 3, B, 0, 2, 0, C, 0, 2), /gemm: C needs elements \[0, 4\) but has 3/);
});

/** Runs `op` on both backends with identical inputs (inside or outside wasm memory) and compares outputs. */
function sameAsReference(name: string, sizes: number[], op: (k: typeof referenceKernels, arrays: Float32Array[]) => void, exact = true, spread = 1, tolerance = 1e-6): void {
  for (const where of ['wasm', 'foreign'] as const) {
    const rng = new Rng(sizes.length * 31 + sizes[0]);
    const ours = sizes.map((n) => array(n, where));
    for (const x of ours) {
      rng.fillNormal(x);
      for (let i = 0; i < x.length; i++) x[i] *= spread;
      // Extremes the activations must survive: saturation, overflow of exp, exact zero, tiny values.
      if (spread > 1) [60, -60, 100, -100, 0, 1e-6, -1e-6, 9, -9].forEach((v, i) => { if (3 * i < x.length) x[3 * i] = v; });
    }
    const theirs = ours.map((x) => x.slice());
    op(wasm!, ours);
    op(referenceKernels, theirs);
    ours.forEach((x, i) => {
      for (let j = 0; j < x.length; j++) {
        const allowed = exact ? 0 : tolerance * (1 + Math.abs(theirs[i][j]));
        if (!(Math.abs(x[j] - theirs[i][j]) <= allowed)) assert.fail(`${name} (${where}): array ${i}[${j}] = ${x[j]}, reference ${theirs[i][j]}`);
      }
    });
  }
}

test('wasm elementwise and row kernels equal the reference (offsets, lengths not multiples of 4)', () => {
  for (const n of [1, 3, 4, 17, 1030]) {
    sameAsReference(`add ${n}`, [n + 2, n + 5, n + 1], (k, [o, x, y]) => k.add(o, 2, x, 5, y, 1, n));
    sameAsReference(`mul ${n}`, [n + 2, n + 5, n + 1], (k, [o, x, y]) => k.mul(o, 2, x, 5, y, 1, n));
    sameAsReference(`axpy ${n}`, [n + 3, n + 1], (k, [y, x]) => k.axpy(y, 3, -0.75, x, 1, n), false); // f32 rounds a·x before adding: 1 ulp
    sameAsReference(`scale ${n}`, [n + 3], (k, [x]) => k.scale(x, 3, 1.5, n));
    sameAsReference(`fill/copy ${n}`, [n + 3, n + 1], (k, [o, x]) => { k.copy(o, 3, x, 1, n); k.fill(x, 1, 2.5, n); });
    // exp/tanh evaluated in float64 and rounded once: within one float32 ulp of Math's.
    sameAsReference(`unary ${n}`, [n + 1, n + 1, n + 1, n + 2], (k, [s, t, r, x]) => { k.sigmoid(s, 1, x, 2, n); k.tanh(t, 1, x, 2, n); k.relu(r, 1, x, 2, n); }, false);
  }
  for (const [R, C] of [[1, 1], [3, 5], [7, 9], [4, 64], [2, 1027]]) {
    // Strided row copies between layouts: contiguous, gather (wide source rows), scatter (wide destination rows).
    sameAsReference(`copyRows ${R}x${C}`, [R * C + 1, R * C + 2], (k, [o, x]) => k.copyRows(o, 1, C, x, 2, C, R, C));
    sameAsReference(`copyRows strided ${R}x${C}`, [R * (C + 3) + 1, R * (2 * C) + 2], (k, [o, x]) => k.copyRows(o, 1, C + 3, x, 2, 2 * C, R, C));
    sameAsReference(`addRowVector ${R}x${C}`, [R * C + 1, R * C + 2, C + 3], (k, [o, x, b]) => k.addRowVector(o, 1, x, 2, b, 3, R, C));
    sameAsReference(`addRowVector in place ${R}x${C}`, [R * C + 1, C], (k, [x, b]) => k.addRowVector(x, 1, x, 1, b, 0, R, C));
    sameAsReference(`sumRowsInto ${R}x${C}`, [C + 1, R * C + 2], (k, [acc, x]) => k.sumRowsInto(acc, 1, x, 2, R, C), false);
    sameAsReference(`softmax ${R}x${C}`, [R * C + 1, R * C + 2], (k, [o, x]) => { k.softmaxRows(o, 1, x, 2, R, C); k.logSoftmaxRows(x, 2, o, 1, R, C); }, false);
  }
  for (const where of ['wasm', 'foreign'] as const) {
    const x = array(37, where), y = array(37, where);
    new Rng(5).fillNormal(x); new Rng(6).fillNormal(y);
    assert.equal(wasm!.sum(x, 1, 35), referenceKernels.sum(x, 1, 35));
    assert.equal(wasm!.sumSquares(x, 1, 35), referenceKernels.sumSquares(x, 1, 35));
    assert.equal(wasm!.dot(x, 1, y, 2, 35), referenceKernels.dot(x, 1, y, 2, 35));
  }
});

test('wasm views stay valid after the memory grows (shared memory never detaches them)', () => {
  const first = wasm!.alloc(16);
  first.fill(3);
  const pagesBefore = wasm!.runtime.memory.buffer.byteLength;
  wasm!.alloc(8 * 1024 * 1024); // 32 MiB forces a grow
  assert.ok(wasm!.runtime.memory.buffer.byteLength > pagesBefore);
  assert.equal(first.length, 16);
  assert.equal(first[15], 3);
  const y = wasm!.alloc(16);
  wasm!.axpy(y, 0, 2, first, 0, 16); // both arrays are recognised as wasm memory across the grow
  assert.deepEqual([...y], new Array(16).fill(6));
  assert.notEqual(wasm!.runtime.addressOf(first, 0), -1);
});

test('wasm fused LSTM/GRU cells equal the reference cells (H not a multiple of 4 or above the 64-unit block, offsets, saturated gates)', () => {
  for (const [n, H] of [[1, 1], [3, 5], [2, 8], [4, 13], [32, 64], [3, 131]]) {
    const G4 = 4 * H, G3 = 3 * H;
    // Forward on pre-activations spread ×4 so gates saturate. Backward separately on identical inputs: a
    // saturated gate's f·(1−f) is ill-conditioned, so one ulp of difference in a stored f would be amplified.
    sameAsReference(`lstm cell forward ${n}x${H}`, [n * H + 1, n * H + 2, n * G4 + 3, n * H + 4], (k, [h, c, gates, cPrev]) => {
      k.lstmCellForward(h, 1, c, 2, gates, 3, cPrev, 4, n, H);
    }, false, 4, 3e-7);
    sameAsReference(`lstm cell backward ${n}x${H}`, [n * G4 + 1, n * H + 2, n * H + 3, n * H + 1, n * G4 + 3, n * H + 2, n * H + 4], (k, [dGates, dcPrev, dh, dc, gates, c, cPrev]) => {
      k.lstmCellBackward(dGates, 1, dcPrev, 2, dh, 3, dc, 1, gates, 3, c, 2, cPrev, 4, n, H);
    }, false, 1, 3e-7);
    sameAsReference(`gru cell forward ${n}x${H}`, [n * H + 1, n * G3 + 2, n * G3 + 3, n * H + 4], (k, [h, gates, hiddenProj, hPrev]) => {
      k.gruCellForward(h, 1, gates, 2, hiddenProj, 3, hPrev, 4, n, H);
    }, false, 4, 3e-7);
    // RNN cell backward: float64, one rounding, like the reference: equal bitwise.
    sameAsReference(`rnn tanh/relu cell backward ${n}x${H}`, [n * H + 1, n * H + 2, n * H + 3, n * H + 4], (k, [dTanh, dRelu, dh, h]) => {
      k.rnnTanhCellBackward(dTanh, 1, dh, 2, h, 3, n * H);
      k.rnnReluCellBackward(dRelu, 4, dh, 2, h, 3, n * H);
    });
    sameAsReference(`gru cell backward ${n}x${H}`, [n * G3 + 1, n * G3 + 2, n * H + 3, n * H + 1, n * G3 + 2, n * G3 + 3, n * H + 4], (k, [dIn, dHid, dhPrev, dh, gates, hiddenProj, hPrev]) => {
      k.gruCellBackward(dIn, 1, dHid, 2, dhPrev, 3, dh, 1, gates, 2, hiddenProj, 3, hPrev, 4, n, H);
    }, false, 1, 3e-7);
  }
});

test('wasm sigmoid and tanh are correctly rounded float32 across the whole range, including saturation and tiny inputs', () => {
  const n = 4001;
  const x = wasm!.alloc(n), s = wasm!.alloc(n), t = wasm!.alloc(n);
  for (let i = 0; i < n; i++) x[i] = (i - 2000) / 40 + (i % 7) * 1e-7; // [-50, 50]
  x[0] = -1e-30; x[1] = 1e-30; x[2] = 0; x[3] = -0;
  wasm!.sigmoid(s, 0, x, 0, n);
  wasm!.tanh(t, 0, x, 0, n);
  for (let i = 0; i < n; i++) {
    const v = x[i], es = 1 / (1 + Math.exp(-v)), et = Math.tanh(v);
    // Rounded once from float64: at most half a float32 ulp (2⁻²⁴ relative) from the exact value, plus slack.
    assert.ok(Math.abs(s[i] - es) <= 1.01 * FLOAT32_EPSILON * Math.abs(es) + 1e-44, `sigmoid(${v}) = ${s[i]}, expected ${es}`);
    assert.ok(Math.abs(t[i] - et) <= 1.01 * FLOAT32_EPSILON * Math.abs(et) + 1e-44, `tanh(${v}) = ${t[i]}, expected ${et}`);
  }
});

for (const k of builds) {
  test(`wasm step kernels (${k.name}) equal, bitwise, the backend calls they stand for (b_hh and beta = 0 in the GEMM epilogue, K past one block)`, () => {
    for (const [n, H] of [[32, 64], [13, 5], [9, 300]]) {
      const r = new Rng(n * 1000 + H);
      const fill = (x: Float32Array) => { r.fillNormal(x); return x; };
      const copy = (x: Float32Array) => { const y = k.alloc(x.length); y.set(x); return y; };
      const hPrev = fill(k.alloc(n * H)), cPrev = fill(k.alloc(n * H)), dh = fill(k.alloc(n * H)), dc = fill(k.alloc(n * H));
      const wL = fill(k.alloc(4 * H * H)), wG = fill(k.alloc(3 * H * H)), bias = fill(k.alloc(3 * H));
      const pack = (transB: boolean, N: number, K: number, w: Float32Array) => {
        const p = k.alloc(k.prepackedBLength(N, K));
        k.prepackB(transB, N, K, w, 0, H, p);
        return p;
      };
      const packL = pack(true, 4 * H, H, wL), packG = pack(true, 3 * H, H, wG), packLb = pack(false, H, 4 * H, wL), packGb = pack(false, H, 3 * H, wG);
      const gatesL = fill(k.alloc(n * 4 * H)), gatesG = fill(k.alloc(n * 3 * H));
      // Each way on its own copies; outputs written with beta = 0 start as NaN, which must not survive.
      const run = (fused: boolean) => {
        const gL = copy(gatesL), h = k.alloc(n * H), c = k.alloc(n * H);
        if (fused) k.lstmStepForward(h, 0, c, 0, gL, 0, cPrev, 0, hPrev, 0, packL, n, H);
        else lstmStepForwardOn(k, h, 0, c, 0, gL, 0, cPrev, 0, hPrev, 0, packL, n, H);
        const out = [gL, h, c];
        for (const b of [bias, null]) {
          const gG = copy(gatesG), proj = k.alloc(n * 3 * H).fill(NaN), gh = k.alloc(n * H);
          if (fused) k.gruStepForward(gh, 0, gG, 0, proj, 0, hPrev, 0, packG, b, n, H);
          else gruStepForwardOn(k, gh, 0, gG, 0, proj, 0, hPrev, 0, packG, b, n, H);
          out.push(gG, proj, gh);
        }
        const dGates = k.alloc(n * 4 * H), dcPrev = k.alloc(n * H), dhPrevL = k.alloc(n * H).fill(NaN);
        if (fused) k.lstmStepBackward(dGates, 0, dcPrev, 0, dh, 0, dc, 0, gL, 0, c, 0, cPrev, 0, dhPrevL, 0, packLb, n, H);
        else lstmStepBackwardOn(k, dGates, 0, dcPrev, 0, dh, 0, dc, 0, gL, 0, c, 0, cPrev, 0, dhPrevL, 0, packLb, n, H);
        const [gG, proj] = out.slice(-3);
        const dIn = k.alloc(n * 3 * H), dHid = k.alloc(n * 3 * H), dhPrevG = k.alloc(n * H);
        if (fused) k.gruStepBackward(dIn, 0, dHid, 0, dhPrevG, 0, dh, 0, gG, 0, proj, 0, hPrev, 0, packGb, n, H);
        else gruStepBackwardOn(k, dIn, 0, dHid, 0, dhPrevG, 0, dh, 0, gG, 0, proj, 0, hPrev, 0, packGb, n, H);
        out.push(dGates, dcPrev, dhPrevL, dIn, dHid, dhPrevG);
        return out;
      };
      const fused = run(true), separate = run(false);
      fused.forEach((x, a) => x.forEach((v, i) => {
        if (!Object.is(v, separate[a][i])) assert.fail(`${n}x${H}, output ${a}[${i}]: step kernel ${v}, separate calls ${separate[a][i]}`);
        if (Number.isNaN(v)) assert.fail(`${n}x${H}, output ${a}[${i}] is NaN`);
      }));
    }
  });
}
