/**
 * The spec's last full data summary (`.seqlab/summaries/<spec>.json`, written by a run or `seqlab check`), read
 * asynchronously for the data.path hover and cached by the summary file's mtime. Only that small JSON file is read:
 * never the data file (the hover matches the record to the data file by path, size and mtime from its stat).
 * No `vscode` import: tests drive it with an injected io.
 */
import { promises as fs } from 'node:fs';
import { parseDataSummaryRecord, type DataSummaryRecord } from '../data/summaryRecord';
import { latestSummaryPath } from '../train/dataSummaryFile';

export interface SummaryFileIo {
  /** The file's mtime, undefined when it does not exist. */
  mtimeMs(file: string): Promise<number | undefined>;
  readText(file: string): Promise<string>;
}

const nodeSummaryFileIo: SummaryFileIo = {
  mtimeMs: async (file) => {
    try {
      const stat = await fs.stat(file);
      return stat.isFile() ? stat.mtimeMs : undefined;
    } catch {
      return undefined;
    }
  },
  readText: (file) => fs.readFile(file, 'utf8'),
};

/** Specs remembered at once. */
const MAX_SPECS = 32;

export class SavedDataSummaries {
  private readonly cache = new Map<string, { mtimeMs: number; record: DataSummaryRecord | undefined }>();

  constructor(private readonly io: SummaryFileIo = nodeSummaryFileIo) {}

  /** The last full summary saved for the spec at `specPath`, or undefined (none, unreadable, another version). */
  async latest(specPath: string): Promise<DataSummaryRecord | undefined> {
    const file = latestSummaryPath(specPath);
    const mtimeMs = await this.io.mtimeMs(file);
    if (mtimeMs === undefined) return undefined;
    const cached = this.cache.get(file);
    if (cached?.mtimeMs === mtimeMs) return cached.record;
    let record: DataSummaryRecord | undefined;
    try {
      record = parseDataSummaryRecord(await this.io.readText(file));
    } catch {
      record = undefined;
    }
    this.cache.delete(file);
    this.cache.set(file, { mtimeMs, record });
    while (this.cache.size > MAX_SPECS) this.cache.delete(this.cache.keys().next().value as string);
    return record;
  }
}
