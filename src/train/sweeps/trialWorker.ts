/**
 * The `worker_threads` entry of sweep trials (bundled to dist/sweepWorker.js). A worker of the pool
 * (trialLaunchers.ts) runs one trial at a time, as many trials as the sweep gives it: each `run` posts the
 * trainer's progress events (not the gate and prediction snapshots, which only panels use) and then
 * `{ type: 'trialResult' }`. It keeps the data the last trial prepared for the next one with the same data
 * (trialData.ts). 'stop' asks that launch's trainer to stop after the current step, checkpoint kept; 'close'
 * releases the kept data (its open files belong to the whole process) and lets the worker end.
 */
import { parentPort } from 'node:worker_threads';
import { useFastestKernels } from '../../tensor/backend';
import { startKernelThreads } from '../gemmHelperNode';
import { RunControl } from '../runControl';
import { nodeRunIo } from '../runIo';
import type { TrainerEvent } from '../protocol';
import { TrialDataCache } from './trialData';
import { type TrialRequest, type TrialResult, runTrial } from './trialRun';

/** `launch` numbers the pool's requests, so a late 'stop' never reaches the worker's next trial. */
export type TrialWorkerCommand = { type: 'run'; launch: number; request: TrialRequest } | { type: 'stop'; launch: number } | { type: 'close' };
export type TrialWorkerMessage = TrainerEvent | { type: 'trialResult'; launch: number; result: TrialResult };

/** The events a sweep follows (the rest stay in the trial's run folder). */
export const FORWARDED_EVENTS = new Set<TrainerEvent['type']>(['runStarted', 'step', 'epoch', 'log', 'testEvaluation']);

if (parentPort) {
  startKernelThreads(useFastestKernels()); // SEQLAB_THREADS=1 (threadsPerRun 1) keeps one thread
  const port = parentPort;
  const cache = new TrialDataCache();
  let current: { launch: number; control: RunControl } | undefined;
  const post = (message: TrialWorkerMessage) => port.postMessage(message);
  port.on('message', (command: TrialWorkerCommand) => {
    if (command.type === 'stop') {
      if (current?.launch === command.launch) current.control.stop();
    } else if (command.type === 'close') {
      cache.clear();
      port.close(); // nothing else keeps the worker alive: it ends
    } else {
      const control = new RunControl();
      current = { launch: command.launch, control };
      void runTrial(command.request, control, (event) => {
        if (FORWARDED_EVENTS.has(event.type)) post(event);
      }, nodeRunIo, cache).then((result) => {
        current = undefined;
        post({ type: 'trialResult', launch: command.launch, result });
      });
    }
  });
}
