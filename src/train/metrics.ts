/**
 * Validation metrics per task, accumulated batch by batch:
 *   forecast/regress: mse, rmse, mae — in the data's ORIGINAL units (outputs and targets denormalised first);
 *   regress-per-step: the same over every real step and target column of [B,T,K];
 *   classify: accuracy, macro-F1 (plus the confusion matrix);  tag: token accuracy over real steps, macro-F1;
 *   generate: perplexity = exp(mean cross-entropy per token), token accuracy;
 *   seq2seq: perplexity and token accuracy (teacher-forced), exact match (decoded, added by the trainer).
 */
import type { TaskType } from '../modelSpec/types';
import type { Batch, DataInfo } from '../data/types';
import { IGNORED_TARGET } from './taskLoss';
import { argmax } from './model';

export function metricNamesFor(task: TaskType): string[] {
  switch (task) {
    case 'forecast':
    case 'regress':
    case 'regress-per-step':
      return ['mse', 'rmse', 'mae'];
    case 'classify':
      return ['accuracy', 'f1'];
    case 'tag':
      return ['tokenAccuracy', 'f1'];
    case 'generate':
      return ['perplexity', 'tokenAccuracy'];
    case 'seq2seq':
      return ['perplexity', 'tokenAccuracy', 'exactMatch'];
  }
}

/** Words people write in capitals. */
const ACRONYMS: Record<string, string> = { mse: 'MSE', rmse: 'RMSE', mae: 'MAE', f1: 'F1' };

/**
 * How people write a metric's (or a baseline's) name: `tokenAccuracy` → "token accuracy", `rmse` → "RMSE",
 * `persistenceRmse` → "persistence RMSE". The camelCase key stays the name in files and messages between parts.
 */
export function metricDisplayName(metric: string): string {
  const words = metric.split(/(?<=[a-z0-9])(?=[A-Z])/).map((word) => word.toLowerCase());
  return words.map((word) => ACRONYMS[word] ?? word).join(' ');
}

/** Display names by metric, as `RunStarted.metricLabels` carries them to the panels. */
export function metricDisplayNames(metrics: readonly string[]): Record<string, string> {
  return Object.fromEntries(metrics.map((metric) => [metric, metricDisplayName(metric)]));
}

/** Metrics where larger is better (early stopping and "best" compare the other way round). */
export function higherIsBetter(metric: string): boolean {
  return ['accuracy', 'f1', 'tokenAccuracy', 'exactMatch'].includes(metric);
}

export class MetricAccumulator {
  private lossSum = 0;
  private lossCount = 0;
  private squaredError = 0;
  private absoluteError = 0;
  private valueCount = 0;
  private correct = 0;
  private total = 0;
  readonly confusion: number[][] | undefined;

  constructor(readonly task: TaskType, readonly info: DataInfo) {
    if (task === 'classify' || task === 'tag') {
      const C = info.outputSize;
      this.confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
    }
  }

  /** Add one evaluated batch: its mean loss over `count` terms and the model outputs ([B,O] or [B,T,C]). */
  add(batch: Batch, loss: number, count: number, outputs: Float32Array): void {
    if (count > 0 && Number.isFinite(loss)) {
      this.lossSum += loss * count;
      this.lossCount += count;
    }
    const B = batch.size;
    if (this.task === 'forecast' || this.task === 'regress' || this.task === 'regress-per-step') {
      // Per step: [B,T,K], of which each example's first lengths[b]·K values are real; else [B,O], all real.
      const perStep = this.task === 'regress-per-step';
      const O = this.info.outputSize * (perStep ? batch.steps : 1);
      const predicted = outputs.slice(0, B * O);
      const truth = batch.targets!.slice(0, B * O);
      this.info.denormalizeTargets(predicted, batch.anchors);
      this.info.denormalizeTargets(truth, batch.anchors);
      for (let b = 0; b < B; b++) {
        const real = perStep ? Math.min(batch.steps, batch.lengths[b]) * this.info.outputSize : O;
        for (let i = b * O; i < b * O + real; i++) {
          const e = predicted[i] - truth[i];
          this.squaredError += e * e;
          this.absoluteError += Math.abs(e);
        }
        this.valueCount += real;
      }
      return;
    }
    const C = this.info.outputSize;
    const N = outputs.length / C;
    const targets = batch.targetIds!;
    for (let i = 0; i < N; i++) {
      const truth = targets[i];
      if (truth === IGNORED_TARGET || truth < 0) continue;
      const predicted = argmax(outputs, i * C, C);
      if (predicted === truth) this.correct++;
      this.total++;
      if (this.confusion && truth < C) this.confusion[truth][predicted]++;
    }
  }

  get meanLoss(): number {
    return this.lossCount > 0 ? this.lossSum / this.lossCount : NaN;
  }

  metrics(): Record<string, number> {
    switch (this.task) {
      case 'forecast':
      case 'regress':
      case 'regress-per-step': {
        const mse = this.squaredError / Math.max(1, this.valueCount);
        return { mse, rmse: Math.sqrt(mse), mae: this.absoluteError / Math.max(1, this.valueCount) };
      }
      case 'classify':
        return { accuracy: this.correct / Math.max(1, this.total), f1: macroF1(this.confusion!) };
      case 'tag':
        return { tokenAccuracy: this.correct / Math.max(1, this.total), f1: macroF1(this.confusion!) };
      case 'generate':
      case 'seq2seq':
        return { perplexity: Math.exp(this.meanLoss), tokenAccuracy: this.correct / Math.max(1, this.total) };
    }
  }
}

/** Precision, recall and F1 of one class, and its support (how many true examples or tokens it has). */
export interface ClassScore {
  precision: number;
  recall: number;
  f1: number;
  support: number;
  /** Times the class was predicted. */
  predicted: number;
}

/** Per class c of confusion[truth][predicted]: precision tp/predicted, recall tp/support, F1 2tp/(support+predicted) (0 where undefined). */
export function perClassScores(confusion: readonly (readonly number[])[]): ClassScore[] {
  const C = confusion.length;
  return confusion.map((row, c) => {
    const tp = row[c];
    let support = 0;
    let predicted = 0;
    for (let k = 0; k < C; k++) {
      support += row[k];
      predicted += confusion[k][c];
    }
    return { precision: predicted > 0 ? tp / predicted : 0, recall: support > 0 ? tp / support : 0, f1: support + predicted > 0 ? (2 * tp) / (support + predicted) : 0, support, predicted };
  });
}

/** Unweighted mean of per-class F1 over the classes that occur in the truth or the predictions. */
export function macroF1(confusion: number[][]): number {
  const present = perClassScores(confusion).filter((score) => score.support + score.predicted > 0);
  return present.length > 0 ? present.reduce((sum, score) => sum + score.f1, 0) / present.length : 0;
}
