/**
 * Forecast-series maths for the predictions panel: residuals over the validation series and their
 * distribution. Pure: no DOM.
 */

/** Series arrays arrive from the host: only equal-length arrays of finite numbers are drawn. */
export function checkedSeries(series: unknown): { target: string; truth: number[]; predicted: number[] } | undefined {
  if (typeof series !== 'object' || series === null) return undefined;
  const { target, truth, predicted } = series as Record<string, unknown>;
  const numbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!numbers(truth) || !numbers(predicted) || truth.length !== predicted.length || truth.length === 0) return undefined;
  return { target: typeof target === 'string' ? target : 'value', truth, predicted };
}

/** truth − predicted at each step: positive where the model forecast too low. */
export function residuals(truth: readonly number[], predicted: readonly number[]): number[] {
  return truth.map((value, i) => value - predicted[i]);
}

export interface Histogram {
  /** Bin i holds values in [edges[i], edges[i+1]) (the last bin includes its right edge). */
  edges: number[];
  counts: number[];
}

/** Equal-width bins over the values' range; √n bins (at least 1, at most `maxBins`). */
export function histogram(values: readonly number[], maxBins = 30): Histogram {
  if (values.length === 0) return { edges: [], counts: [] };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const bins = Math.max(1, Math.min(maxBins, Math.ceil(Math.sqrt(values.length))));
  const width = max > min ? (max - min) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (max > min ? min + i * width : min - 0.5 + i));
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - edges[0]) / width))]++;
  return { edges, counts };
}
