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

  /** The used part, copied into an array of its own length (the growing buffer is released). */
  trimmed(): A {
    const out = this.make(this.length);
    out.set(this.buffer.subarray(0, this.length) as never);
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
export const growableInt32 = (capacity?: number) => new Growable((n) => new Int32Array(n), capacity);
