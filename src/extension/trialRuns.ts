/**
 * Sweep trials as runs of the extension host's run manager: the core's sweep runner asks a `TrialLauncher` for
 * each trial, and this one queues the trial in the run manager (so `seqlab.maxConcurrentRuns` counts trials and
 * ordinary runs together, Stop and the status bar work on them, and their events reach the Runs view, the runs
 * table and the dashboard), where it computes through the core's own launcher (`workerLauncher`: a worker
 * thread). No `vscode` import: unit tested with the core's in-process launcher.
 */
import type { RunFinished, StartTraining, TrainerEvent, WorkerCommand } from '../train/protocol';
import type { LaunchedTrial, TrialLauncher } from '../train/sweeps/trialLaunchers';
import type { TrialRequest, TrialResult } from '../train/sweeps/trialRun';
import type { TrainingRun, TrainingRunManager, WorkerLike } from './runManager';

/** `onRun`: told of each trial's run (the sweep session knows which of the manager's runs are its trials). */
export function runManagerTrialLauncher(runs: TrainingRunManager, inner: TrialLauncher, onRun?: (run: TrainingRun, request: TrialRequest) => void): TrialLauncher {
  return {
    launch(request, onEvent): LaunchedTrial {
      const command: StartTraining = {
        type: 'start', specPath: request.specPath, specText: request.specText, ...(request.resume ? { resumeFrom: request.runDir } : { outDir: request.runDir }),
      };
      let innerResult: TrialResult | undefined;
      let resolveResult!: (result: TrialResult) => void;
      const result = new Promise<TrialResult>((resolve) => (resolveResult = resolve));
      // Subscribed before the start: a trial may report its first events while it is being started.
      const subscription = runs.onEvent((run, event) => {
        if (run.command !== command) return;
        if (event.type !== 'runFinished') {
          onEvent(event);
          return;
        }
        subscription.dispose();
        // The trial's own result carries whether it stopped at its rung's budget; a run the manager ended itself
        // (stopped while queued, a worker that did not stop in time) did not reach it.
        resolveResult(innerResult?.finished === event ? innerResult : { finished: event, budgetReached: false });
      });
      const run = runs.start(command, () => trialWorker(inner, request, (kept) => (innerResult = kept)));
      onRun?.(run, request);
      return { result, stop: () => runs.stop(run.id) };
    },
    // The inner launcher's idle workers and the data they keep, released when the sweep returns.
    ...(inner.close ? { close: () => inner.close!() } : {}),
  };
}

type Listener = (value: never) => void;

/**
 * The run manager's view of one trial: `start` launches it through the core's launcher, `stop` stops it (its
 * checkpoint kept), trainer events pass through, and the trial's result ends the run. Pause is not offered.
 */
function trialWorker(inner: TrialLauncher, request: TrialRequest, keepResult: (result: TrialResult) => void): WorkerLike {
  const listeners: Record<'message' | 'error' | 'exit', Listener[]> = { message: [], error: [], exit: [] };
  const emit = (message: TrainerEvent) => {
    for (const listener of listeners.message) (listener as (m: unknown) => void)(message);
  };
  let launched: LaunchedTrial | undefined;
  let settled = false;
  const worker: WorkerLike = {
    postMessage(command: WorkerCommand) {
      switch (command.type) {
        case 'start':
          // runFinished comes from the result alone (it says whether the rung's budget was reached).
          launched = inner.launch(request, (event) => {
            if (event.type !== 'runFinished') emit(event);
          });
          launched.result.then((result) => {
            settled = true;
            keepResult(result);
            emit(result.finished satisfies RunFinished);
          }, (error: unknown) => {
            settled = true;
            for (const listener of listeners.error) (listener as (e: Error) => void)(error instanceof Error ? error : new Error(String(error)));
          });
          break;
        case 'stop':
          launched?.stop();
          break;
        case 'pause':
        case 'resume':
          emit({ type: 'log', level: 'warning', message: 'A sweep trial cannot pause: Stop Sweep stops it with its checkpoint kept, and Resume Sweep continues it.' });
          break;
        default:
          break;
      }
    },
    on(event: 'message' | 'error' | 'exit', listener: Listener) {
      listeners[event].push(listener);
      return worker;
    },
    terminate() {
      if (!settled) launched?.stop();
      return Promise.resolve(0);
    },
  } as WorkerLike;
  return worker;
}
