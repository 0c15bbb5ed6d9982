import type { ColumnStatistics } from './types';

/** Running min/max/mean/std of one column (Welford's update: one pass, no cancellation), fed value by value. */
export class RunningStatistics {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;

  add(value: number): void {
    this.n++;
    const delta = value - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  result(name: string): ColumnStatistics {
    if (this.n === 0) return { name, count: 0, min: NaN, max: NaN, mean: NaN, std: NaN };
    return { name, count: this.n, min: this.min, max: this.max, mean: this.mean, std: Math.sqrt(this.m2 / this.n) };
  }
}
