/**
 * Which epochs a run validates (`training.validateEvery` = N, default 1), the rule both engines follow (the
 * exported train.py's stopping.py says it again in Python), as Keras' `validation_freq` and Lightning's
 * `check_val_every_n_epoch` do:
 *
 * - epochs N, 2N, 3N, … are validated, and always the epoch a run ends with when it ends by itself: the spec's last
 *   epoch, the epoch `maxSteps` runs out in, and an epoch the caller asks for (an ASHA rung, where the sweep reads
 *   the trial's metric) — so a finished run always has validation figures for its final weights. Early stopping
 *   can only happen after a validation, so its epoch is validated too. A run stopped by the user or diverged is
 *   not validated on its way out (its resume continues the same cadence: the rule depends on the epoch number only).
 * - an epoch that is not validated still writes its epoch line (train loss, learning rate, time) but has no
 *   `validationLoss` and no `metrics`: no stale copy of an earlier validation, no zeros. It is never `best`.
 * - early stopping's `patience` and the plateau schedule's `patience` count validations, not epochs: patience 3
 *   with validateEvery 2 waits 6 epochs without improvement.
 */

/** Whether `epoch` (1-based) is validated; `endsRun`: the run ends after this epoch unless stopped or diverged. */
export function validatesEpoch(epoch: number, validateEvery: number | undefined, endsRun: boolean): boolean {
  return endsRun || epoch % Math.max(1, validateEvery ?? 1) === 0;
}

/** An epoch line (metrics.jsonl) or event that carries validation figures. */
export function isValidatedEpoch<T extends { validationLoss?: unknown }>(line: T): line is T & { validationLoss: NonNullable<T['validationLoss']> } {
  return line.validationLoss !== undefined && line.validationLoss !== null;
}

/** The last epoch line with validation figures (undefined when none was validated yet). */
export function lastValidatedEpoch<T extends { validationLoss?: unknown }>(lines: readonly T[]): T | undefined {
  for (let i = lines.length - 1; i >= 0; i--) if (isValidatedEpoch(lines[i])) return lines[i];
  return undefined;
}

/** Why early stopping ended a run: patience in epochs when every epoch validates, else in validations. */
export function earlyStopReason(metricLabel: string, patience: number, validateEvery: number | undefined): string {
  const every = validateEvery ?? 1;
  const unit = every > 1 ? `validations (one every ${every} epochs)` : 'epochs';
  return `no improvement of validation ${metricLabel} for ${patience} ${unit}`;
}
