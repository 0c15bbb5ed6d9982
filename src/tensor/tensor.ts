import { kernels } from './backend';

/**
 * A dense row-major float32 tensor. `names` labels dimensions where that helps a reader or an error
 * message (['batch', 'time', 'hidden']); it never changes the arithmetic.
 *
 * Tensors are deliberately plain: ops live in kernels and layers, not as methods that allocate results,
 * so a training step can run on preallocated workspaces.
 */
export class Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
  readonly names: readonly string[] | undefined;

  constructor(data: Float32Array, shape: readonly number[], names?: readonly string[]) {
    const n = sizeOf(shape);
    if (data.length !== n) {
      throw new Error(`Tensor: data length ${data.length} does not match shape ${formatShape(shape, names)} (${n} elements)`);
    }
    if (names && names.length !== shape.length) {
      throw new Error(`Tensor: ${names.length} names [${names.join(', ')}] for a rank-${shape.length} shape ${formatShape(shape)}`);
    }
    this.data = data;
    this.shape = shape;
    this.names = names;
  }

  /** A zero tensor on the active backend's storage. */
  static zeros(shape: readonly number[], names?: readonly string[]): Tensor {
    return new Tensor(kernels().alloc(sizeOf(shape)), shape, names);
  }

  static from(values: ArrayLike<number>, shape: readonly number[], names?: readonly string[]): Tensor {
    const t = Tensor.zeros(shape, names);
    for (let i = 0; i < t.data.length; i++) t.data[i] = values[i];
    return t;
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Same storage, another shape with the same element count. */
  reshape(shape: readonly number[], names?: readonly string[]): Tensor {
    if (sizeOf(shape) !== this.size) {
      throw new Error(`reshape: cannot view ${formatShape(this.shape, this.names)} as ${formatShape(shape, names)}`);
    }
    return new Tensor(this.data, shape, names);
  }

  clone(): Tensor {
    const t = Tensor.zeros(this.shape, this.names);
    t.data.set(this.data);
    return t;
  }

  toString(): string {
    return `Tensor${formatShape(this.shape, this.names)}`;
  }
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`invalid dimension ${d} in shape [${shape.join(', ')}]`);
    n *= d;
  }
  return n;
}

/** `[batch=32, time=30, hidden=64]` with names, `[32, 30, 64]` without. */
export function formatShape(shape: readonly number[], names?: readonly string[]): string {
  return `[${shape.map((d, i) => (names?.[i] ? `${names[i]}=${d}` : String(d))).join(', ')}]`;
}

/**
 * Throw a named error unless `t` has exactly `expected` (−1 matches any size). The message prints both
 * shapes, tfjs style: `LSTM.forward: input has shape [32, 30, 8] but expected [*, *, 4] (batch, time, input)`.
 */
export function assertShape(op: string, what: string, t: Tensor, expected: readonly number[], names?: readonly string[]): void {
  const ok = t.rank === expected.length && expected.every((d, i) => d < 0 || d === t.shape[i]);
  if (!ok) {
    const want = `[${expected.map((d) => (d < 0 ? '*' : String(d))).join(', ')}]`;
    throw new Error(`${op}: ${what} has shape ${formatShape(t.shape, t.names)} but expected ${want}${names ? ` (${names.join(', ')})` : ''}`);
  }
}
