import { gruStepBackwardOn, gruStepForwardOn, lstmStepBackwardOn, lstmStepForwardOn, type Kernels } from '../kernels';
import { referenceKernels } from '../referenceKernels';
import { STEP_GRU, STEP_GRU_BACKWARD, STEP_LSTM, STEP_LSTM_BACKWARD, stepRows, type GemmSplitter, type SplittableKernels } from './gemmThreads';
import {
  kernelsModule, kernelsModuleOf, kernelsVariant, PACK_A_FLOATS, PACK_B_FLOATS, PACK_B_TILE_OFFSET_BYTES, packedBFloats, WasmRuntime,
  type KernelsVariant,
} from './wasmRuntime';

/** The WebAssembly SIMD backend: `Kernels` plus the runtime (memory, module) that helper threads attach to. */
export interface WasmKernels extends Kernels, SplittableKernels {
  /** 'wasm-relaxed-simd' (GEMM with fused multiply-add) or 'wasm-simd'. */
  readonly name: string;
  readonly variant: KernelsVariant;
  /**
   * One Adam/AdamW step in wasm, bitwise as the JavaScript loop of src/nn/optim/adam.ts (see assembly/optim.ts),
   * when values, grads and both moments (all of one length) live in this memory; false, touching nothing, else.
   */
  adamUpdate(values: Float32Array, grads: Float32Array, m: Float32Array, v: Float32Array, hyper: AdamStepScalars): boolean;
}

/** The per-step scalars of an Adam/AdamW update (see src/nn/optim/adam.ts). */
export interface AdamStepScalars {
  beta1: number;
  beta2: number;
  stepSize: number;
  biasCorrection2Sqrt: number;
  eps: number;
  decay: number;
  l2: number;
}

/** Elements a strided [rows, cols] block spans from its first element to its last. */
function spanOf(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

function checkSpan(name: string, x: Float32Array, off: number, span: number, op = 'gemm'): void {
  if (off < 0 || off + span > x.length) throw new RangeError(`${op}: ${name} needs elements [${off}, ${off + span}) but has ${x.length}`);
}

/**
 * Build the wasm backend, or return null where WebAssembly SIMD or shared memory is unavailable.
 * Every kernel accepts any Float32Array: arrays outside wasm memory are staged in and out (GEMM) or handled
 * by the reference kernel (elementwise), so correctness never depends on who allocated an array.
 * `variant` asks for one build (tests check both); by default the one `kernelsModule` chose.
 */
export function createWasmKernels(variant?: KernelsVariant): WasmKernels | null {
  const chosen = kernelsModule();
  if (!chosen) return null;
  const module = variant === undefined || variant === kernelsVariant() ? chosen : kernelsModuleOf(variant);
  if (!module) return null;
  const built = variant ?? kernelsVariant()!;
  const runtime = new WasmRuntime(module);
  const wasm = runtime.exports;
  const packA = runtime.allocBytes(PACK_A_FLOATS * 4);
  const packB = runtime.allocBytes(PACK_B_FLOATS * 4);
  let splitter: GemmSplitter | null = null;

  // Staging areas for arrays that live outside wasm memory (grown by doubling; old ones are not reused).
  const stageAddress = [0, 0, 0, 0];
  const stageCapacity = [0, 0, 0, 0];
  function stage(slot: number, x: Float32Array, off: number, span: number, copyIn: boolean): number {
    if (stageCapacity[slot] < span) {
      const capacity = Math.max(span, stageCapacity[slot] * 2, 1024);
      const address = runtime.allocBytes(capacity * 4);
      if (address < 0) throw new RangeError(`wasm kernels: cannot stage ${span} floats (memory exhausted)`);
      stageAddress[slot] = address;
      stageCapacity[slot] = capacity;
    }
    if (copyIn) runtime.heapF32().set(x.subarray(off, off + span), stageAddress[slot] >> 2);
    return stageAddress[slot];
  }
  /** Address of x[off] in wasm memory: where it lives, or a staged copy (slot as for `stage`). */
  function resident(slot: number, x: Float32Array, off: number, span: number): number {
    const address = runtime.addressOf(x, off);
    return address >= 0 ? address : stage(slot, x, off, span, true);
  }

  // A recurrent step writes through raw addresses: check what it will touch, as gemm does.
  const stepSpan = (name: string, x: Float32Array, off: number, span: number) => checkSpan(name, x, off, span, 'recurrent step');
  /** A recurrent step on all its M rows (stepRows' arguments): shared with the helper thread when it pays. */
  function step(
    cell: number, M: number, N: number, K: number, a: number, b: number, beta: number, c: number,
    p0: number, p1: number, p2: number, p3: number, p4: number, p5: number, H: number,
  ): void {
    if (splitter?.tryStep(cell, M, N, K, a, b, beta, c, p0, p1, p2, p3, p4, p5, H)) return;
    stepRows(wasm, cell, 0, M, p0, p1, p2, p3, p4, p5, H, N, K, a, K, b, beta, c, N, packA, packB + PACK_B_TILE_OFFSET_BYTES, 0);
  }

  const kernels: WasmKernels = {
    ...referenceKernels,
    name: built === 'relaxed-simd' ? 'wasm-relaxed-simd' : 'wasm-simd',
    variant: built,
    runtime,
    packA,
    packB,
    setGemmSplitter(s) {
      splitter = s;
    },
    adamUpdate(values, grads, m, v, h) {
      const n = values.length;
      if (grads.length !== n || m.length !== n || v.length !== n) return false;
      const x = runtime.addressOf(values, 0), g = runtime.addressOf(grads, 0);
      const ma = runtime.addressOf(m, 0), va = runtime.addressOf(v, 0);
      if (x < 0 || g < 0 || ma < 0 || va < 0) return false;
      wasm.adamUpdate(x, g, ma, va, n, h.beta1, h.beta2, h.stepSize, h.biasCorrection2Sqrt, h.eps, h.decay, h.l2);
      return true;
    },

    alloc(n) {
      return runtime.alloc(n) ?? new Float32Array(n);
    },
    release(array) {
      runtime.release(array);
    },

    gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc, bias, biasOff = 0) {
      if (M === 0 || N === 0) return;
      const spanA = K === 0 ? 0 : transA ? spanOf(K, M, lda) : spanOf(M, K, lda);
      const spanB = K === 0 ? 0 : transB ? spanOf(N, K, ldb) : spanOf(K, N, ldb);
      const spanC = spanOf(M, N, ldc);
      checkSpan('A', A, aOff, spanA);
      checkSpan('B', B, bOff, spanB);
      checkSpan('C', C, cOff, spanC);
      if (bias) checkSpan('bias', bias, biasOff, N);
      const a = resident(0, A, aOff, spanA);
      const b = resident(1, B, bOff, spanB);
      const bi = bias ? resident(3, bias, biasOff, N) : 0;
      let c = runtime.addressOf(C, cOff);
      const cForeign = c < 0;
      // A foreign C is copied in even when beta = 0: the gaps between rows (ldc > N) must come back unchanged.
      if (cForeign) c = stage(2, C, cOff, spanC, true);
      const tA = transA ? 1 : 0, tB = transB ? 1 : 0;
      if (!splitter || !splitter.tryGemm(tA, tB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, bi)) {
        wasm.gemm(tA, tB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, packA, packB, bi);
      }
      if (cForeign) C.set(runtime.heapF32().subarray(c >> 2, (c >> 2) + spanC), cOff);
    },

    prepackedBLength(N, K) {
      return packedBFloats(N, K);
    },
    prepackB(transB, N, K, B, bOff, ldb, packed) {
      if (N === 0 || K === 0) return;
      const spanB = transB ? spanOf(N, K, ldb) : spanOf(K, N, ldb);
      const size = packedBFloats(N, K);
      checkSpan('B', B, bOff, spanB);
      checkSpan('packed B', packed, 0, size);
      const b = resident(1, B, bOff, spanB);
      let p = runtime.addressOf(packed, 0);
      const foreign = p < 0;
      if (foreign) p = stage(0, packed, 0, size, false);
      wasm.packB(transB ? 1 : 0, N, K, b, ldb, p);
      if (foreign) packed.set(runtime.heapF32().subarray(p >> 2, (p >> 2) + size));
    },
    gemmPrepackedB(transA, _transB, M, N, K, alpha, A, aOff, lda, packed, beta, C, cOff, ldc) {
      if (M === 0 || N === 0) return;
      const spanA = K === 0 ? 0 : transA ? spanOf(K, M, lda) : spanOf(M, K, lda);
      const size = packedBFloats(N, K);
      const spanC = spanOf(M, N, ldc);
      checkSpan('A', A, aOff, spanA);
      checkSpan('packed B', packed, 0, size);
      checkSpan('C', C, cOff, spanC);
      const a = resident(0, A, aOff, spanA);
      const p = resident(1, packed, 0, size);
      let c = runtime.addressOf(C, cOff);
      const cForeign = c < 0;
      if (cForeign) c = stage(2, C, cOff, spanC, true);
      const tA = transA ? 1 : 0;
      if (!splitter || !splitter.tryGemmPackedB(tA, M, N, K, alpha, a, lda, p, beta, c, ldc)) {
        wasm.gemmPackedB(tA, M, N, K, alpha, a, lda, p, N, 0, beta, c, ldc, packA, packB + PACK_B_TILE_OFFSET_BYTES, 0);
      }
      if (cForeign) C.set(runtime.heapF32().subarray(c >> 2, (c >> 2) + spanC), cOff);
    },

    copyRows(out, outOff, ldOut, x, xOff, ldX, rows, cols) {
      const o = runtime.addressOf(out, outOff), xa = runtime.addressOf(x, xOff);
      if (o < 0 || xa < 0 || rows <= 0 || cols <= 0) return referenceKernels.copyRows(out, outOff, ldOut, x, xOff, ldX, rows, cols);
      checkSpan('out', out, outOff, spanOf(rows, cols, ldOut), 'copyRows');
      checkSpan('x', x, xOff, spanOf(rows, cols, ldX), 'copyRows');
      wasm.copyRows(o, ldOut, xa, ldX, rows, cols);
    },
    add(out, outOff, x, xOff, y, yOff, n) {
      const o = runtime.addressOf(out, outOff), xa = runtime.addressOf(x, xOff), ya = runtime.addressOf(y, yOff);
      if (o < 0 || xa < 0 || ya < 0) return referenceKernels.add(out, outOff, x, xOff, y, yOff, n);
      wasm.add(o, xa, ya, n);
    },
    mul(out, outOff, x, xOff, y, yOff, n) {
      const o = runtime.addressOf(out, outOff), xa = runtime.addressOf(x, xOff), ya = runtime.addressOf(y, yOff);
      if (o < 0 || xa < 0 || ya < 0) return referenceKernels.mul(out, outOff, x, xOff, y, yOff, n);
      wasm.mul(o, xa, ya, n);
    },
    axpy(y, yOff, alpha, x, xOff, n) {
      const ya = runtime.addressOf(y, yOff), xa = runtime.addressOf(x, xOff);
      if (ya < 0 || xa < 0) return referenceKernels.axpy(y, yOff, alpha, x, xOff, n);
      wasm.axpy(ya, alpha, xa, n);
    },
    scale(x, xOff, alpha, n) {
      const xa = runtime.addressOf(x, xOff);
      if (xa < 0) return referenceKernels.scale(x, xOff, alpha, n);
      wasm.scale(xa, alpha, n);
    },
    addRowVector(out, outOff, x, xOff, bias, biasOff, R, C) {
      const o = runtime.addressOf(out, outOff), xa = runtime.addressOf(x, xOff), ba = runtime.addressOf(bias, biasOff);
      if (o < 0 || xa < 0 || ba < 0) return referenceKernels.addRowVector(out, outOff, x, xOff, bias, biasOff, R, C);
      wasm.addRowVector(o, xa, ba, R, C);
    },
    sigmoid(out, outOff, x, xOff, n) {
      const o = runtime.addressOf(out, outOff), xa = runtime.addressOf(x, xOff);
      if (o < 0 || xa < 0) return referenceKernels.sigmoid(out, outOff, x, xOff, n);
      wasm.sigmoid(o, xa, n);
    },
    tanh(out, outOff, x, xOff, n) {
      const o = runtime.addressOf(out, outOff), xa = runtime.addressOf(x, xOff);
      if (o < 0 || xa < 0) return referenceKernels.tanh(out, outOff, x, xOff, n);
      wasm.tanh(o, xa, n);
    },

    // Fused recurrent cells: wasm when every array lives in wasm memory, else the reference.
    lstmCellForward(h, hOff, c, cOff, gates, gatesOff, cPrev, cPrevOff, n, H) {
      const ha = runtime.addressOf(h, hOff), ca = runtime.addressOf(c, cOff), ga = runtime.addressOf(gates, gatesOff), pa = runtime.addressOf(cPrev, cPrevOff);
      if (ha < 0 || ca < 0 || ga < 0 || pa < 0) return referenceKernels.lstmCellForward(h, hOff, c, cOff, gates, gatesOff, cPrev, cPrevOff, n, H);
      wasm.lstmCellForward(ha, ca, ga, pa, n, H, 0);
    },
    lstmCellBackward(dGates, dGatesOff, dcPrev, dcPrevOff, dh, dhOff, dc, dcOff, gates, gatesOff, c, cOff, cPrev, cPrevOff, n, H) {
      const dga = runtime.addressOf(dGates, dGatesOff), dcpa = runtime.addressOf(dcPrev, dcPrevOff), dha = runtime.addressOf(dh, dhOff);
      const dca = runtime.addressOf(dc, dcOff), ga = runtime.addressOf(gates, gatesOff), ca = runtime.addressOf(c, cOff), cpa = runtime.addressOf(cPrev, cPrevOff);
      // Addresses are below 2³¹ (see scripts/build-wasm.mjs), so OR-ing them is negative exactly when one is -1.
      if ((dga | dcpa | dha | dca | ga | ca | cpa) < 0) {
        return referenceKernels.lstmCellBackward(dGates, dGatesOff, dcPrev, dcPrevOff, dh, dhOff, dc, dcOff, gates, gatesOff, c, cOff, cPrev, cPrevOff, n, H);
      }
      wasm.lstmCellBackward(dga, dcpa, dha, dca, ga, ca, cpa, n, H, 0);
    },
    gruCellForward(h, hOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, n, H) {
      const ha = runtime.addressOf(h, hOff), ga = runtime.addressOf(gates, gatesOff), pa = runtime.addressOf(hiddenProj, hiddenProjOff), hpa = runtime.addressOf(hPrev, hPrevOff);
      if (ha < 0 || ga < 0 || pa < 0 || hpa < 0) return referenceKernels.gruCellForward(h, hOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, n, H);
      wasm.gruCellForward(ha, ga, pa, hpa, n, H, 0);
    },
    gruCellBackward(dGatesInput, dGatesInputOff, dGatesHidden, dGatesHiddenOff, dhPrev, dhPrevOff, dh, dhOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, n, H) {
      const dia = runtime.addressOf(dGatesInput, dGatesInputOff), dhida = runtime.addressOf(dGatesHidden, dGatesHiddenOff), dhpa = runtime.addressOf(dhPrev, dhPrevOff);
      const dha = runtime.addressOf(dh, dhOff), ga = runtime.addressOf(gates, gatesOff), pa = runtime.addressOf(hiddenProj, hiddenProjOff), hpa = runtime.addressOf(hPrev, hPrevOff);
      if ((dia | dhida | dhpa | dha | ga | pa | hpa) < 0) {
        return referenceKernels.gruCellBackward(dGatesInput, dGatesInputOff, dGatesHidden, dGatesHiddenOff, dhPrev, dhPrevOff, dh, dhOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, n, H);
      }
      wasm.gruCellBackward(dia, dhida, dhpa, dha, ga, pa, hpa, n, H);
    },
    rnnTanhCellBackward(dPre, dPreOff, dh, dhOff, h, hOff, n) {
      const pa = runtime.addressOf(dPre, dPreOff), dha = runtime.addressOf(dh, dhOff), ha = runtime.addressOf(h, hOff);
      if ((pa | dha | ha) < 0) return referenceKernels.rnnTanhCellBackward(dPre, dPreOff, dh, dhOff, h, hOff, n);
      wasm.rnnTanhCellBackward(pa, dha, ha, n);
    },
    rnnReluCellBackward(dPre, dPreOff, dh, dhOff, h, hOff, n) {
      const pa = runtime.addressOf(dPre, dPreOff), dha = runtime.addressOf(dh, dhOff), ha = runtime.addressOf(h, hOff);
      if ((pa | dha | ha) < 0) return referenceKernels.rnnReluCellBackward(dPre, dPreOff, dh, dhOff, h, hOff, n);
      wasm.rnnReluCellBackward(pa, dha, ha, n);
    },

    // One recurrent step (its GEMM and cell): split by rows with the helper thread when it pays, else stepRows
    // here; arrays outside wasm memory take the two backend calls it stands for.
    lstmStepForward(h, hOff, c, cOff, gates, gatesOff, cPrev, cPrevOff, hPrev, hPrevOff, packed, n, H) {
      const ha = runtime.addressOf(h, hOff), ca = runtime.addressOf(c, cOff), ga = runtime.addressOf(gates, gatesOff);
      const cpa = runtime.addressOf(cPrev, cPrevOff), hpa = runtime.addressOf(hPrev, hPrevOff), pa = runtime.addressOf(packed, 0);
      if (n <= 0 || (ha | ca | ga | cpa | hpa | pa) < 0) {
        return lstmStepForwardOn(kernels, h, hOff, c, cOff, gates, gatesOff, cPrev, cPrevOff, hPrev, hPrevOff, packed, n, H);
      }
      stepSpan('h', h, hOff, n * H); stepSpan('c', c, cOff, n * H); stepSpan('cPrev', cPrev, cPrevOff, n * H);
      stepSpan('hPrev', hPrev, hPrevOff, n * H); stepSpan('gates', gates, gatesOff, n * 4 * H);
      stepSpan('packed W_hh', packed, 0, packedBFloats(4 * H, H));
      step(STEP_LSTM, n, 4 * H, H, hpa, pa, 1, ga, ha, ca, cpa, 0, 0, 0, H);
    },
    gruStepForward(h, hOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, packed, biasHh, n, H) {
      const ha = runtime.addressOf(h, hOff), ga = runtime.addressOf(gates, gatesOff), pa = runtime.addressOf(hiddenProj, hiddenProjOff);
      const hpa = runtime.addressOf(hPrev, hPrevOff), wa = runtime.addressOf(packed, 0), ba = biasHh ? runtime.addressOf(biasHh, 0) : 0;
      if (n <= 0 || (ha | ga | pa | hpa | wa | ba) < 0) {
        return gruStepForwardOn(kernels, h, hOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, packed, biasHh, n, H);
      }
      stepSpan('h', h, hOff, n * H); stepSpan('hPrev', hPrev, hPrevOff, n * H); stepSpan('gates', gates, gatesOff, n * 3 * H);
      stepSpan('hiddenProj', hiddenProj, hiddenProjOff, n * 3 * H); stepSpan('packed W_hh', packed, 0, packedBFloats(3 * H, H));
      if (biasHh) stepSpan('biasHh', biasHh, 0, 3 * H);
      step(STEP_GRU, n, 3 * H, H, hpa, wa, 0, pa, ha, ga, 0, ba, 0, 0, H);
    },
    lstmStepBackward(dGates, dGatesOff, dcPrev, dcPrevOff, dh, dhOff, dc, dcOff, gates, gatesOff, c, cOff, cPrev, cPrevOff, dhPrev, dhPrevOff, packed, n, H) {
      const dga = runtime.addressOf(dGates, dGatesOff), dcpa = runtime.addressOf(dcPrev, dcPrevOff), dha = runtime.addressOf(dh, dhOff);
      const dca = runtime.addressOf(dc, dcOff), ga = runtime.addressOf(gates, gatesOff), ca = runtime.addressOf(c, cOff);
      const cpa = runtime.addressOf(cPrev, cPrevOff), dhpa = runtime.addressOf(dhPrev, dhPrevOff), pa = runtime.addressOf(packed, 0);
      if (n <= 0 || (dga | dcpa | dha | dca | ga | ca | cpa | dhpa | pa) < 0) {
        return lstmStepBackwardOn(kernels, dGates, dGatesOff, dcPrev, dcPrevOff, dh, dhOff, dc, dcOff, gates, gatesOff, c, cOff, cPrev, cPrevOff, dhPrev, dhPrevOff, packed, n, H);
      }
      stepSpan('dcPrev', dcPrev, dcPrevOff, n * H); stepSpan('dh', dh, dhOff, n * H); stepSpan('dc', dc, dcOff, n * H);
      stepSpan('c', c, cOff, n * H); stepSpan('cPrev', cPrev, cPrevOff, n * H); stepSpan('dhPrev', dhPrev, dhPrevOff, n * H);
      stepSpan('dGates', dGates, dGatesOff, n * 4 * H); stepSpan('gates', gates, gatesOff, n * 4 * H);
      stepSpan('packed W_hh', packed, 0, packedBFloats(H, 4 * H));
      step(STEP_LSTM_BACKWARD, n, H, 4 * H, dga, pa, 0, dhpa, dcpa, dha, dca, ga, ca, cpa, H);
    },
    gruStepBackward(dGatesInput, dGatesInputOff, dGatesHidden, dGatesHiddenOff, dhPrev, dhPrevOff, dh, dhOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, packed, n, H) {
      const dia = runtime.addressOf(dGatesInput, dGatesInputOff), dhida = runtime.addressOf(dGatesHidden, dGatesHiddenOff);
      const dhpa = runtime.addressOf(dhPrev, dhPrevOff), dha = runtime.addressOf(dh, dhOff), ga = runtime.addressOf(gates, gatesOff);
      const pa = runtime.addressOf(hiddenProj, hiddenProjOff), hpa = runtime.addressOf(hPrev, hPrevOff), wa = runtime.addressOf(packed, 0);
      if (n <= 0 || (dia | dhida | dhpa | dha | ga | pa | hpa | wa) < 0) {
        return gruStepBackwardOn(kernels, dGatesInput, dGatesInputOff, dGatesHidden, dGatesHiddenOff, dhPrev, dhPrevOff, dh, dhOff, gates, gatesOff, hiddenProj, hiddenProjOff, hPrev, hPrevOff, packed, n, H);
      }
      stepSpan('dhPrev', dhPrev, dhPrevOff, n * H); stepSpan('dh', dh, dhOff, n * H); stepSpan('hPrev', hPrev, hPrevOff, n * H);
      stepSpan('dGatesInput', dGatesInput, dGatesInputOff, n * 3 * H); stepSpan('dGatesHidden', dGatesHidden, dGatesHiddenOff, n * 3 * H);
      stepSpan('gates', gates, gatesOff, n * 3 * H); stepSpan('hiddenProj', hiddenProj, hiddenProjOff, n * 3 * H);
      stepSpan('packed W_hh', packed, 0, packedBFloats(H, 3 * H));
      step(STEP_GRU_BACKWARD, n, H, 3 * H, dhida, wa, 1, dhpa, dia, dha, ga, pa, hpa, 0, H);
    },

    sumRowsInto(acc, accOff, x, xOff, R, C) {
      const aa = runtime.addressOf(acc, accOff), xa = runtime.addressOf(x, xOff);
      if (aa < 0 || xa < 0) return referenceKernels.sumRowsInto(acc, accOff, x, xOff, R, C);
      wasm.sumRowsInto(aa, xa, R, C);
    },
  };
  return kernels;
}
