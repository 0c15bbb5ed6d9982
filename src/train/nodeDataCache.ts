/**
 * `DataCacheIo` on Node: the disk cache's folders and sequential writes, and the size threshold above which
 * data goes through the cache. The threshold comes from `SEQLAB_CACHE_THRESHOLD_MB` (the CLI's
 * `--cache-threshold`, the extension's `seqlab.dataCacheThresholdMB` setting), else a quarter of the memory free when the data is loaded: a file held in memory costs up
 * to about twice its size while it is read.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { DataCacheIo, DataFileWriter } from '../data/cache/cacheIo';
import { withFileErrors } from './fileErrors';

export const CACHE_THRESHOLD_ENV = 'SEQLAB_CACHE_THRESHOLD_MB';

/** Files of at least this many bytes go through the cache. */
export function dataCacheThresholdBytes(env: NodeJS.ProcessEnv = process.env, freeBytes = os.freemem()): number {
  const value = env[CACHE_THRESHOLD_ENV]?.trim();
  if (value === undefined || value === '') return Math.floor(freeBytes / 4);
  const megabytes = Number(value);
  if (!(megabytes >= 0)) throw new Error(`${CACHE_THRESHOLD_ENV} must be a number of megabytes ≥ 0, got "${value}"`);
  return Math.floor(megabytes * 1024 * 1024);
}

export const nodeDataCacheIo: DataCacheIo = {
  get thresholdBytes() {
    return dataCacheThresholdBytes();
  },
  identify: (filePath) => {
    const realPath = fs.realpathSync(filePath);
    const stat = fs.statSync(realPath);
    return { realPath, size: stat.size, mtimeMs: stat.mtimeMs };
  },
  exists: (filePath) => fs.existsSync(filePath),
  listDirectory: (dirPath) => withFileErrors(dirPath, 'open', () => fs.readdirSync(dirPath)),
  makeDirectory: (dirPath) => {
    withFileErrors(dirPath, 'create', () => fs.mkdirSync(dirPath, { recursive: true }));
  },
  remove: (filePath) => fs.rmSync(filePath, { recursive: true, force: true }),
  renameDirectory: (from, to) => {
    if (fs.existsSync(to)) return false;
    try {
      fs.renameSync(from, to);
      return true;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
      throw error;
    }
  },
  createFile: (filePath) => withFileErrors(filePath, 'write', () => openWriter(filePath)),
};

function openWriter(filePath: string): DataFileWriter {
  const fd = fs.openSync(filePath, 'w');
  return {
    write: (bytes) => {
      withFileErrors(filePath, 'write', () => {
        for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
      });
    },
    close: () => {
      withFileErrors(filePath, 'write', () => {
        try {
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
      });
    },
  };
}
