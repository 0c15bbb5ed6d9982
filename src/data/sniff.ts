/**
 * Guesses what a data file holds from its head (the first `SNIFF_HEAD_BYTES`, given as a string): the format,
 * delimiter, header, the kind of every column, and the task a model would most likely learn from it, with the
 * label or target column. Pure and synchronous, so the extension can sniff a huge file by reading its head only,
 * and `seqlab init`, the editor command and the tests share one answer. `specFromSniff` (src/modelSpec) turns the
 * proposal into a spec.
 */
import type { TaskType } from '../modelSpec/types';
import { parseCsv } from './csv';

/** How much of a file the sniffer reads: enough rows to see types and labels, little enough to read at once. */
export const SNIFF_HEAD_BYTES = 64 * 1024;

/** The fractions `specFromSniff` holds out, in time order for series: the trend check reads the same split. */
export const PROPOSED_SPLIT = { validation: 0.15, test: 0.1 } as const;

export type SniffedFormat = 'csv' | 'tsv' | 'jsonl' | 'conll' | 'text';

/**
 * number: every non-empty value is a number; index: a number column that counts up in equal steps (a row number,
 * a year); date: dates or times; label: few distinct short values; text: free text.
 */
export type ColumnKind = 'number' | 'index' | 'date' | 'label' | 'text';

export interface SniffedColumn {
  name: string;
  kind: ColumnKind;
  /** Distinct non-empty values in the head. */
  distinct: number;
  /** Mean number of whitespace-separated words per value (strings). */
  meanWords: number;
  /** number: lag-1 autocorrelation over the head (how much each value follows the one before). */
  autocorrelation?: number;
}

export type SniffedProposal =
  | { task: 'forecast'; source: 'csv'; inputs: string[]; target: string; trend: TrendCheck; stepHint?: 'hour' | 'day' | 'week' | 'month' | 'year' }
  | { task: 'classify'; source: 'text-classification'; format: 'csv' | 'jsonl'; textField: string; labelField: string; labels: string[]; meanWords: number }
  | { task: 'tag'; source: 'conll'; tags: string[]; meanTokens: number }
  | { task: 'seq2seq'; source: 'pairs'; maxTokens: number }
  /** characters: of the whole file (its size in bytes when only the head was read). */
  | { task: 'generate'; source: 'text'; characters: number };

export interface TrendCheck {
  /** Share of the validation rows whose target lies outside the [min, max] of the training rows. */
  outsideShare: number;
  /** The share is large: a z-score fitted on training rows cannot reach the validation values. */
  trending: boolean;
}

export interface SniffResult {
  format: SniffedFormat;
  /** csv/tsv: the field delimiter. */
  delimiter?: string;
  /** csv/tsv: the first row names the columns. */
  header: boolean;
  columns: SniffedColumn[];
  /** Complete records (rows, JSON lines, sentences, lines) in the head. */
  records: number;
  /** Records in the whole file, extrapolated from the head when it was cut. */
  estimatedRecords: number;
  /** The head is not the whole file. */
  truncated: boolean;
  /** What to learn, or undefined with `reason` saying why nothing fits. */
  proposal?: SniffedProposal;
  reason?: string;
  /** Why this proposal: one short sentence per decision, for the CLI and the editor to show. */
  notes: string[];
}

export interface SniffOptions {
  /** Size of the whole file in bytes (to extrapolate record counts); the head's own length when omitted. */
  fileSize?: number;
  /** Ask for this task instead of the likeliest one. */
  task?: TaskType;
  /** The column to predict (forecast) or the label field (classify), instead of the likeliest one. */
  target?: string;
}

/** Fewer distinct values than this (and than a fifth of the rows) make a string column a label. */
const MAX_LABELS = 50;
/** Validation rows outside the training range beyond this share mean the series trends out of reach. */
const TREND_OUTSIDE_SHARE = 0.25;

export function sniffData(fileName: string, head: string, options: SniffOptions = {}): SniffResult {
  const fileSize = options.fileSize ?? head.length;
  const truncated = fileSize > head.length;
  // Only whole lines count: the head may end in the middle of one.
  let text = head.replace(/^\uFEFF/, '');
  if (truncated) text = text.slice(0, Math.max(0, text.lastIndexOf('\n') + 1));
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const scale = (records: number) => (truncated && text.length > 0 ? Math.round((records * fileSize) / text.length) : records);

  const { rows, ...base } = sniffStructure(extension, text, lines);
  const result: SniffResult = { ...base, estimatedRecords: scale(base.records), truncated };
  const wanted = options.task;
  if (wanted === 'regress') {
    result.reason = 'task "regress" learns from synthetic sequences only (data.source "synthetic"); a file gives forecast, classify, tag, seq2seq or generate';
    return result;
  }
  const proposal = wanted === 'generate' ? textProposal(text, fileSize) : propose(result, rows, text, fileSize, options);
  if (proposal && (!wanted || proposal.task === wanted)) {
    result.proposal = proposal;
  } else if (wanted && !result.reason) {
    result.reason = `${fileName} does not look like data for task "${wanted}"${proposal ? ` (it looks like ${proposal.task} data)` : ''}: ${needs(wanted)}`;
  }
  if (!result.proposal && !result.reason) result.reason = `${fileName}: no task fits this ${result.format} file`;
  return result;
}

function needs(task: TaskType): string {
  switch (task) {
    case 'forecast':
      return 'forecasting needs a comma-separated file with a header row and at least one numeric column';
    case 'classify':
      return 'classification needs a CSV (comma-separated, with a header) or JSONL file with a text column and a label column';
    case 'tag':
      return 'tagging needs CoNLL data: "token tag" per line, a blank line between sentences';
    case 'seq2seq':
      return 'seq2seq needs "source<TAB>target" per line';
    default:
      return 'any text file can train a generator';
  }
}

/** The head's records as cells (CSV rows, JSON fields in column order, a sentence's tags), for the proposals. */
type Structure = Pick<SniffResult, 'format' | 'delimiter' | 'header' | 'columns' | 'records' | 'notes'> & { rows: string[][] };

function sniffStructure(extension: string, text: string, lines: string[]): Structure {
  const nonBlank = lines.filter((l) => l.trim() !== '');
  if (extension === 'jsonl' || extension === 'ndjson' || looksLikeJsonl(nonBlank)) return sniffJsonl(nonBlank);
  if (extension === 'conll' || looksLikeConll(lines)) return sniffConll(lines);
  const delimited = sniffDelimited(extension, text, nonBlank);
  if (delimited) return delimited;
  return { format: 'text', header: false, columns: [], records: nonBlank.length, notes: [`plain text: ${nonBlank.length} lines in the head, no columns`], rows: [] };
}

// ------------------------------------------------------------------------------------------------ JSON lines

function looksLikeJsonl(lines: string[]): boolean {
  const sample = lines.slice(0, 20);
  return sample.length > 0 && sample.every((l) => parsesAsObject(l) !== undefined);
}

function parsesAsObject(line: string): Record<string, unknown> | undefined {
  if (!line.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function sniffJsonl(lines: string[]): Structure {
  const objects = lines.map(parsesAsObject).filter((o): o is Record<string, unknown> => o !== undefined);
  const names = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  const rows = objects.map((o) => names.map((n) => (o[n] === undefined || o[n] === null ? '' : typeof o[n] === 'object' ? JSON.stringify(o[n]) : String(o[n]))));
  const numeric = new Set(names.filter((n) => objects.every((o) => o[n] === undefined || typeof o[n] === 'number')));
  const columns = names.map((name, c) => describeColumn(name, rows.map((r) => r[c]), objects.length, numeric.has(name)));
  const notes = [`JSON lines: ${objects.length} objects in the head with fields ${names.map((n) => JSON.stringify(n)).join(', ')}`];
  return { format: 'jsonl', header: false, columns, records: objects.length, notes, rows };
}

// ------------------------------------------------------------------------------------------------ CoNLL

/** Sentences of short `token … tag` lines separated by blank lines. */
function looksLikeConll(lines: string[]): boolean {
  const nonBlank = lines.filter((l) => l.trim() !== '' && !l.startsWith('-DOCSTART-'));
  if (nonBlank.length < 4 || nonBlank.length === lines.length) return false;
  // The same few columns on every line (code and prose vary).
  const fieldCounts = nonBlank.map((l) => l.trim().split(/\s+/).length);
  if (fieldCounts[0] < 2 || fieldCounts[0] > 10 || fieldCounts.filter((n) => n === fieldCounts[0]).length < 0.95 * fieldCounts.length) return false;
  const tags = new Set(nonBlank.map((l) => l.trim().split(/\s+/).pop()));
  const tokens = new Set(nonBlank.map((l) => l.trim().split(/\s+/)[0]));
  return tags.size <= MAX_LABELS && tags.size < tokens.size;
}

function sniffConll(lines: string[]): Structure {
  const sentences: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      if (current.length) sentences.push(current);
      current = [];
    } else if (!line.startsWith('-DOCSTART-')) current.push(line.trim().split(/\s+/).pop()!);
  }
  if (current.length) sentences.push(current);
  const tags = [...new Set(sentences.flat())].sort();
  const tokenCount = sentences.reduce((s, t) => s + t.length, 0);
  const tagColumn: SniffedColumn = { name: 'tag', kind: 'label', distinct: tags.length, meanWords: 1 };
  const notes = [`CoNLL: ${sentences.length} sentences in the head, ${tags.length} tags (${tags.slice(0, 8).join(', ')}${tags.length > 8 ? ', …' : ''})`];
  return { format: 'conll', header: false, columns: [{ name: 'token', kind: 'text', distinct: tokenCount, meanWords: 1 }, tagColumn], records: sentences.length, notes, rows: sentences };
}

// ------------------------------------------------------------------------------------------------ CSV / TSV

const DELIMITERS = [',', '\t', ';', '|'];

/** The delimiter that splits (nearly) every line into the same number (≥ 2) of fields, if any. */
function sniffDelimited(extension: string, text: string, lines: string[]): Structure | undefined {
  if (lines.length < 2) return undefined;
  const order = extension === 'tsv' ? ['\t', ...DELIMITERS.filter((d) => d !== '\t')] : DELIMITERS;
  let best: { delimiter: string; rows: string[][]; fields: number } | undefined;
  for (const delimiter of order) {
    let rows: string[][];
    try {
      rows = parseCsv(text, 'head', { delimiter }).map((r) => r.fields.map((f) => f.text));
    } catch {
      continue;
    }
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    const [fields, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
    // Prose has commas too, but not the same number on every line.
    if (fields < 2 || count < 0.95 * rows.length) continue;
    if (!best || fields > best.fields) best = { delimiter, rows: rows.filter((r) => r.length === fields), fields };
    if (extension === 'tsv' || extension === 'csv') break;
  }
  if (!best) return undefined;
  const { delimiter, rows } = best;
  const header = looksLikeHeader(rows);
  const body = header ? rows.slice(1) : rows;
  const names = header ? rows[0].map((n) => n.trim()) : rows[0].map((_, c) => `column ${c + 1}`);
  const columns = names.map((name, c) => describeColumn(name, body.map((r) => r[c]), body.length));
  const format: SniffedFormat = delimiter === '\t' ? 'tsv' : 'csv';
  const what = delimiter === '\t' ? 'tab' : JSON.stringify(delimiter);
  const notes = [`${format.toUpperCase()}: ${what}-separated, ${names.length} columns, ${header ? 'a header row' : 'no header row'}, ${body.length} rows in the head`];
  return { format, delimiter, header, columns, records: body.length, notes, rows: body };
}

/** Words that name columns rather than fill them. */
const HEADER_WORDS = /^(text|label|labels|class|category|sentiment|target|source|input|output|sentence|review|comment|document|title|body|question|answer|id|name|date|time|timestamp|value|y|x)$/i;

/**
 * The first row names columns when its cells are unique non-numbers and either a column below it is numeric or
 * dates, or its cells are the usual column names, or a name of a word or two sits above free text.
 */
function looksLikeHeader(rows: string[][]): boolean {
  const first = rows[0].map((c) => c.trim());
  if (first.some((c) => c === '' || isNumber(c) || c.length > 40) || new Set(first).size !== first.length) return false;
  const body = rows.slice(1);
  if (body.length === 0) return false;
  const column = (c: number) => body.map((r) => r[c].trim()).filter((v) => v !== '');
  if (first.some((_, c) => column(c).length > 0 && (column(c).every(isNumber) || column(c).every(isDate)))) return true;
  if (first.every((name) => HEADER_WORDS.test(name.replace(/[_\s-]+/g, '')))) return true;
  // Codes of one fixed length under a name of another length (the rule of Python's csv.Sniffer).
  if (first.some((name, c) => { const lengths = new Set(column(c).map((v) => v.length)); return lengths.size === 1 && !lengths.has(name.length); })) return true;
  const identifier = /^[\p{L}_][\p{L}\p{N}_ .()-]*$/u;
  const words = (v: string) => v.split(/\s+/).length;
  return first.every((name) => identifier.test(name)) && first.some((name, c) => {
    const values = column(c);
    return values.length > 0 && values.reduce((s, v) => s + words(v), 0) / values.length >= 3 * words(name);
  });
}

// ------------------------------------------------------------------------------------------------ columns

function isNumber(value: string): boolean {
  const trimmed = value.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed));
}

const DATE = /^(\d{4}[-/.]\d{1,2}([-/.]\d{1,2})?([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}( \d{1,2}:\d{2}(:\d{2})?)?|\d{1,2}:\d{2}(:\d{2})?)$/;

function isDate(value: string): boolean {
  return DATE.test(value);
}

/** What a column of the head holds (its kind, distinct values, words per value), from its cells as text. */
export function describeColumn(name: string, values: readonly string[], rowCount: number, numericJson = false): SniffedColumn {
  const filled = values.map((v) => v.trim()).filter((v) => v !== '');
  const distinct = new Set(filled).size;
  const meanWords = filled.length ? filled.reduce((s, v) => s + v.split(/\s+/).length, 0) / filled.length : 0;
  if (filled.length > 0 && (numericJson || filled.every(isNumber))) {
    const numbers = filled.map(Number);
    return { name, kind: countsUp(numbers) ? 'index' : 'number', distinct, meanWords, autocorrelation: lagOneAutocorrelation(numbers) };
  }
  if (filled.length > 0 && filled.every(isDate)) return { name, kind: 'date', distinct, meanWords };
  const short = meanWords <= 3;
  const label = short && distinct >= 1 && distinct <= MAX_LABELS && distinct <= Math.max(2, rowCount / 5);
  return { name, kind: label ? 'label' : 'text', distinct, meanWords };
}

/** Equal positive integer steps (0, 1, 2, … or 1990, 1991, …): a row number or a calendar index, not a measurement. */
function countsUp(values: number[]): boolean {
  if (values.length < 3 || !values.every(Number.isInteger)) return false;
  const step = values[1] - values[0];
  return step > 0 && values.every((v, i) => i === 0 || v - values[i - 1] === step);
}

export function lagOneAutocorrelation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 3) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    denominator += d * d;
    if (i > 0) numerator += d * (values[i - 1] - mean);
  }
  return denominator > 0 ? numerator / denominator : 0;
}

/**
 * The share of `values[validationStart, validationEnd)` outside the [min, max] of `values[0, trainingRows)`. A
 * series whose validation stretch leaves the training range is one a z-score fitted on training rows cannot
 * forecast: the network never saw such inputs or targets.
 */
export function rangeCheck(values: ArrayLike<number>, trainingRows: number, validationStart: number, validationEnd: number): TrendCheck {
  if (trainingRows < 1 || validationEnd <= validationStart) return { outsideShare: 0, trending: false };
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < trainingRows; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  let outside = 0;
  for (let i = validationStart; i < validationEnd; i++) if (values[i] < min || values[i] > max) outside++;
  const outsideShare = outside / (validationEnd - validationStart);
  return { outsideShare, trending: outsideShare > TREND_OUTSIDE_SHARE };
}

/** `rangeCheck` on rows split in time order by `split`'s fractions (the sniffer's view of a file's head). */
export function trendCheck(values: ArrayLike<number>, split: { validation?: number; test?: number } = PROPOSED_SPLIT): TrendCheck {
  const n = values.length;
  const validationRows = Math.floor(n * (split.validation ?? 0));
  const trainingRows = n - validationRows - Math.floor(n * (split.test ?? 0));
  return rangeCheck(values, trainingRows, trainingRows, trainingRows + validationRows);
}

// ------------------------------------------------------------------------------------------------ proposals

function propose(result: SniffResult, rows: string[][], text: string, fileSize: number, options: SniffOptions): SniffedProposal | undefined {
  switch (result.format) {
    case 'conll': {
      const tags = [...new Set(rows.flat())].sort();
      return { task: 'tag', source: 'conll', tags, meanTokens: rows.length ? rows.reduce((s, r) => s + r.length, 0) / rows.length : 0 };
    }
    case 'jsonl': {
      const classify = classifyProposal(result, rows, 'jsonl', options);
      if (!classify) result.reason = `SeqLab reads JSON lines as labelled text: a text field of a few words and a label field with few values; the fields here are ${result.columns.map((c) => `${c.name} (${c.kind})`).join(', ')}`;
      return classify;
    }
    case 'tsv':
    case 'csv': {
      const wanted = options.task;
      // Two columns of strings: pairs when nothing names them, or when both are free text under a header line.
      const strings = result.columns.every((c) => c.kind === 'text' || c.kind === 'label');
      const pairs = strings && (!result.header || result.columns.every((c) => c.kind === 'text'));
      if (result.format === 'tsv' && result.columns.length === 2 && pairs && (!wanted || wanted === 'seq2seq')) {
        result.notes.push(`two text columns: source and target of a seq2seq pair${result.header ? ' (the pairs loader reads the first line as a pair too)' : ''}`);
        return { task: 'seq2seq', source: 'pairs', maxTokens: Math.max(1, ...rows.flatMap((r) => r.map((c) => [...c].length))) };
      }
      if (result.delimiter !== ',' || !result.header) {
        result.reason = `SeqLab reads series and labelled text as comma-separated files with a header row; this file is ${result.delimiter === '\t' ? 'tab' : JSON.stringify(result.delimiter)}-separated${result.header ? '' : ' without a header'}. Convert it, or pass --task generate to learn its raw text.`;
        return undefined;
      }
      if (wanted !== 'forecast') {
        const classify = classifyProposal(result, rows, 'csv', options);
        if (classify || wanted === 'classify') return classify;
      }
      return forecastProposal(result, rows, options);
    }
    default:
      return textProposal(text, fileSize);
  }
}

function textProposal(text: string, fileSize: number): SniffedProposal | undefined {
  return text.trim().length > 0 ? { task: 'generate', source: 'text', characters: Math.max(text.length, fileSize) } : undefined;
}

const LABEL_NAMES = /^(label|labels|class|category|sentiment|target|y|tag|intent|topic)$/i;

function classifyProposal(result: SniffResult, rows: string[][], format: 'csv' | 'jsonl', options: SniffOptions): SniffedProposal | undefined {
  const texts = result.columns.filter((c) => c.kind === 'text' && c.meanWords >= 2);
  const textColumn = texts.sort((a, b) => b.meanWords - a.meanWords)[0];
  const labelLike = (c: SniffedColumn) => c !== textColumn && c.distinct >= 2 && c.distinct <= MAX_LABELS && (c.kind === 'label' || (c.kind === 'number' && c.distinct <= 20));
  const labelColumn = options.target
    ? result.columns.find((c) => c.name === options.target)
    : result.columns.find((c) => labelLike(c) && LABEL_NAMES.test(c.name)) ?? result.columns.filter(labelLike).sort((a, b) => a.distinct - b.distinct)[0];
  if (!textColumn || !labelColumn) return undefined;
  const index = result.columns.indexOf(labelColumn);
  const labels = [...new Set(rows.map((r) => r[index].trim()).filter((v) => v !== ''))].sort();
  result.notes.push(`text in ${JSON.stringify(textColumn.name)} (${textColumn.meanWords.toFixed(1)} words on average), ${labels.length} labels in ${JSON.stringify(labelColumn.name)}: classify`);
  return { task: 'classify', source: 'text-classification', format, textField: textColumn.name, labelField: labelColumn.name, labels, meanWords: textColumn.meanWords };
}

function forecastProposal(result: SniffResult, rows: string[][], options: SniffOptions): SniffedProposal | undefined {
  const numeric = result.columns.filter((c) => c.kind === 'number');
  if (numeric.length === 0) {
    result.reason = 'no numeric column to forecast and no text with labels to classify';
    return undefined;
  }
  let target: SniffedColumn | undefined;
  if (options.target) {
    target = numeric.find((c) => c.name === options.target);
    if (!target) {
      result.reason = `column ${JSON.stringify(options.target)} is not a numeric column of this file (numeric: ${numeric.map((c) => c.name).join(', ')})`;
      return undefined;
    }
  } else {
    // The first smooth column: a measurement that follows its own past, not the noisiest one.
    target = numeric.find((c) => (c.autocorrelation ?? 0) >= 0.5) ?? numeric[0];
  }
  const index = result.columns.indexOf(target);
  const values = rows.map((r) => Number(r[index])).filter(Number.isFinite);
  const trend = trendCheck(values);
  const skipped = result.columns.filter((c) => c.kind !== 'number').map((c) => `${c.name} (${c.kind})`);
  result.notes.push(`numeric columns ${numeric.map((c) => c.name).join(', ')}: forecast ${JSON.stringify(target.name)}${skipped.length ? `; not inputs: ${skipped.join(', ')}` : ''}`);
  if (trend.trending) result.notes.push(`${Math.round(trend.outsideShare * 100)}% of the validation rows of ${JSON.stringify(target.name)} lie outside the training range: the series trends`);
  const date = result.columns.findIndex((c) => c.kind === 'date');
  return { task: 'forecast', source: 'csv', inputs: numeric.map((c) => c.name), target: target.name, trend, stepHint: date >= 0 ? dateStep(rows.map((r) => r[date])) : undefined };
}

/** The usual spacing of a date column, to size the window to one or two seasons. */
function dateStep(values: string[]): 'hour' | 'day' | 'week' | 'month' | 'year' | undefined {
  const times = values.slice(0, 50).map((v) => Date.parse(v.trim().replace(' ', 'T'))).filter(Number.isFinite);
  if (times.length < 3) return undefined;
  const steps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  const days = steps[steps.length >> 1] / 86_400_000;
  if (days <= 0) return undefined;
  if (days < 0.5) return 'hour';
  if (days < 4) return 'day';
  if (days < 20) return 'week';
  if (days < 200) return 'month';
  return 'year';
}
