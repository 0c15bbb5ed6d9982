/**
 * Per-column z-score normalisation. Fitted on the training rows only: fitting on all rows would leak the
 * validation period's level and spread into training (the tutorial's normalisation pitfall).
 */
export class ZScore {
  constructor(
    /** [K] column means. */
    readonly mean: Float64Array,
    /** [K] column standard deviations (population; 1 for constant columns, so they map to 0, not NaN). */
    readonly std: Float64Array,
  ) {}

  /** Fits on rows [0, rowCount) of a row-major [N,K] table. */
  static fit(table: Float64Array, columnCount: number, rowCount: number): ZScore {
    const mean = new Float64Array(columnCount);
    const std = new Float64Array(columnCount);
    if (rowCount < 1) throw new Error('ZScore.fit: no rows to fit on');
    for (let row = 0; row < rowCount; row++) {
      for (let k = 0; k < columnCount; k++) mean[k] += table[row * columnCount + k];
    }
    for (let k = 0; k < columnCount; k++) mean[k] /= rowCount;
    for (let row = 0; row < rowCount; row++) {
      for (let k = 0; k < columnCount; k++) {
        const d = table[row * columnCount + k] - mean[k];
        std[k] += d * d;
      }
    }
    for (let k = 0; k < columnCount; k++) {
      const s = Math.sqrt(std[k] / rowCount);
      std[k] = s > 1e-12 ? s : 1;
    }
    return new ZScore(mean, std);
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
