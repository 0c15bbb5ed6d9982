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

/** A ragged id column in a cache file: example i's ids are ids [offsets[i], offsets[i+1]) of the file. */
export interface DiskIdColumn {
  file: DataFile;
  path: string;
  dtype: StoredDtype;
  /** [count+1], in ids from the file's start; kept in memory (8 bytes an example), so batches are sized without a read. */
  offsets: Float64Array;
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
 * one positional read per id column into a one-example `PackedStore`, whose `write` and `example` do the rest; a
 * pass over the split reads consecutive examples in pieces (`chunks`). Lengths come from the offsets in memory.
 */
/** Columns for a run of examples, with the bytes of their id arrays (the views positional reads fill). */
interface RunBuffers {
  columns: PackedColumns;
  inputBytes: Uint8Array;
  targetBytes?: Uint8Array;
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
    this.scratch = this.buffersFor(1, longest(inputs.offsets), targets.ids ? longest(targets.ids.offsets) : 0);
    this.one = new PackedStore(this.scratch.columns);
    this.fields = this.one.fields;
  }

  length(i: number): number {
    return this.inputs.offsets[i + 1] - this.inputs.offsets[i];
  }

  targetLength(i: number): number {
    const offsets = this.targets.ids?.offsets;
    return offsets ? offsets[i + 1] - offsets[i] : 0;
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
    const offsets = this.inputs.offsets;
    const targetOffsets = this.targets.ids?.offsets;
    const size = this.scratch.columns.inputIds!.BYTES_PER_ELEMENT;
    for (let first = 0; first < this.count; ) {
      let n = 1;
      while (first + n < this.count && (offsets[first + n + 1] - offsets[first]) * size <= bytes) n++;
      const buffers = this.buffersFor(n, offsets[first + n] - offsets[first], targetOffsets ? targetOffsets[first + n] - targetOffsets[first] : 0);
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
    if (!this.targets.ids) return { columns, inputBytes: bytesOf(inputIds) };
    columns.targetIds = storedArray(this.targets.ids.dtype, targetSteps) as IdArray;
    columns.targetOffsets = new Float64Array(n + 1);
    return { columns, inputBytes: bytesOf(inputIds), targetBytes: bytesOf(columns.targetIds) };
  }

  /** Reads examples [first, first+n) into `buffers` (offsets from 0). */
  private load(first: number, n: number, buffers: RunBuffers): void {
    if (!(first >= 0 && first + n <= this.count)) throw new RangeError(`example ${first} is outside 0..${this.count - 1}`);
    const { columns } = buffers;
    readRun(this.inputs, first, n, columns.inputOffsets, buffers.inputBytes, columns.inputIds!.BYTES_PER_ELEMENT);
    const classes = this.targets.classes;
    if (classes) for (let k = 0; k < n; k++) columns.targetClass![k] = classes[first + k];
    if (this.targets.ids) readRun(this.targets.ids, first, n, columns.targetOffsets!, buffers.targetBytes!, columns.targetIds!.BYTES_PER_ELEMENT);
  }
}

/** The ids of examples [first, first+n) of `column` (`size` bytes each) into `bytes` with one positional read, their offsets (from 0) into `offsets`. */
function readRun(column: DiskIdColumn, first: number, n: number, offsets: Float64Array, bytes: Uint8Array, size: number): void {
  const start = column.offsets[first];
  for (let k = 0; k <= n; k++) offsets[k] = column.offsets[first + k] - start;
  readAtLeast(column.file, start * size, bytes, offsets[n] * size, column.path);
}

function longest(offsets: Float64Array): number {
  let most = 0;
  for (let i = 0; i + 1 < offsets.length; i++) most = Math.max(most, offsets[i + 1] - offsets[i]);
  return most;
}
