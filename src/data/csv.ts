/**
 * A small RFC 4180 reader that remembers where every field starts, so loaders can report `file:line:col`.
 * Handles a UTF-8 BOM, CRLF/LF/CR line ends, quoted fields with `""` escapes and line breaks inside quotes,
 * and skips blank lines. `CsvStreamParser` reads chunk by chunk; `parseCsv` is it over one string.
 */
import { DataError } from './types';

export interface CsvField {
  text: string;
  /** 1-based line and column of the field's first character (the opening quote when quoted). */
  line: number;
  column: number;
}

export interface CsvRecord {
  fields: CsvField[];
  /** 1-based line where the record starts. */
  line: number;
}

export interface CsvOptions {
  delimiter?: string;
}

/** Collects every record of a whole text (small files, tests); large files go through `CsvStreamParser`. */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): CsvRecord[] {
  const records: CsvRecord[] = [];
  const parser = new CsvStreamParser(file, (record) => records.push(record), options);
  parser.push(text);
  parser.end();
  return records;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

const enum State {
  /** Before the first character of a field. */
  FieldStart,
  /** Inside an unquoted field. */
  Unquoted,
  /** Inside a quoted field. */
  Quoted,
  /** A `"` inside a quoted field: either the first of `""` or the closing quote. */
  QuoteInQuoted,
  /** After a closing quote: only a delimiter or a line end may follow. */
  AfterClosingQuote,
}

/**
 * The same reader fed chunk by chunk (a chunk may end anywhere: inside a field, between `\r` and `\n`, inside
 * `""`), handing each record to `onRecord` as soon as it ends, so a file is never held as one string. Columns
 * count UTF-16 code units from the line start, as editors do.
 */
export class CsvStreamParser {
  private readonly delimiter: number;
  private state = State.FieldStart;
  private fields: CsvField[] = [];
  private value = '';
  private fieldLine = 1;
  private fieldColumn = 1;
  private recordLine = 1;
  private quotedFieldSeen = false;
  /** Lines seen so far (1-based) and the absolute offset where the current line starts. */
  private line = 1;
  private lineStart = 0;
  /** Absolute offset of the current chunk's first character. */
  private base = 0;
  /** The previous chunk ended with a `\r`: a `\n` opening this one belongs to the same line end. */
  private afterCr = false;
  private started = false;

  constructor(
    private readonly file: string,
    private readonly onRecord: (record: CsvRecord) => void,
    options: CsvOptions = {},
  ) {
    this.delimiter = (options.delimiter ?? ',').charCodeAt(0);
  }

  push(text: string): void {
    let i = 0;
    if (!this.started) {
      this.started = text.length > 0;
      // The BOM is not part of the first line's columns.
      if (text.charCodeAt(0) === 0xfeff) (i = 1), (this.lineStart = 1);
    }
    const n = text.length;
    const delimiter = this.delimiter;
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (this.afterCr) {
        this.afterCr = false;
        if (ch === LF) {
          // The second half of a CRLF: same line end, the line starts after it.
          if (this.state === State.Quoted) this.value += '\n';
          i++;
          this.lineStart = this.base + i;
          continue;
        }
      }
      switch (this.state) {
        case State.FieldStart:
          if (this.fields.length === 0) {
            this.recordLine = this.line;
            this.quotedFieldSeen = false;
          }
          this.fieldLine = this.line;
          this.fieldColumn = this.base + i - this.lineStart + 1;
          if (ch === QUOTE) {
            this.quotedFieldSeen = true;
            this.value = '';
            this.state = State.Quoted;
            i++;
          } else {
            this.value = '';
            this.state = State.Unquoted;
          }
          break;
        case State.Unquoted: {
          const start = i;
          while (i < n) {
            const c = text.charCodeAt(i);
            if (c === delimiter || c === CR || c === LF) break;
            i++;
          }
          if (i > start) this.value += text.slice(start, i);
          if (i < n) this.endField(text.charCodeAt(i), i++);
          break;
        }
        case State.Quoted: {
          const start = i;
          while (i < n) {
            const c = text.charCodeAt(i);
            if (c === QUOTE || c === CR || c === LF) break;
            i++;
          }
          if (i > start) this.value += text.slice(start, i);
          if (i >= n) break;
          const c = text.charCodeAt(i++);
          if (c === QUOTE) this.state = State.QuoteInQuoted;
          else {
            // A line break inside quotes is part of the value and starts a new line.
            this.value += c === CR ? '\r' : '\n';
            this.line++;
            this.lineStart = this.base + i;
            this.afterCr = c === CR;
          }
          break;
        }
        case State.QuoteInQuoted:
          if (ch === QUOTE) {
            this.value += '"';
            this.state = State.Quoted;
            i++;
          } else this.state = State.AfterClosingQuote;
          break;
        case State.AfterClosingQuote:
          if (ch !== delimiter && ch !== CR && ch !== LF) {
            throw new DataError(this.file, this.line, this.base + i - this.lineStart + 1, `unexpected ${JSON.stringify(text[i])} after a closing quote`);
          }
          this.endField(ch, i++);
          break;
      }
    }
    this.base += n;
  }

  /** The input is complete: ends the last record (a file need not end with a line break). */
  end(): void {
    if (this.state === State.Quoted) {
      throw new DataError(this.file, this.fieldLine, this.fieldColumn, 'unterminated quoted field (a `"` is never closed)');
    }
    if (this.state === State.FieldStart && this.fields.length === 0) return;
    if (this.state === State.FieldStart) {
      // A trailing delimiter at the end of the file leaves one more (empty) field.
      this.fieldLine = this.line;
      this.fieldColumn = this.base - this.lineStart + 1;
      this.value = '';
    }
    this.fields.push({ text: this.value, line: this.fieldLine, column: this.fieldColumn });
    this.endRecord();
  }

  /** `terminator` (a delimiter or a line end, at chunk offset `at`) closes the current field. */
  private endField(terminator: number, at: number): void {
    this.fields.push({ text: this.value, line: this.fieldLine, column: this.fieldColumn });
    this.value = '';
    this.state = State.FieldStart;
    if (terminator === this.delimiter) return;
    this.line++;
    this.lineStart = this.base + at + 1;
    this.afterCr = terminator === CR;
    this.endRecord();
  }

  private endRecord(): void {
    const fields = this.fields;
    this.fields = [];
    // A record holding one empty unquoted field is a blank line: skip it.
    if (fields.length === 1 && fields[0].text === '' && !this.quotedFieldSeen) return;
    this.onRecord({ fields, line: this.recordLine });
  }
}

/** A header row plus data rows, with a lookup from column name to index. */
export interface CsvTable {
  header: CsvRecord;
  rows: CsvRecord[];
  columnIndex(name: string): number;
}

export function parseCsvWithHeader(text: string, file: string, options: CsvOptions = {}): CsvTable {
  const records = parseCsv(text, file, options);
  if (records.length === 0) throw new DataError(file, 1, 1, 'the file is empty (a header row is expected)');
  const [header, ...rows] = records;
  const names = header.fields.map((field) => field.text.trim());
  for (const row of rows) checkFieldCount(row, names.length, file);
  return { header, rows, columnIndex: (name) => names.indexOf(name) };
}

/** A data row must have as many fields as the header: the error points past the last field, or at the first extra one. */
export function checkFieldCount(row: CsvRecord, expected: number, file: string): void {
  if (row.fields.length === expected) return;
  const last = row.fields[row.fields.length - 1];
  throw new DataError(
    file,
    row.line,
    row.fields.length > expected ? row.fields[expected].column : last.column + last.text.length,
    `expected ${expected} fields as in the header, found ${row.fields.length}`,
  );
}

/** Throws a DataError at the header when a column is missing, listing the columns that exist. */
export function requireColumn(table: CsvTable, name: string, file: string): number {
  const index = table.columnIndex(name);
  if (index < 0) {
    const available = table.header.fields.map((field) => JSON.stringify(field.text.trim())).join(', ');
    throw new DataError(file, table.header.line, 1, `no column ${JSON.stringify(name)} in the header (columns: ${available})`);
  }
  return index;
}
