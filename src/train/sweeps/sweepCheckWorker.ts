/**
 * The `worker_threads` entry of the editor's pre-start sweep check (bundled to dist/sweepCheckWorker.js): one
 * `checkSweep` request, answered by `prepareSweep` — the very check `seqlab sweep` makes, every data set loaded
 * here, off the extension host — with progress after each trial. The worker ends after its answer; the host ends
 * it sooner to cancel (the check writes nothing but atomically renamed cache folders).
 */
import { parentPort } from 'node:worker_threads';
import { useFastestKernels } from '../../tensor/backend';
import { type RunIo, nodeRunIo } from '../runIo';
import type { SweepCheckMessage, SweepCheckRequest } from './sweepCheckProtocol';
import { prepareSweep } from './sweepStart';

/** Answer one request: progress per trial, then the preparation (or why the check itself broke). */
export function answerSweepCheck(request: SweepCheckRequest, post: (message: SweepCheckMessage) => void, io: RunIo = nodeRunIo): void {
  // A spec open in the editor counts as edited; any other is read from the disk.
  const readSpec = (absolutePath: string) => {
    if (Object.hasOwn(request.openSpecs, absolutePath)) return request.openSpecs[absolutePath];
    try {
      return io.readTextFile(absolutePath);
    } catch {
      return undefined;
    }
  };
  try {
    const preparation = prepareSweep(request.sweepText, request.sweepPath, readSpec, io, (checked, total) => post({ type: 'sweepCheckProgress', checked, total }));
    post({ type: 'sweepChecked', preparation });
  } catch (error) {
    post({ type: 'sweepCheckFailed', message: error instanceof Error ? error.message : String(error) });
  }
}

if (parentPort) {
  // The memory check fits the kernels the trials will train with (as `seqlab sweep`, which selects them first).
  useFastestKernels();
  const port = parentPort;
  // One request: with no listener left the worker ends once its answer is out (the host may end it first).
  port.once('message', (request: SweepCheckRequest) => answerSweepCheck(request, (message) => port.postMessage(message)));
}
