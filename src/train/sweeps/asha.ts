/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) over epochs as the budget: rung k trains a trial to
 * minEpochs·η^k epochs (the last rung to maxEpochs). Whenever a slot frees, the best configuration that may go up
 * a rung goes up — one whose seeds all finished rung k and which is among the best ⌊n_k/η⌋ of the n_k
 * configurations that finished rung k, judged by the mean over its seeds of the validation metric at that rung —
 * else a new trial starts at rung 0. The seeds of a configuration are one unit: ranked by their mean, promoted
 * together (the first promoted seed takes the others along before anything else), pruned together, and started
 * one after another. Nothing waits for a rung to fill, so slots never idle; trials never promoted are pruned at
 * the end. Pure: decisions from a table.
 */
import { groupBySeeds } from './seedGroups';
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
  /** The same for every seed of one configuration (`SweepTrial.configKey`). */
  configKey: string;
  /** Not begun yet (it has no rung values and is not busy). */
  unstarted?: boolean;
  /** The metric at the end of each rung finished so far (index = rung); NaN for a non-finite value. */
  rungValues: number[];
  /** Training now (toward rung rungValues.length). */
  busy: boolean;
  /** Cannot go on whatever its metric: diverged, failed, stopped early by its own early stopping, or at the last rung. */
  ended: boolean;
}

export type AshaDecision =
  | { kind: 'promote'; trialId: string; toRung: number }
  | { kind: 'start'; trialId: string }
  | { kind: 'wait' }
  | { kind: 'done' };

/** Better first; NaN (a diverged value) last. */
export function compareMetric(direction: MetricDirection): (a: number, b: number) => number {
  return (a, b) => {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
    return direction === 'minimize' ? a - b : b - a;
  };
}

/** A configuration's value at a rung: the mean over its seeds; NaN when one of them has none (a diverged seed). */
export function configurationValue(members: readonly AshaTrial[], rung: number): number {
  let sum = 0;
  for (const m of members) sum += m.rungValues.length > rung ? m.rungValues[rung] : NaN;
  return sum / members.length;
}

/** The rung a trial has reached or trains toward; -1 before it began. */
const rungOf = (t: AshaTrial) => (t.busy ? t.rungValues.length : t.rungValues.length - 1);
/** A seed that finished its rung and may go up one. */
const canGoUp = (t: AshaTrial) => !t.unstarted && !t.busy && !t.ended && t.rungValues.length > 0;

/** What a free slot should do next. `trials` lists every trial of the sweep, unstarted ones in the order they may start. */
export function nextAshaDecision(trials: readonly AshaTrial[], rungs: number, reductionFactor: number, direction: MetricDirection): AshaDecision {
  const better = compareMetric(direction);
  const groups = groupBySeeds(trials);
  // A configuration promoted to a rung takes its other seeds along first: the decision is the configuration's.
  const followers = groups.flatMap(({ members }) => {
    const level = Math.max(...members.map(rungOf));
    return members.filter((t) => canGoUp(t) && t.rungValues.length - 1 < level);
  }).sort((a, b) => b.rungValues.length - a.rungValues.length);
  if (followers.length > 0) return { kind: 'promote', trialId: followers[0].id, toRung: followers[0].rungValues.length };
  for (let rung = rungs - 2; rung >= 0; rung--) {
    const finished = groups.filter(({ members }) => members.every((t) => t.rungValues.length > rung))
      .map(({ members }) => ({ members, value: configurationValue(members, rung) }))
      .sort((a, b) => better(a.value, b.value));
    const keep = Math.floor(finished.length / reductionFactor);
    for (const { members, value } of finished.slice(0, keep)) {
      if (Number.isNaN(value) || members.some((t) => rungOf(t) > rung)) continue; // diverged, or already gone up
      const first = members.find(canGoUp);
      if (first) return { kind: 'promote', trialId: first.id, toRung: rung + 1 };
    }
  }
  // Seeds of a configuration start one after another, so it can be judged as soon as possible.
  const startedKeys = new Set(trials.filter((t) => !t.unstarted).map((t) => t.configKey));
  const unstarted = trials.filter((t) => t.unstarted);
  const next = unstarted.find((t) => startedKeys.has(t.configKey)) ?? unstarted[0];
  if (next) return { kind: 'start', trialId: next.id };
  return trials.some((t) => t.busy) ? { kind: 'wait' } : { kind: 'done' };
}
