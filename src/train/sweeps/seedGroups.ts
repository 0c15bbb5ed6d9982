/**
 * Repeats over seeds: trials of one configuration (same `configKey`) summarised as mean ± sample standard
 * deviation (n − 1 in the denominator, 0 for a single value), so "LSTM 0.0007 ± 0.0002 over 3 seeds" is one row.
 */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

/** Mean and sample standard deviation of the finite values; undefined when there are none. */
export function meanStd(values: readonly number[]): MeanStd | undefined {
  const finite = values.filter((v) => Number.isFinite(v));
  const n = finite.length;
  if (n === 0) return undefined;
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? finite.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), n };
}

export interface SeedGroup<T> {
  configKey: string;
  members: T[];
}

/** Items grouped by configuration, groups in the order their first member appears. */
export function groupBySeeds<T extends { configKey: string }>(items: readonly T[]): SeedGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const members = groups.get(item.configKey);
    if (members) members.push(item);
    else groups.set(item.configKey, [item]);
  }
  return [...groups].map(([configKey, members]) => ({ configKey, members }));
}

/** `0.0123 ± 0.004` (3 significant digits), or the value alone for one seed. */
export function formatMeanStd(value: MeanStd): string {
  const p = (x: number) => Number(x.toPrecision(3)).toString();
  return value.n > 1 ? `${p(value.mean)} ± ${p(value.std)}` : p(value.mean);
}
