/**
 * What the disk cache needs from its host, beside `DataIo` (reads): stat a data file, make and rename folders,
 * write files sequentially. Node's implementation is `src/train/nodeDataCache.ts`; src/data stays Node-free.
 * Also the little helpers that move typed arrays to and from those files as raw little-endian bytes.
 */
import type { DataFile } from '../types';

export interface DataCacheIo {
  /** Data files of at least this many bytes are read through the cache (0: every file; Infinity: none). */
  readonly thresholdBytes: number;
  /** The file as the cache keys it: its resolved path (symbolic links followed), size and modification time. */
  identify(path: string): { realPath: string; size: number; mtimeMs: number };
  exists(path: string): boolean;
  listDirectory(path: string): string[];
  /** Creates the folder and its parents as needed. */
  makeDirectory(path: string): void;
  /** Removes a file or a folder with everything in it; nothing when it does not exist. */
  remove(path: string): void;
  /** Renames a folder; false (and nothing changed) when `to` exists already, e.g. another process built it first. */
  renameDirectory(from: string, to: string): boolean;
  /** Creates (or truncates) a file for sequential writes. */
  createFile(path: string): DataFileWriter;
}

export interface DataFileWriter {
  write(bytes: Uint8Array): void;
  /** Flushes the file to disk (fsync) and closes it. */
  close(): void;
}

/** True on the little-endian hosts the raw files are written for (every platform Node and VS Code run on). */
export const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The bytes of a typed array, without a copy. */
export function bytesOf(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Fills `target` from byte `position` of the file; throws when the file ends first (a cut cache file). */
export function readExactly(file: DataFile, position: number, target: Uint8Array, name: string): void {
  let done = 0;
  while (done < target.length) {
    const read = file.read(position + done, done === 0 ? target : target.subarray(done));
    if (read <= 0) throw new Error(`${name}: the cache file ends at byte ${position + done}, before the ${target.length} bytes asked for at ${position}; delete its folder to rebuild it`);
    done += read;
  }
}

/**
 * Reads at least `needed` bytes at byte `position` into the start of `target` (up to its length: what follows is
 * the next example's, unused), so a ragged example needs no view of its own length; throws when the file ends first.
 */
export function readAtLeast(file: DataFile, position: number, target: Uint8Array, needed: number, name: string): void {
  let done = file.read(position, target);
  while (done < needed) {
    const read = file.read(position + done, target.subarray(done));
    if (read <= 0) throw new Error(`${name}: the cache file ends at byte ${position + done}, before the ${needed} bytes asked for at ${position}; delete its folder to rebuild it`);
    done += read;
  }
}

/** A typed array a cache file holds, by its dtype name. */
export type StoredArray = Float64Array | Float32Array | Uint8Array | Uint16Array | Int32Array;
export type StoredDtype = 'float64' | 'float32' | 'uint8' | 'uint16' | 'int32';
const MAKERS: Record<StoredDtype, (length: number) => StoredArray> = {
  float64: (n) => new Float64Array(n),
  float32: (n) => new Float32Array(n),
  uint8: (n) => new Uint8Array(n),
  uint16: (n) => new Uint16Array(n),
  int32: (n) => new Int32Array(n),
};

export function storedArray(dtype: StoredDtype, length: number): StoredArray {
  return MAKERS[dtype](length);
}

export function dtypeOf(values: StoredArray): StoredDtype {
  return values instanceof Float64Array ? 'float64' : values instanceof Float32Array ? 'float32' : values instanceof Uint8Array ? 'uint8' : values instanceof Uint16Array ? 'uint16' : 'int32';
}

/** The first `length` values of a raw `dtype` file as one array (arrays of one value per example, read at open). */
export function readStoredArray(file: DataFile, dtype: StoredDtype, length: number, name: string): StoredArray {
  const values = storedArray(dtype, length);
  readExactly(file, 0, bytesOf(values), name);
  return values;
}

/**
 * Visits values [start, end) of a raw `dtype` file in order, in chunks of a multiple of `group` values (whole
 * rows) of about `chunkBytes`, through one reused buffer; `visit` gets a view of each chunk.
 */
export function forEachStoredChunk(file: DataFile, dtype: StoredDtype, start: number, end: number, name: string, visit: (values: StoredArray) => void, group = 1, chunkBytes = 4 << 20): void {
  const probe = storedArray(dtype, 0);
  const size = probe.BYTES_PER_ELEMENT;
  const perChunk = Math.max(1, Math.floor(chunkBytes / (size * group))) * group;
  const buffer = storedArray(dtype, Math.min(perChunk, Math.max(0, end - start)));
  const bytes = bytesOf(buffer);
  for (let at = start; at < end; at += perChunk) {
    const n = Math.min(perChunk, end - at);
    readExactly(file, at * size, n === buffer.length ? bytes : bytes.subarray(0, n * size), name);
    visit(n === buffer.length ? buffer : buffer.subarray(0, n));
  }
}

/** Collects values into a buffer of `capacity` and writes it whenever it fills (and at `flush`). */
export class BufferedWriter<A extends StoredArray = StoredArray> {
  private length = 0;

  constructor(
    private readonly out: DataFileWriter,
    private readonly buffer: A,
  ) {}

  push(value: number): void {
    this.buffer[this.length++] = value;
    if (this.length === this.buffer.length) this.flush();
  }

  flush(): void {
    if (this.length > 0) this.out.write(bytesOf(this.buffer.subarray(0, this.length)));
    this.length = 0;
  }

  /** Flushes, then syncs and closes the file. */
  close(): void {
    this.flush();
    this.out.close();
  }
}
