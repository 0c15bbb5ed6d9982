/**
 * Provisional token ids (numbered by first appearance, before the vocabulary is known) staged on disk while a
 * cache is built, so a file larger than memory never has its ids in one array: `ProvisionalIdFile` for a stream
 * (plain text), `DiskRaggedIds` for sequences (texts, sentences, pairs) with their offsets.
 */
import { RaggedOffsets } from '../raggedIds';
import type { DataFile } from '../types';
import { BufferedWriter, bytesOf, forEachStoredChunk, readAtLeast, storedArray, type StoredArray, type StoredDtype } from './cacheIo';
import type { CacheHostIo } from './cacheFolder';

const BUFFER_IDS = 1 << 20;

/** Provisional ids written as they come: uint16 until an id needs more, then the file is rewritten as int32 once. */
export class ProvisionalIdFile {
  count = 0;
  dtype: StoredDtype = 'uint16';
  private writer: BufferedWriter;

  constructor(
    private readonly io: CacheHostIo,
    private readonly folder: string,
    private readonly name = 'provisional',
  ) {
    this.writer = new BufferedWriter(io.cache.createFile(this.path), new Uint16Array(BUFFER_IDS));
  }

  get path(): string {
    return `${this.folder}/${this.name}.${this.dtype}`;
  }

  push(id: number): void {
    if (id > 0xffff && this.dtype === 'uint16') this.widen();
    this.writer.push(id);
    this.count++;
  }

  close(): void {
    this.writer.close();
  }

  private widen(): void {
    this.writer.close();
    const narrowPath = this.path;
    this.dtype = 'int32';
    const wide = new BufferedWriter(this.io.cache.createFile(this.path), new Int32Array(BUFFER_IDS));
    const narrow = this.io.openFile!(narrowPath);
    try {
      forEachStoredChunk(narrow, 'uint16', 0, this.count, narrowPath, (ids) => {
        for (let i = 0; i < ids.length; i++) wide.push(ids[i]);
      });
    } finally {
      narrow.close();
    }
    this.io.cache.remove(narrowPath);
    this.writer = wide;
  }
}

/**
 * `RaggedIds` with the ids on disk (the offsets, 8 bytes a sequence, stay in memory): filled by a loader's pass,
 * then `finish` opens the file and a sequence is visited with one positional read.
 */
export class DiskRaggedIds extends RaggedOffsets {
  private readonly ids: ProvisionalIdFile;
  private reader?: DataFile;
  private finished = false;
  private scratch: StoredArray = new Uint16Array(0);
  private scratchBytes: Uint8Array = new Uint8Array(0);

  constructor(private readonly io: CacheHostIo, folder: string, name: string) {
    super();
    this.ids = new ProvisionalIdFile(io, folder, name);
  }

  push(value: number): void {
    this.ids.push(value);
  }

  protected get idCount(): number {
    return this.ids.count;
  }

  /** The pass is over: the file is complete and read from now on. */
  finish(): void {
    this.finished = true;
    this.ids.close();
    this.reader = this.io.openFile!(this.ids.path);
    this.scratch = storedArray(this.ids.dtype, 256);
    this.scratchBytes = bytesOf(this.scratch);
  }

  forEach(sequence: number, visit: (id: number) => void): void {
    const length = this.length(sequence);
    if (this.scratch.length < length) {
      this.scratch = storedArray(this.ids.dtype, 2 * length);
      this.scratchBytes = bytesOf(this.scratch);
    }
    const size = this.scratch.BYTES_PER_ELEMENT;
    readAtLeast(this.reader!, this.offsets.get(sequence) * size, this.scratchBytes, length * size, this.ids.path);
    for (let i = 0; i < length; i++) visit(this.scratch[i]);
  }

  /**
   * Writes the sequences `order[0, end)` in that order, each id mapped through `map` and `suffix` appended to each
   * (`</s>`), to `ids`; and their offsets ([end+1], from 0) to `offsets` (unless they are another column's). Returns how many ids were written.
   */
  writeGathered(order: ArrayLike<number>, end: number, map: Int32Array, ids: BufferedWriter, offsets: BufferedWriter<Float64Array> | undefined, suffix?: number): number {
    let written = 0;
    offsets?.push(0);
    for (let k = 0; k < end; k++) {
      this.forEach(order[k], (id) => ids.push(map[id]));
      written += this.length(order[k]);
      if (suffix !== undefined) (ids.push(suffix), written++);
      offsets?.push(written);
    }
    return written;
  }

  /** Closes and deletes the staged file (also after a pass that failed). */
  dispose(): void {
    if (!this.finished) this.ids.close();
    this.finished = true;
    this.reader?.close();
    this.reader = undefined;
    this.io.cache.remove(this.ids.path);
  }
}
