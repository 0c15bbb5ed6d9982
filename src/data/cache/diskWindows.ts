/**
 * A split whose windows live in a cache file: window i is read with one positional read into a scratch that an
 * in-memory store (built over that scratch, as its window 0) then writes into the batch — so the numbers come
 * from the very code the in-memory path runs, and a step allocates nothing.
 */
import type { BatchFields, Example, ExampleStore } from '../batching';
import type { Batch, DataFile } from '../types';
import { readExactly } from './cacheIo';

export class DiskWindowStore implements ExampleStore {
  readonly fields: BatchFields;
  readonly slidingWindows?: boolean;

  constructor(
    private readonly file: DataFile,
    private readonly path: string,
    /** The bytes of the scratch `window` reads. */
    private readonly scratch: Uint8Array,
    /** The in-memory store over the scratch: its example 0 is the window just read. */
    private readonly window: ExampleStore,
    readonly count: number,
    /** Byte offset of window i in the file. */
    private readonly position: (i: number) => number,
  ) {
    this.fields = window.fields;
    this.slidingWindows = window.slidingWindows;
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

  private load(i: number): void {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`window ${i} is outside 0..${this.count - 1}`);
    readExactly(this.file, this.position(i), this.scratch, this.path);
  }
}
