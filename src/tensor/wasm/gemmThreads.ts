import { CELL_SCRATCH_BYTES, GEMM_MR, GEMM_NR, PACK_A_FLOATS, PACK_B_FLOATS, PACK_B_TILE_OFFSET_BYTES, type KernelExports, type WasmRuntime } from './wasmRuntime';

/**
 * Splits one GEMM between the calling thread and helper threads sharing the same memory (startGemmHelperThread below).
 * Returns false when it declines (shape too small to pay for the hand-off), and the caller computes alone.
 */
export interface GemmSplitter {
  /** `bias`: address of a row added to C after the product, 0 for none. */
  tryGemm(
    transA: number, transB: number, M: number, N: number, K: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, bias: number,
  ): boolean;
  /** The same for gemmPackedB: op(B) is a packB buffer at `packed` (N columns, K rows). */
  tryGemmPackedB(
    transA: number, M: number, N: number, K: number, alpha: number,
    a: number, lda: number, packed: number, beta: number, c: number, ldc: number,
  ): boolean;
  /**
   * One recurrent time step (addresses; stepRows' arguments for all its rows), its rows split between the threads
   * or computed here alone, whichever the splitter measures faster; false when it is too small to consider.
   */
  tryStep(
    cell: number, M: number, N: number, K: number, a: number, b: number, beta: number, c: number,
    p0: number, p1: number, p2: number, p3: number, p4: number, p5: number, H: number,
  ): boolean;
}

/** What a helper thread attaches to: the wasm kernels' runtime, their pack buffers and the splitter hook (WasmKernels has them). */
export interface SplittableKernels {
  readonly runtime: WasmRuntime;
  /** Address of this thread's pack buffers (PACK_A_FLOATS then PACK_B_FLOATS floats). */
  readonly packA: number;
  readonly packB: number;
  setGemmSplitter(splitter: GemmSplitter | null): void;
}


/**
 * A second thread for large GEMMs and recurrent time steps. The helper instantiates the same module on the same
 * shared memory; the caller cuts C into a few stripes (by rows or columns, at micro-tile multiples; a time step by
 * rows, each stripe's cell run with its GEMM), publishes them in a small shared control block, and both threads
 * claim stripes until none is left. Claiming (rather than a fixed half
 * each) keeps a descheduled helper on a busy machine from stalling the caller: it just computes more stripes
 * itself. The call stays synchronous for the layers.
 *
 * Creating threads is the host's business, so the host passes a `spawn` that runs `GEMM_HELPER_SOURCE` (which
 * defines `start(init)`) in a new thread and calls `start` with the first message that thread receives — in
 * Node, an `eval` Worker whose script is `source` plus one line handing `parentPort`'s first message to
 * `start` (see src/train/gemmHelperNode.ts); in a browser, a Blob-URL Worker of `source + 'self.onmessage =
 * (e) => start(e.data);'`. This module uses no host API.
 */
export interface HelperThread {
  postMessage(message: unknown): void;
  terminate(): unknown;
}
export type SpawnHelperThread = (scriptSource: string) => HelperThread;

// Control block (Int32 slots). TICKET = generation·256 + next stripe: a claim is a compare-exchange on it, so a
// helper that read a previous generation's arguments can never claim a stripe of the current one.
const TICKET = 0, FINISHED = 1, QUIT = 2, STRIPES = 3, ARGS = 4;
// ARGS: transA, transB, byRows, first, stripe, length, K, alpha(f32), a, lda, b, ldb, beta(f32), c, ldc, otherSide,
// packed (1: b is a packB buffer of N columns, for gemmPackedB; 0: plain gemm), then for a recurrent time step (a
// packed GEMM by rows and the cell on the same rows): cell (0: none, else a STEP_* kind), six cell operands p0–p5
// (see stepRows), H; then bias (a row added to C after the product, 0 for none).
const ARG_COUNT = 26;
const SLOT_CELL = ARGS + 17;
const SLOT_ALPHA = ARGS + 7, SLOT_BETA = ARGS + 12, SLOT_BIAS = ARGS + 25;
const STRIPE_BITS = 8;

/** Step kinds (the `cell` argument of stepRows); 0 in the helper's control block means a plain GEMM. */
export const STEP_LSTM = 1, STEP_GRU = 2, STEP_LSTM_BACKWARD = 3, STEP_GRU_BACKWARD = 4;

/**
 * A recurrent step on rows [start, start + rows) (row-major, transA = 0): the rows' packed GEMM a·b → c (beta)
 * and their cell — forward (kinds 1, 2) cell after the GEMM hPrev(a)·W_hhᵀ → c, backward (3, 4) cell before the
 * GEMM dGatesHidden(a)·W_hh → dhPrev(c). Cell operands:
 * 1 LSTM: c gates; p0 h, p1 cell state, p2 cPrev.       2 GRU: c hidden projection; p0 h, p1 gates, p3 bias or 0.
 * 3 LSTM backward: a dGates; p0 dcPrev, p1 dh, p2 dc, p3 gates, p4 cell state, p5 cPrev.
 * 4 GRU backward: a dGatesHidden, c dhPrev; p0 dGatesInput, p1 dh, p2 gates, p3 hidden projection, p4 hPrev.
 * Row strides: H for states, lda/ldc for a and c, and a's (the gate width) for gate-wide operands. Every step runs
 * it: a lone thread on all rows (wasmKernels.ts), both threads of a split step on their stripes, each with its own
 * pack buffers and cell scratch (0: the caller's). The helper gets it as source text, so it uses nothing but its
 * arguments, and it lives beside claimStripes (an imported binding would not survive the trip).
 */
export function stepRows(
  wasm: Pick<KernelExports, 'gemmPackedB' | 'lstmCellForward' | 'gruCellForward' | 'lstmCellBackward' | 'gruCellBackward'>,
  cell: number, start: number, rows: number, p0: number, p1: number, p2: number, p3: number, p4: number, p5: number, H: number,
  N: number, K: number, a: number, lda: number, b: number, beta: number, c: number, ldc: number, packA: number, tile: number, scratch: number,
): void {
  const sH = start * H * 4, sA = start * lda * 4, sC = start * ldc * 4;
  if (cell === 3) wasm.lstmCellBackward(a + sA, p0 + sH, p1 + sH, p2 + sH, p3 + sA, p4 + sH, p5 + sH, rows, H, scratch);
  else if (cell === 4) wasm.gruCellBackward(p0 + sA, a + sA, c + sC, p1 + sH, p2 + sA, p3 + sA, p4 + sH, rows, H);
  // A GRU forward's b_hh (p3) is added in the GEMM's epilogue, not by a pass of its own.
  wasm.gemmPackedB(0, rows, N, K, 1, a + sA, lda, b, N, 0, beta, c + sC, ldc, packA, tile, cell === 2 ? p3 : 0);
  if (cell === 1) wasm.lstmCellForward(p0 + sH, p1 + sH, c + sC, p2 + sH, rows, H, scratch);
  else if (cell === 2) wasm.gruCellForward(p0 + sH, p1 + sC, c + sC, a + sA, rows, H, scratch);
}

/**
 * The stripe-claiming loop both threads run (the helper gets it as source text, the caller as a function).
 * Returns the number of stripes this thread computed.
 */
function claimStripes(
  ctl: Int32Array, f32: Float32Array, ticket: number,
  wasm: Parameters<typeof stepRows>[0] & Pick<KernelExports, 'gemm'>,
  packA: number, packB: number, edgeTile: number, scratch: number,
): number {
  const stripes = Atomics.load(ctl, 3);
  const args: number[] = [];
  for (let i = 0; i < 26; i++) args.push(Atomics.load(ctl, 4 + i));
  const alpha = f32[4 + 7], beta = f32[4 + 12];
  const [transA, transB, byRows, tile, stripe, length, K, , a, lda, b, ldb, , c, ldc, other, packed, cell, p0, p1, p2, p3, p4, p5, H, bias] = args;
  let done = 0;
  for (;;) {
    const index = ticket & 255;
    if (index >= stripes) return done;
    const seen = Atomics.compareExchange(ctl, 0, ticket, ticket + 1);
    if (seen !== ticket) {
      if (seen >>> 8 !== ticket >>> 8) return done; // a newer generation: these arguments are stale
      ticket = seen;
      continue;
    }
    ticket++;
    // Stripe `index` covers [start, end) of the split side, start a multiple of the micro-tile.
    const start = Math.min(length, index * stripe * tile);
    const end = index === stripes - 1 ? length : Math.min(length, (index + 1) * stripe * tile);
    if (end > start && packed) {
      // b is a packB buffer of `ldb` columns: a column stripe is a range of its panels (start is a multiple of NR).
      if (byRows) {
        if (cell !== 0) stepRows(wasm, cell, start, end - start, p0, p1, p2, p3, p4, p5, H, other, K, a, lda, b, beta, c, ldc, packA, edgeTile, scratch);
        else wasm.gemmPackedB(transA, end - start, other, K, alpha, a + (transA ? start : start * lda) * 4, lda, b, ldb, 0, beta, c + start * ldc * 4, ldc, packA, edgeTile, bias);
      } else {
        wasm.gemmPackedB(transA, other, end - start, K, alpha, a, lda, b, ldb, start, beta, c + start * 4, ldc, packA, edgeTile, bias && bias + start * 4);
      }
    } else if (end > start) {
      const gemm = wasm.gemm;
      if (byRows) {
        gemm(transA, transB, end - start, other, K, alpha, a + (transA ? start : start * lda) * 4, lda, b, ldb, beta, c + start * ldc * 4, ldc, packA, packB, bias);
      } else {
        gemm(transA, transB, other, end - start, K, alpha, a, lda, b + (transB ? start * ldb : start) * 4, ldb, beta, c + start * 4, ldc, packA, packB, bias && bias + start * 4);
      }
    }
    done++;
    Atomics.add(ctl, 1, 1);
    Atomics.notify(ctl, 1);
  }
}

/** The helper thread's script: defines `start(init)`; the host's spawner delivers the first message to it. */
export const GEMM_HELPER_SOURCE = `
'use strict';
const ${stepRows.name} = ${stepRows.toString()};
const claimStripes = ${claimStripes.toString()};
function start(init) {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const ctl = new Int32Array(init.control);
  const f32 = new Float32Array(init.control);
  const spinMs = init.spinMs;
  let generation = Atomics.load(ctl, ${TICKET}) >>> ${STRIPE_BITS};
  for (;;) {
    // Spin a little before sleeping: in a recurrent time loop the next GEMM comes within microseconds,
    // and a futex wake-up costs more than the stripe it would hand over.
    let ticket = Atomics.load(ctl, ${TICKET});
    if (ticket >>> ${STRIPE_BITS} === generation && Atomics.load(ctl, ${QUIT}) === 0) {
      const until = performance.now() + spinMs;
      for (let i = 0; ; i++) {
        ticket = Atomics.load(ctl, ${TICKET});
        if (ticket >>> ${STRIPE_BITS} !== generation) break;
        if ((i & 255) === 0 && performance.now() > until) {
          Atomics.wait(ctl, ${TICKET}, ticket);
          ticket = Atomics.load(ctl, ${TICKET});
          break;
        }
      }
    }
    if (Atomics.load(ctl, ${QUIT}) !== 0) break;
    generation = ticket >>> ${STRIPE_BITS};
    claimStripes(ctl, f32, ticket, instance.exports, init.packA, init.packB, init.packB + ${PACK_B_TILE_OFFSET_BYTES}, init.scratch);
  }
}
`;

/**
 * GEMMs below this many multiply-adds always run on one thread: the recurrent step GEMMs of H=64 models
 * (32·256·64 ≈ 0.5 M, ≈ 40 µs) are too short to hand half over. Larger ones are split when it pays (below).
 */
export const DEFAULT_SPLIT_THRESHOLD = 1 << 20;

/**
 * A recurrent step hands over its GEMM and its cell together, so the rows split once per step: from H = 32
 * with 16 rows (16·128·32 multiply-adds) up, and then only where its chooser measures it faster.
 */
export const DEFAULT_STEP_SPLIT_THRESHOLD = 1 << 16;

/**
 * Whether splitting pays depends on whether the second core is free, which on a shared machine changes by the
 * second. So the splitter keeps, per size class (⌊log2 multiply-adds⌋), the last SAMPLES costs per multiply-add
 * of split and of lone calls and runs the way whose median is lower (a median, because a split call whose helper
 * was preempted for a moment costs several times the usual). Now and then it tries the other way for TRY_CALLS
 * calls in a row, measured without the first of them (a helper that slept since its last stripe pays a futex
 * wake-up on it, which splitting every call never pays) and replacing that way's older samples (it is news about
 * the machine now). Tries come every EXPLORE_EVERY calls of the class at first, twice as rarely after each try
 * that loses (up to EXPLORE_RARELY), and every EXPLORE_EVERY again after one that wins: a try of splitting while
 * another process holds the second core can stall the caller for a time slice.
 */
const SAMPLES = 8;
const TRY_CALLS = 4;
const EXPLORE_EVERY = 16;
const EXPLORE_RARELY = 1024;

/** Chooses per size class between splitting and computing alone, from measured costs. */
export class SplitChooser {
  /** Per class and way (index 2·class + split), a ring of the last SAMPLES costs. */
  private readonly samples = new Float64Array(128 * SAMPLES);
  private readonly sampleCount = new Uint8Array(128);
  private readonly sampleNext = new Uint8Array(128);
  private readonly sorted = new Float64Array(SAMPLES);
  private readonly calls = new Int32Array(64);
  private readonly interval = new Int32Array(64).fill(EXPLORE_EVERY);
  /** Calls of the current try still to record (0: no try running), and whether it splits. */
  private readonly tryLeft = new Uint8Array(64);
  private readonly trySplit = new Uint8Array(64);

  /** True to split this GEMM of `work` multiply-adds, false to compute it alone. */
  chooseSplit(work: number): boolean {
    const c = SplitChooser.sizeClass(work);
    if (this.tryLeft[c] > 0) return this.trySplit[c] === 1;
    // A new class: try splitting, then alone.
    if (this.sampleCount[2 * c + 1] === 0) return this.startTry(c, true);
    if (this.sampleCount[2 * c] === 0) return this.startTry(c, false);
    const better = this.median(2 * c + 1) <= this.median(2 * c);
    return ++this.calls[c] % this.interval[c] === 0 ? this.startTry(c, !better) : better;
  }

  /** Record that a GEMM of `work` multiply-adds took `milliseconds`, split or alone. */
  record(work: number, split: boolean, milliseconds: number): void {
    const c = SplitChooser.sizeClass(work);
    const way = 2 * c + (split ? 1 : 0);
    if (this.tryLeft[c] === 0 || (this.trySplit[c] === 1) !== split) {
      this.push(way, milliseconds / work);
      return;
    }
    const left = --this.tryLeft[c];
    if (left === TRY_CALLS - 1) return; // the try's first call: maybe a cold helper
    if (left === TRY_CALLS - 2) this.sampleCount[way] = 0;
    this.push(way, milliseconds / work);
    if (left > 0) return;
    const won = this.median(way) <= this.median(way ^ 1);
    this.interval[c] = won ? EXPLORE_EVERY : Math.min(EXPLORE_RARELY, this.interval[c] * 2);
    this.calls[c] = 0;
  }

  private startTry(c: number, split: boolean): boolean {
    this.tryLeft[c] = TRY_CALLS;
    this.trySplit[c] = split ? 1 : 0;
    return split;
  }

  private push(way: number, cost: number): void {
    const at = this.sampleCount[way] < SAMPLES ? this.sampleCount[way]++ : this.sampleNext[way];
    this.samples[way * SAMPLES + at] = cost;
    this.sampleNext[way] = (at + 1) % SAMPLES;
  }

  /** Median of a way's samples (+∞ with none: a way never measured never wins a comparison). */
  private median(way: number): number {
    const n = this.sampleCount[way];
    if (n === 0) return Infinity;
    const sorted = this.sorted;
    for (let i = 0; i < n; i++) {
      const v = this.samples[way * SAMPLES + i];
      let j = i;
      for (; j > 0 && sorted[j - 1] > v; j--) sorted[j] = sorted[j - 1];
      sorted[j] = v;
    }
    return n % 2 === 1 ? sorted[n >> 1] : (sorted[(n >> 1) - 1] + sorted[n >> 1]) / 2;
  }

  private static sizeClass(work: number): number {
    return Math.min(63, Math.floor(Math.log2(Math.max(work, 1))));
  }
}

export interface GemmHelper {
  /** Stop the helper thread and let the backend compute alone again. */
  stop(): void;
  /** GEMMs split so far (benchmarks report it). */
  readonly splits: number;
  /** Stripes of split GEMMs the helper computed (the rest were computed by the calling thread). */
  readonly helperStripes: number;
  /** Stripes of all split GEMMs so far. */
  readonly stripes: number;
  /** False: every GEMM runs on the calling thread, the helper stays idle (benchmarks alternate both ways). */
  enabled: boolean;
}

export interface GemmHelperOptions {
  /** Multiply-adds from which a GEMM is split (default DEFAULT_SPLIT_THRESHOLD). */
  threshold?: number;
  /** Multiply-adds of its GEMM from which a recurrent step (GEMM and cell) is split (default DEFAULT_STEP_SPLIT_THRESHOLD). */
  stepThreshold?: number;
  /** Stripes per split GEMM (default 4: small enough that a late helper costs little, large enough to pack once). */
  stripes?: number;
  /** Milliseconds the idle helper polls before sleeping (default 0.25: about one recurrent step). */
  spinMs?: number;
  /** Split every GEMM above the threshold instead of choosing by measured cost (tests use it). */
  alwaysSplit?: boolean;
}

/** Attach one helper thread to `kernels`: from now on large GEMMs are split between the caller and the helper. */
export function startGemmHelperThread(kernels: SplittableKernels, spawn: SpawnHelperThread, options: GemmHelperOptions | number = {}): GemmHelper {
  const { threshold = DEFAULT_SPLIT_THRESHOLD, stepThreshold = DEFAULT_STEP_SPLIT_THRESHOLD, stripes = 4, spinMs = 0.25, alwaysSplit = false } =
    typeof options === 'number' ? { threshold: options } : options;
  const runtime = kernels.runtime;
  const control = new SharedArrayBuffer((ARGS + ARG_COUNT) * 4);
  const ctl = new Int32Array(control);
  const f32 = new Float32Array(control);
  const packA = runtime.allocBytes(PACK_A_FLOATS * 4);
  const packB = runtime.allocBytes(PACK_B_FLOATS * 4);
  const scratch = runtime.allocBytes(CELL_SCRATCH_BYTES);
  if (packA < 0 || packB < 0 || scratch < 0) throw new RangeError('gemm helper: no room for pack buffers in wasm memory');
  const thread = spawn(GEMM_HELPER_SOURCE);
  thread.postMessage({ module: runtime.module, memory: runtime.memory, control, packA, packB, scratch, spinMs });
  const wasm = runtime.exports;
  const gemm = wasm.gemm as (...args: number[]) => void;
  const edgeTile = kernels.packB + PACK_B_TILE_OFFSET_BYTES;
  let splits = 0, ownStripes = 0, totalStripes = 0;
  let generation = 0;
  const chooser = new SplitChooser();
  // Prepacked GEMMs skip the B packing, so they cost less per multiply-add: measured apart.
  const packedChooser = new SplitChooser();
  // Recurrent steps (GEMM and cell) apart too, one chooser per kind (index: STEP_* − 1): at the same GEMM size
  // an LSTM's forward step costs about twice its backward step (the forward cell evaluates five activations).
  const stepChoosers = Array.from({ length: STEP_GRU_BACKWARD }, () => new SplitChooser());
  let enabled = true;

  /**
   * Compute the GEMM in stripes shared with the helper; false when C is too narrow to cut. `cell` (a recurrent
   * step, by rows): its step slots are already filled.
   */
  function splitGemm(transA: number, transB: number, M: number, N: number, K: number, alpha: number, a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, bias: number, packed = 0, cell = 0): boolean {
    const byRows = cell !== 0 || M >= N;
    const tile = byRows ? GEMM_MR : GEMM_NR;
    const length = byRows ? M : N;
    const tiles = Math.ceil(length / tile);
    const count = Math.min(stripes, tiles);
    if (count < 2) return false;
    const stripeTiles = Math.ceil(tiles / count);
    const used = Math.ceil(tiles / stripeTiles);
    generation = (generation + 1) & 0x7fffff;
    ctl.set([transA, transB, byRows ? 1 : 0, tile, stripeTiles, length, K, 0, a, lda, b, ldb, 0, c, ldc, byRows ? N : M, packed], ARGS);
    ctl[SLOT_CELL] = cell;
    ctl[SLOT_BIAS] = bias;
    f32[SLOT_ALPHA] = alpha;
    f32[SLOT_BETA] = beta;
    Atomics.store(ctl, STRIPES, used);
    Atomics.store(ctl, FINISHED, 0);
    const ticket = generation << STRIPE_BITS;
    Atomics.store(ctl, TICKET, ticket);
    Atomics.notify(ctl, TICKET);
    ownStripes += claimStripes(ctl, f32, ticket, wasm, kernels.packA, kernels.packB, edgeTile, 0);
    // Whatever is left is being computed by the helper: poll briefly, then sleep until it reports.
    for (let spin = 0; spin < 20000 && Atomics.load(ctl, FINISHED) < used; spin++);
    for (let f = Atomics.load(ctl, FINISHED); f < used; f = Atomics.load(ctl, FINISHED)) Atomics.wait(ctl, FINISHED, f, 50);
    totalStripes += used;
    splits++;
    return true;
  }

  /**
   * Runs one GEMM split or alone, as its chooser decides (plain and prepacked GEMMs learn apart), and teaches the
   * chooser the time taken; false (nothing done) when it is too small to split or C too narrow to cut.
   * `packed`: b is a packB buffer whose width (N) travels in the ldb slot.
   */
  function runChosen(packed: 0 | 1, transA: number, transB: number, M: number, N: number, K: number, alpha: number, a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, bias: number): boolean {
    const work = M * N * Math.max(K, 1);
    if (!enabled || work < threshold) return false;
    if (alwaysSplit) return splitGemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, bias, packed);
    const sizeChooser = packed ? packedChooser : chooser;
    const split = sizeChooser.chooseSplit(work);
    const started = performance.now();
    if (split) {
      if (!splitGemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, bias, packed)) return false;
    } else if (packed) {
      wasm.gemmPackedB(transA, M, N, K, alpha, a, lda, b, ldb, 0, beta, c, ldc, kernels.packA, edgeTile, bias);
    } else {
      gemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, kernels.packA, kernels.packB, bias);
    }
    sizeChooser.record(work, split, performance.now() - started);
    return true;
  }

  /**
   * One recurrent time step on M rows — the cell (p0–p5, see stepRows) and gemmPackedB of a [M,K] by the packed
   * b [K,N] into c (beta) — split by rows when its chooser says it pays, else here alone; false (nothing done)
   * below the threshold.
   */
  function runStep(
    cell: number, M: number, N: number, K: number, a: number, b: number, beta: number, c: number,
    p0: number, p1: number, p2: number, p3: number, p4: number, p5: number, H: number,
  ): boolean {
    const work = M * N * K;
    if (!enabled || work < stepThreshold) return false;
    const stepChooser = stepChoosers[cell - 1];
    const split = alwaysSplit || stepChooser.chooseSplit(work);
    const started = performance.now();
    if (split) {
      ctl[SLOT_CELL + 1] = p0; ctl[SLOT_CELL + 2] = p1; ctl[SLOT_CELL + 3] = p2;
      ctl[SLOT_CELL + 4] = p3; ctl[SLOT_CELL + 5] = p4; ctl[SLOT_CELL + 6] = p5; ctl[SLOT_CELL + 7] = H;
      if (!splitGemm(0, 1, M, N, K, 1, a, K, b, N, beta, c, N, 0, 1, cell)) return false;
    } else {
      stepRows(wasm, cell, 0, M, p0, p1, p2, p3, p4, p5, H, N, K, a, K, b, beta, c, N, kernels.packA, edgeTile, 0);
    }
    if (!alwaysSplit) stepChooser.record(work, split, performance.now() - started);
    return true;
  }

  const splitter: GemmSplitter = {
    tryGemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, bias) {
      return runChosen(0, transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, bias);
    },
    tryGemmPackedB(transA, M, N, K, alpha, a, lda, packed, beta, c, ldc) {
      return runChosen(1, transA, 0, M, N, K, alpha, a, lda, packed, N, beta, c, ldc, 0);
    },
    tryStep: runStep,
  };
  kernels.setGemmSplitter(splitter);

  return {
    stop() {
      kernels.setGemmSplitter(null);
      Atomics.store(ctl, QUIT, 1);
      Atomics.add(ctl, TICKET, 1 << STRIPE_BITS);
      Atomics.notify(ctl, TICKET);
      thread.terminate();
    },
    get splits() {
      return splits;
    },
    get helperStripes() {
      return totalStripes - ownStripes;
    },
    get stripes() {
      return totalStripes;
    },
    get enabled() {
      return enabled;
    },
    set enabled(on: boolean) {
      enabled = on;
    },
  };
}
