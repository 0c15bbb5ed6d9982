/**
 * Where full data summaries are kept: `data-summary.json` in each run folder, and the latest one per spec in
 * `.seqlab/summaries/<spec file name>.json` beside the spec (written by a run and by `seqlab check`), which the
 * editor's `data.path` hover shows while the data file is unchanged. Both are written atomically through the RunIo.
 */
import * as path from 'node:path';
import type { DataFileStamp, DataSummaryRecord } from '../data/summaryRecord';
import type { DataSummary } from '../data/summary';
import type { SpecAnalysis } from '../modelSpec/analysisTypes';
import type { RunIo } from './runIo';

export const DATA_SUMMARY_FILE = 'data-summary.json';

/** The latest full summary of the data of the spec at `specPath`. */
export function latestSummaryPath(specPath: string): string {
  return path.join(path.dirname(path.resolve(specPath)), '.seqlab', 'summaries', `${path.basename(specPath)}.json`);
}

/** The data file as the analysis saw it (its stat), when the spec reads one. */
export function dataFileStamp(analysis: SpecAnalysis): DataFileStamp | undefined {
  const file = analysis.dataFile;
  if (file?.facts?.status !== 'file') return undefined;
  return { path: file.absolutePath, size: file.facts.size, mtimeMs: file.facts.mtimeMs };
}

export interface SummaryPlaces {
  specPath: string;
  /** The run folder (a run), or none (`seqlab check`). */
  runDir?: string;
  file?: DataFileStamp;
  time?: Date;
}

/**
 * Writes the record into the run folder (a failure there is the run's) and as the spec's latest summary (a
 * courtesy to the editor: a folder that cannot take it does not stop a run or a check).
 */
export function saveDataSummary(io: RunIo, summary: DataSummary, places: SummaryPlaces): DataSummaryRecord {
  const record: DataSummaryRecord = { version: 1, ...(places.file ? { file: places.file } : {}), by: places.runDir ? 'run' : 'check', at: (places.time ?? new Date()).toISOString(), summary };
  const text = `${JSON.stringify(record, null, 2)}\n`;
  if (places.runDir) io.writeFileAtomic(path.join(places.runDir, DATA_SUMMARY_FILE), text);
  if (places.file) {
    const latest = latestSummaryPath(places.specPath);
    try {
      io.makeDirectory(path.dirname(latest));
      io.writeFileAtomic(latest, text);
    } catch {
      /* the editor then shows the head summary, as before any full read */
    }
  }
  return record;
}
