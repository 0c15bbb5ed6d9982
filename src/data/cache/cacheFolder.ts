/**
 * A cache folder `.seqlab/cache/<name>/`: raw little-endian arrays plus `header.json` (dtype, shape and byte
 * length of each file, and what the loader learnt: vocabulary, normalisation, statistics). It is built in a
 * temporary sibling folder and made visible by one rename, header written last, so a build killed at any moment
 * leaves no folder under the real name; a folder is used only when its header names this key and every file has
 * the length the header says.
 */
import type { DataIo } from '../types';
import { CACHE_VERSION, cacheFolderName, sameKey, type CacheKey } from './cacheKey';
import type { DataCacheIo } from './cacheIo';

export const CACHE_FORMAT = 'seqlab-data-cache';
export const HEADER_FILE = 'header.json';

export interface CachedArray {
  dtype: 'float32' | 'float64' | 'uint8' | 'uint16' | 'int32';
  shape: number[];
  bytes: number;
}

export interface CacheHeader<P = unknown> {
  format: typeof CACHE_FORMAT;
  version: number;
  littleEndian: true;
  key: CacheKey;
  files: Record<string, CachedArray>;
  /** What the loader knew besides the arrays (the kind's own fields). */
  payload: P;
}

export type CacheHostIo = DataIo & { cache: DataCacheIo };

/** How long a temporary build folder is left alone: older ones belong to a build that was killed. */
const ABANDONED_AFTER_MS = 24 * 3600 * 1000;

export interface OpenedCache<P> {
  folder: string;
  header: CacheHeader<P>;
  /** True when this call built the folder (false: an existing one was reused). */
  built: boolean;
}

/**
 * The cache folder for `key` under `root`: reused when complete, else built by `build(temporaryFolder)`, which
 * writes its arrays there and returns their descriptions and its payload.
 */
export function openOrBuildCache<P>(io: CacheHostIo, root: string, key: CacheKey, build: (folder: string) => { files: Record<string, CachedArray>; payload: P }): OpenedCache<P> {
  const { name, pathPrefix } = cacheFolderName(key);
  const folder = `${root}/${name}`;
  const existing = readCacheHeader<P>(io, folder, key);
  if (existing) return { folder, header: existing, built: false };
  io.cache.makeDirectory(root);
  removeOutdated(io, root, name, pathPrefix, key);
  const temporary = `${root}/.${name}.${Date.now()}-${Math.random().toString(36).slice(2, 10)}.tmp`;
  io.cache.makeDirectory(temporary);
  let header: CacheHeader<P>;
  try {
    const { files, payload } = build(temporary);
    header = { format: CACHE_FORMAT, version: CACHE_VERSION, littleEndian: true, key, files, payload };
    const out = io.cache.createFile(`${temporary}/${HEADER_FILE}`);
    out.write(new TextEncoder().encode(JSON.stringify(header)));
    out.close();
  } catch (error) {
    io.cache.remove(temporary);
    throw error;
  }
  if (io.cache.renameDirectory(temporary, folder)) return { folder, header, built: true };
  // Another process finished the same build first: use its folder.
  io.cache.remove(temporary);
  const theirs = readCacheHeader<P>(io, folder, key);
  if (!theirs) throw new Error(`${folder}: a cache folder appeared during the build but is not usable; delete it and try again`);
  return { folder, header: theirs, built: false };
}

/** The header of a complete folder made for `key`, else undefined. */
export function readCacheHeader<P>(io: CacheHostIo, folder: string, key: CacheKey): CacheHeader<P> | undefined {
  const headerPath = `${folder}/${HEADER_FILE}`;
  if (!io.cache.exists(headerPath)) return undefined;
  let header: CacheHeader<P>;
  try {
    header = JSON.parse(io.readTextFile(headerPath)) as CacheHeader<P>;
  } catch {
    return undefined;
  }
  if (header?.format !== CACHE_FORMAT || header.version !== CACHE_VERSION || header.littleEndian !== true || !sameKey(header.key, key)) return undefined;
  for (const [file, array] of Object.entries(header.files ?? {})) {
    if (fileSize(io, `${folder}/${file}`) !== array.bytes) return undefined;
  }
  return header;
}

function fileSize(io: CacheHostIo, path: string): number | undefined {
  try {
    const file = io.openFile!(path);
    file.close();
    return file.size;
  } catch {
    return undefined;
  }
}

/**
 * Removes what can never be used again: folders of the same data file made from another version of it (size or
 * mtime differ, or unreadable), a damaged folder under this very name, and abandoned temporary folders of it.
 * Folders of the same file with another `data` section stay (two specs may share a file).
 */
function removeOutdated(io: CacheHostIo, root: string, name: string, pathPrefix: string, key: CacheKey): void {
  for (const entry of io.cache.listDirectory(root)) {
    const path = `${root}/${entry}`;
    if (entry === name) {
      io.cache.remove(path);
      continue;
    }
    const temporary = new RegExp(`^\\.${escapeRegExp(name)}\\.(\\d+)-[a-z0-9]*\\.tmp$`).exec(entry);
    if (temporary) {
      if (Date.now() - Number(temporary[1]) > ABANDONED_AFTER_MS) io.cache.remove(path);
      continue;
    }
    if (!entry.startsWith(pathPrefix)) continue;
    let other: CacheHeader | undefined;
    try {
      other = JSON.parse(io.readTextFile(`${path}/${HEADER_FILE}`)) as CacheHeader;
    } catch {
      other = undefined;
    }
    const sameFile = other?.key?.path === key.path && other.key.size === key.size && other.key.mtimeMs === key.mtimeMs && other.version === CACHE_VERSION;
    if (!sameFile) io.cache.remove(path);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
