/**
 * Loss smoothing for the dashboard. Exponential moving average with the start-up bias removed (the way
 * TensorBoard smooths scalars), so the first points are not dragged towards zero.
 */

/** Smooths `values` with weight `smoothingWeight` in [0, 1): 0 returns a copy, 0.9 is heavy smoothing.
 * Non-finite values (a diverged step) pass through unsmoothed and do not poison later points. */
export function debiasedExponentialMovingAverage(values: readonly number[], smoothingWeight: number): number[] {
  if (!(smoothingWeight >= 0 && smoothingWeight < 1)) throw new RangeError(`smoothing weight ${smoothingWeight} is not in [0, 1)`);
  const smoothed: number[] = new Array(values.length);
  let runningAverage = 0;
  let debiasWeight = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) {
      smoothed[i] = value;
      continue;
    }
    runningAverage = runningAverage * smoothingWeight + (1 - smoothingWeight) * value;
    debiasWeight = debiasWeight * smoothingWeight + (1 - smoothingWeight);
    smoothed[i] = runningAverage / debiasWeight;
  }
  return smoothed;
}
