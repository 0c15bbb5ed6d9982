/**
 * A full data summary kept for later: the summary, the data file it was made from (absolute path, size, mtime)
 * and what made it. The editor reads only a data file's stat and head, so its `data.path` hover shows the record
 * of the last full read (`seqlab check` or a run) while the file is unchanged: same path, size and mtime.
 */
import type { DataSummary } from './summary';

export interface DataFileStamp {
  /** Absolute path. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface DataSummaryRecord {
  version: 1;
  /** The data file summarised; absent for generated (synthetic) data. */
  file?: DataFileStamp;
  /** What read the data whole. */
  by: 'run' | 'check';
  /** When (ISO 8601). */
  at: string;
  summary: DataSummary;
}

/** A record read back from JSON, or undefined when the text is not one (another version, a broken file). */
export function parseDataSummaryRecord(text: string): DataSummaryRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const record = value as Partial<DataSummaryRecord> | null;
  if (!record || typeof record !== 'object' || record.version !== 1 || (record.by !== 'run' && record.by !== 'check') || typeof record.at !== 'string') return undefined;
  const summary = record.summary as Partial<DataSummary> | undefined;
  if (!summary || typeof summary !== 'object' || typeof summary.task !== 'string' || !summary.splits || !summary.baselines) return undefined;
  const file = record.file;
  if (file !== undefined && !(typeof file.path === 'string' && Number.isFinite(file.size) && Number.isFinite(file.mtimeMs))) return undefined;
  return record as DataSummaryRecord;
}

/** The record summarises this file as it is now (same path, size and modification time). */
export function recordDescribes(record: DataSummaryRecord, file: DataFileStamp): boolean {
  return record.file !== undefined && record.file.path === file.path && record.file.size === file.size && record.file.mtimeMs === file.mtimeMs;
}
