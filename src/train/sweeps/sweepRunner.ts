/**
 * Runs a sweep: at most `parallel` trials at once, each an ordinary run in `trials/<id>`, and state.json
 * rewritten atomically after every change of a trial (started, rung finished, ended). Grid, random and TPE run
 * their trials in order (TPE's parameters are proposed as a configuration's first trial starts: tpeSweep.ts); ASHA asks `nextAshaDecision` what a free slot does (promote, start, wait), the seeds of a
 * configuration as one unit.
 *
 * Resume (a sweep whose process was killed, or stopped with Ctrl-C): state.json says what was decided. Finished
 * trials are kept as they are; a trial marked running continues from its checkpoint toward the same rung, or
 * starts again when its folder holds no checkpoint yet; metrics are read back from each trial's metrics.jsonl,
 * which the trainer keeps consistent with its checkpoint — so no epoch and no trial is counted twice.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrainerEvent } from '../protocol';
import { RUN_FILES, readJsonLines, writeJson } from '../runFolder';
import type { RunIo } from '../runIo';
import { type AshaTrial, nextAshaDecision, rungBudgets } from './asha';
import {
  type ResolvedSweep, type SweepState, type SweepTrial, SWEEP_FILES, readSweepFolder, sweepFolderName, sweepsFolderBeside, trialRunDir, writeSweepState,
} from './sweepFolder';
import type { TrialLauncher } from './trialLaunchers';
import type { TrialResult } from './trialRun';
import { trialSpecText } from './trialPlan';
import { assignProposal } from './tpeSweep';

/** Create `.seqlab/sweeps/<name>-<time>/` (exclusively, `-2`… when taken) with sweep.json and the planned state. */
export function createSweepFolder(io: RunIo, sweep: ResolvedSweep, trials: SweepTrial[], time: Date): string {
  const base = path.join(sweepsFolderBeside(sweep.sweepFile), sweepFolderName(sweep.name, time));
  let dir = base;
  for (let k = 2; !io.createDirectoryExclusive(dir); k++) dir = `${base}-${k}`;
  writeJson(io, path.join(dir, SWEEP_FILES.sweep), sweep);
  writeSweepState(io, dir, { version: 1, trials });
  return dir;
}

export interface SweepProgress {
  state: SweepState;
  /** The trial that changed, and the trainer event when the change is progress inside a run. */
  trial: SweepTrial;
  event?: TrainerEvent;
}

export interface SweepRunOptions {
  dir: string;
  sweep: ResolvedSweep;
  baseSpecText: string;
  io: RunIo;
  launcher: TrialLauncher;
  parallel: number;
  onProgress?(progress: SweepProgress): void;
  /** Resolves when the sweep should stop: nothing more starts, running trials stop with their checkpoints kept. */
  stopRequested?: Promise<void>;
}

/** Whether every trial ended (false: stopped before, resume with the same folder). */
export interface SweepOutcome {
  state: SweepState;
  finished: boolean;
}

interface Running {
  trial: SweepTrial;
  result: Promise<TrialResult>;
  stop(): void;
}

export async function runSweep(options: SweepRunOptions): Promise<SweepOutcome> {
  const { dir, sweep, io } = options;
  const folder = readSweepFolder(dir, io);
  if (folder.problems.length > 0 || folder.state.trials.length === 0) throw new Error(`${dir}: not a sweep folder to run (${folder.problems.join('; ') || 'no trials'})`);
  const state = folder.state;
  const budgets = sweep.asha ? rungBudgets(sweep.asha) : undefined;
  const lastRung = budgets ? budgets.length - 1 : 0;
  const ended = new Set<string>(); // ASHA: trials that cannot go on (diverged, failed, early-stopped)
  const rungValues = new Map<string, number[]>();
  for (const trial of state.trials) {
    if (trial.status === 'pending') continue;
    rungValues.set(trial.id, valuesAtRungs(trial));
    if (trial.status === 'diverged' || trial.status === 'failed' || endedEarly(trial)) ended.add(trial.id);
  }
  const running = new Map<string, Running>();
  const save = (trial: SweepTrial, event?: TrainerEvent) => {
    if (!event) writeSweepState(io, dir, state);
    options.onProgress?.({ state, trial, ...(event ? { event } : {}) });
  };

  /** The metric of every epoch the trial's run folder holds, in epoch order. */
  function epochMetrics(trial: SweepTrial): { epoch: number; value: number }[] {
    return readJsonLines(io, path.join(trialRunDir(dir, trial), RUN_FILES.metrics)).map((line) => {
      const l = line as { epoch: number; validationLoss?: number | string; metrics?: Record<string, number | string> };
      const raw = sweep.metric.name === 'loss' ? l.validationLoss : l.metrics?.[sweep.metric.name];
      return { epoch: l.epoch, value: typeof raw === 'number' ? raw : NaN };
    });
  }
  const better = (a: number, b: number) => (Number.isNaN(b) ? a : Number.isNaN(a) ? b : sweep.metric.direction === 'minimize' ? Math.min(a, b) : Math.max(a, b));
  const bestUpTo = (lines: { epoch: number; value: number }[], epochs: number) => lines.filter((l) => l.epoch <= epochs).reduce((m, l) => better(m, l.value), NaN);
  /** The metric at the end of each rung the trial finished (its best so far at that budget). */
  function valuesAtRungs(trial: SweepTrial): number[] {
    if (!budgets) return [];
    const lines = epochMetrics(trial);
    const finishedRungs = trial.status === 'running' || trial.status === 'pending' ? trial.rung : trial.rung + 1;
    return budgets.slice(0, finishedRungs).map((epochs) => bestUpTo(lines, epochs));
  }
  function endedEarly(trial: SweepTrial): boolean {
    if (!budgets || trial.status !== 'completed') return false;
    const report = readReport(trial);
    return report?.status === 'early-stopped';
  }
  function readReport(trial: SweepTrial): { status?: string } | undefined {
    const file = path.join(trialRunDir(dir, trial), RUN_FILES.report);
    try {
      return io.exists(file) ? (JSON.parse(io.readTextFile(file)) as { status?: string }) : undefined;
    } catch {
      return undefined;
    }
  }

  function launch(trial: SweepTrial, continueRun: boolean): void {
    const runDir = trialRunDir(dir, trial);
    let resume = continueRun;
    if (!resume && fs.existsSync(runDir)) {
      // Started before the sweep was interrupted: continue its checkpoint, or start again when it has none yet.
      if (fs.existsSync(path.join(runDir, RUN_FILES.model)) && fs.existsSync(path.join(runDir, RUN_FILES.spec))) resume = true;
      else fs.rmSync(runDir, { recursive: true, force: true });
    }
    if (trial.status === 'pending') assignProposal(sweep, state.trials, trial); // TPE: from the configurations finished so far
    const budget = budgets?.[trial.rung];
    const stopAfterEpoch = budgets && trial.rung < lastRung ? budget : undefined;
    trial.status = 'running';
    save(trial);
    const launched = options.launcher.launch(
      { type: 'trial', specPath: sweep.baseSpec, specText: trialSpecText(sweep, options.baseSpecText, trial), runDir, resume, ...(stopAfterEpoch !== undefined ? { stopAfterEpoch } : {}) },
      (event) => options.onProgress?.({ state, trial, event }),
    );
    running.set(trial.id, { trial, ...launched });
  }

  function settle(trial: SweepTrial, result: TrialResult): void {
    const lines = epochMetrics(trial);
    const best = lines.reduce((m, l) => better(m, l.value), NaN);
    trial.metric = Number.isFinite(best) ? best : null;
    const status = result.finished.status;
    if (status === 'stopped' && !result.budgetReached) {
      save(trial); // interrupted: stays 'running', continued on resume
      return;
    }
    trial.status = status === 'diverged' ? 'diverged' : status === 'failed' ? 'failed' : 'completed';
    if (status !== 'stopped' && status !== 'completed') ended.add(trial.id);
    if (budgets) {
      if (status === 'completed') trial.rung = lastRung; // trained to the spec's epochs: the last rung
      rungValues.set(trial.id, budgets.slice(0, trial.rung + 1).map((epochs) => bestUpTo(lines, epochs)));
    }
    save(trial);
  }

  /** What a free slot does next: [trial, continue its run?] or 'wait' / 'done'. */
  function next(): [SweepTrial, boolean] | 'wait' | 'done' {
    const interrupted = state.trials.find((t) => t.status === 'running' && !running.has(t.id));
    if (interrupted) return [interrupted, false];
    const pending = state.trials.filter((t) => t.status === 'pending');
    if (!budgets) return pending.length > 0 ? [pending[0], false] : running.size > 0 ? 'wait' : 'done';
    const table: AshaTrial[] = state.trials.map((t) => ({
      id: t.id, configKey: t.configKey, unstarted: t.status === 'pending', rungValues: rungValues.get(t.id) ?? [],
      busy: running.has(t.id), ended: ended.has(t.id) || t.rung === lastRung,
    }));
    const decision = nextAshaDecision(table, budgets.length, sweep.asha!.reductionFactor, sweep.metric.direction);
    if (decision.kind === 'start') return [state.trials.find((t) => t.id === decision.trialId)!, false];
    if (decision.kind === 'promote') {
      const trial = state.trials.find((t) => t.id === decision.trialId)!;
      trial.rung = decision.toRung;
      return [trial, true];
    }
    return decision.kind;
  }

  let stopping = false;
  const stopSignal = options.stopRequested?.then(() => 'stop' as const);
  try {
    for (;;) {
      while (!stopping && running.size < options.parallel) {
        const decision = next();
        if (typeof decision === 'string') break;
        launch(decision[0], decision[1]);
      }
      if (running.size === 0) break; // done, or stopped and every trial has settled
      const settled = [...running.values()].map((r) => r.result.then((res) => [r.trial.id, res] as const));
      const first = await Promise.race(stopping || !stopSignal ? settled : [...settled, stopSignal]);
      if (first === 'stop') {
        stopping = true;
        for (const r of running.values()) r.stop();
        continue;
      }
      const [id, result] = first;
      const { trial } = running.get(id)!;
      running.delete(id);
      settle(trial, result);
    }
  } finally {
    await options.launcher.close?.(); // idle pool workers and the data they kept
  }
  const finished = !stopping;
  if (finished && budgets) {
    for (const trial of state.trials) {
      if (trial.status === 'completed' && trial.rung < lastRung && !ended.has(trial.id)) {
        trial.status = 'pruned';
        save(trial);
      }
    }
  }
  return { state, finished };
}
