/**
 * From a resolved sweep to its trials: the configurations (grid or seeded random) times the seeds, each with the
 * spec it trains; and the check of every trial's spec before anything runs, its problems located in the sweep
 * file — at the value of the parameter the problem is about (`"values": [8, 4096]` → the 4096), else at
 * "parameters" — so an impossible combination is a sweep-file error like any other.
 */
import { getLocation } from 'jsonc-parser';
import { analyzeSpec, type SpecDiagnostic } from '../../modelSpec';
import type { SpecSource } from '../../modelSpec/specSource';
import { gridConfigurations, randomConfigurations } from './sampling';
import { trialSpec } from './specPaths';
import { type ResolvedSweep, type SweepTrial, configKey } from './sweepFolder';
import { analyzeSweep } from './sweepFile';

/**
 * Every trial of the sweep, in the order they start: each seed's round of the configurations in turn. A TPE
 * sweep goes configuration by configuration instead (its seeds one after another), so a configuration ends as a
 * whole as early as possible for TPE to learn from; its planned random configurations stand until TPE replaces
 * them as they start (tpeSweep.ts).
 */
export function planTrials(sweep: ResolvedSweep): SweepTrial[] {
  const configurations = sweep.method === 'grid' ? gridConfigurations(sweep.parameters) ?? [] : randomConfigurations(sweep.parameters, sweep.trials, sweep.samplerSeed);
  const pairs = sweep.tpe
    ? configurations.flatMap((params) => sweep.seeds.map((seed) => ({ params, seed })))
    : sweep.seeds.flatMap((seed) => configurations.map((params) => ({ params, seed })));
  return pairs.map(({ params, seed }, index) => {
    const id = `t${String(index).padStart(3, '0')}`;
    return { id, params, seed, configKey: configKey(params), status: 'pending', runDir: `trials/${id}`, rung: 0, metric: null };
  });
}

/** The spec text a trial trains (ASHA trials get the last rung's epochs: the rungs stop them earlier). */
export function trialSpecText(sweep: ResolvedSweep, baseSpecText: string, trial: Pick<SweepTrial, 'params' | 'seed'>): string {
  return `${JSON.stringify(trialSpec(JSON.parse(baseSpecText) as Record<string, unknown>, trial.params, trial.seed, sweep.asha?.maxEpochs), null, 2)}\n`;
}

/** What checking one trial's spec found: its errors (ranges in the trial's spec text), or a refusal in words. */
export interface TrialCheckResult {
  errors: SpecDiagnostic[];
  /** A refusal that is not about the spec text (a data file problem), already a sentence. */
  other?: string;
}

/**
 * Check every trial's spec with `check` (the CLI passes validateRun, the editor the spec analysis) and turn the
 * problems into diagnostics of the sweep file, one per place and message, saying how many trials share it.
 */
export function checkTrials(
  source: SpecSource, sweep: ResolvedSweep, baseSpecText: string, trials: readonly SweepTrial[], check: (specText: string, trial: SweepTrial) => TrialCheckResult,
): SpecDiagnostic[] {
  const found = new Map<string, { trial: SweepTrial; message: string; where: { offset: number; length: number }; count: number }>();
  for (const trial of trials) {
    const text = trialSpecText(sweep, baseSpecText, trial);
    const result = check(text, trial);
    const problems = result.errors.map((d) => ({ message: d.message, where: locate(source, trial, getLocation(text, d.offset).path.map(String)) }));
    if (result.other) problems.push({ message: result.other, where: locate(source, trial, ['data']) });
    for (const problem of problems) {
      const key = `${problem.where.offset}|${problem.message}`;
      const entry = found.get(key);
      if (entry) entry.count++;
      else found.set(key, { trial, ...problem, count: 1 });
    }
  }
  const diagnostics = [...found.values()].map(({ trial, message, where, count }) => {
    const others = count > 1 ? ` (and ${count - 1} more trial${count === 2 ? '' : 's'})` : '';
    return source.report('error', 'sweep/trial-invalid', `Trial ${trial.id} (${describeTrial(trial)})${others}: ${message}`, where);
  });
  return diagnostics.sort((a, b) => a.offset - b.offset);
}

/** `model.encoder.cell="rnn", training.optimizer.lr=0.003, seed 2` */
export function describeTrial(trial: Pick<SweepTrial, 'params' | 'seed'>): string {
  const params = Object.entries(trial.params).map(([name, value]) => `${name}=${typeof value === 'number' ? Number(value.toPrecision(4)) : JSON.stringify(value)}`);
  return [...params, `seed ${trial.seed}`].join(', ');
}

/** The place in the sweep file of a problem at `specPath` of a trial's spec: the parameter it is about. */
function locate(source: SpecSource, trial: SweepTrial, specPath: string[]): { offset: number; length: number } {
  let best: { name: string; shared: number } | undefined;
  for (const name of Object.keys(trial.params)) {
    const parts = name.split('.');
    let shared = 0;
    while (shared < Math.min(parts.length, specPath.length) && parts[shared] === specPath[shared]) shared++;
    // The problem is at the parameter, inside it, or at an object that holds it.
    const related = shared === Math.min(parts.length, specPath.length) && shared > 0;
    if (related && (!best || shared > best.shared)) best = { name, shared };
  }
  if (!best) return source.nearestRange(['parameters'], 'key');
  const values = source.valueNode(['parameters', best.name, 'values']);
  const index = values?.children?.findIndex((child) => child.value === trial.params[best.name]) ?? -1;
  return index >= 0 ? source.nearestRange(['parameters', best.name, 'values', index], 'value') : source.nearestRange(['parameters', best.name], 'key');
}

/**
 * What the editor shows for a sweep file: its own diagnostics, then the problems of its first `maxTrials` trials'
 * specs by the spec analysis (the data-dependent checks are `seqlab sweep`'s, which loads the data).
 */
export function sweepFileDiagnostics(text: string, sweepPath: string, readSpec: (absolutePath: string) => string | undefined, maxTrials = Infinity): SpecDiagnostic[] {
  const analysis = analyzeSweep(text, { sweepPath, readSpec });
  if (!analysis.sweep || analysis.baseSpecText === undefined) return analysis.diagnostics;
  const sweep = analysis.sweep;
  const trials = planTrials(sweep).slice(0, maxTrials);
  const problems = checkTrials(analysis.source, sweep, analysis.baseSpecText, trials, (specText) => ({
    errors: analyzeSpec(specText, { specPath: sweep.baseSpec }).diagnostics.filter((d) => d.severity === 'error'),
  }));
  return [...analysis.diagnostics, ...problems];
}
