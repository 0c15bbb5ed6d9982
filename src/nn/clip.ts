import { kernels } from '../tensor';
import { NamedParameter } from './parameter';

/**
 * The p-norm of all gradients taken together, as if concatenated into one vector (∞ for the max-abs
 * norm). Accumulated in float64, so large models neither overflow nor lose small terms.
 */
export function gradNorm(params: readonly NamedParameter[], normType = 2): number {
  if (!(normType > 0)) throw new Error(`gradNorm: norm type must be > 0 (or Infinity), got ${normType}`);
  if (normType === Infinity) {
    let max = 0;
    for (const p of params) {
      const g = p.parameter.grad.data;
      for (let i = 0; i < g.length; i++) {
        const a = Math.abs(g[i]);
        if (Number.isNaN(a)) return NaN;
        if (a > max) max = a;
      }
    }
    return max;
  }
  let total = 0;
  if (normType === 2) {
    const k = kernels();
    for (const p of params) total += k.sumSquares(p.parameter.grad.data, 0, p.parameter.grad.size);
    return Math.sqrt(total);
  }
  for (const p of params) {
    const g = p.parameter.grad.data;
    for (let i = 0; i < g.length; i++) total += Math.abs(g[i]) ** normType;
  }
  return total ** (1 / normType);
}

export interface ClipGradNormOptions {
  /** Throw instead of returning a non-finite norm (PyTorch's `error_if_nonfinite`). */
  errorIfNonfinite?: boolean;
}

/**
 * `torch.nn.utils.clip_grad_norm_`: scales every gradient by maxNorm / (norm + 1e-6) when that is below 1,
 * and returns the total norm BEFORE clipping (what training curves plot).
 *
 * A non-finite norm (NaN or ∞ somewhere in the gradients) is returned as is and the gradients are left
 * untouched, so the caller sees the problem and decides (skip the step, stop the run); scaling would only
 * smear NaN over every parameter.
 */
export function clipGradNorm(params: readonly NamedParameter[], maxNorm: number, normType = 2, options: ClipGradNormOptions = {}): number {
  if (!(maxNorm >= 0)) throw new Error(`clipGradNorm: max norm must be ≥ 0, got ${maxNorm}`);
  const total = gradNorm(params, normType);
  if (!Number.isFinite(total)) {
    if (options.errorIfNonfinite) {
      throw new Error(`clipGradNorm: the total ${normType}-norm of the gradients is ${total}; the gradients contain NaN or infinite values`);
    }
    return total;
  }
  const coefficient = maxNorm / (total + 1e-6);
  if (coefficient < 1) {
    const k = kernels();
    for (const p of params) k.scale(p.parameter.grad.data, 0, coefficient, p.parameter.grad.size);
  }
  return total;
}

/** `torch.nn.utils.clip_grad_value_`: clamps every gradient element into [−clipValue, clipValue]. */
export function clipGradValue(params: readonly NamedParameter[], clipValue: number): void {
  if (!(clipValue >= 0)) throw new Error(`clipGradValue: clip value must be ≥ 0, got ${clipValue}`);
  for (const p of params) {
    const g = p.parameter.grad.data;
    for (let i = 0; i < g.length; i++) {
      if (g[i] > clipValue) g[i] = clipValue;
      else if (g[i] < -clipValue) g[i] = -clipValue;
    }
  }
}
