/**
 * The file operations a training run needs, behind a small interface: the worker and the CLI pass the Node
 * implementation (`nodeRunIo`), tests pass an in-memory one, so the trainer core never touches `fs` itself.
 *
 * Every whole-file write is atomic: readers (the extension reopening a run, a crashed process restarting) see
 * either the old file or the new one, never half of one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withFileErrors } from './fileErrors';
import type { DataFile } from '../data/types';
import { openNodeDataFile } from './nodeDataFile';
import { nodeDataCacheIo } from './nodeDataCache';
import type { DataCacheIo } from '../data/cache/cacheIo';

export interface RunIo {
  readFile(filePath: string): Uint8Array;
  readTextFile(filePath: string): string;
  /** Positional reads, for data files read in chunks (see `DataIo.openFile`). */
  openFile?(filePath: string): DataFile;
  /** The disk cache for data larger than memory (see `DataIo.cache`). */
  cache?: DataCacheIo;
  exists(filePath: string): boolean;
  makeDirectory(dirPath: string): void;
  /**
   * Create the folder `dirPath` (its parents as needed) only if it does not exist yet: true when this call
   * created it, false when it was already there, so two runs can never both claim one folder.
   */
  createDirectoryExclusive(dirPath: string): boolean;
  /** The names in a folder. */
  listDirectory(dirPath: string): string[];
  /** Write the whole file atomically: temp file in the same directory, fsync, rename over the target. */
  writeFileAtomic(filePath: string, contents: Uint8Array | string): void;
}

/**
 * The real file system. The temp file sits in the target's directory so the rename never crosses devices.
 * Node's errors become `FileError`s: a sentence naming the path ("…: the file system is read-only").
 */
export const nodeRunIo: RunIo = {
  readFile: (filePath) => withFileErrors(filePath, 'read', () => new Uint8Array(fs.readFileSync(filePath))),
  readTextFile: (filePath) => withFileErrors(filePath, 'read', () => fs.readFileSync(filePath, 'utf8')),
  openFile: (filePath) => withFileErrors(filePath, 'read', () => openNodeDataFile(filePath)),
  cache: nodeDataCacheIo,
  exists: (filePath) => fs.existsSync(filePath),
  makeDirectory: (dirPath) => {
    withFileErrors(dirPath, 'create', () => fs.mkdirSync(dirPath, { recursive: true }));
  },
  createDirectoryExclusive: (dirPath) => withFileErrors(dirPath, 'create', () => {
    fs.mkdirSync(path.dirname(dirPath), { recursive: true });
    try {
      fs.mkdirSync(dirPath); // not recursive: fails with EEXIST when another run created it first
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'EEXIST') return false;
      throw error;
    }
  }),
  listDirectory: (dirPath) => withFileErrors(dirPath, 'open', () => fs.readdirSync(dirPath)),
  writeFileAtomic: (filePath, contents) => withFileErrors(filePath, 'write', () => writeFileAtomicSync(filePath, contents)),
};

let temporaryCounter = 0;

/** The stages of an atomic write, in order; a fault-injecting io (tests) can fail or crash before any of them. */
export type AtomicWriteStage = 'open' | 'write' | 'fsync' | 'rename' | 'fsyncFolder';

/** Called before each stage with the target path; throwing there is as if the stage failed. */
export type AtomicWriteHook = (stage: AtomicWriteStage, filePath: string) => void;

/**
 * Temp file, fsync, rename over the target, fsync of the folder. A failure leaves the old file as it was and
 * removes the temp file.
 */
export function writeFileAtomicSync(filePath: string, contents: Uint8Array | string, hook: AtomicWriteHook = () => {}): void {
  const dir = path.dirname(filePath);
  const temporary = path.join(dir, `.${path.basename(filePath)}.${process.pid}.${temporaryCounter++}.tmp`);
  hook('open', filePath);
  const fd = fs.openSync(temporary, 'w');
  try {
    hook('write', filePath);
    fs.writeFileSync(fd, contents);
    hook('fsync', filePath);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  try {
    hook('rename', filePath);
    fs.renameSync(temporary, filePath);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  hook('fsyncFolder', filePath);
  // Persist the rename itself (the directory entry); not every platform lets a directory be fsync'd.
  try {
    const dirFd = fs.openSync(dir, 'r');
    try { fs.fsyncSync(dirFd); } finally { fs.closeSync(dirFd); }
  } catch {
    /* best effort */
  }
}

/** An in-memory file system for tests: paths are plain keys. */
export function memoryRunIo(files: Map<string, Uint8Array> = new Map()): RunIo & { files: Map<string, Uint8Array> } {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const directories = new Set<string>();
  const read = (filePath: string): Uint8Array => {
    const bytes = files.get(filePath);
    if (!bytes) throw new Error(`ENOENT: no such file '${filePath}'`);
    return bytes;
  };
  return {
    files,
    readFile: read,
    readTextFile: (filePath) => decoder.decode(read(filePath)),
    exists: (filePath) => files.has(filePath) || directories.has(filePath),
    makeDirectory: (dirPath) => {
      directories.add(dirPath);
    },
    createDirectoryExclusive: (dirPath) => {
      if (files.has(dirPath) || directories.has(dirPath)) return false;
      directories.add(dirPath);
      return true;
    },
    listDirectory: (dirPath) => {
      const prefix = dirPath.endsWith('/') ? dirPath : `${dirPath}/`;
      const names = [...files.keys(), ...directories].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split('/')[0]);
      return [...new Set(names)];
    },
    writeFileAtomic: (filePath, contents) => {
      files.set(filePath, typeof contents === 'string' ? encoder.encode(contents) : contents.slice());
    },
  };
}
