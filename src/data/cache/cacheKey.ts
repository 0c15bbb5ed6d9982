/**
 * Which cache folder belongs to a data file and a spec: the file's resolved path, size and modification time and
 * the spec's `data` section (plus what else shapes the stored arrays: the forecast horizon, the split seed).
 * Change any of them and the key changes, so the old folder is never read again (and is evicted).
 */
export const CACHE_VERSION = 1;

export interface CacheKey {
  version: number;
  /** Which stores the folder holds ('series', 'tokens', 'labelled-texts', 'tagged-sentences', 'pairs'). */
  kind: string;
  path: string;
  size: number;
  mtimeMs: number;
  /** The spec's `data` section and the other settings the arrays depend on. */
  data: unknown;
}

/** JSON with object keys sorted, so a spec whose keys are reordered keys the same cache. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** 64 bits of two FNV-1a-style 32-bit hashes (different seeds) as 16 hex digits: a name, not a security check. */
export function hashText(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/**
 * The folder name: `<file name>-<hash of the path>-<hash of the rest>`. Folders of the same data file share the
 * first two parts, so an outdated one (the file changed) can be found and removed.
 */
export function cacheFolderName(key: CacheKey): { name: string; pathPrefix: string } {
  const base = key.path.split(/[\\/]/).pop() ?? 'data';
  const stem = base.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40) || 'data';
  const pathPrefix = `${stem}-${hashText(key.path).slice(0, 8)}-`;
  return { name: pathPrefix + hashText(canonicalJson(key)), pathPrefix };
}

/** Two keys name the same data (compared in full: a hash collision never serves the wrong arrays). */
export function sameKey(a: unknown, b: CacheKey): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
