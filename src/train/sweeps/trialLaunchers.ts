/**
 * Where trials compute: one `worker_threads` Worker each (the CLI; N at once on N cores), or in this thread
 * (tests: the same `runTrial`, one after another between awaits). A worker dies with the process that owns it,
 * so a killed sweep leaves no trial training behind — what resume relies on.
 */
import { Worker } from 'node:worker_threads';
import type { RunFinished, TrainerEvent } from '../protocol';
import { RunControl } from '../runControl';
import type { RunIo } from '../runIo';
import { type TrialRequest, type TrialResult, runTrial } from './trialRun';
import type { TrialWorkerCommand, TrialWorkerMessage } from './trialWorker';

export interface LaunchedTrial {
  result: Promise<TrialResult>;
  /** Ask the trial to stop after its current step (its checkpoint kept). */
  stop(): void;
}

export interface TrialLauncher {
  launch(request: TrialRequest, onEvent: (event: TrainerEvent) => void): LaunchedTrial;
}

/** Each trial in its own Worker running `workerScript` (dist/sweepWorker.js); threadsPerRun 1 sets SEQLAB_THREADS=1. */
export function workerLauncher(workerScript: string, threadsPerRun?: 1 | 2): TrialLauncher {
  return {
    launch(request, onEvent) {
      const env = threadsPerRun ? { ...process.env, SEQLAB_THREADS: String(threadsPerRun) } : process.env;
      const worker = new Worker(workerScript, { env });
      let settled = false;
      const result = new Promise<TrialResult>((resolve) => {
        const fail = (message: string) => {
          if (settled) return;
          settled = true;
          const finished: RunFinished = {
            type: 'runFinished', status: 'failed', message, epochs: 0, steps: 0, bestValidationLoss: NaN, bestEpoch: 0, finalMetrics: {}, seconds: 0, runDir: request.runDir,
          };
          resolve({ finished, budgetReached: false });
        };
        worker.on('message', (message: TrialWorkerMessage) => {
          if (message.type === 'trialResult') {
            settled = true;
            resolve(message.result);
            void worker.terminate();
          } else {
            onEvent(message);
          }
        });
        worker.on('error', (error) => fail(`the trial's worker crashed: ${error.message}`));
        worker.on('exit', (code) => fail(`the trial's worker exited (code ${code}) before the run finished`));
      });
      worker.postMessage(request satisfies TrialWorkerCommand);
      return { result, stop: () => worker.postMessage({ type: 'stop' } satisfies TrialWorkerCommand) };
    },
  };
}

/** Trials in this thread (deterministic tests; no parallelism). */
export function inProcessLauncher(io?: RunIo): TrialLauncher {
  return {
    launch(request, onEvent) {
      const control = new RunControl();
      return { result: runTrial(request, control, onEvent, io), stop: () => control.stop() };
    },
  };
}
