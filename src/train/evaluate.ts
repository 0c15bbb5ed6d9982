/**
 * Evaluating a model on a split: the one way the trainer measures loss and task metrics, used by the per-epoch
 * validation (possibly on a budget of batches) and by the held-out test evaluation at the end of a run (always
 * the whole split).
 */
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../modelSpec/types';
import type { Batch, DataSplit, PreparedData } from '../data/types';
import { baselines as computeBaselines } from '../data/baselines';
import type { TestEvaluation } from './protocol';
import { MetricAccumulator } from './metrics';
import { SequenceModel } from './model';
import { decodeBatch } from './decoding';
import { ValidationRecorder } from './validationRecord';
import type { RunIo } from './runIo';
import { loadWeights } from './runFolder';

export interface SplitEvaluation {
  /** Mean loss per term over the batches evaluated (NaN for an empty split). */
  loss: number;
  metrics: Record<string, number>;
  /** classify/tag: confusion[truth][predicted] counts over the examples evaluated. */
  confusion: number[][] | undefined;
  /** Examples evaluated, and whether they were all of the split's. */
  examples: number;
  wholeSplit: boolean;
}

export interface EvaluateOptions {
  batchSize: number;
  /** Pads each batch as the trainer does (fixed shapes); identity by default. */
  shape?: (batch: Batch) => Batch;
  /** seq2seq: how outputs are decoded for exact match. */
  decoding?: SeqModelSpec['training']['decoding'];
  /**
   * Evaluate at most this many batches: a seeded, fixed sample of the split's examples (the same on every call),
   * so epochs stay comparable. Absent: the whole split, in order.
   */
  maxBatches?: number;
  /** Sees each evaluated batch and the model's outputs for it (the predictions panel's validation record). */
  onBatch?: (batch: Batch, outputs: Float32Array) => void;
}

/** Seed of the validation budget's sample: fixed, so every epoch sees the same examples. */
const BUDGET_SEED = 0x7a11d;

export function evaluateSplit(model: SequenceModel, split: DataSplit, info: PreparedData['info'], options: EvaluateOptions): SplitEvaluation {
  const task = model.task;
  const shape = options.shape ?? ((batch: Batch) => batch);
  const batchCount = Math.ceil(split.size / options.batchSize);
  const budgeted = options.maxBatches !== undefined && options.maxBatches < batchCount;
  const accumulator = new MetricAccumulator(task, info);
  let examples = 0;
  let exactMatches = 0;
  let batches = 0;
  model.setTraining(false);
  const order = budgeted ? { shuffle: true, rng: new Rng(BUDGET_SEED) } : { shuffle: false };
  for (const rawBatch of split.batches(options.batchSize, order)) {
    if (budgeted && batches >= options.maxBatches!) break;
    batches++;
    const batch = shape(rawBatch);
    const evaluation = model.evaluateBatch(batch);
    accumulator.add(batch, evaluation.loss, evaluation.count, evaluation.outputs);
    options.onBatch?.(batch, evaluation.outputs);
    examples += batch.size;
    if (task === 'seq2seq') {
      const outputs = decodeBatch(model, batch, options.decoding, (batch.targetSteps ?? 0) + 5);
      for (let b = 0; b < batch.size; b++) if (sameTokens(outputs[b], targetTokens(batch, b))) exactMatches++;
    }
  }
  const metrics = accumulator.metrics();
  if (task === 'seq2seq') metrics.exactMatch = exactMatches / Math.max(1, examples);
  return { loss: accumulator.meanLoss, metrics, confusion: accumulator.confusion, examples, wholeSplit: examples === split.size };
}

export interface TestEvaluationOptions {
  spec: SeqModelSpec;
  data: PreparedData;
  io: RunIo;
  /** The weights to evaluate: best.safetensors when validation chose one, else the last checkpoint. */
  checkpoint: { kind: 'best' | 'final'; file: string };
  shape?: (batch: Batch) => Batch;
}

/**
 * The held-out test split, evaluated once: the checkpoint's weights (loaded into a model of their own, so the
 * trainer's stay as they are) on every test example, with the task's metrics and the baselines computed on the
 * test split. Undefined when the data has no test split.
 */
export function evaluateTestSplit(options: TestEvaluationOptions): TestEvaluation | undefined {
  const { spec, data, checkpoint } = options;
  if (!data.test || data.test.size === 0) return undefined;
  const model = new SequenceModel(spec, data.info, new Rng(0));
  const metadata = loadWeights(options.io, checkpoint.file, model.namedParameters());
  const record = new ValidationRecorder(model.task, data.info);
  const result = evaluateSplit(model, data.test, data.info, { batchSize: spec.training.batchSize, shape: options.shape, decoding: spec.training.decoding, onBatch: (batch, outputs) => record.add(batch, outputs) });
  const series = record.forecastSeries();
  let baselines: Record<string, number> = {};
  try {
    baselines = { ...computeBaselines(data, 'test') };
  } catch {
    /* a baseline is a courtesy, not a reason to fail the evaluation */
  }
  return {
    type: 'testEvaluation', checkpoint: checkpoint.kind, checkpointFile: checkpoint.file, epoch: Number(metadata.epoch ?? 0),
    size: data.test.size, loss: result.loss, metrics: result.metrics, baselines, ...(series ? { series } : {}),
  };
}

/** The `test` block of report.json (what `loadRunHistory` turns back into the event): the figures, not the series. */
export function testReport(event: TestEvaluation): Omit<TestEvaluation, 'type' | 'series'> {
  const { type: _type, series: _series, ...report } = event;
  return report;
}

function targetTokens(batch: Batch, b: number): number[] {
  const Tt = batch.targetSteps ?? 0;
  const out: number[] = [];
  const n = batch.targetLengths ? batch.targetLengths[b] : Tt;
  for (let t = 0; t < n; t++) {
    const id = batch.targetIds![b * Tt + t];
    if (id === 3 /* </s> */ || id < 0) break;
    out.push(id);
  }
  return out;
}

function sameTokens(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
