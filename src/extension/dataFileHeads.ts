/**
 * The extension host's view of data files: per path, the facts of its last `stat` and its first bytes, cached by
 * path, size and mtime. Spec analysis runs synchronously on every keystroke, so it only ever *peeks* here; each
 * peek starts (at most one at a time per path) an asynchronous stat, and the head is read again only when size or
 * mtime changed. When what is known of a path changes, `onChange` fires and the editor analyses again.
 * Nothing here reads a whole file, nothing blocks, and a named pipe, device, socket or directory is refused by its
 * stat before anything opens it. No `vscode` import: the unit tests drive it with an injected io.
 */
import { DATA_HEAD_BYTES, type DataFileFacts } from '../modelSpec/dataFiles';
import { describeDataFileKind } from '../modelSpec/dataFileKind';
import { factsFromHead, nodeDataFileIo, type DataFileIo } from '../train/dataFileProbe';

/** Paths remembered at once: typing a path visits every prefix of it, and the cache must not grow with that. */
const MAX_PATHS = 64;

interface Entry {
  facts?: DataFileFacts;
  inFlight?: Promise<void>;
}

export class DataFileHeads {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly onChange: (absolutePath: string) => void,
    private readonly io: DataFileIo = nodeDataFileIo,
    private readonly maxBytes = DATA_HEAD_BYTES,
  ) {}

  /** What is known of the file now (undefined the first time); never waits. Starts a stat to notice changes. */
  peek(absolutePath: string): DataFileFacts | undefined {
    let entry = this.entries.get(absolutePath);
    if (entry) this.entries.delete(absolutePath); // re-inserted last: the map's order is least recently used first
    else entry = {};
    this.entries.set(absolutePath, entry);
    while (this.entries.size > MAX_PATHS) this.entries.delete(this.entries.keys().next().value as string);
    this.revalidate(absolutePath, entry);
    return entry.facts;
  }

  /** Resolves once the look-up in flight for this path (if any) has ended. */
  async settled(absolutePath: string): Promise<void> {
    await this.entries.get(absolutePath)?.inFlight;
  }

  private revalidate(absolutePath: string, entry: Entry): void {
    if (entry.inFlight) return;
    entry.inFlight = this.lookUp(absolutePath, entry.facts)
      .then((facts) => {
        if (sameFacts(facts, entry.facts)) return;
        entry.facts = facts;
        if (this.entries.get(absolutePath) === entry) this.onChange(absolutePath);
      })
      .finally(() => {
        entry.inFlight = undefined;
      });
  }

  private async lookUp(absolutePath: string, previous: DataFileFacts | undefined): Promise<DataFileFacts> {
    try {
      const stat = await this.io.stat(absolutePath);
      if (!stat) return { status: 'missing' };
      const kind = describeDataFileKind(stat);
      if (kind !== 'file') return { status: 'not-a-file', kind };
      // The head depends only on the file's size and mtime: unchanged, keep the one already read.
      if (previous?.status === 'file' && previous.size === stat.size && previous.mtimeMs === stat.mtimeMs) return previous;
      return factsFromHead(stat, await this.io.readHead(absolutePath, Math.min(this.maxBytes, stat.size)));
    } catch (error) {
      return { status: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** Equal facts must not re-trigger analysis (which peeks again): compare by value, heads by size and mtime. */
function sameFacts(a: DataFileFacts, b: DataFileFacts | undefined): boolean {
  if (a === b) return true;
  if (!b || a.status !== b.status) return false;
  switch (a.status) {
    case 'missing':
      return true;
    case 'not-a-file':
      return a.kind === (b as typeof a).kind;
    case 'unreadable':
      return a.reason === (b as typeof a).reason;
    case 'file':
      return false; // a new head object is only made when size or mtime changed
  }
}
