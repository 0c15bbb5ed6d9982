/**
 * Where trials compute: a pool of `worker_threads` Workers (the CLI; N at once on N cores), or in this thread
 * (tests: the same `runTrial`, one after another between awaits). A pool worker is kept from one trial to the
 * next, so a trial costs its training, not a new thread's start, warm-up and data loading again. A worker dies
 * with the process that owns it, so a killed sweep leaves no trial training behind — what resume relies on.
 */
import { Worker } from 'node:worker_threads';
import type { RunFinished, TrainerEvent } from '../protocol';
import { RunControl } from '../runControl';
import type { RunIo } from '../runIo';
import { TrialDataCache, dataKey } from './trialData';
import { type TrialRequest, type TrialResult, runTrial } from './trialRun';
import type { TrialWorkerCommand, TrialWorkerMessage } from './trialWorker';

export interface LaunchedTrial {
  result: Promise<TrialResult>;
  /** Ask the trial to stop after its current step (its checkpoint kept). */
  stop(): void;
}

export interface TrialLauncher {
  launch(request: TrialRequest, onEvent: (event: TrainerEvent) => void): LaunchedTrial;
  /** Release what idle trials keep (pool workers, prepared data); `runSweep` calls it when it returns. Launching again is allowed. */
  close?(): Promise<void>;
}

interface PoolWorker {
  worker: Worker;
  /** The data key of the last trial it ran: its kept data, which a trial with the same key reuses. */
  dataKey?: string;
  /** The trial it runs now. */
  active?: { launch: number; onEvent(event: TrainerEvent): void; settle(result: TrialResult): void; fail(message: string): void };
  exited: Promise<void>;
}

/**
 * Trials in a pool of Workers running `workerScript` (dist/sweepWorker.js); threadsPerRun 1 sets SEQLAB_THREADS=1.
 * A trial goes to an idle worker (one holding its data first), else to a new one: `runSweep` never has more than
 * `parallel` trials at once, so the pool never grows past that. Idle workers do not keep the process alive.
 */
export function workerLauncher(workerScript: string, threadsPerRun?: 1 | 2): TrialLauncher {
  const pool: PoolWorker[] = [];
  let launches = 0;

  function spawn(): PoolWorker {
    const env = threadsPerRun ? { ...process.env, SEQLAB_THREADS: String(threadsPerRun) } : process.env;
    const worker = new Worker(workerScript, { env });
    let exited!: () => void;
    const member: PoolWorker = { worker, exited: new Promise((resolve) => (exited = resolve)) };
    const leave = (message: string) => {
      const index = pool.indexOf(member);
      if (index >= 0) pool.splice(index, 1);
      member.active?.fail(message);
    };
    worker.on('message', (message: TrialWorkerMessage) => {
      const active = member.active;
      if (!active) return;
      if (message.type === 'trialResult') {
        if (message.launch !== active.launch) return;
        member.active = undefined;
        worker.unref();
        active.settle(message.result);
      } else {
        active.onEvent(message);
      }
    });
    worker.on('error', (error) => {
      leave(`the trial's worker crashed: ${error.message}`);
      void worker.terminate();
    });
    worker.on('exit', (code) => {
      leave(`the trial's worker exited (code ${code}) before the run finished`);
      exited();
    });
    pool.push(member);
    return member;
  }

  return {
    launch(request, onEvent) {
      const key = dataKey(request.specPath, request.specText);
      const idle = pool.filter((w) => !w.active);
      const member = idle.find((w) => key !== undefined && w.dataKey === key) ?? idle[0] ?? spawn();
      const launch = ++launches;
      member.dataKey = key;
      member.worker.ref();
      const result = new Promise<TrialResult>((resolve) => {
        let settled = false;
        const settle = (r: TrialResult) => {
          if (settled) return;
          settled = true;
          resolve(r);
        };
        const fail = (message: string) => {
          const finished: RunFinished = {
            type: 'runFinished', status: 'failed', message, epochs: 0, steps: 0, bestValidationLoss: NaN, bestEpoch: 0, finalMetrics: {}, seconds: 0, runDir: request.runDir,
          };
          settle({ finished, budgetReached: false });
        };
        member.active = { launch, onEvent, settle, fail };
      });
      member.worker.postMessage({ type: 'run', launch, request } satisfies TrialWorkerCommand);
      return { result, stop: () => member.worker.postMessage({ type: 'stop', launch } satisfies TrialWorkerCommand) };
    },
    async close() {
      const idle = pool.filter((w) => !w.active);
      for (const w of idle) {
        w.worker.ref(); // an unref'd worker would let the process end while this waits for it
        w.worker.postMessage({ type: 'close' } satisfies TrialWorkerCommand);
      }
      await Promise.all(idle.map((w) => w.exited));
    },
  };
}

/**
 * Trials in this thread (deterministic tests). Trials at once interleave between awaits, so each holds a data
 * cache of its own while it runs, as each pool worker does: a batch's buffers belong to one run at a time.
 */
export function inProcessLauncher(io?: RunIo): TrialLauncher {
  const lanes: { cache: TrialDataCache; busy: boolean }[] = [];
  return {
    launch(request, onEvent) {
      const key = dataKey(request.specPath, request.specText);
      const free = lanes.filter((l) => !l.busy);
      const lane = free.find((l) => l.cache.get(key)) ?? free[0] ?? { cache: new TrialDataCache(), busy: false };
      if (!lanes.includes(lane)) lanes.push(lane);
      lane.busy = true;
      const control = new RunControl();
      const result = runTrial(request, control, onEvent, io, lane.cache).finally(() => (lane.busy = false));
      return { result, stop: () => control.stop() };
    },
    async close() {
      for (const lane of lanes.filter((l) => !l.busy)) lane.cache.clear();
    },
  };
}
