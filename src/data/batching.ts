/**
 * Examples in memory and the batcher that pads them: `ExampleSplit` implements `DataSplit` for every loader.
 * Buffers are cached per (B, T, T') so that steady-state training allocates nothing.
 */
import type { Batch, BatchOptions, DataSplit } from './types';

/** One example; which fields are present depends on the task (all examples of a split share a layout). */
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
}

export interface ExampleLayout {
  /** I for series inputs; unused for tokens. */
  featureCount: number;
  /** O for real-valued targets; unused otherwise. */
  targetWidth: number;
}

type Describe = (example: Example, index: number) => { input: string; target: string };

export class ExampleSplit implements DataSplit {
  private readonly bufferCache = new Map<string, Batch>();

  constructor(
    readonly examples: readonly Example[],
    readonly layout: ExampleLayout,
    private readonly describeExample: Describe,
  ) {}

  get size(): number {
    return this.examples.length;
  }

  describe(index: number): { input: string; target: string } {
    const example = this.examples[index];
    if (!example) throw new RangeError(`describe: example ${index} is outside 0..${this.examples.length - 1}`);
    return this.describeExample(example, index);
  }

  /** The example indices of each batch, in visiting order. */
  batchOrder(batchSize: number, options: BatchOptions): Int32Array[] {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batches: batch size must be a positive integer, got ${batchSize}`);
    if (options.shuffle && !options.rng) throw new Error('batches: shuffle needs an rng (for reproducible order)');
    const count = this.examples.length;
    let order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    if (options.shuffle) options.rng!.shuffle(order);
    if (options.bucketByLength) {
      // Stable sort: examples of equal length keep their shuffled order, so buckets still vary between epochs.
      order = Int32Array.from(Array.from(order).sort((a, b) => this.examples[a].length - this.examples[b].length));
    }
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
    const B = chosen.length;
    let T = 0;
    let targetSteps = 0;
    for (let b = 0; b < B; b++) {
      const example = this.examples[chosen[b]];
      T = Math.max(T, example.length);
      if (example.targetIds) targetSteps = Math.max(targetSteps, example.targetIds.length);
    }
    const batch = this.buffersFor(B, T, targetSteps);
    const { featureCount: I, targetWidth: O } = this.layout;
    batch.inputs?.fill(0);
    batch.inputIds?.fill(0);
    batch.decoderInputIds?.fill(0);
    if (batch.targetIds && batch.targetSteps !== undefined) batch.targetIds.fill(-1);
    for (let b = 0; b < B; b++) {
      const example = this.examples[chosen[b]];
      batch.indices[b] = chosen[b];
      batch.lengths[b] = example.length;
      if (batch.inputs && example.inputs) batch.inputs.set(example.inputs.subarray(0, example.length * I), b * T * I);
      if (batch.inputIds && example.inputIds) batch.inputIds.set(example.inputIds, b * T);
      if (batch.targets && example.targets) batch.targets.set(example.targets.subarray(0, O), b * O);
      if (example.targetClass !== undefined) batch.targetIds![b] = example.targetClass;
      if (example.targetIds) {
        batch.targetIds!.set(example.targetIds, b * targetSteps);
        batch.targetLengths![b] = example.targetIds.length;
      }
      if (example.decoderInputIds) batch.decoderInputIds!.set(example.decoderInputIds, b * targetSteps);
    }
    return batch;
  }

  private buffersFor(B: number, T: number, targetSteps: number): Batch {
    const key = `${B}:${T}:${targetSteps}`;
    const cached = this.bufferCache.get(key);
    if (cached) return cached;
    const first = this.examples[0];
    const { featureCount: I, targetWidth: O } = this.layout;
    const batch: Batch = { size: B, steps: T, lengths: new Int32Array(B), indices: new Int32Array(B) };
    if (first.inputs) batch.inputs = new Float32Array(B * T * I); // [B,T,I]
    if (first.inputIds) batch.inputIds = new Int32Array(B * T); // [B,T]
    if (first.targets) batch.targets = new Float32Array(B * O); // [B,O]
    if (first.targetClass !== undefined) batch.targetIds = new Int32Array(B); // [B]
    if (first.targetIds) {
      batch.targetIds = new Int32Array(B * targetSteps); // [B,T']
      batch.targetSteps = targetSteps;
      batch.targetLengths = new Int32Array(B);
    }
    if (first.decoderInputIds) batch.decoderInputIds = new Int32Array(B * targetSteps); // [B,T']
    this.bufferCache.set(key, batch);
    return batch;
  }
}
