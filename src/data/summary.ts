/**
 * A summary of prepared data, shown before training (`seqlab check`, the head of `seqlab train`, the dashboard):
 * rows and per-column statistics (series read from a file), examples per split, the label distribution, a
 * histogram of sequence lengths, and the baselines on the held-out splits. Pure: it reads only `PreparedData`
 * (through `DataSplit.batches`, so any store that implements the contract is summarised the same way).
 */
import type { TaskType } from '../modelSpec/types';
import { baselines } from './baselines';
import { RunningStatistics } from './runningStatistics';
import type { Baselines, ColumnStatistics, DataSplit, DataStats, PreparedData } from './types';
import { formatCount } from '../format/display';

export { RunningStatistics } from './runningStatistics';

export type { ColumnStatistics, DataStats } from './types';

/** Statistics of every column of a row-major [rows, columns] table. */
export function columnStatistics(values: ArrayLike<number>, columns: readonly string[]): ColumnStatistics[] {
  const C = columns.length;
  const running = columns.map(() => new RunningStatistics());
  for (let i = 0; i < values.length; i++) running[i % C].add(values[i]);
  return running.map((r, c) => r.result(columns[c]));
}

export interface SplitSizes {
  train: number;
  validation: number;
  test: number;
}

export interface LengthBin {
  /** Inclusive range of sequence lengths. */
  from: number;
  to: number;
  count: number;
}

export interface DataSummary {
  task: TaskType;
  kind: 'series' | 'tokens';
  /** What one example is: a window of a series read from a file, or a sample (sequence, text, pair, …). */
  exampleUnit: 'windows' | 'samples';
  /** From the loader, when it read a file of rows (see `DataStats`). */
  rows?: number;
  columns?: ColumnStatistics[];
  splits: SplitSizes;
  /** tokens: vocabulary sizes (with the four specials). */
  vocabulary?: { input: number; target?: number };
  /** classify: examples per class; tag: tokens per tag. Per split, in label-id order. */
  labels?: { unit: 'examples' | 'tokens'; counts: { label: string; splits: SplitSizes }[] };
  /** Input lengths (steps) over all splits. */
  lengths?: { min: number; max: number; mean: number; histogram: LengthBin[] };
  /** The figures to beat on each held-out split (empty when a split is empty). */
  baselines: { validation: Baselines; test?: Baselines };
}

const SUMMARY_BATCH = 256;
const HISTOGRAM_BINS = 8;

export interface KnownFigures {
  /** The validation baselines when the caller has them already (a run computes them before it starts). */
  validationBaselines?: Baselines;
}

export function summarizeData(prepared: PreparedData, known: KnownFigures = {}): DataSummary {
  const { info } = prepared;
  const stats: DataStats | undefined = info.stats;
  const splits: [keyof SplitSizes, DataSplit | undefined][] = [['train', prepared.train], ['validation', prepared.validation], ['test', prepared.test]];
  const labelNames = info.task === 'classify' || info.task === 'tag' ? info.labels ?? [] : undefined;
  const labelCounts = labelNames?.map(() => ({ train: 0, validation: 0, test: 0 }));
  const lengths: number[] = [];
  // Series and text windows all have one length (data.window, or the generator's length): no pass over the batches.
  const uniformLength = info.kind === 'series' || info.task === 'generate';
  for (const [name, split] of splits) {
    if (!split || uniformLength) continue;
    for (const batch of split.batches(SUMMARY_BATCH, { shuffle: false })) {
      for (let b = 0; b < batch.size; b++) lengths.push(batch.lengths[b]);
      if (!labelCounts || !batch.targetIds) continue;
      if (info.task === 'classify') {
        for (let b = 0; b < batch.size; b++) labelCounts[batch.targetIds[b]][name]++;
      } else {
        const T = batch.targetSteps ?? batch.steps;
        for (let b = 0; b < batch.size; b++) {
          for (let t = 0; t < T; t++) {
            const tag = batch.targetIds[b * T + t];
            if (tag >= 0 && tag < labelCounts.length) labelCounts[tag][name]++;
          }
        }
      }
    }
  }
  const summary: DataSummary = {
    task: info.task,
    kind: info.kind,
    exampleUnit: info.inputColumns ? 'windows' : 'samples',
    splits: { train: prepared.train.size, validation: prepared.validation.size, test: prepared.test?.size ?? 0 },
    baselines: { validation: known.validationBaselines ?? safeBaselines(prepared, 'validation') },
  };
  if (stats) {
    summary.rows = stats.rows;
    if (stats.columns) summary.columns = stats.columns;
  }
  if (info.kind === 'tokens' && info.vocabulary) {
    summary.vocabulary = { input: info.vocabulary.size };
    if (info.targetVocabulary && info.targetVocabulary !== info.vocabulary) summary.vocabulary.target = info.targetVocabulary.size;
  }
  if (labelNames && labelCounts) {
    summary.labels = { unit: info.task === 'tag' ? 'tokens' : 'examples', counts: labelNames.map((label, i) => ({ label, splits: labelCounts[i] })) };
  }
  const examples = summary.splits.train + summary.splits.validation + summary.splits.test;
  if (uniformLength && examples > 0) summary.lengths = { min: info.maxLength, max: info.maxLength, mean: info.maxLength, histogram: [{ from: info.maxLength, to: info.maxLength, count: examples }] };
  else if (lengths.length > 0) summary.lengths = lengthSummary(lengths);
  if (prepared.test && prepared.test.size > 0) summary.baselines.test = safeBaselines(prepared, 'test');
  return summary;
}

/** A baseline is a courtesy: data a baseline cannot measure still gets a summary. */
function safeBaselines(prepared: PreparedData, split: 'validation' | 'test'): Baselines {
  try {
    return { ...baselines(prepared, split) };
  } catch {
    return {};
  }
}

/** Min, max, mean and an equal-width histogram of integer lengths (one bin per length when there are few). */
export function lengthSummary(lengths: readonly number[]): NonNullable<DataSummary['lengths']> {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const n of lengths) {
    if (n < min) min = n;
    if (n > max) max = n;
    sum += n;
  }
  const width = Math.max(1, Math.ceil((max - min + 1) / HISTOGRAM_BINS));
  const histogram: LengthBin[] = [];
  for (let from = min; from <= max; from += width) histogram.push({ from, to: Math.min(max, from + width - 1), count: 0 });
  for (const n of lengths) histogram[Math.floor((n - min) / width)].count++;
  return { min, max, mean: sum / lengths.length, histogram };
}

// ------------------------------------------------------------------------------------------------ text

const MAX_LABEL_ROWS = 20;

/** The summary as plain text lines for a terminal (`seqlab check`, the head of `seqlab train`). */
export function formatDataSummary(summary: DataSummary): string {
  const lines: string[] = [];
  const count = formatCount;
  const figure = (v: number) => (Number.isFinite(v) ? String(+v.toPrecision(4)) : String(v));
  const { splits } = summary;
  const total = splits.train + splits.validation + splits.test;
  lines.push(`data: ${summary.task}${summary.rows !== undefined ? `, ${count(summary.rows)} rows` : ''}; ${count(total)} ${summary.exampleUnit}: ` +
    `train ${count(splits.train)} · validation ${count(splits.validation)} · test ${count(splits.test)}`);
  if (summary.vocabulary) lines.push(`vocabulary: ${count(summary.vocabulary.input)} tokens${summary.vocabulary.target !== undefined ? ` in, ${count(summary.vocabulary.target)} out` : ''}`);
  if (summary.columns?.length) {
    lines.push('', table(['column', 'min', 'max', 'mean', 'std'], summary.columns.map((c) => [c.name, figure(c.min), figure(c.max), figure(c.mean), figure(c.std)])));
  }
  if (summary.labels?.counts.length) {
    const columns = (['train', 'validation', 'test'] as const).filter((split) => split !== 'test' || splits.test > 0);
    const totals = columns.map((split) => summary.labels!.counts.reduce((sum, c) => sum + c.splits[split], 0));
    const share = (n: number, of: number) => (of > 0 ? `${count(n)} (${((100 * n) / of).toFixed(1)}%)` : '—');
    const rows = summary.labels.counts.slice(0, MAX_LABEL_ROWS).map(({ label, splits: s }) => [label, ...columns.map((split, i) => share(s[split], totals[i]))]);
    lines.push('', `labels (${summary.labels.unit} per split):`, table(['label', ...columns], rows));
    if (summary.labels.counts.length > MAX_LABEL_ROWS) lines.push(`  … and ${summary.labels.counts.length - MAX_LABEL_ROWS} more labels`);
  }
  if (summary.lengths) {
    const { min, max, mean, histogram } = summary.lengths;
    lines.push('', min === max ? `sequence length: ${min} steps, every example` : `sequence length: ${min}–${max} steps, mean ${figure(mean)}`);
    if (min !== max) {
      const most = Math.max(...histogram.map((b) => b.count));
      const labels = histogram.map((b) => (b.from === b.to ? `${b.from}` : `${b.from}–${b.to}`));
      const labelWidth = Math.max(...labels.map((l) => l.length));
      histogram.forEach((b, i) => lines.push(`  ${labels[i].padStart(labelWidth)}  ${'█'.repeat(Math.round((24 * b.count) / Math.max(1, most))).padEnd(24)}  ${count(b.count)}`));
    }
  }
  const baselineLines = Object.entries(summary.baselines)
    .filter(([, figures]) => figures && Object.keys(figures).length > 0)
    .map(([split, figures]) => `baselines on ${split}: ${Object.entries(figures!).map(([k, v]) => `${k} ${figure(v)}`).join(' · ')}`);
  if (baselineLines.length) lines.push('', ...baselineLines);
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
