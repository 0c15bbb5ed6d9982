/**
 * When a run has diverged, and why in words a user can act on. A run diverges when its loss or gradient norm is
 * NaN or infinite, when a weight becomes NaN or infinite (checked after every optimizer step, so a run without a
 * validation split cannot "complete" with NaN weights), or when the loss, still finite, exceeds
 * `training.divergenceFactor` × the initial loss (the loss of the first step, before any update).
 */
import type { NamedParameter } from '../nn/parameter';
import type { TrainingSpec } from '../modelSpec/types';
import { firstNonFinite } from './weightsFile';

/** Three orders of magnitude over the untrained model's loss: no run that is learning gets there. */
export const DEFAULT_DIVERGENCE_FACTOR = 1000;

/** What went wrong in one step (loss and gradient norm before the update), or undefined when nothing did. */
export function stepDivergence(loss: number, gradNorm: number, initialLoss: number | undefined, factor: number): string | undefined {
  if (!Number.isFinite(loss)) return `loss became ${loss}`;
  if (!Number.isFinite(gradNorm)) return `gradient norm became ${gradNorm}`;
  return lossExplosion('loss', loss, initialLoss, factor);
}

/** A finite loss past factor × the initial loss, described; undefined otherwise (or without a positive reference). */
export function lossExplosion(what: string, loss: number, initialLoss: number | undefined, factor: number): string | undefined {
  if (initialLoss === undefined || !(initialLoss > 0) || !(loss > factor * initialLoss)) return undefined;
  return `${what} ${loss.toPrecision(3)} is over ${factor} × the initial loss ${initialLoss.toPrecision(3)} (training.divergenceFactor)`;
}

/** The first parameter value that is NaN or infinite after an update, described. */
export function weightDivergence(params: readonly NamedParameter[]): string | undefined {
  const bad = firstNonFinite(params.map((p) => [p.name, p.parameter.value.data]));
  return bad ? `weight ${bad.name}[${bad.index}] became ${bad.value}` : undefined;
}

/** The likely causes, most likely first. */
export function likelyCause(training: TrainingSpec, lr: number): string {
  const lowerLr = `the learning rate ${lr} is likely too high (lower training.optimizer.lr)`;
  if (training.clipGradNorm !== undefined || training.clipGradValue !== undefined) return lowerLr;
  return `${lowerLr}, and no gradient clipping is set (add training.clipGradNorm, e.g. 1.0)`;
}
