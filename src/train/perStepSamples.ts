/**
 * What the predictions panel shows of single validation windows of a regress-per-step model: the first target
 * column at every real step of the window, truth and prediction, in original units.
 */
import type { Batch, DataInfo } from '../data/types';
import type { PredictionSample } from './protocol';

export function perStepSamples(info: DataInfo, batch: Batch, outputs: Float32Array, count: number): PredictionSample[] {
  const K = info.outputSize;
  const T = batch.steps;
  const samples: PredictionSample[] = [];
  for (let b = 0; b < Math.min(count, batch.size); b++) {
    const steps = Math.min(T, batch.lengths[b]);
    const predicted = outputs.slice(b * T * K, (b * T + steps) * K);
    const truth = batch.targets!.slice(b * T * K, (b * T + steps) * K);
    info.denormalizeTargets(predicted);
    info.denormalizeTargets(truth);
    const column = (values: Float32Array) => Array.from({ length: steps }, (_, t) => values[t * K]);
    samples.push({ kind: 'steps', target: info.targetColumns?.[0] ?? 'value', truth: column(truth), predicted: column(predicted) });
  }
  return samples;
}
