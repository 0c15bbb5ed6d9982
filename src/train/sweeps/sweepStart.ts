/**
 * Starting and resuming a sweep, the same for `seqlab sweep` and the editor's "Run Sweep": the sweep file
 * analysed, every trial's spec validated as `seqlab train` would (validateRun, the data loaded once per data
 * section and seed), problems located in the sweep file; only a sweep without errors gets a folder. Also how many
 * trials train at once, one rule for both shells. Pure of any shell: file access through `RunIo` and `readSpec`.
 */
import * as path from 'node:path';
import type { PreparedData } from '../../data/types';
import type { SpecDiagnostic } from '../../modelSpec';
import type { RunIo } from '../runIo';
import { SpecError, validateRun } from '../validateRun';
import { analyzeSweep } from './sweepFile';
import { type ResolvedSweep, type SweepTrial, readSweepFolder } from './sweepFolder';
import { createSweepFolder } from './sweepRunner';
import { dataKey } from './trialData';
import { checkTrials, planTrials, type TrialCheckResult } from './trialPlan';

/** The base spec as it was when the sweep started, kept in its folder: a resume trains what was planned. */
export const BASE_SPEC_COPY = 'base.seqmodel.json';

export interface PreparedSweep {
  sweep: ResolvedSweep;
  baseSpecText: string;
  trials: SweepTrial[];
}

export interface SweepPreparation {
  /** Every diagnostic of the sweep file (warnings too); errors mean nothing may start. */
  diagnostics: SpecDiagnostic[];
  /** Present only when there is no error. */
  prepared?: PreparedSweep;
}

/** The trial's spec check `seqlab train` would run: validateRun, the data loaded once per data key (trialData.ts). */
export function validatingTrialCheck(sweep: ResolvedSweep, io: RunIo): (specText: string) => TrialCheckResult {
  let cached: { key: string; data: PreparedData } | undefined;
  return (specText) => {
    const key = dataKey(sweep.baseSpec, specText);
    const validation = validateRun({ specPath: sweep.baseSpec, specText, ...(key !== undefined && cached?.key === key ? { data: cached.data } : {}) }, io);
    if (validation.data && key !== undefined) cached = { key, data: validation.data };
    if (!validation.refusal) return { errors: [] };
    if (validation.refusal instanceof SpecError) return { errors: validation.refusal.diagnostics.filter((d) => d.severity === 'error') };
    return { errors: [], other: validation.refusal.message };
  };
}

/**
 * Analyse the sweep file and validate every trial; `prepared` only when nothing is an error. `onTrialChecked`
 * hears after each trial's check (the editor's progress).
 */
export function prepareSweep(
  text: string, sweepPath: string, readSpec: (absolutePath: string) => string | undefined, io: RunIo, onTrialChecked?: (checked: number, total: number) => void,
): SweepPreparation {
  const analysis = analyzeSweep(text, { sweepPath, readSpec });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !analysis.sweep || analysis.baseSpecText === undefined) return { diagnostics: analysis.diagnostics };
  const sweep = analysis.sweep;
  const trials = planTrials(sweep);
  const check = validatingTrialCheck(sweep, io);
  let checked = 0;
  const problems = checkTrials(analysis.source, sweep, analysis.baseSpecText, trials, (specText) => {
    const result = check(specText);
    onTrialChecked?.(++checked, trials.length);
    return result;
  });
  const diagnostics = [...analysis.diagnostics, ...problems];
  return problems.length > 0 ? { diagnostics } : { diagnostics, prepared: { sweep, baseSpecText: analysis.baseSpecText, trials } };
}

/** The sweep's folder with its planned trials and the base spec's copy; returns the folder. */
export function startSweepFolder(io: RunIo, prepared: PreparedSweep, time: Date): string {
  const dir = createSweepFolder(io, prepared.sweep, prepared.trials, time);
  io.writeFileAtomic(path.join(dir, BASE_SPEC_COPY), prepared.baseSpecText);
  return dir;
}

/** What a sweep folder needs to continue: its resolved sweep and base spec as recorded, or why it cannot. */
export function readSweepToResume(dir: string, io: RunIo): { sweep: ResolvedSweep; baseSpecText: string } | { problem: string } {
  const folder = readSweepFolder(dir, io);
  if (!folder.sweep || folder.problems.length > 0) return { problem: `${dir} is not a sweep folder to resume: ${folder.problems.join('; ') || 'sweep.json is missing'}` };
  if (folder.state.trials.length === 0) return { problem: `${dir} has no trials to resume` };
  const copy = path.join(dir, BASE_SPEC_COPY);
  if (!io.exists(copy)) return { problem: `${copy}: missing (the base spec the sweep started from)` };
  return { sweep: folder.sweep, baseSpecText: io.readTextFile(copy) };
}

/**
 * How many trials train at once. The sweep file's `maxConcurrent` (default 2) is what the sweep asks for; the
 * shell's limit caps it: the editor's `seqlab.maxConcurrentRuns`, the command line's cores. `--parallel N`
 * (`override`) replaces both, as the sweep schema documents.
 */
export function trialsAtOnce(sweep: Pick<ResolvedSweep, 'maxConcurrent'>, limit: number, override?: number): number {
  if (override !== undefined) return Math.max(1, Math.floor(override));
  return Math.max(1, Math.min(Math.floor(sweep.maxConcurrent), Math.floor(limit)));
}

/** Threads each trial computes on when not chosen: one when trials share the cores, two for a lone trial. */
export function defaultThreadsPerTrial(parallel: number): 1 | 2 {
  return parallel > 1 ? 1 : 2;
}
