import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstInvalidUtf8, textChunks } from './textChunks';
import { forEachLine } from './lines';
import { DataError, type DataIo } from './types';

/** An io over in-memory bytes whose reads return at most `bytesPerRead` bytes (short reads, as a pipe would give). */
function bytesIo(bytes: Uint8Array, bytesPerRead: number): DataIo & { closed: number } {
  const io = {
    closed: 0,
    readTextFile: () => {
      throw new Error('the chunked path must be used');
    },
    openFile: () => ({
      size: bytes.length,
      read: (position: number, target: Uint8Array) => {
        const n = Math.max(0, Math.min(bytesPerRead, target.length, bytes.length - position));
        target.set(bytes.subarray(position, position + n));
        return n;
      },
      close: () => void io.closed++,
    }),
  };
  return io;
}

const sample = '\uFEFFé,ü\r\n"naïve ""quote""",😀\r\n日本語,x\n';

test('text chunks: every chunk size, cutting multi-byte characters and CRLF anywhere, gives back the exact text', () => {
  const bytes = new TextEncoder().encode(sample);
  for (const size of [1, 2, 3, 5, 7, 64]) {
    for (const chunkBytes of [1, 3, 4, 1024]) {
      const io = bytesIo(bytes, size);
      const pieces = [...textChunks(io, 'f.csv', 'f.csv', chunkBytes)];
      assert.equal(pieces.join(''), sample, `reads of ${size}, chunks of ${chunkBytes}`);
      assert.equal(io.closed, 1);
    }
  }
});

test('text chunks: invalid UTF-8 is a DataError at its line and column, wherever the chunks are cut', () => {
  // Line 3, column 4 (after "ab\r\n" and "€x\n" and "é😀" = 3 UTF-16 units): a lone continuation byte.
  const good = new TextEncoder().encode('ab\r\n€x\né😀');
  const bytes = new Uint8Array([...good, 0x80, 0x41, 0x0a]);
  for (const chunkBytes of [1, 2, 5, 4096]) {
    assert.throws(() => [...textChunks(bytesIo(bytes, 3), 'f.txt', 'data/f.txt', chunkBytes)], (error: unknown) => {
      assert.ok(error instanceof DataError, String(error));
      assert.equal(error.message, 'data/f.txt:3:4: the file is not valid UTF-8 (save it as UTF-8)');
      return true;
    });
  }
  // A sequence cut by the end of the file is invalid too.
  const truncated = new Uint8Array([0x61, 0x0a, 0xe2, 0x82]);
  assert.throws(() => [...textChunks(bytesIo(truncated, 1), 'f.txt', 'f.txt', 2)], /f\.txt:2:1: the file is not valid UTF-8/);
});

test('utf-8 validation rejects overlong forms, surrogates and bytes past U+10FFFF, and accepts the rest', () => {
  assert.equal(firstInvalidUtf8(new TextEncoder().encode('aé€😀')), -1);
  assert.equal(firstInvalidUtf8(Uint8Array.of(0x61, 0xc0, 0x80)), 1); // overlong NUL
  assert.equal(firstInvalidUtf8(Uint8Array.of(0xed, 0xa0, 0x80)), 0); // surrogate U+D800
  assert.equal(firstInvalidUtf8(Uint8Array.of(0xf4, 0x90, 0x80, 0x80)), 0); // U+110000
  assert.equal(firstInvalidUtf8(Uint8Array.of(0x61, 0xe2, 0x82), 0, false), -1); // incomplete, more may follow
});

test('lines: chunks cut anywhere (inside CRLF too) give the lines of split(/\\r\\n|\\n|\\r/) with their numbers', () => {
  const text = 'a\r\nb\rc\n\nd\r\n\r\ne';
  const expected = text.split(/\r\n|\n|\r/);
  for (let cut = 0; cut <= text.length; cut++) {
    const lines: string[] = [];
    forEachLine([text.slice(0, cut), text.slice(cut)], (line, number) => {
      assert.equal(number, lines.length + 1);
      lines.push(line);
    });
    assert.deepEqual(lines, expected, `cut at ${cut}`);
  }
});
