/**
 * A rollout of a run folder's weights: the spec the run was trained from (its spec.json, the data path resolved
 * from the spec's own folder), the best epoch's weights (best.safetensors, else the checkpoint), then
 * `forecastRollout`. What the predictions panel's "Roll out" asks the host for, computed in a worker.
 */
import * as path from 'node:path';
import type { Rollout, RolloutCommand } from './protocol';
import type { RunIo } from './runIo';
import { RUN_FILES } from './runFolder';
import { loadTrainedModel } from './trainedModel';
import { forecastRollout, RolloutRefusal } from './rollout';

export function rolloutOfRun(command: Omit<RolloutCommand, 'type'>, io: RunIo): Rollout {
  const specFile = path.join(command.runDir, RUN_FILES.spec);
  if (!io.exists(specFile)) throw new RolloutRefusal(`${command.runDir} has no ${RUN_FILES.spec}: it is not a run folder`);
  const weights = [RUN_FILES.best, RUN_FILES.model].map((name) => path.join(command.runDir, name)).find((file) => io.exists(file));
  if (!weights) throw new RolloutRefusal('the run has no weights yet: they are saved at the end of its first epoch');
  const { data, model, metadata } = loadTrainedModel(command.specPath, io.readTextFile(specFile), weights, io, path.basename(weights));
  const rollout = forecastRollout(model, data, { split: command.split, start: command.start, horizon: command.horizon });
  return { ...rollout, weights: { file: weights, epoch: Number(metadata.epoch ?? 0) } };
}
