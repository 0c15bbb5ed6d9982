/**
 * The inputs of `seqlab predict` read from a file in the spec's own data format (or JSON), each with the place it
 * came from, so that a bad input is reported as `file:line:col: message` like any data error.
 *
 *   .json (any task)          a JSON array, one input per element (see `predictOne`)
 *   csv series (forecast)     the spec's input columns by header name; every window of `data.window` consecutive
 *                             rows is one input (output i follows the window ending at data row window+i; a file
 *                             shorter than the window is one input)
 *   synthetic series, .csv    all columns are the features; the whole file is one sequence
 *   text-classification       CSV with the `textField` column, or JSONL objects with that field (labels ignored)
 *   conll (tag)               one token per line (a tag column, if present, is ignored), blank line between sentences
 *   pairs (seq2seq)           one source per line; anything after a tab (the target) is ignored
 *   text (generate)           the whole file is one prompt (one final newline dropped); an empty file starts at <s>
 */
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import type { SeqModelSpec } from '../modelSpec/types';
import { DataError } from '../data/types';
import { parseCsvWithHeader, requireColumn } from '../data/csv';
import { readNumericColumns } from '../data/series';

export interface PredictInput {
  /** What `predictOne` takes: rows of numbers, a text, a token array or a prompt. */
  value: unknown;
  /** 1-based place of the input in its file. */
  line: number;
  column: number;
}

export type PredictInputFormat = 'json' | 'csv-series' | 'csv-columns' | 'csv-text' | 'jsonl-text' | 'conll' | 'source-lines' | 'prompt';

/** JSON by extension; otherwise the format of the spec's data source. */
export function predictInputFormat(spec: SeqModelSpec, file: string): PredictInputFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  const data = spec.data;
  if (data.source === 'csv') return 'csv-series';
  if (data.source === 'synthetic' && data.generator !== 'copy' && lower.endsWith('.csv')) return 'csv-columns';
  if (data.source === 'text-classification') {
    if (lower.endsWith('.jsonl')) return 'jsonl-text';
    if (lower.endsWith('.csv')) return 'csv-text';
    return data.format === 'jsonl' ? 'jsonl-text' : 'csv-text';
  }
  if (data.source === 'conll') return 'conll';
  if (data.source === 'pairs') return 'source-lines';
  if (data.source === 'text') return 'prompt';
  const series = data.generator !== 'copy';
  throw new DataError(file, 1, 1, `the synthetic ${data.generator} spec reads predict inputs from a .json array${series ? ' or a .csv of feature columns' : ''}`);
}

export function readPredictInputs(spec: SeqModelSpec, text: string, file: string): PredictInput[] {
  const body = text.replace(/^\uFEFF/, '');
  const format = predictInputFormat(spec, file);
  const data = spec.data;
  switch (format) {
    case 'json':
      return readJsonInputs(body, file);
    case 'csv-series': {
      if (data.source !== 'csv') break;
      const table = readNumericColumns(body, file, data.columns);
      const header = parseCsvWithHeader(body, file); // for the rows' line numbers
      return seriesWindows(table.values, table.rowCount, data.columns.length, data.window, (r) => header.rows[r].line, file);
    }
    case 'csv-columns': {
      const header = parseCsvWithHeader(body, file);
      const columns = header.header.fields.map((f) => f.text.trim());
      const table = readNumericColumns(body, file, columns);
      if (table.rowCount === 0) throw new DataError(file, 1, 1, 'no data rows after the header');
      const rows = Array.from({ length: table.rowCount }, (_, r) => Array.from(table.values.subarray(r * columns.length, (r + 1) * columns.length)));
      return [{ value: rows, line: header.rows[0].line, column: 1 }];
    }
    case 'csv-text': {
      if (data.source !== 'text-classification') break;
      const table = parseCsvWithHeader(body, file);
      const index = requireColumn(table, data.textField ?? 'text', file);
      return table.rows.map((row) => ({ value: row.fields[index].text, line: row.line, column: row.fields[index].column }));
    }
    case 'jsonl-text':
      if (data.source !== 'text-classification') break;
      return readJsonlTexts(body, file, data.textField ?? 'text');
    case 'conll':
      return readConllSentences(body, file);
    case 'source-lines':
      return nonEmptyLines(body).map(({ text: lineText, line }) => {
        const tab = lineText.indexOf('\t');
        return { value: tab < 0 ? lineText : lineText.slice(0, tab), line, column: 1 };
      });
    case 'prompt':
      return [{ value: body.replace(/\r?\n$/, ''), line: 1, column: 1 }];
  }
  throw new DataError(file, 1, 1, `predict: cannot read ${format} inputs for a ${spec.data.source} spec`);
}

/** Every window of W consecutive rows ([N,C] values) as one input of rows, located at the window's first row. */
function seriesWindows(values: Float32Array, N: number, C: number, W: number, lineOf: (row: number) => number, file: string): PredictInput[] {
  if (N === 0) throw new DataError(file, 1, 1, 'no data rows after the header');
  const rowsOf = (start: number, count: number) => Array.from({ length: count }, (_, t) => Array.from(values.subarray((start + t) * C, (start + t + 1) * C)));
  if (N < W) return [{ value: rowsOf(0, N), line: lineOf(0), column: 1 }];
  const out: PredictInput[] = [];
  for (let start = 0; start + W <= N; start++) out.push({ value: rowsOf(start, W), line: lineOf(start), column: 1 });
  return out;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A JSON array; each element keeps the place where it starts. */
function readJsonInputs(text: string, file: string): PredictInput[] {
  const errors: ParseError[] = [];
  const tree: Node | undefined = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !tree) {
    const where = lineAndColumn(text, errors[0]?.offset ?? 0);
    throw new DataError(file, where.line, where.column, 'invalid JSON');
  }
  if (tree.type !== 'array') {
    const where = lineAndColumn(text, tree.offset);
    throw new DataError(file, where.line, where.column, 'expected a JSON array of inputs');
  }
  return (tree.children ?? []).map((child) => ({ value: JSON.parse(text.slice(child.offset, child.offset + child.length)), ...lineAndColumn(text, child.offset) }));
}

function nonEmptyLines(text: string): { text: string; line: number }[] {
  return text
    .split(/\r\n|\n|\r/)
    .map((lineText, index) => ({ text: lineText, line: index + 1 }))
    .filter((l) => l.text.trim() !== '');
}

function readJsonlTexts(text: string, file: string, field: string): PredictInput[] {
  return nonEmptyLines(text).map(({ text: lineText, line }) => {
    let record: unknown;
    try {
      record = JSON.parse(lineText);
    } catch (error) {
      const match = /position (\d+)/.exec(String((error as Error).message));
      throw new DataError(file, line, match ? Number(match[1]) + 1 : 1, `invalid JSON: ${(error as Error).message}`);
    }
    const value = typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[field] : undefined;
    if (typeof value !== 'string') throw new DataError(file, line, 1, `expected a JSON object with a string field ${JSON.stringify(field)}`);
    const keyAt = lineText.indexOf(JSON.stringify(field));
    return { value, line, column: keyAt >= 0 ? keyAt + 1 : 1 };
  });
}

/** Sentences of a CoNLL file: the first field of each line is the token. */
function readConllSentences(text: string, file: string): PredictInput[] {
  const sentences: PredictInput[] = [];
  let current: { tokens: string[]; line: number } | undefined;
  for (const [index, lineText] of text.split(/\r\n|\n|\r/).entries()) {
    if (lineText.trim() === '') {
      if (current) sentences.push({ value: current.tokens, line: current.line, column: 1 });
      current = undefined;
      continue;
    }
    if (lineText.startsWith('-DOCSTART-')) continue;
    const token = /\S+/.exec(lineText)![0];
    current ??= { tokens: [], line: index + 1 };
    current.tokens.push(token);
  }
  if (current) sentences.push({ value: current.tokens, line: current.line, column: 1 });
  if (sentences.length === 0) throw new DataError(file, 1, 1, 'no sentences (one token per line, a blank line between sentences)');
  return sentences;
}
