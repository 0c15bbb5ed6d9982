/**
 * A trained model ready to run: its spec validated and data loaded as for training (no training-memory check),
 * the weights file checked against the spec's parameter names and shapes, then loaded. Shared by `seqlab predict`,
 * `seqlab export` and the predictions panel's rollout.
 */
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../modelSpec/types';
import type { PreparedData } from '../data/types';
import { SequenceModel } from './model';
import type { RunIo } from './runIo';
import { loadWeights } from './runFolder';
import { validateRun } from './validateRun';
import { checkWeightsFile } from './weightsFile';

export interface TrainedModel {
  spec: SeqModelSpec;
  data: PreparedData;
  model: SequenceModel;
  /** The weights file's metadata (a run's checkpoint records its epoch and step). */
  metadata: Record<string, string>;
}

/** `option` names the weights file in errors (`--weights`, or the run folder's file). */
export function loadTrainedModel(specPath: string, specText: string, weights: string, io: RunIo, option = '--weights'): TrainedModel {
  const validation = validateRun({ specPath, specText, checkStateful: false, checkResources: false }, io);
  if (validation.refusal) throw validation.refusal;
  const spec = validation.analysis.spec!;
  const data = validation.data!;
  checkWeightsFile(io, weights, validation.analysis.layers, option);
  const model = new SequenceModel(spec, data.info, new Rng(spec.training.seed ?? 0));
  const metadata = loadWeights(io, weights, model.namedParameters());
  model.setTraining(false);
  return { spec, data, model, metadata };
}
