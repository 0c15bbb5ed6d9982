/**
 * The little the spec checks know of a data file (header line, labels, sample counts): its stat and its first
 * DATA_HEAD_BYTES, through the context's `dataFile` (or a whole `readTextFile` in tests), so the same checks run
 * on disk and in tests, and the editor never reads a data file whole. Whatever needs the whole file (exact row
 * counts, every label, the vocabulary) is either known from a complete head or left to the loader.
 */
import type { SpecContext } from './analysisTypes';
import { NotARegularFileError, type DataFileKind } from './dataFileKind';

/** Resolve a data path relative to the spec file's folder (POSIX or Windows separators). */
export function resolveDataPath(specPath: string, dataPath: string): string {
  if (/^([a-zA-Z]:[\\/]|[\\/])/.test(dataPath)) return dataPath;
  const separator = specPath.includes('\\') && !specPath.includes('/') ? '\\' : '/';
  const folder = specPath.slice(0, Math.max(specPath.lastIndexOf('/'), specPath.lastIndexOf('\\')));
  const parts = `${folder}${separator}${dataPath}`.split(/[\\/]/);
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..' && out.length > 1) out.pop();
    else if (part !== '.') out.push(part);
  }
  return out.join(separator);
}

/** Bytes of a data file the editor reads to know its header, columns and labels: never the whole file. */
export const DATA_HEAD_BYTES = 64 * 1024;

/** What analysis knows about one data file: its stat, and at most its first DATA_HEAD_BYTES as text. */
export type DataFileFacts =
  | { status: 'missing' }
  | { status: 'not-a-file'; kind: DataFileKind }
  | { status: 'unreadable'; reason: string }
  | {
    status: 'file';
    size: number;
    mtimeMs: number;
    /** The first bytes, decoded (the whole file when `complete`); may end mid-line. */
    head: string;
    /** How many bytes `head` was decoded from. */
    headBytes: number;
    complete: boolean;
  };

/** The facts of a regular file that could be read. */
export type ReadableDataFile = Extract<DataFileFacts, { status: 'file' }>;

/** A file's text known whole (tests, unsaved buffers): facts whose head is complete. */
export function completeFileFacts(text: string): DataFileFacts {
  const bytes = utf8Length(text);
  return { status: 'file', size: bytes, mtimeMs: 0, head: text, headBytes: bytes, complete: true };
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00) { bytes += 4; i++; } else bytes += 3;
  }
  return bytes;
}

/**
 * The data file a spec names, as the context knows it: `dataFile` (stat and head, the editor's way), else a whole
 * `readTextFile` (tests), else undefined. Undefined facts mean "not known yet": the file checks wait for them.
 */
export function readDataFile(context: SpecContext, dataPath: string): { absolutePath: string; facts: DataFileFacts | undefined } {
  const absolutePath = context.specPath ? resolveDataPath(context.specPath, dataPath) : dataPath;
  try {
    if (context.dataFile) return { absolutePath, facts: context.dataFile(absolutePath) };
    const text = context.readTextFile?.(absolutePath);
    return { absolutePath, facts: text === undefined ? { status: 'missing' } : completeFileFacts(text) };
  } catch (error) {
    // analysis never throws: a refusal or failure of the reader is a fact about the file
    if (error instanceof NotARegularFileError) return { absolutePath, facts: { status: 'not-a-file', kind: error.kind } };
    return { absolutePath, facts: { status: 'unreadable', reason: error instanceof Error ? error.message : String(error) } };
  }
}

/** The head's complete lines: what the file checks may trust. */
export interface DataHead {
  /** Complete lines only (a head cut mid-line loses its partial last line), without the BOM. */
  lines: string[];
  /** The text of those lines. */
  text: string;
  /** True when the lines are the whole file. */
  complete: boolean;
  /** Estimated bytes of the file those lines cover (exact when complete). */
  coveredBytes: number;
  size: number;
}

const heads = new WeakMap<object, DataHead>();

/** Complete lines of a readable file's head, computed once per facts object (the editor reuses facts across keystrokes). */
export function dataHead(facts: ReadableDataFile): DataHead {
  let head = heads.get(facts);
  if (head) return head;
  let text = facts.head.replace(/^\uFEFF/, '');
  if (!facts.complete) {
    const lastBreak = text.lastIndexOf('\n');
    text = lastBreak < 0 ? '' : text.slice(0, lastBreak + 1);
  }
  const coveredBytes = facts.complete ? facts.size : Math.round(facts.headBytes * (text.length / Math.max(1, facts.head.length)));
  head = { lines: dataFileLines(text), text, complete: facts.complete, coveredBytes, size: facts.size };
  heads.set(facts, head);
  return head;
}

/** Scales a count seen in the head to the whole file (exact when the head is the whole file). */
export function estimateFromHead(head: DataHead, countInHead: number): number {
  if (head.complete) return countInHead;
  return head.coveredBytes > 0 ? Math.round(countInHead * (head.size / head.coveredBytes)) : 0;
}

export function dataFileLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Split one CSV line, honouring double quotes ("a, b" stays one field; "" is a quote). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field.trim());
      field = '';
    } else field += ch;
  }
  fields.push(field.trim());
  return fields;
}
