/**
 * A data file's text in chunks: positional reads of a few MB, decoded as UTF-8 in streaming mode (a character cut
 * by a chunk boundary is completed by the next read), so loaders see pieces of text and never the whole file as one
 * string. Invalid UTF-8 is a DataError at its line and column; finding them re-reads the file up to the bad byte,
 * so the common path does no line counting of its own.
 */
import { DataError, type DataFile, type DataIo } from './types';

/** Bytes per read: large enough that per-chunk costs vanish, small enough to stay out of the peak memory. */
export const CHUNK_BYTES = 4 << 20;

/** The text of `path` in chunks (one piece when the io cannot open files). `file` names it in errors. */
export function* textChunks(io: DataIo, path: string, file = path, chunkBytes = CHUNK_BYTES): Iterable<string> {
  if (!io.openFile) {
    yield io.readTextFile(path);
    return;
  }
  const handle = io.openFile(path);
  try {
    // ignoreBOM: the BOM reaches the loaders as it does from readTextFile, and they skip it themselves.
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const buffer = new Uint8Array(chunkBytes);
    let position = 0;
    for (;;) {
      const read = handle.read(position, buffer);
      let text: string;
      try {
        text = decoder.decode(buffer.subarray(0, read), { stream: read > 0 });
      } catch {
        throw invalidUtf8Error(handle, file, chunkBytes);
      }
      if (text.length > 0) yield text;
      if (read === 0) return;
      position += read;
    }
  } finally {
    handle.close();
  }
}

/** Byte offset of the first byte that is not part of a valid UTF-8 sequence in `bytes` from `start`, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array, start = 0, final = true): number {
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    if (i + length > bytes.length) return final ? i : -1;
    const second = bytes[i + 1];
    // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += length;
  }
  return -1;
}

/** Finds the first invalid byte of the file and says where it is as `file:line:col` (columns in UTF-16 units, as the loaders count). */
function invalidUtf8Error(handle: DataFile, file: string, chunkBytes: number): DataError {
  const buffer = new Uint8Array(chunkBytes + 3);
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let line = 1;
  let column = 1;
  let afterCr = false;
  const count = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a && afterCr) afterCr = false;
      else if (c === 0x0a || c === 0x0d) (line++, (column = 1), (afterCr = c === 0x0d));
      else (column++, (afterCr = false));
    }
  };
  let position = 0;
  let carried = 0; // bytes of an incomplete sequence at the end of the previous read, moved to the buffer's start
  for (;;) {
    const read = handle.read(position, buffer.subarray(carried, carried + chunkBytes));
    const end = carried + read;
    const bad = firstInvalidUtf8(buffer.subarray(0, end), 0, read === 0);
    if (bad >= 0) {
      count(decoder.decode(buffer.subarray(0, bad)));
      return new DataError(file, line, column, 'the file is not valid UTF-8 (save it as UTF-8)');
    }
    if (read === 0) return new DataError(file, line, column, 'the file is not valid UTF-8 (save it as UTF-8)');
    // Keep a trailing incomplete sequence for the next read (at most 3 bytes).
    let keep = 0;
    for (let k = 1; k <= Math.min(3, end); k++) {
      const b = buffer[end - k];
      if ((b & 0xc0) === 0x80) continue;
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (length > k) keep = k;
      break;
    }
    count(decoder.decode(buffer.subarray(0, end - keep), { stream: true }));
    buffer.copyWithin(0, end - keep, end);
    carried = keep;
    position += read;
  }
}
