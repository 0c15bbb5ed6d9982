/**
 * Finite-difference gradient checking for layers with explicit backward passes.
 *
 * Every coordinate is judged on its own: error = |numeric − analytic| / max(|numeric|, |analytic|, floor), so a
 * coordinate whose gradient is small next to the tensor's largest is still checked relative to its own size, and
 * the absolute floor keeps gradients that are pure rounding noise (near zero) from failing on noise alone.
 *
 * Known trap: in float32 a too-small ε makes (f(x+ε) − f(x−ε)) pure rounding noise. The loss here is accumulated
 * in float64 from the float32 outputs (the layers compute in float32, so that is as far as float64 reaches), ε
 * defaults to 1e-2, and the derivative is Richardson's extrapolation of two central differences (steps ε and 2ε),
 * whose truncation error is O(ε⁴) instead of O(ε²): what remains is float32 rounding, which the floor covers.
 * Functions with kinks use the plain central difference (option `kinks`).
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
  /** Max allowed |numeric − analytic| / max(|numeric|, |analytic|, floor), per coordinate. */
  tolerance?: number;
  /** The absolute floor of that scale: below it, differences are judged in absolute terms. */
  floor?: number;
  /** Tensors up to this many coordinates are checked whole; larger ones at this many, spread evenly. */
  maxCoordinates?: number;
  /**
   * The function has kinks (ReLU, L1, Huber): use the plain central difference at ε, whose perturbations stay
   * within ε of the point, where Richardson's 2ε step could cross a kink the test keeps clear of ε.
   */
  kinks?: boolean;
}

export interface GradCheckResult {
  name: string;
  index: number;
  numeric: number;
  analytic: number;
  error: number;
  /** Coordinates checked. */
  checked: number;
}

/**
 * Chosen from the data: over every coordinate of every gradient test (5385 coordinates), the worst error at floor
 * 1e-2 is 1.9e-3 on the reference kernels and 2.6e-3 on the wasm kernels (float32 rounding; central differences
 * alone reach 7.8e-3 from their O(ε²) term). 5e-3 leaves twice the wasm figure; a wrong backward term is off
 * by far more. 256 coordinates cover every tensor of the current tests whole.
 */
export const GRADCHECK_DEFAULTS = { eps: 1e-2, tolerance: 5e-3, floor: 1e-2, maxCoordinates: 256 } as const;

/** The coordinates checked in a tensor of `length`: all of them, or `max` spread evenly including both ends. */
export function coordinatesToCheck(length: number, max: number): number[] {
  if (length <= max) return Array.from({ length }, (_, i) => i);
  return Array.from({ length: max }, (_, k) => Math.round((k * (length - 1)) / (max - 1)));
}

/**
 * Compare analytic gradients against finite differences of `loss`. Returns the worst coordinate per target;
 * throws with a readable message naming the coordinate when one exceeds the tolerance.
 */
export function gradCheck(loss: () => number, targets: readonly GradCheckTarget[], options: GradCheckOptions = {}): GradCheckResult[] {
  const eps = options.eps ?? GRADCHECK_DEFAULTS.eps, tolerance = options.tolerance ?? GRADCHECK_DEFAULTS.tolerance;
  const floor = options.floor ?? GRADCHECK_DEFAULTS.floor, maxCoordinates = options.maxCoordinates ?? GRADCHECK_DEFAULTS.maxCoordinates;
  const kinks = options.kinks ?? false;
  const worst: GradCheckResult[] = [];
  for (const t of targets) {
    const indices = coordinatesToCheck(t.value.length, maxCoordinates);
    let w: GradCheckResult = { name: t.name, index: -1, numeric: 0, analytic: 0, error: 0, checked: indices.length };
    for (const i of indices) {
      const numeric = kinks ? centralDifference(loss, t.value, i, eps) : richardson(loss, t.value, i, eps);
      const analytic = t.grad[i];
      const error = Math.abs(numeric - analytic) / Math.max(Math.abs(numeric), Math.abs(analytic), floor);
      if (!(error <= w.error) || w.index < 0) w = { ...w, index: i, numeric, analytic, error };
    }
    worst.push(w);
    if (!(w.error <= tolerance)) {
      throw new Error(`gradCheck: ${t.name}[${w.index}] numeric ${w.numeric.toExponential(4)} vs analytic ${w.analytic.toExponential(4)} (error ${w.error.toExponential(2)} > ${tolerance}, relative to max(|numeric|, |analytic|, ${floor}))`);
    }
  }
  return worst;
}

/** (loss(x + h) − loss(x − h)) / (the step as stored in float32) for coordinate i, restored afterwards. */
function centralDifference(loss: () => number, value: Float32Array, i: number, h: number): number {
  const original = value[i];
  value[i] = original + h;
  const up = loss();
  const stepUp = value[i];
  value[i] = original - h;
  const down = loss();
  const stepDown = value[i];
  value[i] = original;
  return (up - down) / (stepUp - stepDown);
}

/** Richardson's extrapolation of the central differences at ε and 2ε: the O(ε²) error terms cancel. */
function richardson(loss: () => number, value: Float32Array, i: number, eps: number): number {
  return (4 * centralDifference(loss, value, i, eps) - centralDifference(loss, value, i, 2 * eps)) / 3;
}

/** Σ wᵢ·xᵢ in float64: a loss whose gradient w.r.t. x is exactly w, so any output can be checked. */
export function weightedSum(x: Float32Array, weights: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * weights[i];
  return s;
}
