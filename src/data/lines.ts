/**
 * Lines of a text given in chunks, as `text.split(/\r\n|\n|\r/)` would give them (a CRLF cut between two chunks
 * is one line end), with 1-based line numbers; only the current line is ever held.
 */
export function forEachLine(chunks: Iterable<string>, onLine: (text: string, line: number) => void): void {
  let carry = '';
  let line = 1;
  let afterCr = false;
  for (const chunk of chunks) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      if (c === 0x0a && afterCr && i === start && carry === '') {
        // The LF of a CRLF whose CR ended the previous line.
        afterCr = false;
        start = i + 1;
        continue;
      }
      onLine(carry + chunk.slice(start, i), line++);
      carry = '';
      afterCr = c === 0x0d;
      start = i + 1;
    }
    if (start < chunk.length) {
      carry += chunk.slice(start);
      afterCr = false;
    }
  }
  onLine(carry, line);
}

/**
 * A copy of `text` that does not keep a larger string alive: V8 represents a slice of a long string as a view of
 * it, so a token kept in a vocabulary map could otherwise hold a whole multi-MB chunk of the file.
 */
export function ownString(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}
