/**
 * The optimizer, learning-rate schedule and teacher-forcing schedule a spec's `training` section asks for.
 */
import type { NamedParameter } from '../nn/parameter';
import { SGD } from '../nn/optim/sgd';
import { Adam, AdamW } from '../nn/optim/adam';
import type { Optimizer } from '../nn/optim/optimizer';
import { StepLR, CosineAnnealingLR, ReduceLROnPlateau, type ScheduleState } from '../nn/schedules';
import type { TrainingSpec, TeacherForcingSpec } from '../modelSpec/types';

export function createOptimizer(params: readonly NamedParameter[], spec: TrainingSpec['optimizer']): Optimizer {
  switch (spec.type) {
    case 'sgd':
      return new SGD(params, { lr: spec.lr, momentum: spec.momentum, nesterov: spec.nesterov, weightDecay: spec.weightDecay, dampening: spec.dampening });
    case 'adam':
      return new Adam(params, { lr: spec.lr, betas: spec.betas, eps: spec.eps, weightDecay: spec.weightDecay });
    case 'adamw':
      return new AdamW(params, { lr: spec.lr, betas: spec.betas, eps: spec.eps, weightDecay: spec.weightDecay });
  }
}

/**
 * An epoch-level learning-rate schedule: `afterEpoch(validationLoss)` once per epoch, as PyTorch's `step()`; the
 * loss is undefined after an epoch without validation, which the plateau schedule skips (its patience counts
 * validations), while step and cosine schedules count epochs.
 */
export interface EpochSchedule {
  afterEpoch(validationLoss: number | undefined): void;
  stateDict(): ScheduleState;
  loadStateDict(state: ScheduleState): void;
}

export function createSchedule(optimizer: Optimizer, training: TrainingSpec, epochs: number): EpochSchedule | undefined {
  const s = training.schedule;
  if (!s) return undefined;
  if (s.type === 'step') {
    const schedule = new StepLR(optimizer, s.stepSize, s.gamma ?? 0.1);
    return { afterEpoch: () => schedule.step(), stateDict: () => schedule.stateDict(), loadStateDict: (st) => schedule.loadStateDict(st) };
  }
  if (s.type === 'cosine') {
    const schedule = new CosineAnnealingLR(optimizer, s.tMax ?? epochs, s.etaMin ?? 0);
    return { afterEpoch: () => schedule.step(), stateDict: () => schedule.stateDict(), loadStateDict: (st) => schedule.loadStateDict(st) };
  }
  const schedule = new ReduceLROnPlateau(optimizer, { factor: s.factor, patience: s.patience, minLr: s.minLr, threshold: s.threshold });
  return { afterEpoch: (loss) => (loss === undefined ? undefined : schedule.step(loss)), stateDict: () => schedule.stateDict(), loadStateDict: (st) => schedule.loadStateDict(st) };
}

/**
 * Probability of feeding the ground truth to the decoder in `epoch` (1-based), moving from `start` to `end`
 * over `spec.epochs` (default: all epochs). inverse-sigmoid is Bengio et al.'s scheduled-sampling curve,
 * rescaled so that it starts at `start` and ends at `end`.
 */
export function teacherForcingRatio(spec: TeacherForcingSpec | undefined, epoch: number, totalEpochs: number): number {
  if (!spec) return 1;
  const start = spec.start;
  const end = spec.end ?? start;
  const span = Math.max(1, (spec.epochs ?? totalEpochs) - 1);
  const progress = Math.min(1, Math.max(0, (epoch - 1) / span));
  switch (spec.decay ?? 'none') {
    case 'none':
      return start;
    case 'linear':
      return start + (end - start) * progress;
    case 'exponential': {
      const floor = 1e-3; // a geometric path cannot reach exactly 0
      return Math.max(start, floor) * Math.pow(Math.max(end, floor) / Math.max(start, floor), progress);
    }
    case 'inverse-sigmoid': {
      const sharpness = 10;
      const s = (p: number) => 1 / (1 + Math.exp(sharpness * (p - 0.5)));
      const normalised = (s(progress) - s(1)) / (s(0) - s(1));
      return end + (start - end) * normalised;
    }
  }
}
