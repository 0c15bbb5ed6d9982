/**
 * Rollouts for the predictions panel, each in a `worker_threads` Worker of its own (dist/worker.js, one thread):
 * loading the data and the weights can take a moment, and the extension host must stay responsive. Only the
 * latest request matters to the panel, so a new one ends the one still running. No `vscode` import.
 */
import { Worker } from 'node:worker_threads';
import type { RolloutAnswer, RolloutCommand } from '../train/protocol';
import type { WorkerLike } from './runManager';

/** A rollout that has not answered in this long is given up (a hang guard, not a measure of speed). */
const ROLLOUT_TIMEOUT_MS = 5 * 60_000;

export class RolloutService {
  private current: { worker: WorkerLike; settle: (answer: RolloutAnswer) => void } | undefined;

  constructor(
    private readonly workerScriptPath: string,
    private readonly createWorker: (scriptPath: string, env: NodeJS.ProcessEnv) => WorkerLike = (path, env) => new Worker(path, { env }),
  ) {}

  /** The rollout, or why there is none; a request replaced by a newer one answers that it was replaced. */
  request(command: RolloutCommand): Promise<RolloutAnswer> {
    this.cancel('a newer rollout was requested');
    return new Promise<RolloutAnswer>((resolve) => {
      const worker = this.createWorker(this.workerScriptPath, { ...process.env, SEQLAB_THREADS: '1' });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const entry = {
        worker,
        settle: (answer: RolloutAnswer) => {
          if (this.current !== entry) return;
          this.current = undefined;
          clearTimeout(timer);
          void worker.terminate();
          resolve(answer);
        },
      };
      this.current = entry;
      timer = setTimeout(() => entry.settle({ type: 'rolloutRefused', reason: 'the rollout did not finish in 5 minutes' }), ROLLOUT_TIMEOUT_MS);
      worker.on('message', (message) => {
        const answer = message as RolloutAnswer;
        if (answer?.type === 'rollout' || answer?.type === 'rolloutRefused') entry.settle(answer);
      });
      worker.on('error', (error) => entry.settle({ type: 'rolloutRefused', reason: `the rollout failed: ${error.message}` }));
      worker.on('exit', (code) => entry.settle({ type: 'rolloutRefused', reason: `the rollout's worker stopped (exit code ${code})` }));
      worker.postMessage(command);
    });
  }

  cancel(reason: string): void {
    this.current?.settle({ type: 'rolloutRefused', reason });
  }
}
