/**
 * What the predictions panel shows about a whole split (validation each epoch, test at the end), gathered while
 * it is evaluated:
 *  - forecast: the series of one-step-ahead predictions against the truth, in validation order and
 *    original units (first target column, first horizon step), from which the panel draws residuals;
 *  - regress-per-step: the same series of the first target column, each step predicted by the window ending at it
 *    (the last step of each window: windows advance one row at a time, so each row of the split appears once);
 *  - classify: the worst mistakes, the wrong predictions the model was most confident of.
 */
import type { Batch, DataInfo, DataSplit } from '../data/types';
import type { ForecastSeries, Mistake } from './protocol';
import { argmax } from './model';

/** Longest series sent to the panel (a chart has no use for more points than pixels). */
export const SERIES_LIMIT = 2000;
export const MISTAKES_LIMIT = 8;

export class ValidationRecorder {
  private readonly points: { index: number; truth: number; predicted: number }[] = [];
  private mistakes: (Mistake & { index: number })[] = [];
  private readonly scratch: Float32Array;

  constructor(private readonly task: string, private readonly info: DataInfo) {
    this.scratch = new Float32Array(2 * Math.max(1, info.outputSize));
  }

  /** One evaluated batch: `outputs` are the model's [B,O] (or [B,C]) values for its real examples. */
  add(batch: Batch, outputs: Float32Array): void {
    const O = this.info.outputSize;
    if (this.task === 'forecast') {
      const K = this.info.targetColumns?.length ?? 1;
      const predicted = this.scratch.subarray(0, O);
      const truth = this.scratch.subarray(O, 2 * O);
      for (let b = 0; b < batch.size && this.points.length < SERIES_LIMIT; b++) {
        predicted.set(outputs.subarray(b * O, (b + 1) * O));
        truth.set(batch.targets!.subarray(b * O, (b + 1) * O));
        // "last-value" windows add back their own last observed value.
        const anchors = batch.anchors?.subarray(b * K, (b + 1) * K);
        this.info.denormalizeTargets(predicted, anchors);
        this.info.denormalizeTargets(truth, anchors);
        this.points.push({ index: batch.indices[b], truth: truth[0], predicted: predicted[0] });
      }
    } else if (this.task === 'regress-per-step') {
      const T = batch.steps;
      const predicted = this.scratch.subarray(0, O);
      const truth = this.scratch.subarray(O, 2 * O);
      for (let b = 0; b < batch.size && this.points.length < SERIES_LIMIT; b++) {
        const last = (b * T + batch.lengths[b] - 1) * O;
        predicted.set(outputs.subarray(last, last + O));
        truth.set(batch.targets!.subarray(last, last + O));
        this.info.denormalizeTargets(predicted);
        this.info.denormalizeTargets(truth);
        this.points.push({ index: batch.indices[b], truth: truth[0], predicted: predicted[0] });
      }
    } else if (this.task === 'classify') {
      for (let b = 0; b < batch.size; b++) {
        const truth = batch.targetIds![b];
        const best = argmax(outputs, b * O, O);
        if (best === truth || truth < 0) continue;
        this.keepMistake(batch.indices[b], truth, best, softmaxAt(outputs, b * O, O, best));
      }
    }
  }

  private keepMistake(index: number, truth: number, predicted: number, confidence: number): void {
    if (this.mistakes.length >= MISTAKES_LIMIT && confidence <= this.mistakes[this.mistakes.length - 1].confidence) return;
    const label = (id: number) => this.info.labels?.[id] ?? String(id);
    this.mistakes.push({ index, input: '', truth: label(truth), predicted: label(predicted), confidence });
    this.mistakes.sort((a, b) => b.confidence - a.confidence);
    this.mistakes.length = Math.min(this.mistakes.length, MISTAKES_LIMIT);
  }

  /** The one-step-ahead series in validation order, or undefined for other tasks. */
  forecastSeries(): ForecastSeries | undefined {
    if (this.points.length === 0) return undefined;
    const ordered = [...this.points].sort((a, b) => a.index - b.index);
    const target = this.info.targetColumns?.[0] ?? 'value';
    const series: ForecastSeries = { target, truth: ordered.map((p) => p.truth), predicted: ordered.map((p) => p.predicted) };
    return this.task === 'regress-per-step' ? { ...series, perStep: true } : series;
  }

  /** The most confident wrong predictions, most confident first, with their inputs as text. */
  worstMistakes(split: DataSplit): Mistake[] | undefined {
    if (this.task !== 'classify') return undefined;
    return this.mistakes.map(({ index, ...mistake }) => ({ ...mistake, input: split.describe(index).input }));
  }
}

/** softmax(logits[offset .. offset+C))[k], computed stably. */
function softmaxAt(logits: Float32Array, offset: number, C: number, k: number): number {
  let max = -Infinity;
  for (let c = 0; c < C; c++) max = Math.max(max, logits[offset + c]);
  let sum = 0;
  for (let c = 0; c < C; c++) sum += Math.exp(logits[offset + c] - max);
  return Math.exp(logits[offset + k] - max) / sum;
}
