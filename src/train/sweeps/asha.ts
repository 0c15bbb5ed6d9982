/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) over epochs as the budget: rung k trains a trial to
 * minEpochs·η^k epochs (the last rung to maxEpochs). Whenever a slot frees, the best trial that may go up a
 * rung goes up — one that finished rung k and is among the best ⌊n_k/η⌋ of the n_k trials that finished rung k,
 * judged by its validation metric at that rung — else a new trial starts at rung 0. Nothing waits for a rung
 * to fill, so slots never idle; trials never promoted are pruned at the end. Pure: decisions from a table.
 */
import type { AshaSettings, MetricDirection } from './sweepFolder';

/** Epochs at the end of each rung: [1, 3, 9, 27] for minEpochs 1, η 3, maxEpochs 27; the last is maxEpochs. */
export function rungBudgets({ minEpochs, maxEpochs, reductionFactor }: AshaSettings): number[] {
  const budgets: number[] = [];
  for (let epochs = minEpochs; epochs < maxEpochs; epochs *= reductionFactor) budgets.push(epochs);
  budgets.push(maxEpochs);
  return budgets;
}

export interface AshaTrial {
  id: string;
  /** The metric at the end of each rung finished so far (index = rung); NaN for a non-finite value. */
  rungValues: number[];
  /** Training now (toward rung rungValues.length). */
  busy: boolean;
  /** Cannot go on whatever its metric: diverged, failed, or stopped early by its own early stopping. */
  ended: boolean;
}

export type AshaDecision =
  | { kind: 'promote'; trialId: string; toRung: number }
  | { kind: 'start' }
  | { kind: 'wait' }
  | { kind: 'done' };

/** Better first; NaN (a diverged value) last. */
export function compareMetric(direction: MetricDirection): (a: number, b: number) => number {
  return (a, b) => {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
    return direction === 'minimize' ? a - b : b - a;
  };
}

/** What a free slot should do next. `unstarted` counts the planned trials not begun yet. */
export function nextAshaDecision(trials: readonly AshaTrial[], rungs: number, unstarted: number, reductionFactor: number, direction: MetricDirection): AshaDecision {
  const better = compareMetric(direction);
  for (let rung = rungs - 2; rung >= 0; rung--) {
    const finished = trials.filter((t) => t.rungValues.length > rung).sort((a, b) => better(a.rungValues[rung], b.rungValues[rung]));
    const keep = Math.floor(finished.length / reductionFactor);
    const candidate = finished.slice(0, keep).find((t) => t.rungValues.length === rung + 1 && !t.busy && !t.ended && !Number.isNaN(t.rungValues[rung]));
    if (candidate) return { kind: 'promote', trialId: candidate.id, toRung: rung + 1 };
  }
  if (unstarted > 0) return { kind: 'start' };
  return trials.some((t) => t.busy) ? { kind: 'wait' } : { kind: 'done' };
}
