/**
 * The sweeps this window runs: started from a prepared sweep (src/train/sweeps/sweepStart.ts, which validated
 * every trial) or resumed from a sweep folder, run by the core's `runSweep` with trials queued in the run manager
 * (trialRuns.ts), at most min(the file's maxConcurrent, `seqlab.maxConcurrentRuns`) at once, each on
 * `seqlab.threadsPerRun` threads when set, else as `seqlab sweep` (one when trials share the cores), and stopped on
 * request (running trials stop at their next step, checkpoints kept; Resume continues them). No `vscode` import.
 */
import type { RunIo } from '../train/runIo';
import type { ResolvedSweep } from '../train/sweeps/sweepFolder';
import { runSweep, type SweepOutcome } from '../train/sweeps/sweepRunner';
import { defaultThreadsPerTrial, readSweepToResume, startSweepFolder, trialsAtOnce, type PreparedSweep } from '../train/sweeps/sweepStart';
import type { TrialLauncher } from '../train/sweeps/trialLaunchers';
import type { TrainingRunManager } from './runManager';
import { runManagerTrialLauncher } from './trialRuns';

export type ActiveSweepState = 'running' | 'stopping';

export interface ActiveSweep {
  dir: string;
  sweep: ResolvedSweep;
  /** Trials at once. */
  parallel: number;
  state: ActiveSweepState;
  /** Settles when the sweep ends or has stopped (never rejects: a failure is `{ error }`). */
  outcome: Promise<SweepOutcome | { error: string }>;
}

export interface SweepSessionsOptions {
  runs: TrainingRunManager;
  io: RunIo;
  /** Where trials compute, one launcher per sweep (the core's workerLauncher; tests: in-process). */
  createLauncher(threadsPerRun: 1 | 2): TrialLauncher;
  maxConcurrentRuns(): number;
  /** `seqlab.threadsPerRun` when the user set it, else undefined: the command line's rule then decides. */
  threadsPerRun(): number | undefined;
  log(line: string): void;
  now?(): Date;
}

export class SweepSessions {
  private readonly active = new Map<string, ActiveSweep & { requestStop(): void }>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: SweepSessionsOptions) {}

  /** Told when a sweep starts, stops, ends, or one of its trials changes state. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A new sweep folder for the prepared sweep, and its trials started. */
  start(prepared: PreparedSweep): ActiveSweep {
    const dir = startSweepFolder(this.options.io, prepared, this.options.now?.() ?? new Date());
    this.options.log(`sweep ${prepared.sweep.name}: ${prepared.trials.length} trials → ${dir}`);
    return this.run(dir, prepared.sweep, prepared.baseSpecText);
  }

  /** Continue an interrupted sweep folder as it recorded itself (the one running already is returned). */
  resume(dir: string): ActiveSweep {
    const running = this.active.get(dir);
    if (running) return running;
    const recorded = readSweepToResume(dir, this.options.io);
    if ('problem' in recorded) throw new Error(recorded.problem);
    this.options.log(`sweep ${recorded.sweep.name}: resumed ${dir}`);
    return this.run(dir, recorded.sweep, recorded.baseSpecText);
  }

  /** Ask a running sweep to stop; false when this window does not run it. */
  stop(dir: string): boolean {
    const sweep = this.active.get(dir);
    if (!sweep) return false;
    if (sweep.state === 'running') {
      sweep.state = 'stopping';
      sweep.requestStop();
      this.changed();
    }
    return true;
  }

  get(dir: string): ActiveSweep | undefined {
    return this.active.get(dir);
  }

  /** The sweeps running here, by folder. */
  states(): Map<string, ActiveSweepState> {
    return new Map([...this.active].map(([dir, sweep]) => [dir, sweep.state]));
  }

  /** Stop every sweep (the window closes): trials keep their checkpoints, the folders resume later. */
  dispose(): void {
    for (const dir of this.active.keys()) this.stop(dir);
  }

  private run(dir: string, sweep: ResolvedSweep, baseSpecText: string): ActiveSweep {
    const { runs, io } = this.options;
    const parallel = trialsAtOnce(sweep, this.options.maxConcurrentRuns());
    const chosen = this.options.threadsPerRun();
    const threadsPerRun = chosen === undefined ? defaultThreadsPerTrial(parallel) : chosen === 1 ? 1 : 2;
    let requestStop!: () => void;
    const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
    const launcher = runManagerTrialLauncher(runs, this.options.createLauncher(threadsPerRun));
    const outcome = runSweep({
      dir, sweep, baseSpecText, io, launcher, parallel, stopRequested,
      onProgress: (progress) => {
        if (!progress.event) this.changed(); // a trial changed state (state.json rewritten)
      },
    }).then((result): SweepOutcome | { error: string } => {
      this.options.log(`sweep ${sweep.name}: ${result.finished ? 'finished' : 'stopped'} (${dir})`);
      return result;
    }, (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.options.log(`sweep ${sweep.name} failed: ${message}`);
      return { error: message };
    }).finally(() => {
      this.active.delete(dir);
      this.changed();
    });
    const active = { dir, sweep, parallel, state: 'running' as ActiveSweepState, outcome, requestStop };
    this.active.set(dir, active);
    this.changed();
    return active;
  }

  private changed(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.options.log(`a sweep listener failed: ${(error as Error).message}`);
      }
    }
  }
}
