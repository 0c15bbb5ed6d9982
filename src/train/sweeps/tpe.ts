/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011), as Optuna's TPESampler does it by default
 * (univariate): the finished configurations are split into the best ⌈γ·n⌉ (at most 25, "good") and the rest
 * ("bad"); each parameter gets two Parzen estimators, l(x) over the good values and g(x) over the bad ones, each a
 * weighted mixture of one kernel per observation plus a prior kernel over the whole range; `candidates` values
 * are drawn from l and the one with the largest l(x)/g(x) (the expected improvement) is proposed. Each parameter
 * is proposed on its own.
 *
 * Ranges are estimated in the space they are sampled in: the logarithm for log ranges; integers as bins of width 1
 * ([k − ½, k + ½], in log space for log-integer), so a kernel's weight on an integer is the mass of its bin.
 * A kernel is a normal truncated to the range, centred on an observation, its width the larger gap to its
 * neighbours (the range's ends included), clipped to [range / min(100, 1 + kernels), range] — Optuna's adaptive
 * bandwidth with its "magic clip"; the prior kernel sits at the middle with the whole range as width and weight
 * `priorWeight`. A list is a categorical: each observation's kernel puts weight 1 on its value plus
 * priorWeight / kernels on every value. With more than 25 observations the older ones weigh less (a ramp from
 * 1/n to 1, the 25 newest at 1), as in Optuna.
 *
 * Pure: no clock, no I/O; the same observations and Rng give the same proposal.
 */
import { Rng } from '../../tensor';
import type { Configuration } from './sampling';
import type { ParamValue, ParameterDomain, TpeSettings } from './sweepFolder';

/** Optuna's defaults: 10 random configurations first, γ 0.1, 24 candidates, prior weight 1. */
export const TPE_DEFAULTS: TpeSettings = { startupTrials: 10, gamma: 0.1, candidates: 24, priorWeight: 1 };

/** The most observations the good group takes, whatever γ (Optuna's default γ(n) = min(⌈0.1·n⌉, 25)). */
const MAX_GOOD = 25;

export interface TpeObservation {
  params: Configuration;
  /** Lower is better (the caller negates a metric to maximise); Infinity for a diverged configuration. */
  value: number;
  /**
   * How far the configuration got (an ASHA rung; 0 when every configuration trains in full): one that got further
   * ranks above any that stopped earlier, as Optuna ranks completed trials above pruned ones and pruned ones by
   * their last step.
   */
  stage?: number;
}

/** The size of the good group for n observations: ⌈γ·n⌉, at most 25. */
export function goodCount(n: number, gamma: number): number {
  return Math.min(Math.ceil(gamma * n), MAX_GOOD, n);
}

/** Good and bad observations, each kept in the order given (oldest first, which the weights rely on). */
export function splitObservations(observations: readonly TpeObservation[], gamma: number): { good: TpeObservation[]; bad: TpeObservation[] } {
  // Diverged (non-finite) last whatever their stage; then further stages first; then the value.
  const ranked = observations.map((o, index) => ({ o, index })).sort((a, b) =>
    Number(!Number.isFinite(a.o.value)) - Number(!Number.isFinite(b.o.value)) || (b.o.stage ?? 0) - (a.o.stage ?? 0)
    || compareValues(a.o.value, b.o.value) || a.index - b.index);
  const good = new Set(ranked.slice(0, goodCount(observations.length, gamma)).map((r) => r.index));
  return { good: observations.filter((_, i) => good.has(i)), bad: observations.filter((_, i) => !good.has(i)) };
}

/** NaN ranks last, like Infinity. */
function compareValues(a: number, b: number): number {
  const x = Number.isNaN(a) ? Infinity : a;
  const y = Number.isNaN(b) ? Infinity : b;
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Optuna's default weights: all 1 up to 25 observations, then a ramp from 1/n for the oldest, the 25 newest at 1. */
export function observationWeights(n: number): number[] {
  if (n <= MAX_GOOD) return new Array<number>(n).fill(1);
  const ramp = n - MAX_GOOD;
  return Array.from({ length: n }, (_, i) => (i < ramp ? 1 / n + ((1 - 1 / n) * i) / Math.max(ramp - 1, 1) : 1));
}

/** A one-parameter density: draw from it, and its log density (or log mass, for integers and lists). */
export interface ParzenEstimator {
  sample(rng: Rng): ParamValue;
  logDensity(value: ParamValue): number;
}

/** The Parzen estimator of `domain` over the observed values (oldest first). */
export function parzenEstimator(domain: ParameterDomain, observed: readonly ParamValue[], priorWeight: number): ParzenEstimator {
  const weights = observed.length === 0 ? [1] : [...observationWeights(observed.length), priorWeight];
  const total = weights.reduce((a, b) => a + b, 0);
  const mixture = weights.map((w) => w / total);
  return 'values' in domain ? categoricalEstimator(domain.values, observed, mixture, priorWeight) : numericEstimator(domain, observed as number[], mixture);
}

/** Propose one configuration from the observations (each parameter on its own). */
export function proposeConfiguration(
  parameters: Record<string, ParameterDomain>, observations: readonly TpeObservation[], settings: TpeSettings, rng: Rng,
): Configuration {
  const { good, bad } = splitObservations(observations, settings.gamma);
  const configuration: Configuration = {};
  for (const [name, domain] of Object.entries(parameters)) {
    const valuesOf = (group: TpeObservation[]) => group.map((o) => o.params[name]).filter((v) => v !== undefined && inDomain(domain, v));
    const l = parzenEstimator(domain, valuesOf(good), settings.priorWeight);
    const g = parzenEstimator(domain, valuesOf(bad), settings.priorWeight);
    let best: { value: ParamValue; score: number } | undefined;
    for (let k = 0; k < settings.candidates; k++) {
      const value = l.sample(rng);
      const score = l.logDensity(value) - g.logDensity(value);
      if (!best || score > best.score) best = { value, score };
    }
    configuration[name] = best!.value;
  }
  return configuration;
}

/** A value the domain can hold (an observation of an edited sweep may not be). */
function inDomain(domain: ParameterDomain, value: ParamValue): boolean {
  if ('values' in domain) return domain.values.includes(value);
  return typeof value === 'number' && Number.isFinite(value) && value >= domain.min && value <= domain.max;
}

function categoricalEstimator(values: readonly ParamValue[], observed: readonly ParamValue[], mixture: number[], priorWeight: number): ParzenEstimator {
  const n = values.length;
  const kernels = observed.length + 1; // with the prior's
  // Row k: kernel k's probabilities over the values; the prior kernel's row is uniform.
  const rows = observed.map((v) => {
    const row = new Array<number>(n).fill(priorWeight / kernels);
    row[values.indexOf(v)] += 1;
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((p) => p / sum);
  });
  rows.push(new Array<number>(n).fill(1 / n));
  const probability = values.map((_, c) => rows.reduce((s, row, k) => s + mixture[k] * row[c], 0));
  return {
    sample: (rng) => values[pick(rows[pick(mixture, rng)], rng)],
    logDensity: (value) => Math.log(probability[values.indexOf(value)] ?? 0),
  };
}

/** Index drawn with the given probabilities (summing to 1). */
function pick(probabilities: readonly number[], rng: Rng): number {
  let u = rng.next();
  for (let i = 0; i < probabilities.length - 1; i++) {
    u -= probabilities[i];
    if (u < 0) return i;
  }
  return probabilities.length - 1;
}

/** How a range maps to the space its kernels live in: the log for log ranges, bins of width 1 around integers. */
interface RangeSpace {
  low: number;
  high: number;
  toSpace(value: number): number;
  fromSpace(x: number): number;
  /** The bin of an integer value in the space; undefined for reals. */
  bin?(value: number): [number, number];
}

export function rangeSpace(domain: Extract<ParameterDomain, { min: number }>): RangeSpace {
  const { min, max } = domain;
  const lo = Math.ceil(min);
  const hi = Math.floor(max);
  const clampInt = (k: number) => Math.min(hi, Math.max(lo, k));
  switch (domain.distribution) {
    case 'uniform':
      return { low: min, high: max, toSpace: (v) => v, fromSpace: (x) => Math.min(max, Math.max(min, x)) };
    case 'log-uniform':
      return { low: Math.log(min), high: Math.log(max), toSpace: Math.log, fromSpace: (x) => Math.min(max, Math.max(min, Math.exp(x))) };
    case 'integer':
      return { low: lo - 0.5, high: hi + 0.5, toSpace: (v) => v, fromSpace: (x) => clampInt(Math.round(x)), bin: (k) => [k - 0.5, k + 0.5] };
    case 'log-integer': {
      // As sampling.ts draws log-integers: uniform in log over [min − ½, max + ½), rounded.
      const logOf = (v: number) => Math.log(Math.max(v, 1e-12));
      return { low: logOf(lo - 0.5), high: logOf(hi + 0.5), toSpace: logOf, fromSpace: (x) => clampInt(Math.round(Math.exp(x))), bin: (k) => [logOf(k - 0.5), logOf(k + 0.5)] };
    }
  }
}

function numericEstimator(domain: Extract<ParameterDomain, { min: number }>, observed: readonly number[], mixture: number[]): ParzenEstimator {
  const space = rangeSpace(domain);
  const { low, high } = space;
  const width = high - low;
  const mus = observed.map(space.toSpace);
  const sigmas = kernelWidths(mus, low, high);
  mus.push((low + high) / 2); // the prior kernel
  sigmas.push(width);
  // Each kernel's mass inside the range: its truncation.
  const logMass = mus.map((mu, k) => Math.log(normalMass((low - mu) / sigmas[k], (high - mu) / sigmas[k])));
  const logWeights = mixture.map(Math.log);
  return {
    sample(rng) {
      const k = pick(mixture, rng);
      return space.fromSpace(truncatedNormal(mus[k], sigmas[k], low, high, rng));
    },
    logDensity(value) {
      const v = value as number;
      const terms = mus.map((mu, k) => {
        const sigma = sigmas[k];
        if (space.bin) {
          const [a, b] = space.bin(v);
          const mass = normalMass((a - mu) / sigma, (b - mu) / sigma);
          // A bin far in a kernel's tail: its mass from the density at its middle (the difference underflows).
          const logBin = mass > 1e-12 ? Math.log(mass) : logNormalDensity(((a + b) / 2 - mu) / sigma) + Math.log((b - a) / sigma);
          return logWeights[k] + logBin - logMass[k];
        }
        return logWeights[k] + logNormalDensity((space.toSpace(v) - mu) / sigma) - Math.log(sigma) - logMass[k];
      });
      return logSumExp(terms);
    },
  };
}

/**
 * Optuna's univariate bandwidths: each kernel as wide as the larger gap to its neighbours among the sorted
 * observations and the prior's centre (the range's ends closing the row; the outermost kernels take their inner
 * gap only), clipped to [range / min(100, kernels + 1), range] so no kernel is a spike or wider than the range.
 */
export function kernelWidths(mus: readonly number[], low: number, high: number): number[] {
  const withPrior = [...mus, (low + high) / 2];
  const order = withPrior.map((_, i) => i).sort((a, b) => withPrior[a] - withPrior[b]);
  const row = [low, ...order.map((i) => withPrior[i]), high];
  const sorted = order.map((_, j) => Math.max(row[j + 1] - row[j], row[j + 2] - row[j + 1]));
  if (row.length >= 4) {
    sorted[0] = row[2] - row[1];
    sorted[sorted.length - 1] = row[row.length - 2] - row[row.length - 3];
  }
  const widths = new Array<number>(withPrior.length);
  order.forEach((i, j) => (widths[i] = sorted[j]));
  const range = high - low;
  const minWidth = range / Math.min(100, 1 + withPrior.length);
  return widths.slice(0, mus.length).map((w) => Math.min(range, Math.max(minWidth, w)));
}

/** A normal(mu, sigma) draw inside [low, high] (rejection: a kernel's centre is inside, so at least a third lands there). */
function truncatedNormal(mu: number, sigma: number, low: number, high: number, rng: Rng): number {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const x = rng.normal(mu, sigma);
    if (x >= low && x <= high) return x;
  }
  return Math.min(high, Math.max(low, mu));
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

function logNormalDensity(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/** P(a < Z < b) for a standard normal Z, from the tail on the side where it keeps its precision. */
export function normalMass(a: number, b: number): number {
  if (a >= 0) return 0.5 * (erfc(a / Math.SQRT2) - erfc(b / Math.SQRT2));
  if (b <= 0) return 0.5 * (erfc(-b / Math.SQRT2) - erfc(-a / Math.SQRT2));
  return 1 - 0.5 * erfc(-a / Math.SQRT2) - 0.5 * erfc(b / Math.SQRT2);
}

/** The complementary error function, relative error below 1.2e-7 everywhere (Numerical Recipes' erfcc). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

function logSumExp(terms: readonly number[]): number {
  const top = Math.max(...terms);
  if (!Number.isFinite(top)) return top;
  return top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0));
}
