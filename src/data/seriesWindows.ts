/**
 * Sliding windows over one series table: the one place where a forecasting window becomes a batch row.
 * The table is [N,C] float32 (already normalised); window e of a split is rows [first+e, first+e+W) of the input
 * columns, and its targets are the target columns at rows first+e+W-1+h for h = 1..Hz, laid out [Hz,K].
 * No window exists as an array of its own: a split is a start offset and a count over the shared table.
 * With `relativeScale` (normalize "last-value") the table holds original values and each window is written
 * relative to its own last row, times the column's scale: inputs (x[t] − x[last])/s, targets (y[last+h] − y[last])/s,
 * and the batch's `anchors` get y[last], so the inverse (v·s + y[last]) is the original value again.
 * With `perStep` (regress-per-step, Hz = 0) the targets are the target columns of the window's own rows, [W,K].
 */
import type { Batch } from './types';
import type { BatchFields, Example, ExampleStore } from './batching';

export interface SeriesWindowShape {
  /** W: input steps per window. */
  window: number;
  /** Hz: steps ahead predicted (0 with `perStep`). */
  horizon: number;
  /** Targets at every row of the window ([W,K] per example), not after it. */
  perStep?: boolean;
  /** C: columns of the table. */
  columnCount: number;
  /** [I] table columns read as inputs, [K] table columns predicted. */
  inputColumns: Int32Array;
  targetColumns: Int32Array;
  /** [C] 1/s per column: windows relative to their last row (the table then holds original values). */
  relativeScale?: Float64Array;
}

export class SeriesWindowStore implements ExampleStore {
  readonly fields: BatchFields;
  /** Windows relative to their own last row do not continue one another: no stateful chunking over them. */
  readonly slidingWindows: boolean;

  constructor(
    /** [N,C] row-major, normalised. Shared by the train, validation and test stores. */
    readonly table: Float32Array,
    readonly shape: SeriesWindowShape,
    /** Window index (= first row) of this split's example 0. */
    readonly firstWindow: number,
    readonly count: number,
  ) {
    this.fields = { inputs: shape.inputColumns.length, targets: this.targetRows() * shape.targetColumns.length };
    if (shape.relativeScale) this.fields.anchors = shape.targetColumns.length;
    this.slidingWindows = !shape.relativeScale;
  }

  length(): number {
    return this.shape.window;
  }

  /** Rows of targets per window: the horizon after it, or every row of it. */
  private targetRows(): number {
    return this.shape.perStep ? this.shape.window : this.shape.horizon;
  }

  targetLength(): number {
    return 0;
  }

  write(i: number, batch: Batch, b: number): void {
    const { window: W, columnCount: C, inputColumns, relativeScale } = this.shape;
    const table = this.table;
    const I = inputColumns.length;
    const first = this.firstWindow + i;
    const inputs = batch.inputs!;
    const T = batch.steps;
    if (relativeScale) {
      // Differences of float32 values are exact in float64 and rounded once: the inverse is exact to that rounding.
      const last = (first + W - 1) * C;
      for (let t = 0; t < W; t++) {
        const row = (first + t) * C;
        const to = (b * T + t) * I;
        for (let c = 0; c < I; c++) inputs[to + c] = (table[row + inputColumns[c]] - table[last + inputColumns[c]]) * relativeScale[inputColumns[c]];
      }
    } else {
      for (let t = 0; t < W; t++) {
        const row = (first + t) * C;
        const to = (b * T + t) * I;
        for (let c = 0; c < I; c++) inputs[to + c] = table[row + inputColumns[c]];
      }
    }
    this.writeTargets(i, b, batch.targets!, batch.anchors);
  }

  /**
   * Window i's targets into row b of `targets` ([·,Hz·K]), and with relative windows its last target values into
   * row b of `anchors` ([·,K]); `persistence` ([·,Hz·K]), when given, gets the persistence forecast: the last
   * observed value of each target, repeated per horizon step (a change of 0 when windows are relative to it).
   * What the batches and the baselines read, without the inputs.
   */
  writeTargets(i: number, b: number, targets: Float32Array, anchors?: Float32Array, persistence?: Float32Array): void {
    const { window: W, columnCount: C, targetColumns, relativeScale } = this.shape;
    const table = this.table;
    const K = targetColumns.length;
    const first = this.firstWindow + i;
    const last = (first + W - 1) * C;
    // Forecast: the Hz rows after the window; per step (never relative): the W rows of the window itself.
    const rows = this.targetRows();
    const offset = this.shape.perStep ? 0 : W;
    for (let h = 0; h < rows; h++) {
      const row = (first + offset + h) * C;
      const to = b * rows * K + h * K;
      for (let k = 0; k < K; k++) {
        const column = targetColumns[k];
        if (relativeScale) {
          targets[to + k] = (table[row + column] - table[last + column]) * relativeScale[column];
          if (persistence) persistence[to + k] = 0;
        } else {
          targets[to + k] = table[row + column];
          if (persistence) persistence[to + k] = table[last + column];
        }
      }
    }
    if (relativeScale) for (let k = 0; k < K; k++) anchors![b * K + k] = table[last + targetColumns[k]];
  }

  example(i: number): Example {
    const { window: W, horizon: Hz, targetColumns } = this.shape;
    const I = this.shape.inputColumns.length;
    const K = targetColumns.length;
    const inputs = new Float32Array(W * I); // [W,I]
    const targets = new Float32Array(this.targetRows() * K); // [Hz,K] or [W,K]
    const anchors = this.shape.relativeScale ? new Float32Array(K) : undefined;
    const batch = { size: 1, steps: W, inputs, targets, anchors, lengths: new Int32Array(1), indices: new Int32Array(1) };
    this.write(i, batch, 0);
    if (this.shape.perStep) return { length: W, inputs, targets };
    const persistence = new Float32Array(Hz * K);
    this.writeTargets(i, 0, targets, anchors, persistence);
    return anchors ? { length: W, inputs, targets, persistence, anchors } : { length: W, inputs, targets, persistence };
  }
}
