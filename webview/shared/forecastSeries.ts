/**
 * Forecast-series maths for the predictions panel: residuals over the validation series and their
 * distribution, and the autoregressive rollout drawn against the data. Pure: no DOM.
 */
import type { Rollout } from '../../src/train/protocol';
import type { Point } from './dashboardSeries';

/** Series arrays arrive from the host: only equal-length arrays of finite numbers are drawn. */
export function checkedSeries(series: unknown): { target: string; truth: number[]; predicted: number[]; perStep: boolean } | undefined {
  if (typeof series !== 'object' || series === null) return undefined;
  const { target, truth, predicted, perStep } = series as Record<string, unknown>;
  const numbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!numbers(truth) || !numbers(predicted) || truth.length !== predicted.length || truth.length === 0) return undefined;
  return { target: typeof target === 'string' ? target : 'value', truth, predicted, perStep: perStep === true };
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

/** A rollout from the host is drawn only when its arrays are finite numbers (truth: or null) of matching lengths. */
export function checkedRollout(raw: unknown): Rollout | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const numbers = (v: unknown): v is number[] => Array.isArray(v) && v.every(finite);
  const { history, truth, predicted, start, horizon, requestedHorizon, split, target, fromData } = r;
  if (!numbers(history) || !numbers(predicted) || predicted.length === 0) return undefined;
  if (!Array.isArray(truth) || truth.length !== predicted.length || !truth.every((v) => v === null || finite(v))) return undefined;
  if (!finite(start) || !Number.isInteger(start) || start < 0 || horizon !== predicted.length || !finite(requestedHorizon)) return undefined;
  if ((split !== 'validation' && split !== 'test') || typeof target !== 'string') return undefined;
  if (!Array.isArray(fromData) || !fromData.every((name) => typeof name === 'string')) return undefined;
  const weights = r.weights as Rollout['weights'] | undefined;
  const checkedWeights = weights && typeof weights.file === 'string' && finite(weights.epoch) ? { weights: { file: weights.file, epoch: weights.epoch } } : {};
  return { split, start, horizon, requestedHorizon, target, history, truth: truth as (number | null)[], predicted, fromData: fromData as string[], ...checkedWeights };
}

/**
 * A rollout on the split's own axis: the prediction for window i is step i of the series, so the window's values
 * sit at steps start−W … start−1 and the rollout at start … start+H−1. Truth stops where the data does.
 */
export function rolloutPoints(rollout: Rollout): { history: Point[]; truth: Point[]; predicted: Point[] } {
  const W = rollout.history.length;
  const at = (i: number) => rollout.start + i;
  return {
    history: rollout.history.map((y, t) => ({ x: rollout.start - W + t, y })),
    truth: rollout.truth.flatMap((y, i) => (y === null ? [] : [{ x: at(i), y }])),
    predicted: rollout.predicted.map((y, i) => ({ x: at(i), y })),
  };
}

/** Mean absolute error of the rollout over the steps the data has (NaN when it has none). */
export function rolloutMeanAbsoluteError(rollout: Rollout): number {
  let sum = 0;
  let count = 0;
  rollout.truth.forEach((truth, i) => {
    if (truth === null) return;
    sum += Math.abs(truth - rollout.predicted[i]);
    count++;
  });
  return count > 0 ? sum / count : Number.NaN;
}

/** The rollout's default length: the spec's horizon when it predicts several steps, else one window. */
export function defaultRolloutHorizon(forecastSample: { history: readonly number[]; truth: readonly number[] } | undefined): number {
  if (!forecastSample) return 12;
  return forecastSample.truth.length > 1 ? forecastSample.truth.length : Math.max(1, forecastSample.history.length);
}
