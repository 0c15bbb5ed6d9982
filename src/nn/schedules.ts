/**
 * Learning-rate schedules with PyTorch's formulas. Each one writes `optimizer.lr`; call `step()` once per
 * epoch (or per the unit the schedule is defined in), after the optimizer's step, as in PyTorch.
 */
export interface LearningRateHolder {
  lr: number;
}

export interface ScheduleState {
  lastEpoch: number;
  lr: number;
  [field: string]: number;
}

/** A schedule that advances once per `step()` and writes the new rate into the optimizer. */
abstract class EpochSchedule {
  lastEpoch = 0;

  constructor(protected readonly optimizer: LearningRateHolder) {}

  step(): number {
    this.lastEpoch++;
    this.optimizer.lr = this.nextLr(this.optimizer.lr);
    return this.optimizer.lr;
  }

  /** The learning rate for `lastEpoch`, given the one in force until now. */
  protected abstract nextLr(currentLr: number): number;

  stateDict(): ScheduleState {
    return { lastEpoch: this.lastEpoch, lr: this.optimizer.lr };
  }

  loadStateDict(state: ScheduleState): void {
    this.lastEpoch = state.lastEpoch;
    this.optimizer.lr = state.lr;
  }
}

/** `StepLR`: multiplies the learning rate by gamma every `stepSize` steps (PyTorch's chainable form). */
export class StepLR extends EpochSchedule {
  constructor(optimizer: LearningRateHolder, readonly stepSize: number, readonly gamma = 0.1) {
    super(optimizer);
    if (!Number.isInteger(stepSize) || stepSize <= 0) throw new Error(`StepLR: step size must be a positive integer, got ${stepSize}`);
  }

  protected nextLr(currentLr: number): number {
    return this.lastEpoch % this.stepSize === 0 ? currentLr * this.gamma : currentLr;
  }
}

/**
 * `CosineAnnealingLR` in closed form: lr = ηmin + (base − ηmin)·(1 + cos(π·t/Tmax))/2, with base the learning
 * rate when the schedule was created. Past Tmax it rises again (a cosine period), as PyTorch's does.
 */
export class CosineAnnealingLR extends EpochSchedule {
  readonly baseLr: number;

  constructor(optimizer: LearningRateHolder, readonly tMax: number, readonly etaMin = 0) {
    super(optimizer);
    if (!(tMax > 0)) throw new Error(`CosineAnnealingLR: T_max must be > 0, got ${tMax}`);
    this.baseLr = optimizer.lr;
  }

  protected nextLr(): number {
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2;
  }
}

export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number;
  /** Reductions smaller than this are skipped (PyTorch's `eps`). */
  eps?: number;
}

/**
 * `ReduceLROnPlateau`: after more than `patience` steps without improvement of the metric (relative
 * threshold 1e-4 by default), multiply the learning rate by `factor`, not below `minLr`.
 */
export class ReduceLROnPlateau {
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLr: number;
  readonly eps: number;
  lastEpoch = 0;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;

  constructor(private readonly optimizer: LearningRateHolder, options: ReduceLROnPlateauOptions = {}) {
    this.mode = options.mode ?? 'min';
    this.factor = options.factor ?? 0.1;
    this.patience = options.patience ?? 10;
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? 'rel';
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLr ?? 0;
    this.eps = options.eps ?? 1e-8;
    if (!(this.factor < 1)) throw new Error(`ReduceLROnPlateau: factor must be < 1, got ${this.factor}`);
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Feed the epoch's metric (e.g. validation loss); returns the learning rate now in force. */
  step(metric: number): number {
    this.lastEpoch++;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0; // bad epochs during cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      const oldLr = this.optimizer.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLr);
      if (oldLr - newLr > this.eps) this.optimizer.lr = newLr;
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    return this.optimizer.lr;
  }

  private isBetter(metric: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? metric < best * (1 - threshold) : metric < best - threshold;
    return this.thresholdMode === 'rel' ? metric > best * (1 + threshold) : metric > best + threshold;
  }

  stateDict(): ScheduleState {
    return { lastEpoch: this.lastEpoch, lr: this.optimizer.lr, best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter };
  }

  loadStateDict(state: ScheduleState): void {
    this.lastEpoch = state.lastEpoch;
    this.optimizer.lr = state.lr;
    this.best = state.best;
    this.numBadEpochs = state.numBadEpochs;
    this.cooldownCounter = state.cooldownCounter;
  }
}
