/**
 * Splits over compact stores, and the batcher that pads their examples: `ExampleSplit` implements `DataSplit`
 * for every loader. A store keeps a whole split in a few typed arrays (one id stream plus offsets, one series
 * table plus window starts…); an example exists as its own arrays only when asked for (`example(i)`: describe,
 * baselines, tests). Batch buffers are cached per (B, T, T') so that steady-state training allocates nothing.
 */
import type { Batch, BatchOptions, DataSplit } from './types';
import { BOS_ID } from './vocabulary';

/** One example, materialised; which fields are present depends on the task (all examples of a split share a layout). */
export interface Example {
  /** Real input steps. */
  length: number;
  /** series: [length, I] real-valued inputs. */
  inputs?: Float32Array;
  /** tokens: [length] input ids. */
  inputIds?: Int32Array;
  /** forecast/regress: [O] targets. */
  targets?: Float32Array;
  /** classify: the class id. */
  targetClass?: number;
  /** tag/generate/seq2seq: [T'] per-step target ids. */
  targetIds?: Int32Array;
  /** seq2seq: [T'] `<s>` + target shifted right. */
  decoderInputIds?: Int32Array;
  /** forecast: [O] the persistence prediction (last observed value of each target, repeated per horizon step). */
  persistence?: Float32Array;
  /** forecast with normalize 'last-value': [K] the last observed target values, original units. */
  anchors?: Float32Array;
}

export interface ExampleLayout {
  /** I for series inputs; unused for tokens. */
  featureCount: number;
  /** O for real-valued targets; unused otherwise. */
  targetWidth: number;
}

/** Which batch fields a store fills. */
export interface BatchFields {
  /** I: real-valued inputs [B,T,I]. */
  inputs?: number;
  inputIds?: boolean;
  /** O: real-valued targets [B,O]. */
  targets?: number;
  /** K: last observed target values [B,K] (windows relative to their last value). */
  anchors?: number;
  targetClass?: boolean;
  /** Per-step target ids [B,T'] with `targetLengths`. */
  targetIds?: boolean;
  /** seq2seq: `<s>` + the targets shifted right, [B,T']. */
  decoderInputIds?: boolean;
}

/** Token ids in the narrowest array their largest id allows (a character vocabulary fits in bytes). */
export type IdArray = Uint8Array | Uint16Array | Int32Array;

export function idArrayFor(maxId: number, length: number): IdArray {
  if (maxId < 0x100) return new Uint8Array(length);
  if (maxId < 0x10000) return new Uint16Array(length);
  return new Int32Array(length);
}

/** Where a split's examples live. `write` copies example `i` into row `b` of a batch whose padding is already set. */
export interface ExampleStore {
  readonly count: number;
  readonly fields: BatchFields;
  /** Example e+1 is example e one step later (sliding windows over one series: stateful training can chunk it). */
  readonly slidingWindows?: boolean;
  length(i: number): number;
  /** Per-step target length (T' of this example), 0 when the store has no per-step targets. */
  targetLength(i: number): number;
  write(i: number, batch: Batch, b: number): void;
  example(i: number): Example;
  /**
   * A store that reads from disk: all its examples in order, as in-memory stores of consecutive examples of about
   * `bytes` each (a pass over a whole split reads in large pieces); each is valid until the next is requested.
   * Absent: the store is in memory already.
   */
  chunks?(bytes: number): Iterable<ExampleStore>;
}

type Describe = (example: Example, index: number) => { input: string; target: string };

/**
 * `order` sorted by example length, stably: examples of equal length keep their shuffled order, so buckets still
 * vary between epochs. A counting sort (lengths are small integers): a comparison sort of a million boxed indices
 * took most of an epoch's order.
 */
function sortedByLength(order: Int32Array, store: ExampleStore): Int32Array {
  // The lengths are asked for twice rather than kept: 4 bytes an example less for a corpus of short examples.
  let longest = 0;
  for (let i = 0; i < store.count; i++) longest = Math.max(longest, store.length(i));
  const starts = new Int32Array(longest + 2);
  for (let i = 0; i < store.count; i++) starts[store.length(i) + 1]++;
  for (let length = 1; length <= longest + 1; length++) starts[length] += starts[length - 1];
  const sorted = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) sorted[starts[store.length(order[k])]++] = order[k];
  return sorted;
}

export class ExampleSplit implements DataSplit {
  private readonly bufferCache = new Map<string, Batch>();

  constructor(
    readonly store: ExampleStore,
    private readonly describeExample: Describe,
  ) {}

  /** A split over examples already in memory (tests, hand-made data): packed into one `PackedStore`. */
  static fromExamples(examples: readonly Example[], layout: ExampleLayout, describe: Describe): ExampleSplit {
    return new ExampleSplit(PackedStore.pack(examples, layout), describe);
  }

  get size(): number {
    return this.store.count;
  }

  /** Example `index` as arrays of its own (a copy; not for the training loop). */
  example(index: number): Example {
    if (!(index >= 0 && index < this.store.count)) throw new RangeError(`example ${index} is outside 0..${this.store.count - 1}`);
    return this.store.example(index);
  }

  /** Every example in split order, one at a time (nothing is kept). */
  *examples(): Iterable<Example> {
    for (let i = 0; i < this.store.count; i++) yield this.store.example(i);
  }

  describe(index: number): { input: string; target: string } {
    return this.describeExample(this.example(index), index);
  }

  longest(): { steps: number; targetSteps: number } {
    let steps = 0;
    let targetSteps = 0;
    for (let i = 0; i < this.store.count; i++) {
      steps = Math.max(steps, this.store.length(i));
      targetSteps = Math.max(targetSteps, this.store.targetLength(i));
    }
    return { steps, targetSteps };
  }

  /** The example indices of each batch, in visiting order. */
  batchOrder(batchSize: number, options: BatchOptions): Int32Array[] {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batches: batch size must be a positive integer, got ${batchSize}`);
    if (options.shuffle && !options.rng) throw new Error('batches: shuffle needs an rng (for reproducible order)');
    const count = this.store.count;
    let order: Int32Array = new Int32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    if (options.shuffle) options.rng!.shuffle(order);
    if (options.bucketByLength) order = sortedByLength(order, this.store);
    const chunks: Int32Array[] = [];
    for (let start = 0; start < count; start += batchSize) {
      const chunk = order.subarray(start, Math.min(count, start + batchSize));
      if (options.dropLast && chunk.length < batchSize) break;
      chunks.push(chunk);
    }
    if (options.shuffle && options.bucketByLength) options.rng!.shuffle(chunks);
    return chunks;
  }

  *batches(batchSize: number, options: BatchOptions): Iterable<Batch> {
    for (const chunk of this.batchOrder(batchSize, options)) yield this.assemble(chunk);
  }

  /** Pads the chosen examples into (reused) buffers. */
  assemble(chosen: ArrayLike<number>): Batch {
    const store = this.store;
    const B = chosen.length;
    let T = 0;
    let targetSteps = 0;
    for (let b = 0; b < B; b++) {
      T = Math.max(T, store.length(chosen[b]));
      targetSteps = Math.max(targetSteps, store.targetLength(chosen[b]));
    }
    const batch = this.buffersFor(B, T, targetSteps);
    batch.inputs?.fill(0);
    batch.inputIds?.fill(0);
    batch.decoderInputIds?.fill(0);
    if (batch.targetIds && batch.targetSteps !== undefined) batch.targetIds.fill(-1);
    for (let b = 0; b < B; b++) {
      const i = chosen[b];
      batch.indices[b] = i;
      batch.lengths[b] = store.length(i);
      if (batch.targetLengths) batch.targetLengths[b] = store.targetLength(i);
      store.write(i, batch, b);
    }
    return batch;
  }

  private buffersFor(B: number, T: number, targetSteps: number): Batch {
    const key = `${B}:${T}:${targetSteps}`;
    const cached = this.bufferCache.get(key);
    if (cached) return cached;
    const fields = this.store.fields;
    const batch: Batch = { size: B, steps: T, lengths: new Int32Array(B), indices: new Int32Array(B) };
    if (fields.inputs !== undefined) batch.inputs = new Float32Array(B * T * fields.inputs); // [B,T,I]
    if (fields.inputIds) batch.inputIds = new Int32Array(B * T); // [B,T]
    if (fields.targets !== undefined) batch.targets = new Float32Array(B * fields.targets); // [B,O]
    if (fields.anchors !== undefined) batch.anchors = new Float32Array(B * fields.anchors); // [B,K]
    if (fields.targetClass) batch.targetIds = new Int32Array(B); // [B]
    if (fields.targetIds) {
      batch.targetIds = new Int32Array(B * targetSteps); // [B,T']
      batch.targetSteps = targetSteps;
      batch.targetLengths = new Int32Array(B);
    }
    if (fields.decoderInputIds) batch.decoderInputIds = new Int32Array(B * targetSteps); // [B,T']
    this.bufferCache.set(key, batch);
    return batch;
  }
}

/** The arrays of a `PackedStore`. Offsets are Float64Array: exact past 2³² steps, and one per example only. */
export interface PackedColumns {
  count: number;
  /** [count+1]: example i's input steps are [inputOffsets[i], inputOffsets[i+1]). */
  inputOffsets: Float64Array;
  /** I and [steps·I] real-valued inputs. */
  featureCount?: number;
  inputs?: Float32Array;
  /** [steps] input ids. */
  inputIds?: IdArray;
  /** O and [count·O] real-valued targets, with the persistence forecast beside them when there is one. */
  targetWidth?: number;
  targets?: Float32Array;
  persistence?: Float32Array;
  /** [count] class ids. */
  targetClass?: IdArray;
  /** Per-step target ids and their offsets ([count+1]; may be `inputOffsets` itself, as for tags). */
  targetIds?: IdArray;
  targetOffsets?: Float64Array;
  /** seq2seq: the decoder reads `<s>` and the targets shifted right (targets end in `</s>`). */
  decoderInputs?: boolean;
}

/**
 * Ragged or fixed-length examples as flat arrays plus offsets: text classification, tagged sentences, pairs,
 * synthetic tasks. One example costs its ids (1–4 bytes each) and an offset, not an object and arrays.
 */
export class PackedStore implements ExampleStore {
  readonly count: number;
  readonly fields: BatchFields;

  constructor(readonly columns: PackedColumns) {
    const c = columns;
    this.count = c.count;
    this.fields = {
      inputs: c.inputs ? c.featureCount ?? 1 : undefined,
      inputIds: c.inputIds !== undefined,
      targets: c.targets ? c.targetWidth ?? 1 : undefined,
      targetClass: c.targetClass !== undefined,
      targetIds: c.targetIds !== undefined,
      decoderInputIds: c.decoderInputs === true,
    };
  }

  /** Packs materialised examples (all of one layout); decoder inputs must be `<s>` + the targets shifted right. */
  static pack(examples: readonly Example[], layout: ExampleLayout): PackedStore {
    const count = examples.length;
    const first: Example = examples[0] ?? { length: 0 };
    const inputOffsets = new Float64Array(count + 1);
    const targetOffsets = first.targetIds ? new Float64Array(count + 1) : undefined;
    let maxInputId = 0;
    let maxTargetId = 0;
    examples.forEach((example, i) => {
      inputOffsets[i + 1] = inputOffsets[i] + example.length;
      if (targetOffsets) targetOffsets[i + 1] = targetOffsets[i] + example.targetIds!.length;
      if (example.inputIds) for (const id of example.inputIds) maxInputId = Math.max(maxInputId, id);
      if (example.targetIds) for (const id of example.targetIds) maxTargetId = Math.max(maxTargetId, id);
      if (example.targetClass !== undefined) maxTargetId = Math.max(maxTargetId, example.targetClass);
      if (example.decoderInputIds) {
        const ok = example.decoderInputIds.length === example.targetIds!.length && example.decoderInputIds.every((id, t) => id === (t === 0 ? BOS_ID : example.targetIds![t - 1]));
        if (!ok) throw new Error('PackedStore.pack: decoder inputs must be <s> followed by the targets shifted right');
      }
    });
    const steps = inputOffsets[count];
    const I = layout.featureCount;
    const O = layout.targetWidth;
    const columns: PackedColumns = { count, inputOffsets, featureCount: I, targetWidth: O };
    if (first.inputs) columns.inputs = new Float32Array(steps * I);
    if (first.inputIds) columns.inputIds = idArrayFor(maxInputId, steps);
    if (first.targets) columns.targets = new Float32Array(count * O);
    if (first.persistence) columns.persistence = new Float32Array(count * O);
    if (first.targetClass !== undefined) columns.targetClass = idArrayFor(maxTargetId, count);
    if (targetOffsets) {
      columns.targetIds = idArrayFor(maxTargetId, targetOffsets[count]);
      columns.targetOffsets = targetOffsets;
    }
    columns.decoderInputs = first.decoderInputIds !== undefined;
    examples.forEach((example, i) => {
      const start = inputOffsets[i];
      if (columns.inputs) columns.inputs.set(example.inputs!.subarray(0, example.length * I), start * I);
      if (columns.inputIds) columns.inputIds.set(example.inputIds!, start);
      if (columns.targets) columns.targets.set(example.targets!.subarray(0, O), i * O);
      if (columns.persistence) columns.persistence.set(example.persistence!.subarray(0, O), i * O);
      if (columns.targetClass) columns.targetClass[i] = example.targetClass!;
      if (columns.targetIds) columns.targetIds.set(example.targetIds!, targetOffsets![i]);
    });
    return new PackedStore(columns);
  }

  length(i: number): number {
    return this.columns.inputOffsets[i + 1] - this.columns.inputOffsets[i];
  }

  targetLength(i: number): number {
    const offsets = this.columns.targetOffsets;
    return offsets ? offsets[i + 1] - offsets[i] : 0;
  }

  write(i: number, batch: Batch, b: number): void {
    const c = this.columns;
    const T = batch.steps;
    const start = c.inputOffsets[i];
    const length = c.inputOffsets[i + 1] - start;
    if (c.inputs) {
      const I = c.featureCount ?? 1;
      const from = start * I;
      const to = b * T * I;
      for (let k = 0; k < length * I; k++) batch.inputs![to + k] = c.inputs[from + k];
    }
    if (c.inputIds) for (let t = 0; t < length; t++) batch.inputIds![b * T + t] = c.inputIds[start + t];
    if (c.targets) {
      const O = c.targetWidth ?? 1;
      for (let o = 0; o < O; o++) batch.targets![b * O + o] = c.targets[i * O + o];
    }
    if (c.targetClass) batch.targetIds![b] = c.targetClass[i];
    if (c.targetIds) {
      const Tt = batch.targetSteps!;
      const targetStart = c.targetOffsets![i];
      const targetLength = c.targetOffsets![i + 1] - targetStart;
      for (let t = 0; t < targetLength; t++) batch.targetIds![b * Tt + t] = c.targetIds[targetStart + t];
      if (c.decoderInputs) {
        batch.decoderInputIds![b * Tt] = BOS_ID;
        for (let t = 1; t < targetLength; t++) batch.decoderInputIds![b * Tt + t] = c.targetIds[targetStart + t - 1];
      }
    }
  }

  example(i: number): Example {
    const c = this.columns;
    const start = c.inputOffsets[i];
    const end = c.inputOffsets[i + 1];
    const example: Example = { length: end - start };
    const I = c.featureCount ?? 1;
    const O = c.targetWidth ?? 1;
    if (c.inputs) example.inputs = c.inputs.slice(start * I, end * I);
    if (c.inputIds) example.inputIds = Int32Array.from(c.inputIds.subarray(start, end));
    if (c.targets) example.targets = c.targets.slice(i * O, (i + 1) * O);
    if (c.persistence) example.persistence = c.persistence.slice(i * O, (i + 1) * O);
    if (c.targetClass) example.targetClass = c.targetClass[i];
    if (c.targetIds) {
      example.targetIds = Int32Array.from(c.targetIds.subarray(c.targetOffsets![i], c.targetOffsets![i + 1]));
      if (c.decoderInputs) {
        example.decoderInputIds = new Int32Array(example.targetIds.length);
        example.decoderInputIds[0] = BOS_ID;
        example.decoderInputIds.set(example.targetIds.subarray(0, example.targetIds.length - 1), 1);
      }
    }
    return example;
  }
}
