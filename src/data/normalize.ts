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
    if (rowCount < 1) throw new Error('ZScore.fit: no rows to fit on');
    const running = Array.from({ length: columnCount }, () => new RunningStatistics());
    for (let row = 0; row < rowCount; row++) {
      for (let k = 0; k < columnCount; k++) running[k].add(table[row * columnCount + k]);
    }
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
    if (rowCount < 2) throw new Error('ZScore.fitChanges: need two rows to see a change');
    const scale = new Float64Array(columnCount);
    for (let row = 1; row < rowCount; row++) {
      for (let k = 0; k < columnCount; k++) {
        const d = table[row * columnCount + k] - table[(row - 1) * columnCount + k];
        scale[k] += d * d;
      }
    }
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
