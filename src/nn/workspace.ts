import { Tensor, kernels, sizeOf, type Kernels } from '../tensor';

/**
 * The storage each workspace tensor handed out by `reuseOrAllocate` is a view of: the largest block that slot
 * has needed so far. Keyed by the view, so only storage this module allocated is ever reused or released.
 */
const backingOf = new WeakMap<Float32Array, Float32Array>();
/** The backend each backing block came from: it is handed back there, whichever backend is active by then. */
const allocatorOf = new WeakMap<Float32Array, Kernels>();

/**
 * Return `existing` when it already has `shape`, else a zero tensor of that shape. Layers keep their outputs and
 * gradients in such workspaces so that steady-state training allocates nothing.
 *
 * A slot's storage is the largest block it has needed: a smaller shape (a validation batch, one decoding step,
 * the short last batch) gets a zeroed view of it, and only a larger shape allocates, handing the outgrown block
 * back to the backend. So alternating shapes cost no memory after the largest was seen. The returned tensor, like
 * `existing`, is valid until the next call for the same slot: copy what must outlive it.
 */
export function reuseOrAllocate(existing: Tensor | undefined, shape: readonly number[], names?: readonly string[]): Tensor {
  // Names only label dimensions for messages; they are set when the storage is allocated.
  if (existing && sameShape(existing.shape, shape)) return existing;
  const size = sizeOf(shape); // validates the dimensions with a readable error
  const backing = existing ? backingOf.get(existing.data) : undefined;
  if (backing && backing.length >= size) {
    // subarray makes a view object over the same memory; no storage is allocated.
    const view = size === backing.length ? backing : backing.subarray(0, size);
    view.fill(0);
    backingOf.set(view, backing);
    return new Tensor(view, [...shape], names);
  }
  const fresh = Tensor.zeros([...shape], names);
  backingOf.set(fresh.data, fresh.data);
  allocatorOf.set(fresh.data, kernels());
  if (backing) allocatorOf.get(backing)?.release?.(backing);
  return fresh;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Leading dimensions of a [..., last] tensor folded into one row count. */
export function rowsOf(t: Tensor): number {
  const last = t.shape[t.rank - 1];
  return last === 0 ? 0 : t.size / last;
}
