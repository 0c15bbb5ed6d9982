/**
 * Run Sweep's check before anything starts, off the extension host: a Worker of its own (dist/sweepCheckWorker.js)
 * gets the sweep file's text and the open specs' texts, loads every data set and validates every trial as
 * `seqlab sweep` does (src/train/sweeps/sweepStart.ts), and answers with the located problems or the trial plan.
 * The host only posts and listens, so the editor stays responsive whatever the data's size. No `vscode` import.
 */
import { Worker } from 'node:worker_threads';
import type { SweepCheckMessage, SweepCheckRequest } from '../train/protocol';
import type { SweepPreparation } from '../train/sweeps/sweepStart';
import type { WorkerLike } from './runManager';

/** What the host needs of a worker (tests may pass their own). */
export type SweepCheckWorker = WorkerLike<SweepCheckRequest, SweepCheckMessage>;

export interface SweepCheckOptions {
  /** dist/sweepCheckWorker.js, or a factory (tests). */
  worker: string | (() => SweepCheckWorker);
  /** The worker's environment (`seqlab.dataCacheThresholdMB` as the trials get it). */
  env?: NodeJS.ProcessEnv;
  onProgress?(checked: number, total: number): void;
  /** Ends the check: the worker is stopped and the answer is `undefined`. */
  cancel?: AbortSignal;
}

/** The sweep's preparation as the worker found it; `undefined` when cancelled. Rejects when the check itself broke. */
export function checkSweepInWorker(request: Omit<SweepCheckRequest, 'type'>, options: SweepCheckOptions): Promise<SweepPreparation | undefined> {
  if (options.cancel?.aborted) return Promise.resolve(undefined);
  const worker = typeof options.worker === 'string' ? new Worker(options.worker, { env: options.env ?? process.env }) : options.worker();
  return new Promise<SweepPreparation | undefined>((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      options.cancel?.removeEventListener('abort', onAbort);
      void worker.terminate();
      finish();
    };
    const onAbort = () => settle(() => resolve(undefined));
    options.cancel?.addEventListener('abort', onAbort);
    worker.on('message', (message) => {
      if (message.type === 'sweepCheckProgress') options.onProgress?.(message.checked, message.total);
      else if (message.type === 'sweepChecked') settle(() => resolve(message.preparation));
      else settle(() => reject(new Error(`the sweep check failed: ${message.message}`)));
    });
    worker.on('error', (error) => settle(() => reject(new Error(`the sweep check's worker crashed: ${error.message}`))));
    worker.on('exit', (code) => settle(() => reject(new Error(`the sweep check's worker exited (code ${code}) before it answered`))));
    worker.postMessage({ type: 'checkSweep', ...request });
  });
}
