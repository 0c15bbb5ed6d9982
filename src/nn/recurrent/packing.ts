import { kernels } from '../../tensor';

/**
 * The packed-sequence layout, exactly `pack_padded_sequence(enforce_sorted=False)`: sequences are sorted by
 * length (longest first, ties by batch index), and time step t holds the first batchSizes[t] of them, the
 * ones still running. Packed row `offsets[t] + r` is sequence `order[r]` at time t; there are no rows for
 * padding, so no computation ever touches it.
 */
export class PackedBatchPlan {
  readonly batch: number; //       B
  readonly time: number; //        T
  /** order[r] = original batch index of the r-th longest sequence. */
  readonly order: Int32Array; //   [B]
  /** rankOf[b] = position of original sequence b in the sorted order. */
  readonly rankOf: Int32Array; //  [B]
  readonly sortedLengths: Int32Array; // [B], descending
  readonly batchSizes: Int32Array; //   [T], sequences active at each step (non-increasing)
  readonly offsets: Int32Array; //      [T+1], first packed row of each step; offsets[T] = total rows
  totalRows = 0; //                      N = Σ lengths

  constructor(batch: number, time: number) {
    this.batch = batch;
    this.time = time;
    this.order = new Int32Array(batch);
    this.rankOf = new Int32Array(batch);
    this.sortedLengths = new Int32Array(batch);
    this.batchSizes = new Int32Array(time);
    this.offsets = new Int32Array(time + 1);
  }

  /** Re-plan in place for new lengths (all T when absent). Throws on a length outside [1, T]. */
  plan(op: string, lengths: ArrayLike<number> | undefined): void {
    const B = this.batch, T = this.time;
    if (lengths && lengths.length !== B) throw new Error(`${op}: ${lengths.length} lengths for a batch of ${B}`);
    for (let b = 0; b < B; b++) {
      const length = lengths ? lengths[b] : T;
      if (!Number.isInteger(length) || length < 1 || length > T) {
        throw new Error(`${op}: lengths[${b}] = ${length} must be an integer in [1, ${T}] (the input's time dimension)`);
      }
    }
    // Stable insertion sort by descending length: B is small and this allocates nothing.
    for (let b = 0; b < B; b++) {
      const length = lengths ? lengths[b] : T;
      let r = b;
      while (r > 0 && this.sortedLengths[r - 1] < length) {
        this.sortedLengths[r] = this.sortedLengths[r - 1];
        this.order[r] = this.order[r - 1];
        r--;
      }
      this.sortedLengths[r] = length;
      this.order[r] = b;
    }
    for (let r = 0; r < B; r++) this.rankOf[this.order[r]] = r;
    let active = B;
    this.offsets[0] = 0;
    for (let t = 0; t < T; t++) {
      while (active > 0 && this.sortedLengths[active - 1] <= t) active--;
      this.batchSizes[t] = active;
      this.offsets[t + 1] = this.offsets[t] + active;
    }
    this.totalRows = this.offsets[T];
  }

  /** Packed row of sequence rank r at time t (caller guarantees t < its length). */
  row(t: number, r: number): number {
    return this.offsets[t] + r;
  }
}

/**
 * dst[row i, 0..width) = src[row i, 0..width) for `rows` rows with independent row strides, by the active
 * backend (one memmove per row in wasm memory). Rows must not overlap (they never do: packing moves data between
 * distinct workspaces).
 */
export function copyRows(
  dst: Float32Array, dstOff: number, dstStride: number,
  src: Float32Array, srcOff: number, srcStride: number,
  rows: number, width: number,
): void {
  kernels().copyRows(dst, dstOff, dstStride, src, srcOff, srcStride, rows, width);
}

/**
 * Length of the run of sorted ranks from r (below bs) whose original batch indices are consecutive (order[r+i] =
 * order[r] + i): their batch-first rows at one step are T·W apart, so a run is one strided copy. With equal
 * lengths the order is the identity and a step is a single run.
 */
function consecutiveRun(plan: PackedBatchPlan, r: number, bs: number): number {
  let k = 1;
  while (r + k < bs && plan.order[r + k] === plan.order[r] + k) k++;
  return k;
}

/** Batch-first [B,T,W] → packed [N,W] (only real steps are read). */
export function packBatchFirst(packed: Float32Array, x: Float32Array, plan: PackedBatchPlan, W: number): void {
  const T = plan.time;
  for (let t = 0; t < T; t++) {
    const off = plan.offsets[t];
    for (let r = 0, k = 0; r < plan.batchSizes[t]; r += k) {
      k = consecutiveRun(plan, r, plan.batchSizes[t]);
      copyRows(packed, (off + r) * W, W, x, (plan.order[r] * T + t) * W, T * W, k, W);
    }
  }
}

/** Packed [N,W] → batch-first [B,T,W], writing exact zeros at every padded step (and only there). */
export function unpackBatchFirst(x: Float32Array, packed: Float32Array, plan: PackedBatchPlan, W: number): void {
  const T = plan.time;
  for (let t = 0; t < T; t++) {
    const bs = plan.batchSizes[t], off = plan.offsets[t];
    for (let r = 0, k = 0; r < bs; r += k) {
      k = consecutiveRun(plan, r, bs);
      copyRows(x, (plan.order[r] * T + t) * W, T * W, packed, (off + r) * W, W, k, W);
    }
  }
  for (let r = 0; r < plan.batch; r++) {
    const b = plan.order[r];
    x.fill(0, (b * T + plan.sortedLengths[r]) * W, (b + 1) * T * W);
  }
}

/** [S,B,H] in original batch order → [S,B,H] in sorted order (or back with `toSorted` false). */
export function permuteStates(dst: Float32Array, src: Float32Array, plan: PackedBatchPlan, slices: number, H: number, toSorted: boolean): void {
  const B = plan.batch;
  for (let s = 0; s < slices; s++) {
    for (let r = 0; r < B; r++) {
      const b = plan.order[r];
      const sortedRow = (s * B + r) * H, originalRow = (s * B + b) * H;
      if (toSorted) copyRows(dst, sortedRow, 0, src, originalRow, 0, 1, H);
      else copyRows(dst, originalRow, 0, src, sortedRow, 0, 1, H);
    }
  }
}
