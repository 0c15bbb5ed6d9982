/**
 * Per-column z-score normalisation. Fitted on the training rows only: fitting on all rows would leak the
 * validation period's level and spread into training (the tutorial's normalisation pitfall).
 */
import { RunningStatistics } from './runningStatistics';

export class ZScore {
  constructor(
    /** [K] column means. */
    readonly mean: Float64Array,
    /** [K] column standard deviations (population; 1 for constant columns, so they map to 0, not NaN). */
    readonly std: Float64Array,
  ) {}

  /**
   * Fits on rows [0, rowCount) of a row-major [N,K] table in one streaming pass (Welford's update in float64, as
   * `RunningStatistics`): no second pass over the rows and no copy of the table, however large the split.
   */
  static fit(table: ArrayLike<number>, columnCount: number, rowCount: number): ZScore {
    return ZScore.fitRows((visit) => visit(table), columnCount, rowCount);
  }

  /**
   * `fit` over a table handed out in order as chunks of whole rows: the same updates in the same order, so a
   * table streamed from disk (the data cache) gets the same statistics to the bit.
   */
  static fitRows(eachRows: RowChunks, columnCount: number, rowCount: number): ZScore {
    if (rowCount < 1) throw new Error('ZScore.fit: no rows to fit on');
    const running = Array.from({ length: columnCount }, () => new RunningStatistics());
    forRows(eachRows, columnCount, rowCount, (rows, row) => {
      for (let k = 0; k < columnCount; k++) running[k].add(rows[row * columnCount + k]);
    });
    const mean = new Float64Array(columnCount);
    const std = new Float64Array(columnCount);
    running.forEach((r, k) => {
      const statistics = r.result('');
      mean[k] = statistics.mean;
      std[k] = statistics.std > 1e-12 ? statistics.std : 1;
    });
    return new ZScore(mean, std);
  }

  /**
   * For windows taken relative to their last value (`normalize: "last-value"`): no shift, and a scale per column
   * equal to the root-mean-square of its one-step changes over rows [0, rowCount) — the size of what the model
   * reads and predicts there. Constant columns get 1.
   */
  static fitChanges(table: ArrayLike<number>, columnCount: number, rowCount: number): ZScore {
    return ZScore.fitChangesRows((visit) => visit(table), columnCount, rowCount);
  }

  /** `fitChanges` over chunks of whole rows (see `fitRows`). */
  static fitChangesRows(eachRows: RowChunks, columnCount: number, rowCount: number): ZScore {
    if (rowCount < 2) throw new Error('ZScore.fitChanges: need two rows to see a change');
    const scale = new Float64Array(columnCount);
    const previous = new Float64Array(columnCount);
    let first = true;
    forRows(eachRows, columnCount, rowCount, (rows, row) => {
      for (let k = 0; k < columnCount; k++) {
        const value = rows[row * columnCount + k];
        if (!first) {
          const d = value - previous[k];
          scale[k] += d * d;
        }
        previous[k] = value;
      }
      first = false;
    });
    for (let k = 0; k < columnCount; k++) {
      const s = Math.sqrt(scale[k] / (rowCount - 1));
      scale[k] = s > 1e-12 ? s : 1;
    }
    return new ZScore(new Float64Array(columnCount), scale);
  }

  get columnCount(): number {
    return this.mean.length;
  }

  normalize(value: number, column: number): number {
    return (value - this.mean[column]) / this.std[column];
  }

  denormalize(value: number, column: number): number {
    return value * this.std[column] + this.mean[column];
  }

  /** In place, on a row-major [N,K] table. */
  normalizeTable(table: Float64Array | Float32Array): void {
    const K = this.columnCount;
    for (let i = 0; i < table.length; i++) table[i] = this.normalize(table[i], i % K);
  }

  toJSON(): { mean: number[]; std: number[] } {
    return { mean: [...this.mean], std: [...this.std] };
  }

  /** The inverse of `toJSON` (statistics saved with a run). */
  static fromJSON(json: { mean: readonly number[]; std: readonly number[] }): ZScore {
    return new ZScore(Float64Array.from(json.mean), Float64Array.from(json.std));
  }
}

/** A table handed out in order as chunks of whole rows: `eachRows(visit)` calls `visit` once per chunk. */
export type RowChunks = (visit: (rows: ArrayLike<number>) => void) => void;

/** Calls `each(rows, row)` for rows [0, rowCount) of the chunked table, in order. */
function forRows(eachRows: RowChunks, columnCount: number, rowCount: number, each: (rows: ArrayLike<number>, row: number) => void): void {
  let seen = 0;
  eachRows((rows) => {
    const inChunk = Math.min(rows.length / columnCount, rowCount - seen);
    for (let row = 0; row < inChunk; row++) each(rows, row);
    seen += Math.max(0, inChunk);
  });
}
