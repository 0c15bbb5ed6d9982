/**
 * The file operations a training run needs, behind a small interface: the worker and the CLI pass the Node
 * implementation (`nodeRunIo`), tests pass an in-memory one, so the trainer core never touches `fs` itself.
 *
 * Every whole-file write is atomic: readers (the extension reopening a run, a crashed process restarting) see
 * either the old file or the new one, never half of one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RunIo {
  readFile(filePath: string): Uint8Array;
  readTextFile(filePath: string): string;
  exists(filePath: string): boolean;
  makeDirectory(dirPath: string): void;
  /** Write the whole file atomically: temp file in the same directory, fsync, rename over the target. */
  writeFileAtomic(filePath: string, contents: Uint8Array | string): void;
}

/** The real file system. The temp file sits in the target's directory so the rename never crosses devices. */
export const nodeRunIo: RunIo = {
  readFile: (filePath) => new Uint8Array(fs.readFileSync(filePath)),
  readTextFile: (filePath) => fs.readFileSync(filePath, 'utf8'),
  exists: (filePath) => fs.existsSync(filePath),
  makeDirectory: (dirPath) => {
    fs.mkdirSync(dirPath, { recursive: true });
  },
  writeFileAtomic: (filePath, contents) => writeFileAtomicSync(filePath, contents),
};

let temporaryCounter = 0;

export function writeFileAtomicSync(filePath: string, contents: Uint8Array | string): void {
  const dir = path.dirname(filePath);
  const temporary = path.join(dir, `.${path.basename(filePath)}.${process.pid}.${temporaryCounter++}.tmp`);
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeFileSync(fd, contents);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(temporary, filePath);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
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
    writeFileAtomic: (filePath, contents) => {
      files.set(filePath, typeof contents === 'string' ? encoder.encode(contents) : contents.slice());
    },
  };
}
