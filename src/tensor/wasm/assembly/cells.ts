// Fused recurrent cells in WebAssembly SIMD: one call per time step over n rows of H units, the same
// contracts as the reference kernels (src/tensor/kernels.ts). Arithmetic runs in float64, two units per
// f64x2, rounded to float32 at each store exactly like the reference; an odd last unit runs the same code
// on one lane, outside the pair loop, so that the loop's loads and stores carry no per-unit test (the *Units
// bodies are inlined with `scalar` constant).
import { load2 as ld, sigmoidD, store2 as st, tanhD } from './activations';

/**
 * The LSTM forward runs in blocks of CHUNK units: first each gate's activations, one transcendental per loop
 * iteration (with all five in one iteration V8 11.3 spills registers: 15% slower), kept in float64 in a scratch
 * area beside being stored as float32; then c and h from the float64 values, exactly as the reference does.
 * The calling thread's scratch lies between the static data and the heap (see heapBase), not in a data segment:
 * instantiating the module on the GEMM helper thread must not rewrite it. A helper thread that runs cells (a
 * recurrent step split by rows, gemmThreads.ts) passes its own CELL_SCRATCH_BYTES; 0 means the caller's.
 */
const CHUNK = 64;
export const CELL_SCRATCH_BYTES: usize = CHUNK * 4 * 8; // an odd block (< CHUNK) ends inside its gate's area

// @ts-ignore: decorator
@inline
function scratchBase(scratch: usize): usize {
  return scratch != 0 ? scratch : (__heap_base + 15) & ~<usize>15;
}

/** gates[n,4H]: pre-activations (i,f,g,o) in, activations out; c = f⊙cPrev + i⊙g; h = o⊙tanh(c). */
export function lstmCellForward(h: usize, c: usize, gates: usize, cPrev: usize, n: i32, H: i32, scratchAt: usize): void {
  const rowH = <usize>H << 2;
  for (let r = 0; r < n; r++) {
    const g = gates + <usize>r * 4 * rowH;
    const s = <usize>r * rowH;
    const scratch = scratchBase(scratchAt);
    for (let j0 = 0; j0 < H; j0 += CHUNK) {
      const w = min(CHUNK, H - j0);
      const o0 = <usize>j0 << 2;
      gateActivations(g + o0, scratch, w, true);
      gateActivations(g + rowH + o0, scratch + CHUNK * 8, w, true);
      gateActivations(g + 2 * rowH + o0, scratch + 2 * CHUNK * 8, w, false);
      gateActivations(g + 3 * rowH + o0, scratch + 3 * CHUNK * 8, w, true);
      let j = 0;
      for (; j + 2 <= w; j += 2) lstmStateUnits(h + s + o0, c + s + o0, cPrev + s + o0, scratch, j, false);
      if (j < w) lstmStateUnits(h + s + o0, c + s + o0, cPrev + s + o0, scratch, j, true);
    }
  }
}

/** One gate's w pre-activations at p → activations at keep as float64 and (inPlace) at p as float32. */
// @ts-ignore: decorator
@inline
function gateActivations(p: usize, keep: usize, w: i32, logistic: bool, inPlace: bool = true): void {
  let j = 0;
  for (; j + 2 <= w; j += 2) {
    const a = logistic ? sigmoidD(ld(p + (<usize>j << 2), false)) : tanhD(ld(p + (<usize>j << 2), false));
    if (inPlace) st(p + (<usize>j << 2), a, false);
    v128.store(keep + (<usize>j << 3), a);
  }
  if (j < w) {
    const a = logistic ? sigmoidD(ld(p + (<usize>j << 2), true)) : tanhD(ld(p + (<usize>j << 2), true));
    if (inPlace) st(p + (<usize>j << 2), a, true);
    v128.store(keep + (<usize>j << 3), a);
  }
}

// @ts-ignore: decorator
@inline
function lstmStateUnits(h: usize, c: usize, cPrev: usize, scratch: usize, j: i32, scalar: bool): void {
  const k = scratch + (<usize>j << 3), o = <usize>j << 2;
  const i = v128.load(k), f = v128.load(k + CHUNK * 8), cand = v128.load(k + 2 * CHUNK * 8), og = v128.load(k + 3 * CHUNK * 8);
  const cNew = f64x2.add(f64x2.mul(f, ld(cPrev + o, scalar)), f64x2.mul(i, cand));
  st(c + o, cNew, scalar);
  st(h + o, f64x2.mul(og, tanhD(cNew)), scalar);
}

export function lstmCellBackward(
  dGates: usize, dcPrev: usize, dh: usize, dc: usize, gates: usize, c: usize, cPrev: usize, n: i32, H: i32, scratchAt: usize,
): void {
  const rowH = <usize>H << 2;
  for (let r = 0; r < n; r++) {
    const g = gates + <usize>r * 4 * rowH;
    const dg = dGates + <usize>r * 4 * rowH;
    const s = <usize>r * rowH;
    const scratch = scratchBase(scratchAt);
    // In blocks like the forward: tanh(c) alone first (float64, in the scratch), then the gradients.
    for (let j0 = 0; j0 < H; j0 += CHUNK) {
      const w = min(CHUNK, H - j0);
      const o0 = <usize>j0 << 2;
      gateActivations(c + s + o0, scratch, w, false, false);
      let j = 0;
      for (; j + 2 <= w; j += 2) lstmBackwardUnits(dg + o0, dcPrev + s + o0, dh + s + o0, dc + s + o0, g + o0, scratch, cPrev + s + o0, rowH, j, false);
      if (j < w) lstmBackwardUnits(dg + o0, dcPrev + s + o0, dh + s + o0, dc + s + o0, g + o0, scratch, cPrev + s + o0, rowH, j, true);
    }
  }
}

// @ts-ignore: decorator
@inline
function lstmBackwardUnits(
  dg: usize, dcPrev: usize, dh: usize, dc: usize, g: usize, scratch: usize, cPrev: usize, rowH: usize, j: i32, scalar: bool,
): void {
  const one = f64x2.splat(1);
  const o = <usize>j << 2;
  const i = ld(g + o, scalar), f = ld(g + rowH + o, scalar), cand = ld(g + 2 * rowH + o, scalar), og = ld(g + 3 * rowH + o, scalar);
  const tc = v128.load(scratch + (<usize>j << 3));
  const dhj = ld(dh + o, scalar);
  const dcTotal = f64x2.add(ld(dc + o, scalar), f64x2.mul(f64x2.mul(dhj, og), f64x2.sub(one, f64x2.mul(tc, tc))));
  st(dg + o, f64x2.mul(f64x2.mul(f64x2.mul(dcTotal, cand), i), f64x2.sub(one, i)), scalar);
  st(dg + rowH + o, f64x2.mul(f64x2.mul(f64x2.mul(dcTotal, ld(cPrev + o, scalar)), f), f64x2.sub(one, f)), scalar);
  st(dg + 2 * rowH + o, f64x2.mul(f64x2.mul(dcTotal, i), f64x2.sub(one, f64x2.mul(cand, cand))), scalar);
  st(dg + 3 * rowH + o, f64x2.mul(f64x2.mul(f64x2.mul(dhj, tc), og), f64x2.sub(one, og)), scalar);
  st(dcPrev + o, f64x2.mul(dcTotal, f), scalar);
}

/** gates[n,3H]: input projection (r,z,n) in, activations out; hiddenProj[n,3H] read only. */
export function gruCellForward(h: usize, gates: usize, hiddenProj: usize, hPrev: usize, n: i32, H: i32, scratchAt: usize): void {
  const rowH = <usize>H << 2;
  for (let r = 0; r < n; r++) {
    const g = gates + <usize>r * 3 * rowH;
    const p = hiddenProj + <usize>r * 3 * rowH;
    const s = <usize>r * rowH;
    const scratch = scratchBase(scratchAt);
    // In blocks like the LSTM forward: both gates first, then the candidate and h from their float64 values.
    for (let j0 = 0; j0 < H; j0 += CHUNK) {
      const w = min(CHUNK, H - j0);
      const o0 = <usize>j0 << 2;
      gruGateActivations(g + o0, p + o0, scratch, w);
      gruGateActivations(g + rowH + o0, p + rowH + o0, scratch + CHUNK * 8, w);
      let j = 0;
      for (; j + 2 <= w; j += 2) gruStateUnits(h + s + o0, g + o0, p + o0, hPrev + s + o0, rowH, scratch, j, false);
      if (j < w) gruStateUnits(h + s + o0, g + o0, p + o0, hPrev + s + o0, rowH, scratch, j, true);
    }
  }
}

/** σ(g + p) for w units, in place at g as float32 and at keep as float64. */
// @ts-ignore: decorator
@inline
function gruGateActivations(g: usize, p: usize, keep: usize, w: i32): void {
  let j = 0;
  for (; j + 2 <= w; j += 2) {
    const o = <usize>j << 2;
    const a = sigmoidD(f64x2.add(ld(g + o, false), ld(p + o, false)));
    st(g + o, a, false);
    v128.store(keep + (<usize>j << 3), a);
  }
  if (j < w) {
    const o = <usize>j << 2;
    const a = sigmoidD(f64x2.add(ld(g + o, true), ld(p + o, true)));
    st(g + o, a, true);
    v128.store(keep + (<usize>j << 3), a);
  }
}

// @ts-ignore: decorator
@inline
function gruStateUnits(h: usize, g: usize, p: usize, hPrev: usize, rowH: usize, scratch: usize, j: i32, scalar: bool): void {
  const one = f64x2.splat(1);
  const k = scratch + (<usize>j << 3), o = <usize>j << 2;
  const reset = v128.load(k), update = v128.load(k + CHUNK * 8);
  const cand = tanhD(f64x2.add(ld(g + 2 * rowH + o, scalar), f64x2.mul(reset, ld(p + 2 * rowH + o, scalar))));
  st(g + 2 * rowH + o, cand, scalar);
  st(h + o, f64x2.add(f64x2.mul(f64x2.sub(one, update), cand), f64x2.mul(update, ld(hPrev + o, scalar))), scalar);
}

export function gruCellBackward(
  dGatesInput: usize, dGatesHidden: usize, dhPrev: usize, dh: usize, gates: usize, hiddenProj: usize, hPrev: usize, n: i32, H: i32,
): void {
  const rowH = <usize>H << 2;
  for (let r = 0; r < n; r++) {
    const g = gates + <usize>r * 3 * rowH;
    const p = hiddenProj + <usize>r * 3 * rowH;
    const di = dGatesInput + <usize>r * 3 * rowH;
    const dhid = dGatesHidden + <usize>r * 3 * rowH;
    const s = <usize>r * rowH;
    let j = 0;
    for (; j + 2 <= H; j += 2) gruBackwardUnits(di, dhid, dhPrev + s, dh + s, g, p, hPrev + s, rowH, <usize>j << 2, false);
    if (j < H) gruBackwardUnits(di, dhid, dhPrev + s, dh + s, g, p, hPrev + s, rowH, <usize>j << 2, true);
  }
}

// @ts-ignore: decorator
@inline
function gruBackwardUnits(
  di: usize, dhid: usize, dhPrev: usize, dh: usize, g: usize, p: usize, hPrev: usize, rowH: usize, o: usize, scalar: bool,
): void {
  const one = f64x2.splat(1);
  const reset = ld(g + o, scalar), update = ld(g + rowH + o, scalar), cand = ld(g + 2 * rowH + o, scalar);
  const dhj = ld(dh + o, scalar);
  const dCandPre = f64x2.mul(f64x2.mul(dhj, f64x2.sub(one, update)), f64x2.sub(one, f64x2.mul(cand, cand)));
  const dResetPre = f64x2.mul(f64x2.mul(f64x2.mul(dCandPre, ld(p + 2 * rowH + o, scalar)), reset), f64x2.sub(one, reset));
  const dUpdatePre = f64x2.mul(f64x2.mul(f64x2.mul(dhj, f64x2.sub(ld(hPrev + o, scalar), cand)), update), f64x2.sub(one, update));
  st(di + o, dResetPre, scalar);
  st(di + rowH + o, dUpdatePre, scalar);
  st(di + 2 * rowH + o, dCandPre, scalar);
  st(dhid + o, dResetPre, scalar);
  st(dhid + rowH + o, dUpdatePre, scalar);
  st(dhid + 2 * rowH + o, f64x2.mul(dCandPre, reset), scalar);
  st(dhPrev + o, f64x2.mul(dhj, update), scalar);
}

/** dPre = dh ⊙ (1 − h²): the tanh RNN cell's backward over n values (float64, one rounding, as the reference). */
export function rnnTanhCellBackward(dPre: usize, dh: usize, h: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) rnnTanhUnits(dPre, dh, h, <usize>i << 2, false);
  if (i < n) rnnTanhUnits(dPre, dh, h, <usize>i << 2, true);
}

// @ts-ignore: decorator
@inline
function rnnTanhUnits(dPre: usize, dh: usize, h: usize, o: usize, scalar: bool): void {
  const v = ld(h + o, scalar);
  st(dPre + o, f64x2.mul(ld(dh + o, scalar), f64x2.sub(f64x2.splat(1), f64x2.mul(v, v))), scalar);
}

/** dPre = dh where h > 0, else 0: the ReLU RNN cell's backward over n values. */
export function rnnReluCellBackward(dPre: usize, dh: usize, h: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dPre + o, v128.and(v128.load(dh + o), f32x4.gt(v128.load(h + o), f32x4.splat(0))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dPre + o, load<f32>(h + o) > 0 ? load<f32>(dh + o) : 0);
  }
}
