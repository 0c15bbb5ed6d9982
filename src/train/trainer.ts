/**
 * The training loop: seeded and deterministic, validation every `validateEvery` epochs and at the end
 * (validationCadence.ts), per-task metrics, early stopping, LR and
 * teacher-forcing schedules, gradient clipping (pre- and post-clip norms recorded), divergence detection
 * (divergence.ts: non-finite loss, gradient or weight, or an exploding loss) that stops and keeps the last finite
 * checkpoint, stop/pause/resume checked every step, and one atomic checkpoint file per commit (checkpoint.ts).
 *
 * The loop talks to the outside only through its options: `io` for files, `emit` for `TrainerEvent`s, `control`
 * for stop/pause. The worker and the CLI are thin shells around `train()`.
 *
 * Determinism: the model is initialised from `Rng(seed)`; each epoch's shuffle and teacher-forcing coins come
 * from `Rng(seed, epoch)` — a function of the seed and the epoch only, so a resumed run replays the same epochs;
 * the dropouts' generators and, mid-epoch, the step generator are saved in the checkpoint.
 */
import * as path from 'node:path';
import { Rng, kernels } from '../tensor';
import { parameterCount } from '../nn/parameter';
import { clipGradNorm, clipGradValue, gradNorm } from '../nn/clip';
import type { SeqModelSpec } from '../modelSpec/types';
import type { Batch, PreparedData } from '../data/types';
import type { EpochEnd, PredictionSample, RunFinished, TestEvaluation, TrainerEvent } from './protocol';
import { SequenceModel } from './model';
import { higherIsBetter, metricDisplayName, metricDisplayNames, metricNamesFor, perClassScores } from './metrics';
import { runOutcomeSentence, type RunOutcomeFacts } from './runOutcome';
import { evaluateSplit, evaluateTestSplit, testReport } from './evaluate';
import { ValidationRecorder } from './validationRecord';
import { earlyStopReason, validatesEpoch } from './validationCadence';
import { perStepSamples } from './perStepSamples';
import { createOptimizer, createSchedule, teacherForcingRatio } from './optimization';
import { decodeBatch, sampleSequence } from './decoding';
import type { RunIo } from './runIo';
import { longestLengths, padBatch, realStepsOnly } from './fixedShapes';
import { statefulPlanFor, type StatefulPlan } from './statefulBatches';
import { forecastTargetHistory } from './forecastHistory';
import { gateSnapshots } from './gateSnapshots';
import { LEGACY_RUN_FILES, RUN_FILES, loadWeights, readJsonLines, saveWeights, writeJson, writeJsonLines } from './runFolder';
import { FileError, errorCode } from './fileErrors';
import { encodeCheckpoint, restoreCheckpoint, type TrainerState } from './checkpoint';
import { DEFAULT_DIVERGENCE_FACTOR, likelyCause, lossExplosion, stepDivergence, weightDivergence } from './divergence';

export interface TrainerControl {
  /** Checked before every step; true ends the run with status 'stopped' after saving a checkpoint. */
  shouldStop(): boolean;
  /** Resolves when not paused; called before every step (the worker yields to its event loop here). */
  waitIfPaused(): Promise<void>;
}

export interface TrainOptions {
  spec: SeqModelSpec;
  data: PreparedData;
  io: RunIo;
  /** The run folder (created by the caller, see `newRunDirectory`); resume reuses the old one. */
  runDir: string;
  emit(event: TrainerEvent): void;
  control?: TrainerControl;
  overrides?: { epochs?: number; maxSteps?: number; seed?: number };
  /** Safetensors file to initialise the weights from (PyTorch names). */
  initWeights?: string;
  /** Continue the run in `runDir` from its last checkpoint. */
  resume?: boolean;
  /** Milliseconds clock (tests pass a fake one to make rate limiting deterministic). */
  now?: () => number;
  /** Minimum interval between step events (default 100 ms ≈ 10 messages/s). */
  progressIntervalMs?: number;
  /** Baselines on the validation split, copied into the report (the data layer computes them). */
  baselines?: Record<string, number>;
  /** An epoch validated whatever `training.validateEvery` says: an ASHA rung, where the sweep reads the metric. */
  validateAtEpoch?: number;
}

const NEVER_STOP: TrainerControl = { shouldStop: () => false, waitIfPaused: async () => {} };

/** Seed of epoch `epoch`'s generators: splitmix-style mixing so neighbouring epochs are unrelated. */
export function epochSeed(seed: number, epoch: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca77)) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x2c1b3c6d) >>> 0;
  return (z ^ (z >>> 12)) >>> 0;
}

export function stepsPerEpoch(trainSize: number, batchSize: number): number {
  return Math.max(1, Math.ceil(trainSize / batchSize));
}

export async function train(options: TrainOptions): Promise<RunFinished> {
  const { spec, data, io, runDir, emit } = options;
  const control = options.control ?? NEVER_STOP;
  const now = options.now ?? (() => performance.now());
  const started = now();
  const training = spec.training;
  const epochs = options.overrides?.epochs ?? training.epochs;
  const maxSteps = options.overrides?.maxSteps ?? training.maxSteps ?? Infinity;
  let seed = options.overrides?.seed ?? training.seed ?? 0;
  const batchSize = training.batchSize;
  const statefulPlan = statefulPlanFor(spec, data);
  // Dropping a last, smaller training batch keeps B fixed (it is a different one each epoch, by the shuffle).
  const dropLast = data.train.size >= 2 * batchSize;
  const perEpoch = statefulPlan ? statefulPlan.stepsPerEpoch : dropLast ? Math.floor(data.train.size / batchSize) : stepsPerEpoch(data.train.size, batchSize);
  const totalSteps = Math.min(epochs * perEpoch, maxSteps);
  const task = spec.task.type;
  const metricNames = metricNamesFor(task);
  const file = (name: string) => path.join(runDir, name);

  const model = new SequenceModel(spec, data.info, new Rng(seed));
  const params = model.namedParameters();
  const optimizer = createOptimizer(params, training.optimizer);
  const schedule = createSchedule(optimizer, training, epochs);
  const stopMetric = training.earlyStopping?.metric ?? 'loss';
  const stopMetricHigher = higherIsBetter(stopMetric);
  const divergenceFactor = training.divergenceFactor ?? DEFAULT_DIVERGENCE_FACTOR;
  const generators = model.randomGenerators();
  const checkpointFile = file(RUN_FILES.model);

  let state: TrainerState = {
    epoch: 0, step: 0, stepInEpoch: 0, epochLossSum: 0, epochLossCount: 0, bestValidationLoss: Infinity, bestEpoch: 0,
    bestMetric: stopMetricHigher ? -Infinity : Infinity, epochsWithoutImprovement: 0, lr: optimizer.lr,
    seed, trainSize: data.train.size, random: { dropout: [] },
  };
  let metricLines: unknown[] = [];
  /** Where the checkpoint on disk stands (the epoch its last step belongs to): the run's outcome names it. */
  let committed = { epoch: 0, step: 0, partial: false };
  let resumedFrom: RunOutcomeFacts['resumedFrom'];
  if (options.resume) {
    state = restoreCheckpoint(io, checkpointFile, { params, optimizer, spec, trainSize: data.train.size, generators: generators.length }, io.exists(file(LEGACY_RUN_FILES.state)));
    generators.forEach((g, i) => g.setState(state.random.dropout[i]));
    if (schedule && state.schedule) schedule.loadStateDict(state.schedule as never);
    optimizer.lr = state.lr;
    seed = state.seed; // the epochs' shuffles and coins come from the run's own seed, whatever --seed says now
    // Lines of an epoch past the checkpoint (a crash between writing metrics and committing) are replayed.
    metricLines = readJsonLines(io, file(RUN_FILES.metrics)).filter((line) => ((line as { epoch?: number }).epoch ?? 0) <= state.epoch);
    committed = { epoch: state.epoch + (state.stepInEpoch > 0 ? 1 : 0), step: state.step, partial: state.stepInEpoch > 0 };
    resumedFrom = { epoch: state.epoch, step: state.step };
    try {
      writeJson(io, file(RUN_FILES.spec), spec); // the same bytes again: refuses a folder that can no longer be written
    } catch (error) {
      throw isWriteFailure(error) ? new FileError(runDir, `the run folder cannot be written: ${(error as Error).message}`, errorCode(error)) : error;
    }
  } else {
    if (options.initWeights) loadWeights(io, options.initWeights, params); // finite, every name and shape, or exit 2
    // A checkpoint from the start, so even a run that diverges in its first epoch leaves good weights behind. A
    // folder that cannot be written is bad input here, before any training.
    try {
      writeJson(io, file(RUN_FILES.spec), spec);
      commitCheckpoint();
    } catch (error) {
      throw isWriteFailure(error) ? new FileError(runDir, `the run folder cannot be written: ${(error as Error).message}`, errorCode(error)) : error;
    }
  }

  emit({
    type: 'runStarted', runId: path.basename(runDir), runDir, specName: spec.name, task,
    parameterCount: parameterCount(params), kernels: kernels().name, totalSteps, epochs, stepsPerEpoch: perEpoch, metricNames,
    metricLabels: metricDisplayNames([...metricNames, ...Object.keys(options.baselines ?? {})]),
  });
  if (options.resume) emit({ type: 'log', level: 'info', message: `resuming after epoch ${state.epoch} (step ${state.step})` });
  if (statefulPlan) {
    emit({ type: 'log', level: 'info', message: `stateful: ${statefulPlan.description}; the hidden state carries (detached) from batch to batch, resets each epoch, and validation windows start from zeros` });
  }
  if (training.tbpttSteps && !model.supportsTruncatedBptt && !statefulPlan) emit({ type: 'log', level: 'warning', message: `training.tbpttSteps applies to language models and unidirectional taggers; this ${task} model backpropagates through whole sequences` });

  const perStepTargets = task === 'tag' || task === 'generate' || task === 'seq2seq';
  const fixedLengths = model.perStep || model.readout !== 'last' ? longestLengths([data.train, data.validation], batchSize) : undefined;
  const shaped = (batch: Batch) => (fixedLengths ? padBatch(batch, fixedLengths, data.info.inputSize, perStepTargets) : batch);

  let lastProgress = -Infinity;
  let samplesSinceProgress = 0;
  let timeOfLastProgress = now();
  let finalMetrics: Record<string, number> = {};
  let status: RunFinished['status'] = 'completed';
  let message = '';
  /** How the run ended beyond its status and counters: what `outcome()` says. */
  let ending: Pick<RunOutcomeFacts, 'reason' | 'at' | 'stepInEpoch' | 'notSaved'> = {};
  const outcome = () => runOutcomeSentence({
    status, epochs: state.epoch, steps: state.step, stepsPerEpoch: perEpoch, bestValidationLoss: state.bestValidationLoss,
    bestEpoch: state.bestEpoch, resumedFrom, ...ending,
    ...(status === 'completed' || status === 'early-stopped' ? {} : { checkpoint: { file: checkpointFile, ...committed } }),
  });

  /**
   * Commit the checkpoint: one file, one atomic rename. `partEpoch` describes a run stopped mid-epoch. Returns a
   * description of the first non-finite weight or buffer instead of writing it.
   */
  function commitCheckpoint(partEpoch?: { steps: number; lossSum: number; lossCount: number; stepRng: Rng }): string | undefined {
    state.lr = optimizer.lr;
    state.schedule = schedule?.stateDict();
    state.stepInEpoch = partEpoch?.steps ?? 0;
    state.epochLossSum = partEpoch?.lossSum ?? 0;
    state.epochLossCount = partEpoch?.lossCount ?? 0;
    state.random = { dropout: generators.map((g) => g.getState()), ...(partEpoch ? { step: partEpoch.stepRng.getState() } : {}) };
    const encoded = encodeCheckpoint(params, optimizer.stateDict(), state, spec);
    if ('nonFinite' in encoded) return `${encoded.nonFinite.name}[${encoded.nonFinite.index}] is ${encoded.nonFinite.value}`;
    io.writeFileAtomic(checkpointFile, encoded.bytes);
    const partial = (partEpoch?.steps ?? 0) > 0;
    committed = { epoch: state.epoch + (partial ? 1 : 0), step: state.step, partial };
    return undefined;
  }

  const diverge = (what: string, epoch: number, step: number) => {
    status = 'diverged';
    ending = { at: { epoch, step }, reason: `${what}; ${likelyCause(training, optimizer.lr)}` };
    message = outcome();
    emit({ type: 'log', level: 'error', message });
  };
  /** A write that failed (disk full, folder made read-only): the run stops, the committed checkpoint stays valid. */
  const writeFailed = (error: unknown, epoch: number) => {
    status = 'failed';
    ending = { at: { epoch, step: state.step }, reason: (error as Error).message };
    message = outcome();
    emit({ type: 'log', level: 'error', message });
  };

  /** Run a commit; a failed write ends the run as 'failed'. Returns the commit's refusal (a non-finite value). */
  function commitOrFail(commit: () => string | undefined, epoch: number): string | undefined {
    try {
      return commit();
    } catch (error) {
      if (!isWriteFailure(error)) throw error;
      writeFailed(error, epoch);
      return undefined;
    }
  }

  let testEvaluation: TestEvaluation | undefined;
  /** The test split, once, with the checkpoint validation chose (the final weights when none did). */
  const evaluateHeldOutTest = (): TestEvaluation | undefined => {
    if (status === 'stopped' || state.epoch === 0) return undefined; // asked to stop, or nothing trained yet
    const best = state.bestEpoch > 0 && io.exists(file(RUN_FILES.best));
    const checkpoint = best ? { kind: 'best' as const, file: file(RUN_FILES.best) } : { kind: 'final' as const, file: checkpointFile };
    try {
      return evaluateTestSplit({ spec, data, io, checkpoint, shape: shaped });
    } catch (error) {
      // The run itself is over and saved: a failed test evaluation is reported, not allowed to lose the report.
      emit({ type: 'log', level: 'error', message: `test evaluation failed: ${error instanceof Error ? error.message : String(error)}` });
      return undefined;
    }
  };

  const finish = (): RunFinished => {
    message = outcome(); // the same sentence a diverged or failed run logged: nothing changed since
    const result: RunFinished = {
      type: 'runFinished', status, message, epochs: state.epoch, steps: state.step,
      bestValidationLoss: state.bestValidationLoss, bestEpoch: state.bestEpoch, finalMetrics,
      seconds: (now() - started) / 1000, runDir,
    };
    try {
      writeJson(io, file(RUN_FILES.report), {
        ...result, type: undefined, specName: spec.name, task, parameterCount: parameterCount(params), seed,
        baselines: options.baselines ?? {}, lastCheckpoint: checkpointFile, lastCheckpointStep: committed.step,
        ...(testEvaluation ? { test: testReport(testEvaluation) } : {}),
      });
    } catch (error) {
      if (status !== 'failed') throw error; // after a failed write the report is a courtesy; the message says it all
    }
    emit(result);
    return result;
  };

  // A run stopped mid-epoch resumes inside that epoch: its first `skip` batches were already trained.
  let resumeInside = state.stepInEpoch > 0 ? { steps: state.stepInEpoch, lossSum: state.epochLossSum, lossCount: state.epochLossCount, stepRng: state.random.step! } : undefined;
  epochLoop: for (let epoch = state.epoch + 1; epoch <= epochs && state.step < maxSteps; epoch++) {
    const epochStarted = now();
    const epochRng = new Rng(epochSeed(seed, epoch));
    const shuffleRng = epochRng.fork();
    const stepRng = epochRng.fork();
    const teacherForcing = teacherForcingRatio(training.teacherForcing, epoch, epochs);
    model.setTraining(true);
    model.setStateful(statefulPlan !== undefined); // also resets the carried state: each epoch starts from zeros
    let trainLossSum = resumeInside?.lossSum ?? 0;
    let trainLossCount = resumeInside?.lossCount ?? 0;
    let stepInEpoch = 0;
    const skip = resumeInside?.steps ?? 0;
    let gradientFlow: number[][] | undefined;
    const trainBatches = statefulPlan
      ? statefulTrainingBatches(model, statefulPlan) // consecutive chunks, never shuffled
      : data.train.batches(batchSize, { shuffle: true, rng: shuffleRng, bucketByLength: spec.data.bucketByLength, dropLast });
    for (const rawBatch of trainBatches) {
      if (stepInEpoch < skip) {
        // Replaying the shuffle up to where the stopped run was; the step generator is restored after it.
        if (++stepInEpoch === skip) stepRng.setState(resumeInside!.stepRng);
        continue;
      }
      const batch = shaped(rawBatch);
      await control.waitIfPaused();
      if (control.shouldStop()) {
        status = 'stopped';
        // Mid-epoch: a stateful run's carried hidden state is not part of a checkpoint, so it keeps the last one.
        const refused = statefulPlan ? undefined : commitOrFail(() => commitCheckpoint({ steps: stepInEpoch, lossSum: trainLossSum, lossCount: trainLossCount, stepRng }), epoch);
        if (status === 'stopped') ending = { stepInEpoch, notSaved: refused };
        break epochLoop;
      }
      optimizer.zeroGrad();
      const { loss } = model.trainBatch(batch, { teacherForcing, rng: stepRng });
      const gradNormBefore = training.clipGradNorm !== undefined ? clipGradNorm(params, training.clipGradNorm) : gradNorm(params);
      state.initialLoss ??= loss; // the untrained model's loss: the reference for divergenceFactor
      const stepProblem = stepDivergence(loss, gradNormBefore, state.initialLoss, divergenceFactor);
      if (stepProblem) {
        diverge(stepProblem, epoch, state.step + 1);
        break epochLoop;
      }
      if (training.clipGradValue !== undefined) clipGradValue(params, training.clipGradValue);
      const gradNormAfter = training.clipGradNorm !== undefined || training.clipGradValue !== undefined ? gradNorm(params) : gradNormBefore;
      optimizer.step();
      const weightProblem = weightDivergence(params);
      if (weightProblem) {
        diverge(weightProblem, epoch, state.step + 1);
        break epochLoop;
      }
      state.step++;
      stepInEpoch++;
      trainLossSum += loss * batch.size;
      trainLossCount += batch.size;
      samplesSinceProgress += batch.size;
      const lastOfEpoch = stepInEpoch === perEpoch || state.step >= maxSteps;
      if (lastOfEpoch) gradientFlow = realStepsOnly(model.probedStack.hiddenGradientNorms(), batch.lengths);
      const t = now();
      if (t - lastProgress >= (options.progressIntervalMs ?? 100) || lastOfEpoch) {
        const seconds = Math.max(1e-9, (t - timeOfLastProgress) / 1000);
        const samplesPerSecond = samplesSinceProgress / seconds;
        const stepsPerSecond = state.step / Math.max(1e-9, (t - started) / 1000);
        emit({
          type: 'step', epoch, step: state.step, totalSteps, loss, lr: optimizer.lr, gradNormBefore, gradNormAfter,
          samplesPerSecond, etaSeconds: (totalSteps - state.step) / Math.max(1e-9, stepsPerSecond),
          ...(task === 'seq2seq' ? { teacherForcing } : {}),
        });
        lastProgress = t;
        timeOfLastProgress = t;
        samplesSinceProgress = 0;
      }
      if (state.step >= maxSteps) break;
    }
    resumeInside = undefined;

    // ---- validation (validationCadence.ts: every validateEvery epochs and at the end of the run)
    const validated = validatesEpoch(epoch, training.validateEvery, epoch === epochs || state.step >= maxSteps || epoch === options.validateAtEpoch);
    model.setStateful(false);
    const record = validated ? new ValidationRecorder(task, data.info) : undefined;
    const validation = record ? evaluateSplit(model, data.validation, data.info, { batchSize, shape: shaped, decoding: training.decoding, maxBatches: training.validation?.maxBatches, onBatch: (batch, outputs) => record.add(batch, outputs) }) : undefined;
    // Batches reuse their buffers, so the sample batch for gates and predictions is fetched again, not kept.
    let sampleBatch: Batch | undefined;
    if (validation) {
      for (const batch of data.validation.batches(batchSize, { shuffle: false })) {
        sampleBatch = shaped(batch);
        break;
      }
    }
    const trainLoss = trainLossSum / Math.max(1, trainLossCount);
    state.epoch = epoch;

    let improved = false;
    if (validation) {
      const { loss: validationLoss, metrics } = validation;
      finalMetrics = metrics;
      if (data.validation.size > 0) {
        const problem = !Number.isFinite(validationLoss) ? `validation loss became ${validationLoss}` : lossExplosion('validation loss', validationLoss, state.initialLoss, divergenceFactor);
        if (problem) {
          diverge(problem, epoch, state.step);
          break;
        }
      }
      const monitored = stopMetric === 'loss' ? validationLoss : metrics[stopMetric] ?? validationLoss;
      const minDelta = training.earlyStopping?.minDelta ?? 0;
      improved = stopMetricHigher ? monitored > state.bestMetric + minDelta : monitored < state.bestMetric - minDelta;
      if (improved) {
        state.bestMetric = monitored;
        state.bestValidationLoss = validationLoss;
        state.bestEpoch = epoch;
        state.epochsWithoutImprovement = 0;
      } else {
        state.epochsWithoutImprovement++; // counts validations, not epochs
      }
    }
    const lrThisEpoch = optimizer.lr;
    schedule?.afterEpoch(validation?.loss);
    state.lr = optimizer.lr;
    // An epoch without validation has no validation figures at all: no stale copy, no zeros.
    const epochEvent: EpochEnd = {
      type: 'epoch', epoch, step: state.step, trainLoss, ...(validation ? { validationLoss: validation.loss } : {}), metrics: validation?.metrics ?? {},
      best: improved, lr: lrThisEpoch, seconds: (now() - epochStarted) / 1000,
    };
    metricLines.push({ ...epochEvent, type: undefined, ...(task === 'seq2seq' ? { teacherForcing } : {}) });
    // Best and metrics first, the checkpoint last: a crash in between leaves them ahead, never behind (see runFolder.ts).
    const refused = commitOrFail(() => {
      const nonFinite = weightDivergence(params);
      if (nonFinite) return nonFinite;
      if (improved) saveWeights(io, file(RUN_FILES.best), params, { epoch: String(epoch), step: String(state.step), spec: spec.name });
      writeJsonLines(io, file(RUN_FILES.metrics), metricLines);
      return commitCheckpoint();
    }, epoch);
    if (refused) diverge(refused, epoch, state.step);
    if (status !== 'completed') break;
    emit(epochEvent);
    if (gradientFlow) emit({ type: 'gradFlow', epoch, step: state.step, norms: gradientFlow });
    if (sampleBatch && validation) {
      for (const gates of gateSnapshots(model, sampleBatch, data, epoch, state.step)) emit(gates);
      emit(predictionsEvent(model, sampleBatch, data, training, epoch, validation.confusion, new Rng(epochSeed(seed ^ 0x5eed, epoch)), validation.wholeSplit ? record : undefined));
    }
    if (validation && training.earlyStopping && state.epochsWithoutImprovement >= training.earlyStopping.patience) {
      status = 'early-stopped';
      ending = { reason: earlyStopReason(metricDisplayName(stopMetric), training.earlyStopping.patience, training.validateEvery) };
      break;
    }
  }

  testEvaluation = evaluateHeldOutTest();
  if (testEvaluation) emit(testEvaluation);
  return finish();
}

/** An error of the file system (it carries an OS code such as ENOSPC), as opposed to a bug. */
function isWriteFailure(error: unknown): boolean {
  return errorCode(error) !== undefined;
}

/** The plan's batches, resetting the model's carried state where new series begin. */
function* statefulTrainingBatches(model: SequenceModel, plan: StatefulPlan): Iterable<Batch> {
  for (const { batch, startsStreams } of plan.batches()) {
    if (startsStreams) model.resetState();
    yield batch;
  }
}

const PREDICTION_SAMPLES = 5;

function predictionsEvent(
  model: SequenceModel, batch: Batch, data: PreparedData, training: SeqModelSpec['training'], epoch: number,
  confusion: number[][] | undefined, rng: Rng, record: ValidationRecorder | undefined,
): TrainerEvent {
  const info = data.info;
  const task = model.task;
  const samples: PredictionSample[] = [];
  const n = Math.min(PREDICTION_SAMPLES, batch.size);
  if (task === 'generate') {
    const temperature = training.decoding?.temperature ?? 0.8;
    for (let k = 0; k < 2; k++) {
      const ids = sampleSequence(model, training.decoding?.maxLength ?? 120, temperature, rng);
      samples.push({ kind: 'generate', text: detokenize(info.vocabulary?.decode(ids) ?? []), temperature });
    }
    return { type: 'predictions', epoch, samples };
  }
  if (task === 'seq2seq') {
    const outputs = decodeBatch(model, batch, training.decoding, (batch.targetSteps ?? 0) + 5);
    for (let b = 0; b < n; b++) {
      const d = data.validation.describe(batch.indices[b]);
      samples.push({ kind: 'seq2seq', source: d.input, target: d.target, output: detokenize(info.targetVocabulary?.decode(outputs[b]) ?? []) });
    }
    return { type: 'predictions', epoch, samples };
  }
  const outputs = model.evaluateBatch(batch).outputs;
  if (task === 'forecast' || task === 'regress') {
    const O = info.outputSize;
    for (let b = 0; b < n; b++) {
      const predicted = outputs.slice(b * O, (b + 1) * O);
      const truth = batch.targets!.slice(b * O, (b + 1) * O);
      const K = info.targetColumns?.length ?? O;
      const anchors = batch.anchors?.subarray(b * K, (b + 1) * K);
      info.denormalizeTargets(predicted, anchors);
      info.denormalizeTargets(truth, anchors);
      const history = forecastTargetHistory(info, batch.inputs!, b, batch.steps, batch.lengths[b], anchors);
      samples.push({ kind: 'forecast', history, truth: [...truth], predicted: [...predicted] });
    }
  } else if (task === 'regress-per-step') {
    samples.push(...perStepSamples(info, batch, outputs, n));
  } else if (task === 'classify') {
    const C = info.outputSize;
    for (let b = 0; b < n; b++) {
      const probabilities = softmax(outputs.subarray(b * C, (b + 1) * C));
      let best = 0;
      for (let c = 1; c < C; c++) if (probabilities[c] > probabilities[best]) best = c;
      const d = data.validation.describe(batch.indices[b]);
      samples.push({ kind: 'classify', input: d.input, truth: info.labels?.[batch.targetIds![b]] ?? String(batch.targetIds![b]), predicted: info.labels?.[best] ?? String(best), confidence: probabilities[best] });
    }
  } else if (task === 'tag') {
    const C = info.outputSize;
    const T = batch.steps;
    for (let b = 0; b < n; b++) {
      const tokens: string[] = [], truth: string[] = [], predicted: string[] = [];
      for (let t = 0; t < batch.lengths[b]; t++) {
        tokens.push(info.vocabulary?.token(batch.inputIds![b * T + t]) ?? '?');
        truth.push(info.labels?.[batch.targetIds![b * T + t]] ?? '?');
        let best = 0;
        for (let c = 1; c < C; c++) if (outputs[(b * T + t) * C + c] > outputs[(b * T + t) * C + best]) best = c;
        predicted.push(info.labels?.[best] ?? String(best));
      }
      samples.push({ kind: 'tag', tokens, truth, predicted });
    }
  }
  // Only a record of the whole validation split (not of a sampled budget) is a series.
  const series = record?.forecastSeries();
  const mistakes = record?.worstMistakes(data.validation);
  return {
    type: 'predictions', epoch, samples,
    ...(confusion && info.labels ? { confusion: { labels: info.labels, counts: confusion }, classScores: perClassScores(confusion) } : {}),
    ...(series ? { series } : {}), ...(mistakes ? { mistakes } : {}),
  };
}

function softmax(logits: Float32Array): number[] {
  const max = Math.max(...logits);
  const e = [...logits].map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Characters join directly, words with spaces (a char vocabulary has only 1-character tokens besides specials). */
export function detokenize(tokens: readonly string[]): string {
  return tokens.every((t) => t.length <= 1) ? tokens.join('') : tokens.join(' ');
}
