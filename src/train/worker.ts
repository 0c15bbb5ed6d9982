/**
 * The `worker_threads` entry (bundled to dist/worker.js): receives `WorkerCommand`s, runs the trainer, posts
 * `TrainerEvent`s. Gate arrays travel as transferable buffers (moved, not copied). Any exception becomes a log
 * event plus `runFinished{status:'failed'}`, so the host never waits on a dead run.
 */
import { parentPort } from 'node:worker_threads';
import { useFastestKernels } from '../tensor/backend';
import { startKernelThreads } from './gemmHelperNode';
import type { RolloutAnswer, RolloutCommand, RunFinished, StartTraining, TrainerEvent, WorkerCommand } from './protocol';
import { nodeRunIo } from './runIo';
import { RunControl } from './runControl';
import { setUpRun } from './session';
import { train } from './trainer';
import { runOutcomeSentence } from './runOutcome';
import { withRunDataSummary } from './dataSummaryEvent';
import { rolloutOfRun } from './rolloutRun';

export function transferablesOf(event: TrainerEvent): ArrayBuffer[] {
  if (event.type !== 'gates') return [];
  return Object.values(event.gates).map((values) => values.buffer as ArrayBuffer);
}

export async function runTrainingCommand(command: StartTraining, control: RunControl, post: (event: TrainerEvent) => void): Promise<RunFinished> {
  const started = performance.now();
  let runDir = command.outDir ?? '';
  try {
    const setup = setUpRun({
      specPath: command.specPath, specText: command.specText, outDir: command.outDir, resumeFrom: command.resumeFrom, initWeights: command.initWeights,
    }, nodeRunIo);
    runDir = setup.runDir;
    for (const w of setup.warnings) post({ type: 'log', level: 'warning', message: `${command.specPath}:${w.range.start.line + 1}:${w.range.start.character + 1} ${w.message}` });
    try {
      return await train({
        spec: setup.spec, data: setup.data, io: nodeRunIo, runDir: setup.runDir, emit: withRunDataSummary(post, setup, nodeRunIo), control,
        overrides: command.overrides, initWeights: command.initWeights, resume: setup.resume, baselines: setup.baselines,
      });
    } finally {
      setup.data.close?.(); // workers share the extension host's file descriptors: a cache file must not stay open
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    post({ type: 'log', level: 'error', message });
    const failed: RunFinished = {
      type: 'runFinished', status: 'failed', epochs: 0, steps: 0, bestValidationLoss: NaN, bestEpoch: 0,
      message: runOutcomeSentence({ status: 'failed', epochs: 0, steps: 0, stepsPerEpoch: 0, bestValidationLoss: NaN, bestEpoch: 0, reason: message }),
      finalMetrics: {}, seconds: (performance.now() - started) / 1000, runDir,
    };
    post(failed);
    return failed;
  }
}

/** A rollout of a run's weights, or why there is none, in words (a spec or data error says its file). */
export function runRolloutCommand(command: RolloutCommand): RolloutAnswer {
  try {
    return { type: 'rollout', rollout: rolloutOfRun(command, nodeRunIo) };
  } catch (error) {
    return { type: 'rolloutRefused', reason: error instanceof Error ? error.message : String(error) };
  }
}

if (parentPort) {
  // A second thread for large GEMMs on ≥ 2 cores (SEQLAB_THREADS=1 keeps one).
  startKernelThreads(useFastestKernels());
  const port = parentPort;
  const control = new RunControl();
  let running = false;
  const post = (event: TrainerEvent) => port.postMessage(event, transferablesOf(event));
  port.on('message', (command: WorkerCommand) => {
    switch (command.type) {
      case 'start':
        if (running) {
          post({ type: 'log', level: 'warning', message: 'a run is already in progress in this worker; start ignored' });
          return;
        }
        running = true;
        void runTrainingCommand(command, control, post).finally(() => {
          running = false;
        });
        return;
      case 'rollout':
        port.postMessage(runRolloutCommand(command));
        return;
      case 'stop':
        control.stop();
        return;
      case 'pause':
        control.pause();
        return;
      case 'resume':
        control.resume();
        return;
    }
  });
}
