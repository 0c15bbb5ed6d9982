/**
 * Batches padded to one length per split. The recurrent layers keep workspaces for a few recent (B, T) shapes
 * in the kernel backend's memory; batches whose T changes from step to step (length bucketing, variable-length
 * text) would evict and rebuild workspaces all the time (released blocks are reused, but each rebuild costs an
 * allocation and fragments the size classes). Packed sequences do no work on
 * padding, so padding every batch to the longest length costs little and keeps the shapes — and memory — fixed.
 * `packed: false` gives the same results too: the recurrent stack then runs each batch only up to its own longest
 * sequence, as PyTorch does on a batch padded to it (src/train/unpacked.parity.test.ts).
 *
 * Not applied to a many-to-one `last` readout, whose meaning (output at the batch's last step) depends on T.
 */
import type { Batch, DataSplit } from '../data/types';
import { IGNORED_TARGET } from './taskLoss';

export interface PaddedLengths {
  steps: number; //       T for every batch
  targetSteps?: number; // T' for every batch (seq2seq)
}

/** Longest input and target length over the given splits (one pass over their batches). */
export function longestLengths(splits: readonly DataSplit[], batchSize: number): PaddedLengths {
  let steps = 0;
  let targetSteps = 0;
  for (const split of splits) {
    const longest = split.longest?.();
    if (longest) {
      // Read from the split's store: assembling every batch of a large split only to measure it costs seconds.
      steps = Math.max(steps, longest.steps);
      targetSteps = Math.max(targetSteps, longest.targetSteps);
      continue;
    }
    for (const batch of split.batches(batchSize, { shuffle: false })) {
      steps = Math.max(steps, batch.steps);
      targetSteps = Math.max(targetSteps, batch.targetSteps ?? 0);
    }
  }
  return { steps, targetSteps: targetSteps || undefined };
}

/**
 * Per-step rows (e.g. ‖∂L/∂h_t‖ per layer) cut at the batch's longest sequence: the steps past it are padding
 * added for fixed shapes, where the gradient is exactly zero, so a chart over them would run past the data.
 */
export function realStepsOnly(rows: readonly number[][], lengths: ArrayLike<number>): number[][] {
  let longest = 0;
  for (let b = 0; b < lengths.length; b++) longest = Math.max(longest, lengths[b]);
  return rows.map((row) => row.slice(0, longest));
}

/** A copy of `batch` padded to `lengths` (inputs 0 / <pad>, per-step targets ignored). Lengths are unchanged. */
export function padBatch(batch: Batch, lengths: PaddedLengths, inputSize: number, perStepTargets: boolean): Batch {
  const B = batch.size;
  const T = batch.steps;
  const P = Math.max(T, lengths.steps);
  if (P === T && (lengths.targetSteps === undefined || lengths.targetSteps === batch.targetSteps)) return batch;
  const padded: Batch = { ...batch, steps: P };
  const widen = <A extends Int32Array | Float32Array>(source: A, from: number, to: number, width: number, fill: number, make: (n: number) => A): A => {
    const out = make(B * to * width);
    if (fill !== 0) out.fill(fill);
    for (let b = 0; b < B; b++) out.set(source.subarray(b * from * width, (b + 1) * from * width), b * to * width);
    return out;
  };
  if (batch.inputs) padded.inputs = widen(batch.inputs, T, P, inputSize, 0, (n) => new Float32Array(n));
  if (batch.inputIds) padded.inputIds = widen(batch.inputIds, T, P, 1, 0, (n) => new Int32Array(n));
  if (batch.targetIds && perStepTargets) {
    const from = batch.targetSteps ?? T;
    const to = batch.decoderInputIds ? Math.max(from, lengths.targetSteps ?? from) : P;
    padded.targetIds = widen(batch.targetIds, from, to, 1, IGNORED_TARGET, (n) => new Int32Array(n));
    padded.targetSteps = to;
    if (batch.decoderInputIds) padded.decoderInputIds = widen(batch.decoderInputIds, from, to, 1, 0, (n) => new Int32Array(n));
  }
  return padded;
}
