/**
 * A split whose windows live in a cache file: window i is read with one positional read into a scratch that an
 * in-memory store (built over that scratch, as its window 0) then writes into the batch — so the numbers come
 * from the very code the in-memory path runs, and a step allocates nothing. A pass over every window (the
 * baselines) reads many consecutive windows at once instead (`chunks`): one positional read per chunk.
 */
import { PackedStore, type BatchFields, type Example, type ExampleStore, type IdArray, type PackedColumns } from '../batching';
import type { Batch, DataFile } from '../types';
import { bytesOf, dtypeOf, readAtLeast, readExactly, storedArray, type StoredDtype } from './cacheIo';

/** A buffer for `windows` consecutive windows read from the first one's position on, and the in-memory store over it. */
export type WindowsInMemory = (windows: number) => { bytes: Uint8Array; store: ExampleStore };

export class DiskWindowStore implements ExampleStore {
  readonly fields: BatchFields;
  readonly slidingWindows?: boolean;
  /** The bytes of one window, and the in-memory store over them: its example 0 is the window just read. */
  private readonly scratch: Uint8Array;
  private readonly window: ExampleStore;

  constructor(
    private readonly file: DataFile,
    private readonly path: string,
    private readonly inMemory: WindowsInMemory,
    readonly count: number,
    /** Byte offset of window i in the file. */
    private readonly position: (i: number) => number,
  ) {
    ({ bytes: this.scratch, store: this.window } = inMemory(1));
    this.fields = this.window.fields;
    this.slidingWindows = this.window.slidingWindows;
  }

  length(): number {
    return this.window.length(0);
  }

  targetLength(): number {
    return this.window.targetLength(0);
  }

  write(i: number, batch: Batch, b: number): void {
    this.load(i);
    this.window.write(0, batch, b);
  }

  example(i: number): Example {
    this.load(i);
    return this.window.example(0);
  }

  /** Every window in order, as in-memory stores of consecutive windows read in one piece of about `bytes`. */
  *chunks(bytes: number): Iterable<ExampleStore> {
    const stride = this.count > 1 ? this.position(1) - this.position(0) : this.scratch.length;
    const perChunk = Math.max(1, Math.floor((bytes - this.scratch.length) / Math.max(1, stride)) + 1);
    let full: ReturnType<WindowsInMemory> | undefined;
    for (let first = 0; first < this.count; first += perChunk) {
      const n = Math.min(perChunk, this.count - first);
      const chunk = n === perChunk ? (full ??= this.inMemory(n)) : this.inMemory(n);
      readExactly(this.file, this.position(first), chunk.bytes, this.path);
      yield chunk.store;
    }
  }

  private load(i: number): void {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`window ${i} is outside 0..${this.count - 1}`);
    readExactly(this.file, this.position(i), this.scratch, this.path);
  }
}

/**
 * A ragged id column in a cache file: example i's ids are ids [offsets[first+i], offsets[first+i+1]) of the file,
 * the offsets (float64, in ids from the file's start) read from their own file with the ids, per run of examples.
 */
export interface DiskIdColumn {
  file: DataFile;
  path: string;
  dtype: StoredDtype;
  offsetsFile: DataFile;
  offsetsPath: string;
  /** Where this store's example 0 is in the offsets file (a split starts where the one before it ends). */
  first: number;
  /**
   * [count] each example's length, in memory in the narrowest type (a byte or two an example, not the offsets'
   * eight), so batches are sized and bucketed without a read.
   */
  lengths: IdArray;
}

export interface DiskPackedTargets {
  /** Class ids [count], in memory (text classification). */
  classes?: IdArray;
  /** Per-step target ids (tags; a seq2seq target with its `</s>`). */
  ids?: DiskIdColumn;
  /** seq2seq: the decoder reads `<s>` and the targets shifted right. */
  decoderInputs?: boolean;
}

/**
 * `PackedStore`'s examples with the ids on disk (texts, sentences, pairs, in split order): example i is read with
 * two positional reads per id column (its offsets, its ids) into a one-example `PackedStore`, whose `write` and
 * `example` do the rest; a pass over the split reads consecutive examples in pieces (`chunks`). Lengths are in memory.
 */
/** Columns for a run of examples, with the bytes of their id and offset arrays (the views positional reads fill). */
interface RunBuffers {
  columns: PackedColumns;
  inputBytes: Uint8Array;
  inputOffsetBytes: Uint8Array;
  targetBytes?: Uint8Array;
  targetOffsetBytes?: Uint8Array;
}

export class DiskPackedStore implements ExampleStore {
  readonly fields: BatchFields;
  /** The one-example store's buffers: its example 0 is the example just read. */
  private readonly scratch: RunBuffers;
  private readonly one: PackedStore;

  constructor(
    readonly count: number,
    private readonly inputs: DiskIdColumn,
    private readonly targets: DiskPackedTargets,
  ) {
    this.scratch = this.buffersFor(1, longest(inputs.lengths), targets.ids ? longest(targets.ids.lengths) : 0);
    this.one = new PackedStore(this.scratch.columns);
    this.fields = this.one.fields;
  }

  length(i: number): number {
    return this.inputs.lengths[i];
  }

  targetLength(i: number): number {
    return this.targets.ids ? this.targets.ids.lengths[i] : 0;
  }

  write(i: number, batch: Batch, b: number): void {
    this.load(i, 1, this.scratch);
    this.one.write(0, batch, b);
  }

  example(i: number): Example {
    this.load(i, 1, this.scratch);
    return this.one.example(0);
  }

  /** Every example in order, as in-memory `PackedStore`s of consecutive examples whose input ids take about `bytes`. */
  *chunks(bytes: number): Iterable<ExampleStore> {
    const lengths = this.inputs.lengths;
    const targetLengths = this.targets.ids?.lengths;
    const size = this.scratch.columns.inputIds!.BYTES_PER_ELEMENT;
    for (let first = 0; first < this.count; ) {
      let n = 1;
      let steps = lengths[first];
      let targetSteps = targetLengths ? targetLengths[first] : 0;
      while (first + n < this.count && (steps + lengths[first + n]) * size <= bytes) {
        steps += lengths[first + n];
        targetSteps += targetLengths ? targetLengths[first + n] : 0;
        n++;
      }
      const buffers = this.buffersFor(n, steps, targetSteps);
      this.load(first, n, buffers);
      yield new PackedStore(buffers.columns);
      first += n;
    }
  }

  /** Buffers for `n` examples of `steps` input ids and `targetSteps` target ids in all. */
  private buffersFor(n: number, steps: number, targetSteps: number): RunBuffers {
    const inputIds = storedArray(this.inputs.dtype, steps) as IdArray;
    const columns: PackedColumns = { count: n, inputOffsets: new Float64Array(n + 1), inputIds, decoderInputs: this.targets.decoderInputs === true };
    if (this.targets.classes) columns.targetClass = storedArray(dtypeOf(this.targets.classes), n) as IdArray;
    const buffers: RunBuffers = { columns, inputBytes: bytesOf(inputIds), inputOffsetBytes: bytesOf(columns.inputOffsets) };
    if (!this.targets.ids) return buffers;
    columns.targetIds = storedArray(this.targets.ids.dtype, targetSteps) as IdArray;
    columns.targetOffsets = new Float64Array(n + 1);
    return { ...buffers, targetBytes: bytesOf(columns.targetIds), targetOffsetBytes: bytesOf(columns.targetOffsets) };
  }

  /** Reads examples [first, first+n) into `buffers` (offsets from 0). */
  private load(first: number, n: number, buffers: RunBuffers): void {
    if (!(first >= 0 && first + n <= this.count)) throw new RangeError(`example ${first} is outside 0..${this.count - 1}`);
    const { columns } = buffers;
    readRun(this.inputs, first, columns.inputOffsets, buffers.inputOffsetBytes, buffers.inputBytes, columns.inputIds!.BYTES_PER_ELEMENT);
    const classes = this.targets.classes;
    if (classes) for (let k = 0; k < n; k++) columns.targetClass![k] = classes[first + k];
    if (this.targets.ids) readRun(this.targets.ids, first, columns.targetOffsets!, buffers.targetOffsetBytes!, buffers.targetBytes!, columns.targetIds!.BYTES_PER_ELEMENT);
  }
}

/**
 * Examples [first, first+n) of `column` (n = offsets.length - 1), with two positional reads: their offsets into
 * `offsets` (through `offsetBytes`, its bytes; then made to count from 0), their ids (`size` bytes each) into `bytes`.
 */
function readRun(column: DiskIdColumn, first: number, offsets: Float64Array, offsetBytes: Uint8Array, bytes: Uint8Array, size: number): void {
  readExactly(column.offsetsFile, (column.first + first) * 8, offsetBytes, column.offsetsPath);
  const start = offsets[0];
  for (let k = 0; k < offsets.length; k++) offsets[k] -= start;
  readAtLeast(column.file, start * size, bytes, offsets[offsets.length - 1] * size, column.path);
}

function longest(lengths: IdArray): number {
  let most = 0;
  for (let i = 0; i < lengths.length; i++) most = Math.max(most, lengths[i]);
  return most;
}
