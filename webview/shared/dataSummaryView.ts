/**
 * The dashboard's data block: the `dataSummary` event (src/data/summary.ts) as a one-line headline and small
 * tables. Pure: no DOM (the panel puts these strings in as text, never as markup).
 */
import type { DataSummary } from '../../src/data/summary';
import { formatCount, formatScalar } from '../../src/format/display';

export interface SummaryTable {
  caption: string;
  header: string[];
  rows: string[][];
}

export interface DataSummaryView {
  /** "600 samples · train 480 · validation 120 · test 0", shown on the collapsed block. */
  headline: string;
  /** Short facts: rows, vocabulary, the length range. */
  facts: string[];
  tables: SummaryTable[];
}

const MAX_LABEL_ROWS = 20;

export function dataSummaryView(summary: DataSummary): DataSummaryView {
  const { splits } = summary;
  const total = splits.train + splits.validation + splits.test;
  const headline = `${formatCount(total)} ${summary.exampleUnit} · train ${formatCount(splits.train)} · validation ${formatCount(splits.validation)} · test ${formatCount(splits.test)}`;
  const facts: string[] = [];
  if (summary.rows !== undefined) facts.push(`${formatCount(summary.rows)} rows in the file`);
  if (summary.vocabulary) facts.push(`vocabulary ${formatCount(summary.vocabulary.input)} tokens${summary.vocabulary.target !== undefined ? ` in, ${formatCount(summary.vocabulary.target)} out` : ''}`);
  if (summary.lengths) {
    const { min, max, mean } = summary.lengths;
    facts.push(min === max ? `every sequence ${min} steps` : `sequences of ${min}–${max} steps, mean ${formatScalar(mean)}`);
  }
  const tables: SummaryTable[] = [];
  if (summary.columns?.length) {
    tables.push({ caption: 'Columns (original units)', header: ['column', 'min', 'max', 'mean', 'std'], rows: summary.columns.map((c) => [c.name, formatScalar(c.min), formatScalar(c.max), formatScalar(c.mean), formatScalar(c.std)]) });
  }
  if (summary.labels?.counts.length) {
    const columns = (['train', 'validation', 'test'] as const).filter((split) => split !== 'test' || splits.test > 0);
    const totals = columns.map((split) => summary.labels!.counts.reduce((sum, c) => sum + c.splits[split], 0));
    const share = (n: number, of: number) => (of > 0 ? `${formatCount(n)} (${((100 * n) / of).toFixed(1)}%)` : '—');
    const rows = summary.labels.counts.slice(0, MAX_LABEL_ROWS).map(({ label, splits: s }) => [label, ...columns.map((split, i) => share(s[split], totals[i]))]);
    if (summary.labels.counts.length > MAX_LABEL_ROWS) rows.push([`… ${summary.labels.counts.length - MAX_LABEL_ROWS} more`, ...columns.map(() => '')]);
    tables.push({ caption: `Labels (${summary.labels.unit} per split)`, header: ['label', ...columns], rows });
  }
  if (summary.lengths && summary.lengths.min !== summary.lengths.max) {
    tables.push({
      caption: 'Sequence lengths (all splits)',
      header: ['steps', 'sequences'],
      rows: summary.lengths.histogram.map((bin) => [bin.from === bin.to ? String(bin.from) : `${bin.from}–${bin.to}`, formatCount(bin.count)]),
    });
  }
  const baselineRows = Object.entries(summary.baselines).flatMap(([split, figures]) => Object.entries(figures ?? {}).map(([name, value]) => [split, name, formatScalar(value)]));
  if (baselineRows.length) tables.push({ caption: 'Baselines to beat', header: ['split', 'baseline', 'value'], rows: baselineRows });
  return { headline, facts, tables };
}
