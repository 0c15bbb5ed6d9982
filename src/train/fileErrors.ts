/**
 * Node's file errors ("ENOENT: no such file or directory, open '…'", "EISDIR: illegal operation on a directory,
 * read") as sentences that name the file and say what is wrong in words. The CLI and the training worker show
 * these instead of raw Node text; a `FileError` raised while inputs are checked is bad input (exit 2).
 */

/** A file (or folder) that cannot be used, with the reason in words: `file: reason`. */
export class FileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    /** The Node error code behind it (ENOENT, EACCES, …), when there was one. */
    readonly code?: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'FileError';
  }
}

/** What was being done with the file, for the sentence ("cannot write …"). */
export type FileAction = 'read' | 'write' | 'create' | 'open';

const REASONS: Record<string, (action: FileAction) => string> = {
  ENOENT: (action) => (action === 'read' || action === 'open' ? 'no such file or folder' : 'a folder on the way to it does not exist'),
  ENOTDIR: () => 'a part of the path is a file, not a folder',
  EISDIR: () => 'is a folder, not a file',
  EACCES: (action) => `permission denied: cannot ${action} it`,
  EPERM: (action) => `not permitted: cannot ${action} it`,
  EROFS: (action) => `the file system is read-only: cannot ${action} it`,
  ENOSPC: (action) => `the disk is full: cannot ${action} it`,
  EDQUOT: (action) => `the disk quota is used up: cannot ${action} it`,
  EEXIST: (action) => (action === 'create' ? 'is a file, not a folder' : 'already exists'),
  ENAMETOOLONG: () => 'the path is too long',
  EMFILE: (action) => `too many open files: cannot ${action} it`,
  ELOOP: () => 'too many symbolic links (a link loop?)',
  EIO: (action) => `an input/output error from the disk: cannot ${action} it`,
};

/** The Node error code of an error (`ENOENT`, …), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A `FileError` for `file` from a Node error; errors that are not file-system errors pass through unchanged.
 * The path Node reports is preferred when it differs (the folder `mkdir` failed on, say).
 */
export function fileErrorFrom(error: unknown, file: string, action: FileAction): unknown {
  if (error instanceof FileError) return error;
  const code = errorCode(error);
  if (!code || !/^E[A-Z]+$/.test(code)) return error;
  const reported = (error as { path?: unknown }).path;
  // Node names the path it failed on: the folder on the way, say; but a write's temporary sibling is the file.
  const temporarySibling = typeof reported === 'string' && reported.startsWith(`${file.slice(0, file.lastIndexOf('/') + 1)}.${file.slice(file.lastIndexOf('/') + 1)}.`);
  const where = typeof reported === 'string' && reported !== '' && !temporarySibling ? reported : file;
  const reason = reasonInWords(code, action);
  return new FileError(where, where === file ? reason : `${reason} (needed to ${action} ${file})`, code);
}

/** The reason for a Node error code, in words ("permission denied: cannot read it"). */
export function reasonInWords(code: string, action: FileAction): string {
  return REASONS[code]?.(action) ?? `cannot ${action} it (${code})`;
}

/** Run `fn`, turning a Node file error about `file` into a `FileError`. */
export function withFileErrors<T>(file: string, action: FileAction, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw fileErrorFrom(error, file, action);
  }
}
