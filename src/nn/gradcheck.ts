/**
 * Finite-difference gradient checking for layers with explicit backward passes.
 *
 * Known trap: in float32 a too-small epsilon makes (f(x+ε) − f(x−ε)) pure rounding noise. The loss here is
 * accumulated in float64 from the float32 outputs and ε defaults to 1e-2 (central differences, error O(ε²)),
 * which keeps the numerical derivative within ~1e-3 relative for the smooth functions we check. Bugs in
 * backward show up as errors of order 1, so a 2e-2 tolerance still catches them.
 */

export interface GradCheckTarget {
  /** A label for error messages, e.g. "weight_ih_l0". */
  name: string;
  /** The values the loss depends on (perturbed in place, restored afterwards). */
  value: Float32Array;
  /** The analytic gradient computed by backward for the same loss. */
  grad: Float32Array;
}

export interface GradCheckOptions {
  eps?: number;
  /** Max allowed |numeric − analytic| / max(1, |numeric|, |analytic|)... scaled by the gradient's own size. */
  tolerance?: number;
  /** Check at most this many coordinates per target (spread evenly), to keep tests fast. */
  maxCoordinates?: number;
}

export interface GradCheckResult {
  name: string;
  index: number;
  numeric: number;
  analytic: number;
  error: number;
}

/**
 * Compare analytic gradients against central differences of `loss`. Returns the worst coordinate per target;
 * throws with a readable message when one exceeds the tolerance.
 */
export function gradCheck(loss: () => number, targets: readonly GradCheckTarget[], options: GradCheckOptions = {}): GradCheckResult[] {
  const eps = options.eps ?? 1e-2;
  const tolerance = options.tolerance ?? 2e-2;
  const maxCoordinates = options.maxCoordinates ?? 40;
  const worst: GradCheckResult[] = [];
  for (const t of targets) {
    // Scale errors by the gradient's typical size so tiny gradients are not judged on absolute noise alone.
    let scale = 0;
    for (let i = 0; i < t.grad.length; i++) scale = Math.max(scale, Math.abs(t.grad[i]));
    scale = Math.max(scale, 1e-3);
    const stride = Math.max(1, Math.floor(t.value.length / maxCoordinates));
    let w: GradCheckResult = { name: t.name, index: -1, numeric: 0, analytic: 0, error: 0 };
    for (let i = 0; i < t.value.length; i += stride) {
      const original = t.value[i];
      t.value[i] = original + eps;
      const up = loss();
      t.value[i] = original - eps;
      const down = loss();
      t.value[i] = original;
      // Use the perturbations as actually stored in float32, not the nominal ε.
      const numeric = (up - down) / (Math.fround(original + eps) - Math.fround(original - eps));
      const analytic = t.grad[i];
      const error = Math.abs(numeric - analytic) / Math.max(scale, Math.abs(numeric), Math.abs(analytic));
      if (error > w.error || w.index < 0) w = { name: t.name, index: i, numeric, analytic, error };
    }
    worst.push(w);
    if (w.error > tolerance) {
      throw new Error(`gradCheck: ${t.name}[${w.index}] numeric ${w.numeric.toExponential(4)} vs analytic ${w.analytic.toExponential(4)} (relative error ${w.error.toExponential(2)} > ${tolerance})`);
    }
  }
  return worst;
}

/** Σ wᵢ·xᵢ in float64: a loss whose gradient w.r.t. x is exactly w, so any output can be checked. */
export function weightedSum(x: Float32Array, weights: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * weights[i];
  return s;
}
