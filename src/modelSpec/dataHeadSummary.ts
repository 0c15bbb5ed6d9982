/**
 * A light summary of a data file from its stat and head, for the hover on `data.path`: format, size, columns with
 * their inferred types and statistics over the head's complete lines, and the row count (exact when the head is
 * the whole file, else an estimate scaled to the file's size). What only a full read can tell (every label, the
 * vocabulary, exact counts of a large file) is said to be unknown, never guessed. Computed on hover, not per
 * keystroke. Pure string and number work.
 */
import type { SpecAnalysis, SpecDataFile } from './analysisTypes';
import { dataHead, DATA_HEAD_BYTES, estimateFromHead, splitCsvLine, type DataHead, type ReadableDataFile } from './dataFiles';
import { dataFileRefusal } from './dataFileKind';
import { formatBytes, formatCount } from '../format/display';
import type { SpecHover } from './hover';
import type { DataSpec } from './types';
import { describeColumn } from '../data/sniff';
import { formatDataSummary } from '../data/summary';
import { recordDescribes, type DataSummaryRecord } from '../data/summaryRecord';
import { RunningStatistics } from '../data/runningStatistics';

export type HeadColumnType = 'number' | 'text' | 'empty';

export interface HeadColumnSummary {
  name: string;
  type: HeadColumnType;
  /** Non-empty values in the head. */
  count: number;
  /** Numbers, over the head (named as the full data summary's column statistics; std is the population one). */
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  /** Text: distinct values in the head, and the most frequent ones when there are few (a label column). */
  distinct?: number;
  top?: { value: string; count: number }[];
}

export interface HeadSummary {
  format: string;
  size: number;
  /** True when the head is the whole file: every figure is exact. */
  complete: boolean;
  /** What a row is for this format (`row`, `record`, `sentence`, `pair`, `character`/`word`). */
  unit: string;
  /** Rows (records, sentences, …) in the head's complete lines, and scaled to the whole file. */
  inHead: number;
  estimate: number;
  columns: HeadColumnSummary[];
}

const FEW_DISTINCT = 12;

/** Summaries per head and data section: a hover after each keystroke finds the one already made. */
const summaries = new WeakMap<ReadableDataFile, Map<string, HeadSummary>>();

export function summarizeDataHead(data: DataSpec, facts: ReadableDataFile): HeadSummary {
  const { source, format, path, tokenizer } = data as { source: string; format?: unknown; path?: unknown; tokenizer?: unknown };
  const key = JSON.stringify([source, format, path, tokenizer]);
  let byData = summaries.get(facts);
  if (!byData) summaries.set(facts, (byData = new Map()));
  let summary = byData.get(key);
  if (!summary) byData.set(key, (summary = summarize(data, facts)));
  return summary;
}

function summarize(data: DataSpec, facts: ReadableDataFile): HeadSummary {
  const head = dataHead(facts);
  const base = { size: facts.size, complete: head.complete };
  const rows = (format: string, unit: string, inHead: number, columns: HeadColumnSummary[]): HeadSummary => ({ ...base, format, unit, inHead, estimate: estimateFromHead(head, inHead), columns });
  switch (data.source) {
    case 'csv':
      return csvSummary(head, 'CSV', rows);
    case 'text-classification': {
      const format = data.format ?? (data.path.endsWith('.jsonl') ? 'jsonl' : 'csv');
      return format === 'jsonl' ? jsonlSummary(head, rows) : csvSummary(head, 'CSV', rows);
    }
    case 'conll': {
      const tokens = head.lines.filter((l) => l.trim() && !l.startsWith('-DOCSTART-')).map((l) => l.trim().split(/\s+/));
      const sentences = head.text.split(/\r?\n\s*\r?\n/).filter((block) => block.trim()).length;
      return rows('CoNLL', 'sentence', sentences, [columnSummary('token', tokens.map((f) => f[0])), columnSummary('tag', tokens.map((f) => f[f.length - 1]))]);
    }
    case 'pairs': {
      const pairs = head.lines.filter((l) => l.includes('\t')).map((l) => l.split('\t'));
      return rows('TSV pairs', 'pair', pairs.length, [columnSummary('source', pairs.map((p) => p[0])), columnSummary('target', pairs.map((p) => p[1]))]);
    }
    case 'text': {
      const char = (data.tokenizer ?? 'char') === 'char';
      const units = char ? head.text.length : head.text.split(/\s+/).filter(Boolean).length;
      return rows('plain text', char ? 'character' : 'word', units, []);
    }
    default:
      return rows(data.source, 'row', head.lines.length, []);
  }
}

function csvSummary(head: DataHead, format: string, rows: (format: string, unit: string, inHead: number, columns: HeadColumnSummary[]) => HeadSummary): HeadSummary {
  if (head.lines.length === 0) return rows(format, 'row', 0, []);
  const names = splitCsvLine(head.lines[0]);
  const records = head.lines.slice(1).filter((l) => l.trim()).map(splitCsvLine);
  return rows(format, 'row', records.length, names.map((name, i) => columnSummary(name, records.map((r) => r[i] ?? ''))));
}

function jsonlSummary(head: DataHead, rows: (format: string, unit: string, inHead: number, columns: HeadColumnSummary[]) => HeadSummary): HeadSummary {
  const records: Record<string, unknown>[] = [];
  for (const line of head.lines) {
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) records.push(value as Record<string, unknown>);
    } catch {
      /* the loader reports malformed lines with their numbers */
    }
  }
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const asText = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  return rows('JSON lines', 'record', records.length, keys.map((key) => columnSummary(key, records.map((r) => asText(r[key])))));
}

/**
 * A column over the head: numeric when the sniffer finds it so (a number or an index column: every non-empty value
 * a finite number), with `RunningStatistics`' figures; otherwise its distinct values.
 */
export function columnSummary(name: string, raw: readonly (string | undefined)[]): HeadColumnSummary {
  const values = raw.filter((v): v is string => v !== undefined && v.trim() !== '');
  if (values.length === 0) return { name, type: 'empty', count: 0 };
  const { kind } = describeColumn(name, values, values.length);
  if (kind === 'number' || kind === 'index') {
    const running = new RunningStatistics();
    for (const value of values) running.add(Number(value));
    const { min, max, mean, std } = running.result(name);
    return { name, type: 'number', count: values.length, min, max, mean, std };
  }
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const top = counts.size <= FEW_DISTINCT ? [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([value, count]) => ({ value, count })) : undefined;
  return { name, type: 'text', count: values.length, distinct: counts.size, ...(top ? { top } : {}) };
}

const count = formatCount;
const number = (x: number) => (Number.isInteger(x) ? count(x) : Math.abs(x) >= 1000 || Math.abs(x) < 0.01 ? x.toPrecision(3) : x.toFixed(2).replace(/\.?0+$/, ''));
const bytes = formatBytes;
const code = (text: string) => `\`${text.replace(/`/g, "'").slice(0, 80)}\``;

/**
 * The hover over the `data.path` value, or undefined elsewhere. `saved`: the spec's last full data summary (a run's
 * or `seqlab check`'s), shown instead of the head's figures while it describes the file as it is now.
 */
export function dataPathHoverAt(analysis: SpecAnalysis, offset: number, saved?: DataSummaryRecord): SpecHover | undefined {
  const file = analysis.dataFile;
  if (!file || !isOnDataPath(analysis, offset)) return undefined;
  return { markdown: dataFileMarkdown(file, saved), offset: file.offset, length: file.length };
}

/** The offset is on the `data.path` value (where the data file hover shows). */
export function isOnDataPath(analysis: SpecAnalysis, offset: number): boolean {
  const file = analysis.dataFile;
  return file !== undefined && offset >= file.offset && offset <= file.offset + file.length;
}

/** The hover text on `data.path`: the file's last full summary when it is unchanged since, else its stat and head. */
export function dataFileMarkdown(file: SpecDataFile, saved?: DataSummaryRecord): string {
  const data = file.data;
  const title = `**Data file** ${code(file.path)}`;
  const facts = file.facts;
  if (!facts) return `${title}\n\nReading its first ${bytes(DATA_HEAD_BYTES)}…`;
  if (facts.status === 'missing') return `${title}\n\nNot found: ${code(file.absolutePath)} (paths are relative to the spec file).`;
  if (facts.status === 'not-a-file') return `${title}\n\n${code(file.absolutePath)} ${dataFileRefusal(facts.kind)}`;
  if (facts.status === 'unreadable') return `${title}\n\nCannot read ${code(file.absolutePath)}: ${facts.reason}`;
  if (saved && recordDescribes(saved, { path: file.absolutePath, size: facts.size, mtimeMs: facts.mtimeMs })) {
    const full = fullSummaryMarkdown(saved);
    if (full) return `${title} — ${bytes(facts.size)}\n\n${full}`;
  }
  let summary: HeadSummary;
  try {
    summary = summarizeDataHead(data, facts);
  } catch {
    return `${title} — ${bytes(facts.size)}`; // a data section still being typed: the size is all there is
  }
  const lines = [`${title} — ${summary.format}, ${bytes(summary.size)}`, ''];
  const plural = (unit: string) => `${unit}${unit.endsWith('s') ? '' : 's'}`;
  lines.push(summary.complete
    ? `${count(summary.inHead)} ${plural(summary.unit)} (the whole file).`
    : `≈ ${count(summary.estimate)} ${plural(summary.unit)}, estimated from the first ${bytes(DATA_HEAD_BYTES)} (${count(summary.inHead)} ${plural(summary.unit)}); exact counts come from a full read (\`seqlab check\`, or a run).`);
  if (summary.columns.length) {
    lines.push('', `| column | type | ${summary.complete ? 'in the file' : 'in the head'} |`, '|---|---|---|');
    for (const column of summary.columns) lines.push(`| ${code(column.name)} | ${column.type} | ${columnFigures(column)} |`);
  }
  if (!summary.complete) lines.push('', 'Every label, the vocabulary size and the split sizes are known only after a full read.');
  return lines.join('\n');
}

/** The saved summary as `seqlab check` prints it, saying which full read made it; undefined if it cannot be shown. */
function fullSummaryMarkdown(record: DataSummaryRecord): string | undefined {
  let text: string;
  try {
    text = formatDataSummary(record.summary);
  } catch {
    return undefined; // a record of another shape: the head summary instead
  }
  const by = record.by === 'run' ? 'the last run' : '`seqlab check`';
  const when = record.at.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return `The whole file, as ${by} read it (${when}; the file is unchanged since):\n\n\`\`\`text\n${text.replace(/`/g, "'")}\n\`\`\``;
}

function columnFigures(column: HeadColumnSummary): string {
  if (column.type === 'number') return `min ${number(column.min!)} · max ${number(column.max!)} · mean ${number(column.mean!)} · std ${number(column.std!)}`;
  if (column.type === 'empty') return 'no values';
  const top = column.top?.slice(0, 6).map((t) => `${code(t.value)} ${count(t.count)}`).join(', ');
  return `${count(column.distinct!)} distinct of ${count(column.count)}${top ? `: ${top}` : ''}`.replace(/\|/g, '\\|');
}
