/** An Rng's state as plain JSON: the four xoshiro words and the cached second normal, if any. */
export interface RngState {
  s: number[];
  spareNormal?: number;
}

/**
 * A small seeded generator (xoshiro128**, seeded through splitmix32) so that initialisation, dropout
 * masks, shuffling and synthetic data are reproducible from one integer seed on every platform.
 */
export class Rng {
  // The four xoshiro words. Held in a Uint32Array rather than four fields: fields holding uint32 values past the
  // small integers are boxed numbers, so every draw allocated; here a draw is register arithmetic and four stores.
  private readonly s = new Uint32Array(4);
  private spareNormal: number | undefined;

  constructor(seed: number) {
    let x = seed >>> 0;
    for (let k = 0; k < 4; k++) {
      // splitmix32: spreads any seed (even 0) over the whole state.
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[k] = z ^ (z >>> 16);
    }
  }

  /** The whole state (a checkpoint stores it so a resumed run draws exactly the numbers it would have drawn). */
  getState(): RngState {
    return { s: Array.from(this.s), ...(this.spareNormal !== undefined ? { spareNormal: this.spareNormal } : {}) };
  }

  setState(state: RngState): void {
    for (let k = 0; k < 4; k++) this.s[k] = state.s[k];
    this.spareNormal = state.spareNormal;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const s0 = s[0];
    const s1 = s[1];
    const s2 = s[2] ^ s0;
    const s3 = s[3] ^ s1;
    // The stores wrap to uint32 by themselves; the signed intermediates are the same bits.
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = rotl(s3, 11);
    return Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return mean + std * v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  fillUniform(out: Float32Array, low: number, high: number): void {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(low, high);
  }

  fillNormal(out: Float32Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[] | Int32Array): void {
    // The draws of `int(i + 1)`, with the state in locals for the loop: a training run shuffles every window's
    // index each epoch (26.6M for a 1 GB text), and the loads and stores of the state were about 40% of it.
    // The step is nextUint32's; rng.test.ts holds both to the generator as it was.
    const s = this.s;
    let s0 = s[0] | 0;
    let s1 = s[1] | 0;
    let s2 = s[2] | 0;
    let s3 = s[3] | 0;
    for (let i = items.length - 1; i > 0; i--) {
      const drawn = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      s2 ^= s0;
      s3 ^= s1;
      const t = s1 << 9;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const j = Math.floor((drawn / 4294967296) * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
  }

  /** An independent generator derived from this one (e.g. one per worker or per data split). */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}

/** Rotates the 32 bits of x left by k (the result as a signed 32-bit integer). */
function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
