/**
 * Ragged token data while a loader reads it: provisional ids of every sequence in one growing array plus
 * offsets. `gather` then lays the sequences of one split out in that split's order, through the vocabulary,
 * as one narrow id array and its offsets: what a `PackedStore` keeps.
 */
import { GrowableIds, growableFloat64 } from './growable';
import { idArrayFor, type IdArray } from './batching';

/** Where a loader puts sequences while it reads them: each sequence's ids pushed, then closed. */
export interface RaggedSink {
  push(value: number): void;
  close(): void;
}

/** Sequences once read, visited one at a time (held in memory here; in the disk cache, `cache/raggedCache.ts`). */
export interface RaggedSequences {
  readonly count: number;
  length(sequence: number): number;
  forEach(sequence: number, visit: (id: number) => void): void;
}

/** Sequences as offsets into their ids, whatever holds the ids (an array here; a staged file in the disk cache). */
export abstract class RaggedOffsets implements RaggedSink, RaggedSequences {
  protected readonly offsets = growableFloat64(1 << 12);

  constructor() {
    this.offsets.push(0);
  }

  get count(): number {
    return this.offsets.length - 1;
  }

  /** Appends one value to the sequence being built; `close` ends it. */
  abstract push(value: number): void;

  /** How many ids were pushed. */
  protected abstract get idCount(): number;

  abstract forEach(sequence: number, visit: (id: number) => void): void;

  close(): void {
    this.offsets.push(this.idCount);
  }

  length(sequence: number): number {
    return this.offsets.get(sequence + 1) - this.offsets.get(sequence);
  }
}

export class RaggedIds extends RaggedOffsets {
  private readonly ids = new GrowableIds();

  push(value: number): void {
    this.ids.push(value);
  }

  protected get idCount(): number {
    return this.ids.length;
  }

  /** Calls `visit(id)` for each id of a sequence, in order. */
  forEach(sequence: number, visit: (id: number) => void): void {
    const end = this.offsets.get(sequence + 1);
    for (let i = this.offsets.get(sequence); i < end; i++) visit(this.ids.get(i));
  }

  /**
   * The sequences `order[start, end)`, in that order, with each id mapped through `map` (provisional → final;
   * identity when absent) and `suffix` appended to each (e.g. `</s>`), in the narrowest array for `maxId`.
   */
  gather(order: ArrayLike<number>, start: number, end: number, maxId: number, map?: Int32Array, suffix?: number): { ids: IdArray; offsets: Float64Array } {
    const offsets = new Float64Array(end - start + 1);
    const extra = suffix === undefined ? 0 : 1;
    for (let k = start; k < end; k++) offsets[k - start + 1] = offsets[k - start] + this.length(order[k]) + extra;
    const ids = idArrayFor(maxId, offsets[end - start]);
    let at = 0;
    for (let k = start; k < end; k++) {
      this.forEach(order[k], (id) => (ids[at++] = map ? map[id] : id));
      if (suffix !== undefined) ids[at++] = suffix;
    }
    return { ids, offsets };
  }
}
