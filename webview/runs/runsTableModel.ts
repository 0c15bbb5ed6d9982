/**
 * The runs table's rows as the panel shows them: runs alone, or grouped by configuration (the seeds of one set
 * of parameters) with mean ± std over the seeds; sorted by any column, filtered by words; and the curve of a
 * run or group for the overlay chart (a group: the mean per epoch with a ± std band). Pure: no DOM.
 */
import type { RunCurve, RunsTableRow } from '../../src/train/protocol';
import type { SpecValue } from '../../src/modelSpec/specDiff';

export interface MeanStd {
  mean: number;
  /** Sample standard deviation over the seeds (n − 1); 0 for one value. */
  std: number;
  count: number;
}

/** Mean and sample standard deviation of the finite values; undefined when there is none. */
export function meanStd(values: readonly number[]): MeanStd | undefined {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return undefined;
  const mean = finite.reduce((sum, value) => sum + value, 0) / finite.length;
  const variance = finite.length > 1 ? finite.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (finite.length - 1) : 0;
  return { mean, std: Math.sqrt(variance), count: finite.length };
}

/** A line of the table: one run, or the runs of one configuration. */
export interface TableItem {
  /** A run's id (its folder), or `group:<configKey>`. */
  id: string;
  kind: 'run' | 'group';
  label: string;
  rows: RunsTableRow[];
}

export const groupId = (configKey: string) => `group:${configKey}`;

/** Runs as they come, or one item per configuration in order of first appearance (a lone run stays a run). */
export function tableItems(rows: readonly RunsTableRow[], grouped: boolean): TableItem[] {
  const single = (row: RunsTableRow): TableItem => ({ id: row.id, kind: 'run', label: row.name, rows: [row] });
  if (!grouped) return rows.map(single);
  const groups = new Map<string, RunsTableRow[]>();
  for (const row of rows) groups.set(row.configKey, [...(groups.get(row.configKey) ?? []), row]);
  return [...groups].map(([configKey, members]) => (members.length === 1 ? single(members[0]) : {
    id: groupId(configKey), kind: 'group', label: `${members.length} seeds`, rows: members,
  }));
}

export type Figure = 'final' | 'best' | 'test';

export type Column =
  | { kind: 'name' }
  | { kind: 'status' }
  | { kind: 'param'; path: string }
  | { kind: 'metric'; figure: Figure; metric: string }
  | { kind: 'epochs' }
  | { kind: 'seconds' }
  | { kind: 'samplesPerSecond' };

/** A numeric column's value over an item's runs (one run: its value with std 0). */
export function itemStatistic(item: TableItem, column: Column): MeanStd | undefined {
  const value = (row: RunsTableRow): number | undefined => {
    switch (column.kind) {
      case 'metric': return row[column.figure][column.metric];
      case 'epochs': return row.epochs;
      case 'seconds': return row.seconds ?? undefined;
      case 'samplesPerSecond': return row.samplesPerSecond ?? undefined;
      case 'param': {
        const param = row.params[column.path];
        return typeof param === 'number' ? param : undefined;
      }
      default: return undefined;
    }
  };
  return meanStd(item.rows.map(value).filter((v): v is number => v !== undefined));
}

/** A parameter's value for an item: the shared value, or for the seed of a group the list of seeds. */
export function itemParameter(item: TableItem, path: string): SpecValue | undefined {
  const values = [...new Set(item.rows.map((row) => row.params[path]))];
  if (values.length === 1) return values[0];
  return values.map((value) => (value === undefined ? '—' : String(value))).join(', ');
}

function sortKey(item: TableItem, column: Column): number | string | undefined {
  switch (column.kind) {
    case 'name': return item.label;
    case 'status': return item.rows.map((row) => row.status).join(',');
    case 'param': {
      const value = itemParameter(item, column.path);
      return typeof value === 'number' || typeof value === 'string' ? value : value === undefined || value === null ? undefined : String(value);
    }
    default: return itemStatistic(item, column)?.mean;
  }
}

/** Sorted by a column; items without a value go last in both directions; ties keep their order. */
export function sortItems(items: readonly TableItem[], column: Column, direction: 'ascending' | 'descending'): TableItem[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return items.map((item, index) => ({ item, index, key: sortKey(item, column) })).sort((a, b) => {
    const missingA = a.key === undefined || (typeof a.key === 'number' && Number.isNaN(a.key));
    const missingB = b.key === undefined || (typeof b.key === 'number' && Number.isNaN(b.key));
    if (missingA || missingB) return missingA === missingB ? a.index - b.index : missingA ? 1 : -1;
    const order = typeof a.key === 'number' && typeof b.key === 'number' ? a.key - b.key : String(a.key).localeCompare(String(b.key), undefined, { numeric: true });
    return order * sign || a.index - b.index;
  }).map(({ item }) => item);
}

/** How a status reads in the table: a sweep trial not started yet is queued; the rest read as they are. */
export function statusLabel(status: RunsTableRow['status']): string {
  return status === 'pending' ? 'queued' : status;
}

/** The words an item matches: names, statuses and `path=value` / `last-segment=value` for each parameter. */
function haystack(item: TableItem): string {
  const words = [item.label];
  for (const row of item.rows) {
    words.push(row.name, row.status, statusLabel(row.status), row.specName);
    for (const [path, value] of Object.entries(row.params)) words.push(`${path}=${value}`, `${path.split('.').at(-1)}=${value}`);
  }
  return words.join(' ').toLowerCase();
}

/** Items matching every word of the query (case-insensitive); an empty query keeps all. */
export function filterItems(items: readonly TableItem[], query: string): TableItem[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  return terms.length === 0 ? [...items] : items.filter((item) => {
    const text = haystack(item);
    return terms.every((term) => text.includes(term));
  });
}

export interface ItemCurve {
  epochs: number[];
  /** A run's values; a group's mean over the seeds that reached each epoch. */
  values: number[];
  /** A group's mean ± std per epoch (absent for one run). */
  band?: { lower: number[]; upper: number[] };
}

/**
 * The overlay curve of an item for one metric, from the curves received (undefined until they arrive). Epochs
 * without a value (not validated: training.validateEvery) are left out, so the line joins the validated epochs.
 */
export function itemCurve(item: TableItem, curves: ReadonlyMap<string, RunCurve>, metric: string): ItemCurve | undefined {
  const members = item.rows.map((row) => curves.get(row.id)).filter((curve): curve is RunCurve => curve !== undefined);
  if (members.length === 0) return undefined;
  const valueAt = (curve: RunCurve, index: number) => curve.series[metric]?.[index];
  if (item.kind === 'run') {
    const curve = members[0];
    const kept = curve.epochs.flatMap((_epoch, i) => (Number.isNaN(valueAt(curve, i) ?? Number.NaN) ? [] : [i]));
    return { epochs: kept.map((i) => curve.epochs[i]), values: kept.map((i) => valueAt(curve, i)!) };
  }
  const valuesAt = (epoch: number) => members.flatMap((curve) => {
    const index = curve.epochs.indexOf(epoch);
    const value = index >= 0 ? valueAt(curve, index) : undefined;
    return value === undefined || Number.isNaN(value) ? [] : [value];
  });
  const epochs = [...new Set(members.flatMap((curve) => curve.epochs))].sort((a, b) => a - b).filter((epoch) => valuesAt(epoch).length > 0);
  const statistics = epochs.map((epoch) => meanStd(valuesAt(epoch)));
  return {
    epochs,
    values: statistics.map((statistic) => statistic?.mean ?? Number.NaN),
    band: { lower: statistics.map((s) => (s ? s.mean - s.std : Number.NaN)), upper: statistics.map((s) => (s ? s.mean + s.std : Number.NaN)) },
  };
}
