import { Tensor, sizeOf } from '../tensor';

/**
 * Return `existing` when it already has `shape`, else a fresh zero tensor of that shape. Layers keep their
 * outputs and gradients in such workspaces so that steady-state training allocates nothing.
 */
export function reuseOrAllocate(existing: Tensor | undefined, shape: readonly number[], names?: readonly string[]): Tensor {
  // Names only label dimensions for messages; they are set when the storage is allocated.
  if (existing && sameShape(existing.shape, shape)) return existing;
  sizeOf(shape); // validates the dimensions with a readable error
  return Tensor.zeros([...shape], names);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Leading dimensions of a [..., last] tensor folded into one row count. */
export function rowsOf(t: Tensor): number {
  const last = t.shape[t.rank - 1];
  return last === 0 ? 0 : t.size / last;
}
