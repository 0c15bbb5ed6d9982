/**
 * What kind of file a `data.path` names, decided from its `stat` alone, before anything opens it. Only regular
 * files are data: opening a named pipe blocks until a writer appears (it would hang the editor, `check` and
 * `train`), a device such as /dev/zero never ends, a socket cannot be opened, and a directory has no rows.
 * Pure: every caller passes the stat it made (Node's `fs.Stats` fits `FileStatLike`), so the extension, the CLI
 * and the worker refuse the same files with the same sentence.
 */

/** The part of Node's `fs.Stats` the decision needs. */
export interface FileStatLike {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}

export type DataFileKind = 'file' | 'directory' | 'fifo' | 'character-device' | 'block-device' | 'socket' | 'other';

const KIND_NAMES: Record<DataFileKind, string> = {
  file: 'a regular file',
  directory: 'a directory',
  fifo: 'a named pipe (FIFO)',
  'character-device': 'a character device',
  'block-device': 'a block device',
  socket: 'a socket',
  other: 'not a regular file',
};

export function describeDataFileKind(stat: FileStatLike): DataFileKind {
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  if (stat.isFIFO()) return 'fifo';
  if (stat.isCharacterDevice()) return 'character-device';
  if (stat.isBlockDevice()) return 'block-device';
  if (stat.isSocket()) return 'socket';
  return 'other';
}

/** The sentence that refuses a data path of this kind (without the path; callers locate it), or undefined for a regular file. */
export function dataFileRefusal(kind: DataFileKind): string | undefined {
  if (kind === 'file') return undefined;
  const why = kind === 'directory'
    ? 'name the data file inside it'
    : 'reading it could block or never end; copy the data into a regular file';
  return `is ${KIND_NAMES[kind]}, not a regular file: SeqLab reads data only from regular files (${why}).`;
}

/** Thrown by a whole read that refuses a path which is not a regular file (the Node side: `readRegularFileSync`). */
export class NotARegularFileError extends Error {
  constructor(readonly path: string, readonly kind: Exclude<DataFileKind, 'file'>) {
    super(`${path} ${dataFileRefusal(kind)}`);
    this.name = 'NotARegularFileError';
  }
}
