/**
 * The Node side of looking at a data file without loading it: `stat` first, refuse anything that is not a regular
 * file (a named pipe would block the opener until a writer appears, a device may never end), then read at most
 * the first `DATA_HEAD_BYTES`. The extension host uses the asynchronous form (`nodeDataFileIo`, through its head
 * cache), the CLI and the worker the synchronous `probeDataFileSync` for spec analysis: neither reads a whole file.
 * The streaming loaders' `openNodeDataFile` refuses the same paths with the same `NotARegularFileError`.
 */
import * as fs from 'node:fs';
import { DATA_HEAD_BYTES, type DataFileFacts } from '../modelSpec/dataFiles';
import { describeDataFileKind, type FileStatLike } from '../modelSpec/dataFileKind';

/** Opening flags: read-only, and non-blocking so that a file swapped for a FIFO after its stat cannot hang the open. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** The file operations the head cache needs: a stat and a bounded read, nothing that reads a whole file. */
export interface DataFileIo {
  /** The file's stat, or undefined when it does not exist. */
  stat(absolutePath: string): Promise<(FileStatLike & { size: number; mtimeMs: number }) | undefined>;
  /** At most `maxBytes` from the start of a regular file. */
  readHead(absolutePath: string, maxBytes: number): Promise<Uint8Array>;
}

const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

export const nodeDataFileIo: DataFileIo = {
  async stat(absolutePath) {
    try {
      return await fs.promises.stat(absolutePath);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },
  async readHead(absolutePath, maxBytes) {
    const handle = await fs.promises.open(absolutePath, OPEN_FLAGS);
    try {
      // Checked again on the open handle: the path may have been replaced since its stat.
      const kind = describeDataFileKind(await handle.stat());
      if (kind !== 'file') throw new Error(`${absolutePath} is no longer a regular file`);
      const buffer = new Uint8Array(maxBytes);
      let filled = 0;
      while (filled < maxBytes) {
        const { bytesRead } = await handle.read(buffer, filled, maxBytes - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  },
};

/** Facts from a stat and the head bytes read after it (shared by the sync and async forms). */
export function factsFromHead(stat: { size: number; mtimeMs: number }, bytes: Uint8Array): DataFileFacts {
  return {
    status: 'file',
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    // A head cut inside a multi-byte character decodes it as U+FFFD, in the partial last line the checks drop.
    head: new TextDecoder().decode(bytes),
    headBytes: bytes.length,
    complete: bytes.length >= stat.size,
  };
}

/** Stat then read the head, synchronously (for the CLI and the worker, which may block; never the extension host). */
export function probeDataFileSync(absolutePath: string, maxBytes = DATA_HEAD_BYTES): DataFileFacts {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolutePath);
  } catch (error) {
    return isMissing(error) ? { status: 'missing' } : { status: 'unreadable', reason: (error as Error).message };
  }
  const kind = describeDataFileKind(stat);
  if (kind !== 'file') return { status: 'not-a-file', kind };
  let fd: number | undefined;
  try {
    fd = fs.openSync(absolutePath, OPEN_FLAGS);
    const opened = fs.fstatSync(fd);
    const openedKind = describeDataFileKind(opened);
    if (openedKind !== 'file') return { status: 'not-a-file', kind: openedKind };
    const buffer = new Uint8Array(Math.min(maxBytes, opened.size));
    let filled = 0;
    while (filled < buffer.length) {
      const bytesRead = fs.readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return factsFromHead(opened, buffer.subarray(0, filled));
  } catch (error) {
    return { status: 'unreadable', reason: (error as Error).message };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
