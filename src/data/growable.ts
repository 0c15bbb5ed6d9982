/**
 * Typed arrays that grow by doubling while a loader reads a file of unknown length, then hand back an array of
 * exactly the used length (`trimmed`), so what a split keeps is one compact array, not a list of numbers.
 */
type Typed = Float64Array | Float32Array | Int32Array;

export class Growable<A extends Typed> {
  private buffer: A;
  length = 0;

  constructor(private readonly make: (length: number) => A, initialCapacity = 1024) {
    this.buffer = make(Math.max(16, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.buffer.length) this.grow(this.length + 1);
    this.buffer[this.length++] = value;
  }

  get(index: number): number {
    return this.buffer[index];
  }

  /** Values the buffer holds before it must grow. */
  get capacity(): number {
    return this.buffer.length;
  }

  /** Makes room for `capacity` values at once (a size known or estimated up front saves the doubling copies). */
  reserve(capacity: number): void {
    if (capacity > this.buffer.length) this.grow(capacity);
  }

  /**
   * The used part (the growing buffer is released). A view when little of the buffer is unused, so a buffer
   * reserved to the right size is not copied at the peak; otherwise a copy of its own length.
   */
  trimmed(): A {
    const out = this.length >= this.buffer.length * 0.875 ? (this.buffer.subarray(0, this.length) as A) : this.make(this.length);
    if (out.buffer !== this.buffer.buffer) out.set(this.buffer.subarray(0, this.length) as never);
    this.buffer = this.make(16);
    this.length = 0;
    return out;
  }

  private grow(needed: number): void {
    const next = this.make(Math.max(needed, Math.ceil(this.buffer.length * 2)));
    next.set(this.buffer as never);
    this.buffer = next;
  }
}

export const growableFloat64 = (capacity?: number) => new Growable((n) => new Float64Array(n), capacity);
export const growableFloat32 = (capacity?: number) => new Growable((n) => new Float32Array(n), capacity);
export const growableInt32 = (capacity?: number) => new Growable((n) => new Int32Array(n), capacity);

type Ids = Uint8Array | Uint16Array | Int32Array;

/**
 * Non-negative ids that grow like `Growable` and start as bytes, widening to 16 and then 32 bits only when an id
 * needs it: a character stream costs one byte per token while it is read, not four.
 */
export class GrowableIds {
  private buffer: Ids;
  length = 0;

  constructor(initialCapacity = 1 << 16) {
    this.buffer = new Uint8Array(Math.max(16, initialCapacity));
  }

  push(id: number): void {
    if (id > 0xff && !(this.buffer instanceof Int32Array) && (id > 0xffff || this.buffer instanceof Uint8Array)) this.widen(id);
    if (this.length === this.buffer.length) this.resize(this.buffer, this.buffer.length * 2);
    this.buffer[this.length++] = id;
  }

  get(index: number): number {
    return this.buffer[index];
  }

  /** Makes room for `capacity` ids at once. */
  reserve(capacity: number): void {
    if (capacity > this.buffer.length) this.resize(this.buffer, capacity);
  }

  /** The used part: a view when little of the buffer is unused (no copy at the peak), else a copy of its own length. */
  trimmed(): Ids {
    const out = this.length >= this.buffer.length * 0.875 ? this.buffer.subarray(0, this.length) : this.resize(this.buffer, this.length);
    this.buffer = new Uint8Array(16);
    this.length = 0;
    return out;
  }

  private widen(id: number): void {
    const wider = id > 0xffff ? new Int32Array(this.buffer.length) : new Uint16Array(this.buffer.length);
    wider.set(this.buffer.subarray(0, this.length));
    this.buffer = wider;
  }

  private resize(from: Ids, capacity: number): Ids {
    const out = new (from.constructor as new (n: number) => Ids)(capacity);
    out.set(from.subarray(0, Math.min(this.length, capacity)));
    if (from === this.buffer) this.buffer = out;
    return out;
  }
}
