/**
 * A small RFC 4180 reader that remembers where every field starts, so loaders can report `file:line:col`.
 * Handles a UTF-8 BOM, CRLF/LF/CR line ends, quoted fields with `""` escapes and line breaks inside quotes,
 * and skips blank lines.
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

export function parseCsv(text: string, file: string, options: CsvOptions = {}): CsvRecord[] {
  const delimiter = options.delimiter ?? ',';
  const records: CsvRecord[] = [];
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = position; // offset of the current line's first character, for columns
  let fields: CsvField[] = [];
  let recordLine = line;

  const endRecord = () => {
    // A record holding one empty unquoted field is a blank line: skip it.
    const blank = fields.length === 1 && fields[0].text === '' && !quotedFieldSeen;
    if (!blank) records.push({ fields, line: recordLine });
    fields = [];
  };
  let quotedFieldSeen = false;

  while (position <= text.length) {
    if (fields.length === 0) {
      recordLine = line;
      quotedFieldSeen = false;
    }
    const fieldLine = line;
    const fieldColumn = position - lineStart + 1;
    let value = '';
    if (text[position] === '"') {
      quotedFieldSeen = true;
      position++;
      for (;;) {
        if (position >= text.length) {
          throw new DataError(file, fieldLine, fieldColumn, 'unterminated quoted field (a `"` is never closed)');
        }
        const ch = text[position];
        if (ch === '"') {
          if (text[position + 1] === '"') {
            value += '"';
            position += 2;
            continue;
          }
          position++;
          break;
        }
        if (ch === '\r' || ch === '\n') {
          value += ch === '\r' && text[position + 1] === '\n' ? '\r\n' : ch;
          position += ch === '\r' && text[position + 1] === '\n' ? 2 : 1;
          line++;
          lineStart = position;
          continue;
        }
        value += ch;
        position++;
      }
      const after = text[position];
      if (position < text.length && after !== delimiter && after !== '\r' && after !== '\n') {
        throw new DataError(file, line, position - lineStart + 1, `unexpected ${JSON.stringify(after)} after a closing quote`);
      }
    } else {
      const start = position;
      while (position < text.length) {
        const ch = text[position];
        if (ch === delimiter || ch === '\r' || ch === '\n') break;
        position++;
      }
      value = text.slice(start, position);
    }
    fields.push({ text: value, line: fieldLine, column: fieldColumn });

    if (position >= text.length) {
      endRecord();
      break;
    }
    const ch = text[position];
    if (ch === delimiter) {
      position++;
      continue;
    }
    // End of line: CRLF, LF or a lone CR.
    position += ch === '\r' && text[position + 1] === '\n' ? 2 : 1;
    line++;
    lineStart = position;
    endRecord();
    if (position >= text.length) break;
  }
  return records;
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
  for (const row of rows) {
    if (row.fields.length !== names.length) {
      const last = row.fields[row.fields.length - 1];
      throw new DataError(
        file,
        row.line,
        row.fields.length > names.length ? row.fields[names.length].column : last.column + last.text.length,
        `expected ${names.length} fields as in the header, found ${row.fields.length}`,
      );
    }
  }
  return { header, rows, columnIndex: (name) => names.indexOf(name) };
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
