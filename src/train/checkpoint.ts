/**
 * The checkpoint of a run: ONE safetensors file (`model.safetensors` in the run folder) holding
 *   - the weights under their PyTorch state-dict names (so predict, export and PyTorch read it as weights),
 *   - the optimizer's buffers under `optimizer.<parameter>.<buffer>`,
 *   - in the metadata: `seqlab.trainer` (step, epoch, loss sums of a part-done epoch, best metric, early-stopping
 *     counters, schedule, lr, divergence reference, seed, RNG states), `seqlab.optimizer` (kind, lr, step) and
 *     `seqlab.spec` (the spec it trained).
 * One atomic write commits all of it, so the weights can never be of another step than the optimizer or the
 * trainer state. `encodeCheckpoint` refuses non-finite values; `restoreCheckpoint` verifies the whole file
 * (names, shapes, sizes, finite values, spec, data size, consistent steps) before it restores anything.
 */
import type { SeqModelSpec } from '../modelSpec/types';
import type { NamedParameter } from '../nn/parameter';
import type { Optimizer, OptimizerState } from '../nn/optim/optimizer';
import { stateDict, loadStateDict } from '../nn/stateDict';
import { encodeSafetensors } from '../nn/safetensors';
import { Tensor, type RngState } from '../tensor';
import type { RunIo } from './runIo';
import { checkFinite, firstNonFinite, OPTIMIZER_PREFIX, readSafetensorsFile, weightTensors } from './weightsFile';
import { FileError } from './fileErrors';

const VERSION_KEY = 'seqlab.checkpoint';
const TRAINER_KEY = 'seqlab.trainer';
const OPTIMIZER_KEY = 'seqlab.optimizer';
const SPEC_KEY = 'seqlab.spec';
const VERSION = '1';

export interface TrainerState {
  /** The last completed epoch. */
  epoch: number;
  /** Optimizer steps so far. */
  step: number;
  /** Steps already taken in epoch `epoch + 1` (a run stopped mid-epoch) and that epoch's training loss so far. */
  stepInEpoch: number;
  epochLossSum: number;
  epochLossCount: number;
  bestValidationLoss: number;
  bestEpoch: number;
  bestMetric: number;
  /** Validations without improvement (early stopping's patience counts validations: validationCadence.ts). */
  epochsWithoutImprovement: number;
  schedule?: Record<string, number>;
  lr: number;
  /** The loss of the first step, before any update: what `training.divergenceFactor` multiplies. */
  initialLoss?: number;
  seed: number;
  /** Training examples the run was trained on: the same spec over changed data would not continue the same run. */
  trainSize: number;
  /** The dropouts' generators (they live as long as the model) and, mid-epoch, that epoch's step generator. */
  random: { dropout: RngState[]; step?: RngState };
}

/** The commit: refuses (returns the offending value) rather than write a non-finite weight or buffer. */
export function encodeCheckpoint(
  params: readonly NamedParameter[], optimizer: OptimizerState, trainer: TrainerState, spec: SeqModelSpec,
): { bytes: Uint8Array } | { nonFinite: { name: string; index: number; value: number } } {
  const tensors: Record<string, Tensor> = { ...stateDict(params) };
  for (const [key, buffer] of Object.entries(optimizer.buffers)) tensors[OPTIMIZER_PREFIX + key] = new Tensor(buffer, [buffer.length]);
  const nonFinite = firstNonFinite(Object.entries(tensors).map(([name, t]) => [name, t.data]));
  if (nonFinite) return { nonFinite };
  return {
    bytes: encodeSafetensors(tensors, {
      format: 'pt', epoch: String(trainer.epoch), step: String(trainer.step), spec: spec.name,
      [VERSION_KEY]: VERSION,
      [TRAINER_KEY]: JSON.stringify(trainer, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value)),
      [OPTIMIZER_KEY]: JSON.stringify({ kind: optimizer.kind, lr: optimizer.lr, step: optimizer.step }),
      [SPEC_KEY]: JSON.stringify(spec),
    }),
  };
}

export interface RestoreTarget {
  params: readonly NamedParameter[];
  optimizer: Optimizer;
  /** The spec the run trains (its spec.json): the checkpoint must have been written for exactly this spec. */
  spec: SeqModelSpec;
  trainSize: number;
  /** How many dropout generators the model has. */
  generators: number;
}

/**
 * Verify the checkpoint at `filePath` completely, then restore weights and optimizer; returns the trainer state.
 * Anything wrong is a FileError naming the file (bad input, exit 2): a resume never silently starts over.
 */
export function restoreCheckpoint(io: RunIo, filePath: string, target: RestoreTarget, legacyFolder: boolean): TrainerState {
  const refuse = (reason: string): never => {
    throw new FileError(filePath, reason);
  };
  if (!io.exists(filePath)) refuse('no such file: this folder holds no checkpoint to resume (was it written by `seqlab train`?)');
  const { tensors, metadata } = readSafetensorsFile(io, filePath);
  if (metadata[VERSION_KEY] === undefined) {
    refuse(legacyFolder
      ? 'was written by an older SeqLab, which kept the optimizer and trainer state in separate files that a crash can leave at different steps, so it cannot be resumed safely; start a new run from these weights with --init'
      : 'holds weights but no trainer state, so it is not a checkpoint to resume; start a new run from it with --init');
  }
  if (metadata[VERSION_KEY] !== VERSION) refuse(`is a checkpoint of version ${metadata[VERSION_KEY]}; this SeqLab reads version ${VERSION}`);

  const trainer = parseJson(metadata[TRAINER_KEY], TRAINER_KEY, refuse, reviveNonFinite) as TrainerState;
  checkTrainerState(trainer, target.generators, refuse);
  const optimizerInfo = parseJson(metadata[OPTIMIZER_KEY], OPTIMIZER_KEY, refuse) as { kind?: unknown; lr?: unknown; step?: unknown };
  if (typeof optimizerInfo.kind !== 'string' || typeof optimizerInfo.lr !== 'number' || !Number.isFinite(optimizerInfo.lr) || !Number.isInteger(optimizerInfo.step)) {
    refuse(`metadata ${OPTIMIZER_KEY} must hold the optimizer's kind, a finite lr and an integer step`);
  }
  if (optimizerInfo.step !== trainer.step) refuse(`is inconsistent: the optimizer took ${String(optimizerInfo.step)} steps but the trainer state says ${trainer.step}`);
  if (JSON.stringify(parseJson(metadata[SPEC_KEY], SPEC_KEY, refuse)) !== JSON.stringify(target.spec)) {
    refuse('was written for a different spec than the run folder\'s spec.json; resume only continues the run that wrote it');
  }
  if (trainer.trainSize !== target.trainSize) {
    refuse(`was trained on ${trainer.trainSize} training examples, but the data now gives ${target.trainSize}; the data changed since, so the run cannot continue exactly`);
  }

  checkFinite(filePath, tensors, (where) => `${where}; a checkpoint must hold finite numbers only`);
  const buffers: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (!name.startsWith(OPTIMIZER_PREFIX)) continue;
    if (t.shape.length !== 1) refuse(`optimizer buffer ${name} must be 1-D, it has shape [${t.shape.join(', ')}]`);
    buffers[name.slice(OPTIMIZER_PREFIX.length)] = t.data;
  }
  // Each load checks every name and size before it copies anything.
  try {
    target.optimizer.loadStateDict({ kind: optimizerInfo.kind as string, lr: optimizerInfo.lr as number, step: optimizerInfo.step as number, buffers });
  } catch (error) {
    refuse(`optimizer state does not fit this model: ${(error as Error).message.replace(/^\w+\.loadStateDict: /, '')}`);
  }
  try {
    loadStateDict(target.params, weightTensors(tensors), { strict: true });
  } catch (error) {
    refuse(`does not fit this model: ${(error as Error).message.replace(/^loadStateDict: /, '')}`);
  }
  return trainer;
}

function parseJson(text: string | undefined, key: string, refuse: (reason: string) => never, reviver?: (key: string, value: unknown) => unknown): unknown {
  if (text === undefined) refuse(`metadata ${key} is missing`);
  try {
    const value: unknown = JSON.parse(text!, reviver);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value;
  } catch (error) {
    return refuse(`metadata ${key} is not valid: ${(error as Error).message}`);
  }
}

/** JSON has no Infinity (the best loss before any validation): the encoder writes it as a string. */
function reviveNonFinite(_key: string, value: unknown): unknown {
  return value === 'Infinity' || value === '-Infinity' || value === 'NaN' ? Number(value) : value;
}

function checkTrainerState(state: TrainerState, generators: number, refuse: (reason: string) => never): void {
  const counts = ['epoch', 'step', 'stepInEpoch', 'epochLossCount', 'bestEpoch', 'epochsWithoutImprovement', 'seed', 'trainSize'] as const;
  for (const key of counts) if (!Number.isInteger(state[key]) || state[key] < 0) refuse(`trainer state ${key} must be a non-negative integer, found ${JSON.stringify(state[key])}`);
  for (const key of ['epochLossSum', 'lr'] as const) if (typeof state[key] !== 'number' || !Number.isFinite(state[key])) refuse(`trainer state ${key} must be a finite number, found ${JSON.stringify(state[key])}`);
  for (const key of ['bestValidationLoss', 'bestMetric'] as const) if (typeof state[key] !== 'number' || Number.isNaN(state[key])) refuse(`trainer state ${key} must be a number, found ${JSON.stringify(state[key])}`);
  if (state.initialLoss !== undefined && !(Number.isFinite(state.initialLoss) && state.initialLoss >= 0)) refuse(`trainer state initialLoss must be a finite number ≥ 0, found ${JSON.stringify(state.initialLoss)}`);
  const isRngState = (r: unknown): boolean => typeof r === 'object' && r !== null && Array.isArray((r as RngState).s) && (r as RngState).s.length === 4
    && (r as RngState).s.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)
    && ((r as RngState).spareNormal === undefined || Number.isFinite((r as RngState).spareNormal));
  if (typeof state.random !== 'object' || state.random === null || !Array.isArray(state.random.dropout)) refuse('trainer state random must hold the dropout generators');
  if (state.random.dropout.length !== generators || !state.random.dropout.every(isRngState)) refuse(`trainer state random.dropout must hold ${generators} generator states`);
  if (state.random.step !== undefined && !isRngState(state.random.step)) refuse('trainer state random.step is not a generator state');
  if (state.stepInEpoch > 0 && state.random.step === undefined) refuse('trainer state stops mid-epoch but has no step generator state');
}
