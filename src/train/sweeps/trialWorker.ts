/**
 * The `worker_threads` entry of a sweep trial (bundled to dist/sweepWorker.js): runs one `TrialRequest` and
 * posts the trainer's progress events (not the gate and prediction snapshots, which only panels use) and then
 * `{ type: 'trialResult' }`. 'stop' asks the trainer to stop after the current step, checkpoint kept.
 */
import { parentPort } from 'node:worker_threads';
import { useFastestKernels } from '../../tensor/backend';
import { startKernelThreads } from '../gemmHelperNode';
import { RunControl } from '../runControl';
import type { TrainerEvent } from '../protocol';
import { type TrialRequest, type TrialResult, runTrial } from './trialRun';

export type TrialWorkerCommand = TrialRequest | { type: 'stop' };
export type TrialWorkerMessage = TrainerEvent | { type: 'trialResult'; result: TrialResult };

/** The events a sweep follows (the rest stay in the trial's run folder). */
export const FORWARDED_EVENTS = new Set<TrainerEvent['type']>(['runStarted', 'step', 'epoch', 'log', 'testEvaluation']);

if (parentPort) {
  startKernelThreads(useFastestKernels()); // SEQLAB_THREADS=1 (threadsPerRun 1) keeps one thread
  const port = parentPort;
  const control = new RunControl();
  const post = (message: TrialWorkerMessage) => port.postMessage(message);
  port.on('message', (command: TrialWorkerCommand) => {
    if (command.type === 'stop') {
      control.stop();
      return;
    }
    void runTrial(command, control, (event) => {
      if (FORWARDED_EVENTS.has(event.type)) post(event);
    }).then((result) => post({ type: 'trialResult', result }));
  });
}
