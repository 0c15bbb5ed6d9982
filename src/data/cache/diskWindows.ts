/**
 * A split whose windows live in a cache file: window i is read with one positional read into a scratch that an
 * in-memory store (built over that scratch, as its window 0) then writes into the batch — so the numbers come
 * from the very code the in-memory path runs, and a step allocates nothing. A pass over every window (the
 * baselines) reads many consecutive windows at once instead (`chunks`): one positional read per chunk.
 */
import type { BatchFields, Example, ExampleStore } from '../batching';
import type { Batch, DataFile } from '../types';
import { readExactly } from './cacheIo';

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
