/**
 * The loss of `regress-per-step`: an elementwise regression loss (MSE, L1 or Huber, PyTorch's mean reduction)
 * over the real steps only. Outputs and targets are [B,T,K]; the rows t ≥ lengths[b] are padding and count for
 * nothing, so the mean is over Σ_b lengths[b]·K values — PyTorch's `loss(outputs[mask], targets[mask])`.
 */
import { Tensor } from '../tensor';
import type { Loss } from '../nn/losses';
import type { Batch } from '../data/types';
import type { TaskLoss } from './taskLoss';

export function perStepRegressionLoss(loss: Loss<Tensor>): TaskLoss {
  let real = new Float32Array(0);
  let realTargets = new Float32Array(0);
  let saved: { shape: readonly number[]; lengths: Int32Array; gradient: Tensor } | undefined;
  return {
    forward(outputs, batch) {
      if (!batch.targets) throw new Error('regress-per-step batch has no targets');
      const [B, T, K] = outputs.shape;
      const steps = realSteps(batch, B, T);
      if (real.length < steps * K) {
        real = new Float32Array(steps * K);
        realTargets = new Float32Array(steps * K);
      }
      let n = 0;
      for (let b = 0; b < B; b++) {
        const rows = Math.min(T, batch.lengths[b]) * K;
        real.set(outputs.data.subarray(b * T * K, b * T * K + rows), n);
        realTargets.set(batch.targets.subarray(b * T * K, b * T * K + rows), n);
        n += rows;
      }
      const value = loss.forward(new Tensor(real.subarray(0, n), [steps, K]), new Tensor(realTargets.subarray(0, n), [steps, K]));
      const gradient = saved && saved.gradient.size === outputs.size ? saved.gradient : Tensor.zeros([B, T, K]);
      saved = { shape: outputs.shape, lengths: batch.lengths.slice(0, B), gradient };
      return { loss: value, count: steps };
    },
    backward(scale = 1) {
      if (!saved) throw new Error('regress-per-step loss: backward before forward');
      const [B, T, K] = saved.shape;
      const compact = loss.backward(scale).data;
      const gradient = saved.gradient.reshape([B, T, K]);
      gradient.data.fill(0); // padding steps get no gradient
      let n = 0;
      for (let b = 0; b < B; b++) {
        const rows = Math.min(T, saved.lengths[b]) * K;
        gradient.data.set(compact.subarray(n, n + rows), b * T * K);
        n += rows;
      }
      return gradient;
    },
  };
}

/** Real steps of a batch: Σ_b min(T, lengths[b]). */
export function realSteps(batch: Batch, B: number, T: number): number {
  let steps = 0;
  for (let b = 0; b < B; b++) steps += Math.min(T, batch.lengths[b]);
  return steps;
}
