import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './rng';

/**
 * The generator as it was before its state moved into a Uint32Array (commit 77937e2), frozen here as the oracle:
 * checkpoints, seeded splits, initialisations and the exported PyTorch project's port (seqlab_data.py) all depend
 * on these exact numbers, so the faster one must draw them bit for bit.
 */
class FrozenRng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  getState(): { s: number[]; spareNormal?: number } {
    return { s: [this.s0, this.s1, this.s2, this.s3], ...(this.spareNormal !== undefined ? { spareNormal: this.spareNormal } : {}) };
  }

  nextUint32(): number {
    const result = Math.imul(frozenRotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = frozenRotl(this.s3, 11);
    this.s0 >>>= 0; this.s1 >>>= 0; this.s2 >>>= 0; this.s3 >>>= 0;
    return result;
  }

  next(): number {
    return this.nextUint32() / 4294967296;
  }

  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

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

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  fillUniform(out: Float32Array, low: number, high: number): void {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(low, high);
  }

  fillNormal(out: Float32Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
  }

  shuffle<T>(items: T[] | Int32Array): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
  }

  fork(): FrozenRng {
    return new FrozenRng(this.nextUint32());
  }
}

function frozenRotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

// Zero, small, large and past-uint32 seeds (the constructor reads seed >>> 0), and a negative one.
const SEEDS = [0, 1, 42, 20251205, 0x7fffffff, 0x80000000, 0xffffffff, -7];
const DRAWS = 1_000_000;

test('rng: 1M uint32 draws per seed are the frozen generator\'s, bit for bit, and so is the state after them', () => {
  for (const seed of SEEDS) {
    const rng = new Rng(seed);
    const oracle = new FrozenRng(seed);
    assert.deepEqual(rng.getState(), oracle.getState(), `seed ${seed}: state after seeding`);
    for (let i = 0; i < DRAWS; i++) {
      const actual = rng.nextUint32();
      const expected = oracle.nextUint32();
      if (actual !== expected) assert.fail(`seed ${seed}: draw ${i} is ${actual}, the frozen generator drew ${expected}`);
    }
    assert.deepEqual(rng.getState(), oracle.getState(), `seed ${seed}: state after ${DRAWS} draws`);
  }
});

test('rng: next, uniform, normal, int and the fills draw the frozen generator\'s numbers, interleaved', () => {
  for (const seed of SEEDS) {
    const rng = new Rng(seed);
    const oracle = new FrozenRng(seed);
    const pick = new FrozenRng(seed ^ 0x5bd1e995); // which method comes next: an odd normal leaves a spare behind
    const actual: number[] = [];
    const expected: number[] = [];
    for (let k = 0; k < 100_000; k++) {
      const n = 1 + pick.int(1_000_000_007);
      switch (pick.int(6)) {
        case 0: actual.push(rng.next()); expected.push(oracle.next()); break;
        case 1: actual.push(rng.uniform(-3, 5)); expected.push(oracle.uniform(-3, 5)); break;
        case 2: actual.push(rng.uniform()); expected.push(oracle.uniform()); break;
        case 3: actual.push(rng.normal(0.5, 2)); expected.push(oracle.normal(0.5, 2)); break;
        case 4: actual.push(rng.normal()); expected.push(oracle.normal()); break;
        default: actual.push(rng.int(n), rng.int(3)); expected.push(oracle.int(n), oracle.int(3));
      }
    }
    assert.deepEqual(actual, expected, `seed ${seed}`);
    const fills = (r: Rng | FrozenRng) => {
      const a = new Float32Array(10_001); // odd: the last normal leaves a spare for the uniform fill's turn
      const b = new Float32Array(10_000);
      r.fillNormal(a, -1, 0.25);
      r.fillUniform(b, -0.1, 0.1);
      return [a, b, r.normal(), r.getState()];
    };
    assert.deepEqual(fills(rng), fills(oracle), `seed ${seed}: fills`);
  }
});

test('rng: shuffles of typed arrays and plain arrays, and forks, are the frozen generator\'s', () => {
  for (const seed of SEEDS) {
    const rng = new Rng(seed);
    const oracle = new FrozenRng(seed);
    for (const size of [0, 1, 2, 3, 1000, 300_000]) {
      const actual = Int32Array.from({ length: size }, (_, i) => i);
      const expected = actual.slice();
      rng.shuffle(actual);
      oracle.shuffle(expected);
      assert.deepEqual(actual, expected, `seed ${seed}, ${size} indices`);
      assert.deepEqual(rng.getState(), oracle.getState(), `seed ${seed}: state after shuffling ${size}`);
      assert.equal(rng.nextUint32(), oracle.nextUint32(), `seed ${seed}: the draw after shuffling ${size}`);
    }
    const actualItems = Array.from({ length: 5000 }, (_, i) => ({ i }));
    const expectedItems = [...actualItems];
    rng.shuffle(actualItems);
    oracle.shuffle(expectedItems);
    assert.deepEqual(actualItems, expectedItems, `seed ${seed}: objects`);
    const actualFork = rng.fork();
    const expectedFork = oracle.fork();
    assert.deepEqual([actualFork.nextUint32(), actualFork.normal(), rng.next()], [expectedFork.nextUint32(), expectedFork.normal(), oracle.next()], `seed ${seed}: fork`);
  }
});

test('rng: a state saved mid-stream (with a spare normal) and restored continues the same numbers', () => {
  const rng = new Rng(11);
  for (let i = 0; i < 1000; i++) rng.next();
  rng.normal(); // leaves the second Box–Muller value for the next call
  const saved = JSON.parse(JSON.stringify(rng.getState())); // as a checkpoint stores it
  assert.equal(typeof saved.spareNormal, 'number');
  assert.ok(saved.s.every((word: number) => Number.isInteger(word) && word >= 0 && word < 2 ** 32), 'four uint32 words');
  const draws = (r: Rng) => [r.normal(), r.normal(), r.nextUint32(), r.int(97), r.getState()];
  const expected = draws(rng);
  const restored = new Rng(0);
  restored.setState(saved);
  assert.deepEqual(draws(restored), expected);
});
