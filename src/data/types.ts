/**
 * The data contract between `src/data` and its consumers (trainer, CLI, worker, panels).
 *
 * `prepareData(spec, specDir, io)` (in `./prepare`) turns the `data` and `task` sections of a spec into a
 * `PreparedData`: a description of the input/output sizes (`DataInfo`) plus splits that hand out padded
 * batches. Everything here is plain TypeScript: no `fs`, no `vscode`.
 *
 * Shape letters: B batch, T input steps (max real length in the batch), T' target steps, I input features,
 * O outputs per example (or per step), K target columns, Hz forecast horizon.
 */
import type { Rng } from '../tensor/rng';
import type { TaskType } from '../modelSpec/types';
import type { Vocabulary } from './vocabulary';
import type { ZScore } from './normalize';
import type { TokenizerKind } from './tokenize';
import type { DataCacheIo } from './cache/cacheIo';

export type { Vocabulary } from './vocabulary';
export type { ZScore } from './normalize';

export interface DataInfo {
  /** `series`: real-valued `inputs` [B,T,I]. `tokens`: integer `inputIds` [B,T] (embedding lookup or one-hot). */
  kind: 'series' | 'tokens';
  task: TaskType;
  /**
   * series: features per step (I). tokens: size of the input vocabulary (embedding rows, or one-hot width
   * when the model has no embedding).
   */
  inputSize: number;
  /**
   * forecast/regress: regression targets per example (K·Hz for forecasts, laid out [Hz,K]);
   * classify: classes; tag: tags; seq2seq/generate: size of the target vocabulary.
   */
  outputSize: number;
  /** tokens: the input vocabulary (`<pad>`=0, `<unk>`=1, `<s>`=2, `</s>`=3). */
  vocabulary?: Vocabulary;
  /** seq2seq: the target vocabulary (the same object as `vocabulary` when shared); generate: same as input. */
  targetVocabulary?: Vocabulary;
  /** tokens: how raw text becomes input tokens (what `encodeText` applies to new inputs at prediction time). */
  tokenizer?: { kind: TokenizerKind; lowercase: boolean; maxLength?: number };
  /** classify/tag: class names in label-id order. */
  labels?: string[];
  /**
   * forecast from CSV: per-column z-score fitted on the training split only (absent with normalize 'none'); with
   * `relativeToLastValue`, a pure scale (mean 0) of the one-step changes.
   */
  normalizer?: ZScore;
  /**
   * forecast, normalize 'last-value': inputs are each window minus its last row and targets the change from the
   * last value; batches carry that value (`Batch.anchors`) and `denormalizeTargets` adds it back.
   */
  relativeToLastValue?: boolean;
  /** forecast from CSV: names of the input columns (I of them) and the target columns (K of them). */
  inputColumns?: string[];
  targetColumns?: string[];
  /** forecast from CSV: the columns of `normalizer`, in order (inputs, then targets not among the inputs). */
  normalizerColumns?: string[];
  /** forecast/regress: steps ahead predicted (1 = next value). */
  horizon?: number;
  /** Longest input sequence over all splits (T of the largest batch). */
  maxLength: number;
  /** What the loader saw in the file itself (rows before windowing, per-column statistics), for the data summary. */
  stats?: DataStats;
  trainSize: number;
  validationSize: number;
  testSize: number;
  /** Set when the data is read from the disk cache (`src/data/cache`): its folder, and whether this load built it. */
  cache?: { folder: string; built: boolean; seconds: number };
  /**
   * forecast: maps model outputs (normalised units, laid out [Hz,K] per example) back to original units, in
   * place. Identity when there is no normaliser. Metrics in original units = metric(denormalize(pred), denormalize(y)).
   * `anchors` ([examples, K], the batch's `anchors` or an example's): the last observed target values, which
   * `relativeToLastValue` data adds back; required there, ignored otherwise.
   */
  denormalizeTargets(values: Float32Array, anchors?: Float32Array): void;
}

/** Statistics of one numeric column, in original units. */
export interface ColumnStatistics {
  name: string;
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
}

/** What a loader knows about the file it read: rows (before windowing) and its numeric columns. */
export interface DataStats {
  rows: number;
  columns?: ColumnStatistics[];
}

/**
 * One padded batch. Positions past `lengths[b]` (inputs) or `targetLengths[b]` (per-step targets) are padding:
 * real-valued padding is 0, `inputIds`/`decoderInputIds` padding is `<pad>`=0, and per-step `targetIds`
 * padding is -1 (an ignore index the loss must skip).
 */
export interface Batch {
  /** B: examples in this batch (the last batch of a split may be smaller than the requested size). */
  size: number;
  /** T: max input length in this batch. */
  steps: number;
  /** series: [B,T,I] real-valued inputs (z-scored when a normaliser is present). */
  inputs?: Float32Array;
  /** tokens: [B,T] token ids. */
  inputIds?: Int32Array;
  /** [B] real input lengths, each in 1..T. */
  lengths: Int32Array;
  /** forecast/regress: [B,O] regression targets (normalised units for CSV forecasts). */
  targets?: Float32Array;
  /** forecast with normalize 'last-value': [B,K] each example's last observed target values, original units. */
  anchors?: Float32Array;
  /** classify: [B] class ids; tag: [B,T] tag ids; seq2seq: [B,T'] target ids ending in `</s>`; generate: [B,T] next ids. */
  targetIds?: Int32Array;
  /** T' for seq2seq (max target length in batch, including `</s>`); equals `steps` for tag and generate. */
  targetSteps?: number;
  /** [B] real per-step target lengths (tag, seq2seq, generate). */
  targetLengths?: Int32Array;
  /** seq2seq: [B,T'] decoder inputs for teacher forcing: `<s>` followed by the target shifted right. */
  decoderInputIds?: Int32Array;
  /** [B] example indices within the split, for `describe` and the predictions panel. */
  indices: Int32Array;
}

export interface BatchOptions {
  shuffle: boolean;
  /** Required when `shuffle` is true; the order is then a function of this generator's state only. */
  rng?: Rng;
  /** Group examples of similar length to cut padding (batches themselves are still visited in random order). */
  bucketByLength?: boolean;
  /** Drop a final batch smaller than the batch size (keeps B constant, so buffers are reused). Default false. */
  dropLast?: boolean;
}

/**
 * A split of the data. `batches` yields batches whose typed arrays are reused between batches of the same
 * (B, T, T') shape: a Batch stays valid only until the next one is requested. Copy what you need to keep.
 */
export interface DataSplit {
  readonly size: number;
  batches(batchSize: number, options: BatchOptions): Iterable<Batch>;
  /** Human-readable input and target of one example, for the predictions panel. */
  describe(index: number): { input: string; target: string };
  /** Longest input length (T) and per-step target length (T', 0 when none) over the split, without making batches. */
  longest?(): { steps: number; targetSteps: number };
}

export interface PreparedData {
  info: DataInfo;
  train: DataSplit;
  validation: DataSplit;
  test?: DataSplit;
  /** Releases the files the splits read from (data in the disk cache); the splits are unusable afterwards. */
  close?(): void;
}

/** What `prepareData` needs from its host: the CLI and worker pass fs-based io, tests pass an in-memory map. */
export interface DataIo {
  readTextFile(path: string): string;
  /**
   * Opens a file for positional reads. When present, loaders read data files through it in chunks of a few MB
   * (`textChunks`), so a file is never one string; without it they fall back to `readTextFile`.
   */
  openFile?(path: string): DataFile;
  /** Present where data larger than a threshold may be converted once into a binary cache (`src/data/cache`). */
  cache?: DataCacheIo;
}

/** A file open for synchronous positional reads (Node: `fs.openSync` + `fs.readSync`). */
export interface DataFile {
  readonly size: number;
  /** Reads up to `target.length` bytes at byte `position`; returns how many were read (0 at the end). */
  read(position: number, target: Uint8Array): number;
  close(): void;
}

/** A data problem at a place in a file; `toString()` is `file:line:col: message` (1-based line and column). */
export class DataError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = 'DataError';
  }
}

/** Baseline figures on a held-out split (validation or test) that a trained model must beat (see `baselines`). */
export interface Baselines {
  /** Metric name → value, e.g. { persistenceMse: 0.41 } or { majorityAccuracy: 0.52 }. */
  [metric: string]: number;
}
