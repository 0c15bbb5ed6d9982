/**
 * Training runs on the extension host side: one `worker_threads` Worker per run, a queue when more runs are
 * requested than may train at once, stop/pause/resume, crash handling, and the event history of every run (kept
 * so that a panel opened or reloaded later can replay it). No `vscode` import: this module is unit tested in Node
 * with a fake worker script.
 */
import { Worker } from 'node:worker_threads';
import type { RunFinished, StartTraining, StepProgress, TrainerEvent, WorkerCommand } from '../train/protocol';

export type RunState = 'queued' | 'running' | 'paused' | 'stopping' | 'finished';

/** What the host needs from a worker; a real `Worker` satisfies it, tests may pass a fake. */
/** A worker's environment with `seqlab.dataCacheThresholdMB` when set: data above it goes through the disk cache. */
export function withDataCacheThreshold(env: NodeJS.ProcessEnv, thresholdMB: number | null | undefined): NodeJS.ProcessEnv {
  return typeof thresholdMB === 'number' && thresholdMB >= 0 ? { ...env, SEQLAB_CACHE_THRESHOLD_MB: String(thresholdMB) } : env;
}

/** What the host needs of a worker thread or process (tests pass their own); typed by what it is sent and sends. */
export interface WorkerLike<Command = WorkerCommand, Message = unknown> {
  postMessage(message: Command): void;
  on(event: 'message', listener: (message: Message) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (exitCode: number) => void): unknown;
  terminate(): Promise<number>;
}

export interface TrainingRun {
  /** Host-side id (`run-1`, `run-2`, …), known before the worker starts. */
  readonly id: string;
  readonly command: StartTraining;
  state: RunState;
  /** Every event in arrival order, except that old gate snapshots are thinned (see `MAX_GATE_SNAPSHOTS_KEPT`). */
  readonly events: TrainerEvent[];
  runDir?: string;
  specName?: string;
  latestStep?: StepProgress;
  finished?: RunFinished;
  worker?: WorkerLike;
}

export interface RunManagerOptions {
  workerScriptPath: string;
  /** Read on every scheduling decision, so a settings change applies to the next queued run. */
  maxConcurrentRuns: () => number;
  /** 1: each run computes on one thread (SEQLAB_THREADS=1 in its worker); read when the run starts. */
  threadsPerRun?: () => number;
  /** `seqlab.dataCacheThresholdMB`: data files from this size up go through the disk cache (null: the worker's default). */
  dataCacheThresholdMB?: () => number | null | undefined;
  log: (line: string) => void;
  /** `command`: the run's start command (a PyTorch run gets a process instead of a worker thread). */
  createWorker?: (scriptPath: string, env: NodeJS.ProcessEnv, command: StartTraining) => WorkerLike;
  /** How long a worker may take to acknowledge `stop` before it is terminated. */
  stopTimeoutMs?: number;
}

export type RunListener = (run: TrainingRun, event: TrainerEvent) => void;

// Gate snapshots carry [T,H] arrays per gate; a long run sends one per epoch. Keeping the newest few in full is
// enough for the panel (it shows the latest and plots saturation over time, which older snapshots keep).
const MAX_GATE_SNAPSHOTS_KEPT = 20;

const TRAINER_EVENT_TYPES = new Set<TrainerEvent['type']>([
  'runStarted', 'step', 'epoch', 'gates', 'gradFlow', 'predictions', 'testEvaluation', 'dataSummary', 'runFinished', 'log',
]);

function isTrainerEvent(value: unknown): value is TrainerEvent {
  return typeof value === 'object' && value !== null && TRAINER_EVENT_TYPES.has((value as { type: TrainerEvent['type'] }).type);
}

function failedEvent(message: string, run: TrainingRun): RunFinished {
  const lastStep = run.latestStep;
  return {
    type: 'runFinished',
    status: 'failed',
    message,
    epochs: lastStep?.epoch ?? 0,
    steps: lastStep?.step ?? 0,
    bestValidationLoss: Number.NaN,
    bestEpoch: -1,
    finalMetrics: {},
    seconds: 0,
    runDir: run.runDir ?? '',
  };
}

export class TrainingRunManager {
  private readonly runsById = new Map<string, TrainingRun>();
  private readonly listeners = new Set<RunListener>();
  private readonly stopTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Runs whose "worker" is made by their starter (a sweep trial through the core's trial launcher). */
  private readonly workerFactories = new Map<string, (env: NodeJS.ProcessEnv) => WorkerLike>();
  private nextRunNumber = 1;

  constructor(private readonly options: RunManagerOptions) {}

  onEvent(listener: RunListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  runs(): TrainingRun[] {
    return [...this.runsById.values()];
  }

  get(id: string): TrainingRun | undefined {
    return this.runsById.get(id);
  }

  /** Runs that are training or waiting to (not finished), newest first. */
  activeRuns(): TrainingRun[] {
    return this.runs().filter((run) => run.state !== 'finished').reverse();
  }

  /**
   * Queues a run and starts it at once when a slot is free. `createWorker` replaces the training worker for this
   * run (a sweep trial): it shares the slots, the events and stop like any run.
   */
  start(command: StartTraining, createWorker?: (env: NodeJS.ProcessEnv) => WorkerLike): TrainingRun {
    const run: TrainingRun = { id: `run-${this.nextRunNumber++}`, command, state: 'queued', events: [] };
    this.runsById.set(run.id, run);
    if (createWorker) this.workerFactories.set(run.id, createWorker);
    this.options.log(`[${run.id}] queued ${command.specPath}`);
    this.schedule();
    if (run.state === 'queued') {
      this.record(run, { type: 'log', level: 'info', message: `Waiting for a free slot (at most ${this.options.maxConcurrentRuns()} runs train at once).` });
    }
    return run;
  }

  stop(id: string): void {
    const run = this.runsById.get(id);
    if (!run || run.state === 'finished') return;
    if (run.state === 'queued') {
      this.finish(run, { ...failedEvent('Stopped before it started.', run), status: 'stopped' });
      return;
    }
    run.state = 'stopping';
    run.worker?.postMessage({ type: 'stop' });
    // A worker stuck inside a long step (or hung) must not keep the slot: terminate it after a grace period.
    const timer = setTimeout(() => {
      if (run.state === 'finished') return;
      this.options.log(`[${run.id}] worker did not stop in time; terminating it`);
      this.finish(run, { ...failedEvent('Stopped (the worker was terminated).', run), status: 'stopped' });
    }, this.options.stopTimeoutMs ?? 10_000);
    this.stopTimers.set(run.id, timer);
  }

  pause(id: string): void {
    const run = this.runsById.get(id);
    if (run?.state !== 'running') return;
    run.worker?.postMessage({ type: 'pause' });
    run.state = 'paused';
    this.emitStateLog(run, 'Paused.');
  }

  resume(id: string): void {
    const run = this.runsById.get(id);
    if (run?.state !== 'paused') return;
    run.worker?.postMessage({ type: 'resume' });
    run.state = 'running';
    this.emitStateLog(run, 'Resumed.');
  }

  togglePause(id: string): void {
    const run = this.runsById.get(id);
    if (run?.state === 'paused') this.resume(id);
    else this.pause(id);
  }

  /** Terminates every worker (extension deactivation). */
  dispose(): void {
    for (const run of this.runsById.values()) {
      if (run.state !== 'finished') void run.worker?.terminate();
    }
    for (const timer of this.stopTimers.values()) clearTimeout(timer);
    this.listeners.clear();
  }

  private schedule(): void {
    const limit = Math.max(1, Math.floor(this.options.maxConcurrentRuns()));
    let busy = this.runs().filter((run) => run.state === 'running' || run.state === 'paused' || run.state === 'stopping').length;
    for (const run of this.runs()) {
      if (busy >= limit) break;
      if (run.state !== 'queued') continue;
      this.launch(run);
      busy++;
    }
  }

  private launch(run: TrainingRun): void {
    const createWorker = this.options.createWorker ?? ((path: string, env: NodeJS.ProcessEnv) => new Worker(path, { env }));
    // 1 leaves a core free; otherwise the worker decides (a helper thread where the machine has a second core).
    let env = this.options.threadsPerRun?.() === 1 ? { ...process.env, SEQLAB_THREADS: '1' } : process.env;
    env = withDataCacheThreshold(env, this.options.dataCacheThresholdMB?.());
    let worker: WorkerLike;
    try {
      const own = this.workerFactories.get(run.id);
      worker = own ? own(env) : createWorker(this.options.workerScriptPath, env, run.command);
    } catch (error) {
      this.finish(run, failedEvent(`Could not start the training worker: ${(error as Error).message}`, run));
      return;
    }
    run.worker = worker;
    run.state = 'running';
    this.options.log(`[${run.id}] started worker for ${run.command.specPath}`);
    worker.on('message', (message) => {
      if (!isTrainerEvent(message)) {
        this.options.log(`[${run.id}] ignored a malformed worker message`);
        return;
      }
      if (message.type === 'runFinished') this.finish(run, message, { fromWorker: true });
      else this.record(run, message);
    });
    worker.on('error', (error) => {
      if (run.state === 'finished') return;
      this.options.log(`[${run.id}] worker crashed: ${error.stack ?? error.message}`);
      this.finish(run, failedEvent(`The training worker crashed: ${error.message}`, run));
    });
    worker.on('exit', (exitCode) => {
      if (run.state === 'finished') return;
      this.finish(run, failedEvent(`The training worker exited unexpectedly (exit code ${exitCode}) before the run finished.`, run));
    });
    worker.postMessage(run.command);
  }

  private emitStateLog(run: TrainingRun, message: string): void {
    this.record(run, { type: 'log', level: 'info', message });
  }

  private record(run: TrainingRun, event: TrainerEvent): void {
    run.events.push(event);
    if (event.type === 'runStarted') {
      run.runDir = event.runDir;
      run.specName = event.specName;
    } else if (event.type === 'step') {
      run.latestStep = event;
    } else if (event.type === 'gates') {
      this.thinGateSnapshots(run);
    } else if (event.type === 'log') {
      this.options.log(`[${run.id}] ${event.level}: ${event.message}`);
    }
    for (const listener of this.listeners) {
      try {
        listener(run, event);
      } catch (error) {
        this.options.log(`[${run.id}] listener failed: ${(error as Error).message}`);
      }
    }
  }

  /** Replaces the arrays of old gate snapshots with empty ones; their saturation figures stay for the chart. */
  private thinGateSnapshots(run: TrainingRun): void {
    let seen = 0;
    for (let index = run.events.length - 1; index >= 0; index--) {
      const event = run.events[index];
      if (event.type !== 'gates') continue;
      seen++;
      if (seen > MAX_GATE_SNAPSHOTS_KEPT) {
        if (Object.keys(event.gates).length === 0) break;
        run.events[index] = { ...event, gates: {}, steps: 0, timeLabels: [] };
      }
    }
  }

  /** Ends a run exactly once: marks it finished, records the final event, frees the slot, starts the next. */
  private finish(run: TrainingRun, final: RunFinished, { fromWorker = false } = {}): void {
    if (run.state === 'finished') return;
    const timer = this.stopTimers.get(run.id);
    if (timer) clearTimeout(timer);
    this.stopTimers.delete(run.id);
    this.workerFactories.delete(run.id);
    // Finished before the listeners hear of it, so the status bar and panels read the final state.
    run.state = 'finished';
    run.finished = final;
    if (!fromWorker) this.record(run, { type: 'log', level: final.status === 'failed' ? 'error' : 'info', message: final.message });
    this.record(run, final);
    this.options.log(`[${run.id}] finished: ${final.status}${final.message ? ` — ${final.message}` : ''}`);
    const worker = run.worker;
    run.worker = undefined;
    // The worker normally exits by itself after runFinished; terminate makes sure no thread lingers.
    if (worker) void worker.terminate().catch(() => undefined);
    this.schedule();
  }
}
