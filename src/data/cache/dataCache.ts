/**
 * The entry to the disk cache for `prepareData`: a data file of at least `io.cache.thresholdBytes` is converted
 * once into `.seqlab/cache/<key>/` beside the spec (where its runs go) and trained from there with positional
 * reads; smaller files, and hosts without a cache io (tests, the editor), load in memory as before.
 */
import { resolveDataPath } from '../prepare';
import type { DataFile, DataIo, PreparedData } from '../types';
import { openOrBuildCache, type CachedArray, type CacheHostIo } from './cacheFolder';
import { CACHE_VERSION, type CacheKey } from './cacheKey';

/** The cache folder of the specs in `specDir`. */
export function dataCacheRoot(specDir: string): string {
  return resolveDataPath(specDir, '.seqlab/cache');
}

export interface CachedLoader<P> {
  /** Which stores the folder holds. */
  kind: string;
  /** Everything besides the file that shapes the arrays: the spec's `data` section, horizon, seed… */
  keyData: unknown;
  build(io: CacheHostIo, folder: string): { files: Record<string, CachedArray>; payload: P };
  open(io: CacheHostIo, folder: string, payload: P): PreparedData;
}

/** The data through the cache when `file` is large enough and the host can cache; undefined to load it in memory. */
export function throughDataCache<P>(io: DataIo, specDir: string, file: string, loader: CachedLoader<P>): PreparedData | undefined {
  const cache = io.cache;
  if (!cache || !io.openFile) return undefined;
  let identity: { realPath: string; size: number; mtimeMs: number };
  try {
    identity = cache.identify(file);
  } catch {
    return undefined; // a missing or unreadable file is reported by the loader, as without the cache
  }
  if (!(identity.size >= cache.thresholdBytes)) return undefined;
  const key: CacheKey = { version: CACHE_VERSION, kind: loader.kind, path: identity.realPath, size: identity.size, mtimeMs: identity.mtimeMs, data: loader.keyData };
  const hostIo = io as CacheHostIo;
  const started = Date.now();
  const opened = openOrBuildCache(hostIo, dataCacheRoot(specDir), key, (folder) => loader.build(hostIo, folder));
  // The splits keep their cache files open for positional reads; `close` releases them when the run is over.
  const handles: DataFile[] = [];
  const recording: CacheHostIo = { ...hostIo, openFile: (path) => { const file = hostIo.openFile!(path); handles.push(file); return file; } };
  const prepared = loader.open(recording, opened.folder, opened.header.payload);
  prepared.info.cache = { folder: opened.folder, built: opened.built, seconds: (Date.now() - started) / 1000 };
  prepared.close = () => handles.forEach((file) => file.close());
  return prepared;
}
