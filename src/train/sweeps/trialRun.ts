/**
 * One trial = one ordinary run (setUpRun + train, as `seqlab train` does) in the trial's run folder, optionally
 * cut at an epoch budget (an ASHA rung): the trainer is asked to stop once that epoch is validated, so the
 * checkpoint sits exactly at the rung and a promotion continues it bit for bit with the spec's own schedule.
 * Runs inside the trial worker (trialWorker.ts) or in-process (tests); never touches the sweep's state. With a
 * `TrialDataCache` it reuses the data the previous trial prepared when both have the same task, data and seed.
 */
import * as path from 'node:path';
import type { RunFinished, TrainerEvent } from '../protocol';
import { nodeRunIo, type RunIo } from '../runIo';
import { RUN_FILES } from '../runFolder';
import { setUpRun } from '../session';
import { train, type TrainerControl } from '../trainer';
import { readSafetensorsFile } from '../weightsFile';
import { type TrialDataCache, dataKey } from './trialData';

export interface TrialRequest {
  type: 'trial';
  /** The base spec's path (relative data paths resolve against its folder) and the trial's spec text. */
  specPath: string;
  specText: string;
  /** The trial's run folder (absolute). A new run needs it absent or empty; `resume` continues its checkpoint. */
  runDir: string;
  resume: boolean;
  /** Stop once this epoch is validated (ASHA rung); absent: train to the spec's epochs. */
  stopAfterEpoch?: number;
}

export interface TrialResult {
  finished: RunFinished;
  /** The run stopped because it reached `stopAfterEpoch` (not because it was asked to stop). */
  budgetReached: boolean;
}

/** Epochs the checkpoint in `runDir` has completed (0 when it has none). */
export function checkpointEpoch(io: RunIo, runDir: string): number {
  const file = path.join(runDir, RUN_FILES.model);
  if (!io.exists(file)) return 0;
  const epoch = Number(readSafetensorsFile(io, file).metadata.epoch);
  return Number.isInteger(epoch) && epoch >= 0 ? epoch : 0;
}

export async function runTrial(
  request: TrialRequest, control: TrainerControl, emit: (event: TrainerEvent) => void, io: RunIo = nodeRunIo, cache?: TrialDataCache,
): Promise<TrialResult> {
  const started = performance.now();
  const budget = request.stopAfterEpoch;
  let epochsDone = request.resume ? checkpointEpoch(io, request.runDir) : 0;
  const budgetReached = () => budget !== undefined && epochsDone >= budget;
  try {
    const key = cache ? dataKey(request.specPath, request.specText) : undefined;
    const prepared = cache?.get(key);
    const setup = setUpRun({
      specPath: request.specPath, specText: request.specText, ...(request.resume ? { resumeFrom: request.runDir } : { outDir: request.runDir }),
      ...(prepared ? { prepared } : {}),
    }, io);
    cache?.keep(key, { data: setup.data, baselines: setup.baselines });
    const finished = await train({
      spec: setup.spec, data: setup.data, io, runDir: setup.runDir, resume: setup.resume, baselines: setup.baselines,
      // The sweep reads the metric at the rung's epoch: it is validated whatever training.validateEvery says.
      ...(budget !== undefined ? { validateAtEpoch: budget } : {}),
      control: { shouldStop: () => control.shouldStop() || budgetReached(), waitIfPaused: () => control.waitIfPaused() },
      emit: (event) => {
        if (event.type === 'epoch') epochsDone = event.epoch;
        emit(event);
      },
    });
    return { finished, budgetReached: finished.status === 'stopped' && budgetReached() && !control.shouldStop() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const finished: RunFinished = {
      type: 'runFinished', status: 'failed', message, epochs: epochsDone, steps: 0, bestValidationLoss: NaN, bestEpoch: 0,
      finalMetrics: {}, seconds: (performance.now() - started) / 1000, runDir: request.runDir,
    };
    emit(finished);
    return { finished, budgetReached: false };
  }
}
