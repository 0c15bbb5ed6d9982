/**
 * TPE inside a sweep: what it learns from and when it proposes. The plan (trialPlan.ts) lists a TPE sweep's
 * trials configuration by configuration, each with a random configuration, so configuration k's seeds are the
 * trials k·S … k·S + S − 1 of state.json (S seeds). When configuration k's first trial starts, k ≥ startupTrials
 * and at least startupTrials configurations have finished, TPE replaces its planned parameters (for all its
 * seeds) with a proposal; otherwise it keeps the random ones — Optuna's n_startup_trials rule.
 *
 * Only finished configurations count, as Optuna's TPESampler does by default: trials still training (with
 * `--parallel N`) are ignored, not imputed. Under ASHA (method asha, sampler tpe) a configuration counts once its
 * seeds finished their first rung, ranked by the rung they reached and then by the value there. So with one trial at a time a sweep is reproducible from its
 * samplerSeed; with several, a proposal depends on which trials had finished when it was made, and state.json
 * records what was proposed. A proposal draws from its own Rng (samplerSeed and the configuration's index), so it
 * is a function of the finished configurations only, also on resume.
 *
 * A configuration's value is the mean of its seeds' metrics (negated when the metric is maximised); a diverged
 * seed makes it the worst (a learning rate that diverges is worth learning from: Optuna would drop it as failed);
 * a failed trial (an error, not a result) leaves the configuration out.
 */
import { Rng } from '../../tensor';
import { type ResolvedSweep, type SweepTrial, configKey } from './sweepFolder';
import { type TpeObservation, proposeConfiguration } from './tpe';

/** The trials of each configuration, in plan order (configuration-major for TPE sweeps). */
export function configurationSlots(sweep: Pick<ResolvedSweep, 'seeds'>, trials: readonly SweepTrial[]): SweepTrial[][] {
  const size = sweep.seeds.length;
  const slots: SweepTrial[][] = [];
  for (let i = 0; i < trials.length; i += size) slots.push(trials.slice(i, i + size));
  return slots;
}

/**
 * The last rung the trial has finished (0 for a trial trained in full), −1 before it finished one. A trial
 * training toward its next ASHA rung keeps the metric of the rung it finished, so its configuration still counts.
 */
function finishedRung(t: SweepTrial): number {
  if (t.status === 'running') return t.rung - 1;
  return t.status === 'completed' || t.status === 'pruned' || t.status === 'diverged' ? t.rung : -1;
}

/**
 * One observation per configuration whose seeds have all finished a rung (without ASHA: ended): its parameters,
 * its value (lower is better) and, under ASHA, the rung all its seeds finished — a configuration that went further
 * ranks above any that stopped earlier (Optuna's ranking of pruned trials).
 */
export function tpeObservations(sweep: Pick<ResolvedSweep, 'seeds' | 'metric' | 'asha'>, trials: readonly SweepTrial[]): TpeObservation[] {
  const sign = sweep.metric.direction === 'maximize' ? -1 : 1;
  const observations: TpeObservation[] = [];
  for (const members of configurationSlots(sweep, trials)) {
    const rungs = members.map(finishedRung);
    if (rungs.some((r) => r < 0)) continue;
    const diverged = members.some((t) => t.status === 'diverged' || t.metric === null);
    const value = diverged ? Infinity : sign * members.reduce((s, t) => s + t.metric!, 0) / members.length;
    observations.push({ params: members[0].params, value, ...(sweep.asha ? { stage: Math.min(...rungs) } : {}) });
  }
  return observations;
}

/** Whether the trial's parameters are a placeholder TPE may still replace when its configuration starts. */
export function awaitsProposal(sweep: ResolvedSweep, trials: readonly SweepTrial[], trial: SweepTrial): boolean {
  if (!sweep.tpe || trial.status !== 'pending' || trial.sampler !== undefined) return false;
  return Math.floor(trials.indexOf(trial) / sweep.seeds.length) >= sweep.tpe.startupTrials;
}

/** A seed for configuration `index`'s proposal, different for every index and sampler seed. */
function proposalSeed(samplerSeed: number, index: number): number {
  return (Math.imul(samplerSeed + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

/**
 * Before `trial` starts: when it is the first of its configuration to start and TPE may propose, set the
 * configuration's parameters (on every seed's trial) to TPE's proposal; mark how they were chosen. Returns whether
 * the parameters changed. Mutates the trials (the runner writes state.json next).
 */
export function assignProposal(sweep: ResolvedSweep, trials: SweepTrial[], trial: SweepTrial): boolean {
  const tpe = sweep.tpe;
  if (!tpe) return false;
  const slots = configurationSlots(sweep, trials);
  const index = slots.findIndex((members) => members.includes(trial));
  const members = slots[index];
  if (!members || !members.every((t) => t.status === 'pending' && t.sampler === undefined)) return false;
  const observations = index >= tpe.startupTrials ? tpeObservations(sweep, trials) : [];
  if (index < tpe.startupTrials || observations.length < tpe.startupTrials || observations.length === 0) {
    for (const t of members) t.sampler = 'random';
    return false;
  }
  const params = proposeConfiguration(sweep.parameters, observations, tpe, new Rng(proposalSeed(sweep.samplerSeed, index)));
  for (const t of members) Object.assign(t, { params, configKey: configKey(params), sampler: 'tpe' as const });
  return true;
}
