/**
 * Every message that crosses a boundary — trainer → host (worker_threads), host → worker, host ⇄ webview —
 * declared once here and imported by all three sides. Each message is a plain object with a `type` tag, so it
 * survives structured cloning and JSON alike. Validators for messages arriving from untrusted sides (webviews)
 * live in `protocolValidate.ts`.
 */
import type { DataSummary } from '../data/summary';

// --------------------------------------------------------------------------- trainer events (worker → host)

export interface RunStarted {
  type: 'runStarted';
  runId: string;
  runDir: string;
  specName: string;
  task: string;
  parameterCount: number;
  /** The kernel backend doing the arithmetic (e.g. 'wasm-relaxed-simd', 'reference'); absent in replayed runs. */
  kernels?: string;
  totalSteps: number;
  epochs: number;
  stepsPerEpoch: number;
  /** Names of the metrics this task reports (e.g. ['rmse', 'mae'] or ['accuracy', 'f1']). */
  metricNames: string[];
  /** How to write each metric's and baseline's name ("token accuracy"); panels fall back to the raw name without it. */
  metricLabels?: Record<string, string>;
}

export interface StepProgress {
  type: 'step';
  epoch: number;
  step: number;
  totalSteps: number;
  loss: number;
  lr: number;
  /** Total gradient norm before clipping, and after (equal when no clipping happened). */
  gradNormBefore: number;
  gradNormAfter: number;
  samplesPerSecond: number;
  etaSeconds: number;
  teacherForcing?: number;
}

export interface EpochEnd {
  type: 'epoch';
  epoch: number;
  step: number;
  trainLoss: number;
  /**
   * Absent on an epoch that was not validated (`training.validateEvery`, see validationCadence.ts), whose `metrics`
   * are then empty: such an epoch has no validation figures, not stale ones or zeros. `isValidatedEpoch` tells.
   */
  validationLoss?: number;
  /** Validation metrics by name; forecast metrics are in the data's original units. Empty when not validated. */
  metrics: Record<string, number>;
  /** This validation improved on the best so far (false on an epoch without validation). */
  best: boolean;
  lr: number;
  seconds: number;
}

/** Gate activations of one validation sample, [time, hidden] per gate, row-major. */
export interface GateSnapshot {
  type: 'gates';
  epoch: number;
  step: number;
  cell: 'rnn' | 'lstm' | 'gru';
  layer: number;
  hiddenSize: number;
  steps: number;
  /** Labels along the time axis: input tokens or rounded values. */
  timeLabels: string[];
  /** LSTM: input, forget, cell, output, cellState; GRU: reset, update, candidate; RNN: hidden. */
  gates: Record<string, Float32Array>;
  /** Share of saturated values per gate (rules in `gateSaturation.ts`), for the saturation-over-training chart. */
  saturation: Record<string, number>;
  /** Per gate in `saturation`, its rule in words ("below 0.1 or above 0.9"); absent in runs recorded before it. */
  saturationRule?: Record<string, string>;
}

/** ‖∂L/∂h_t‖ for t = 0..T-1 on one batch, per layer (top layer first is not assumed: index = layer). */
export interface GradientFlow {
  type: 'gradFlow';
  epoch: number;
  step: number;
  norms: number[][];
}

export type PredictionSample =
  | { kind: 'forecast'; history: number[]; truth: number[]; predicted: number[] }
  | { kind: 'classify'; input: string; truth: string; predicted: string; confidence: number }
  | { kind: 'tag'; tokens: string[]; truth: string[]; predicted: string[] }
  /** regress-per-step: one window, the first target column at each of its steps (original units). */
  | { kind: 'steps'; target: string; truth: number[]; predicted: number[] }
  | { kind: 'generate'; text: string; temperature: number }
  | { kind: 'seq2seq'; source: string; target: string; output: string };

/** One-step-ahead predictions over a split (validation or test) in its order, original units, one target column. */
export interface ForecastSeries {
  target: string;
  truth: number[];
  predicted: number[];
  /** regress-per-step: each value is the prediction at the last step of the window ending there, not a forecast. */
  perStep?: boolean;
}

/**
 * An autoregressive rollout from one window of a split (src/train/rollout.ts): each prediction fed back as the
 * next input; original units.
 */
export interface Rollout {
  split: 'validation' | 'test';
  /** The window's index in its split: the rollout's first value is that window's one-step-ahead prediction. */
  start: number;
  /** Steps rolled out: fewer than requested when inputs taken from the data run out. */
  horizon: number;
  requestedHorizon: number;
  target: string;
  /** The window's values of the target. */
  history: number[];
  /** What followed the window in the data (null past its end). */
  truth: (number | null)[];
  predicted: number[];
  /** Input columns that are not predicted: taken from the data at each step, as if known in advance. */
  fromData: string[];
  /** The weights rolled out: their file and the epoch they are from. */
  weights?: { file: string; epoch: number };
}

/** A wrong prediction, with the model's confidence in it. */
export interface Mistake {
  input: string;
  truth: string;
  predicted: string;
  confidence: number;
}

export interface Predictions {
  type: 'predictions';
  epoch: number;
  samples: PredictionSample[];
  /** classify/tag: confusion[truth][predicted] counts over the validation set. */
  confusion?: { labels: string[]; counts: number[][] };
  /** classify/tag: per class (in `confusion.labels` order) precision, recall, F1 and support. */
  classScores?: { precision: number; recall: number; f1: number; support: number }[];
  /** forecast: the whole validation series with one-step-ahead predictions. */
  series?: ForecastSeries;
  /** classify: the most confident wrong predictions on the validation set. */
  mistakes?: Mistake[];
}

export interface RunFinished {
  type: 'runFinished';
  status: 'completed' | 'stopped' | 'early-stopped' | 'diverged' | 'failed';
  message: string;
  epochs: number;
  steps: number;
  bestValidationLoss: number;
  bestEpoch: number;
  finalMetrics: Record<string, number>;
  seconds: number;
  runDir: string;
}

/**
 * The held-out test split, evaluated once at the end of a run on every test example: validation chose the
 * checkpoint, this reports it. Metrics and baselines as in `EpochEnd` and report.json, computed on the test split.
 */
export interface TestEvaluation {
  type: 'testEvaluation';
  /** 'best': best.safetensors, chosen on validation; 'final': the last weights (no validation chose one). */
  checkpoint: 'best' | 'final';
  checkpointFile: string;
  /** The epoch whose weights were evaluated. */
  epoch: number;
  /** Test examples (all of them are evaluated). */
  size: number;
  loss: number;
  metrics: Record<string, number>;
  baselines: Record<string, number>;
  /** forecast: the whole test series with one-step-ahead predictions (live only; report.json keeps the figures). */
  series?: ForecastSeries;
}

/** The data the run trains on, summarised once as the run starts (see src/data/summary.ts). */
export interface DataSummaryEvent {
  type: 'dataSummary';
  summary: DataSummary;
}

export interface TrainerLog {
  type: 'log';
  level: 'info' | 'warning' | 'error';
  message: string;
}

export type TrainerEvent =
  | RunStarted
  | StepProgress
  | EpochEnd
  | GateSnapshot
  | GradientFlow
  | Predictions
  | TestEvaluation
  | DataSummaryEvent
  | RunFinished
  | TrainerLog;

// --------------------------------------------------------------------------- host → worker commands

export interface StartTraining {
  type: 'start';
  specPath: string;
  /** Spec text as in the editor (may be unsaved); parsed by the worker. */
  specText: string;
  outDir?: string;
  initWeights?: string;
  resumeFrom?: string;
  overrides?: { epochs?: number; maxSteps?: number; seed?: number };
  /** Train with PyTorch (`seqlab train --engine pytorch`) instead of the worker: the interpreter and processes. */
  pytorch?: { python: string; nproc: number };
}

/** An autoregressive rollout of a run's weights (best.safetensors, else the checkpoint), in a worker of its own. */
export interface RolloutCommand {
  type: 'rollout';
  runDir: string;
  /** The spec the run was trained from: its folder resolves the data path of the run's spec.json. */
  specPath: string;
  split: 'validation' | 'test';
  start: number;
  horizon: number;
}

export type WorkerCommand = StartTraining | RolloutCommand | { type: 'stop' } | { type: 'pause' } | { type: 'resume' };

// --------------------------------------------------------------------------- webview ⇄ host

/** Messages a panel may send; everything arriving from a webview is checked with `validateWebviewMessage`. */
export type WebviewToHost =
  | { type: 'ready'; panel: PanelKind }
  | { type: 'stop' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'selectSample'; index: number }
  | { type: 'selectLayer'; layer: number }
  | { type: 'revealLine'; line: number }
  | { type: 'compareWith'; runDir: string }
  | { type: 'setUnrolled'; unrolled: boolean }
  /** predictions (forecasting): an autoregressive rollout of the displayed run's model from this window. */
  | { type: 'rollout'; split: 'validation' | 'test'; start: number; horizon: number };

export type PanelKind = 'dashboard' | 'gates' | 'gradients' | 'architecture' | 'predictions';

/** What the host sends a panel: trainer events (replayed on `ready`), plus panel-specific state. */
export type HostToWebview =
  | { type: 'event'; event: TrainerEvent }
  | { type: 'history'; events: TrainerEvent[]; compare?: TrainerEvent[] }
  | { type: 'architecture'; diagram: unknown }
  | { type: 'status'; state: 'idle' | 'running' | 'paused' | 'finished'; runName?: string }
  | RolloutAnswer;

/** The answer to a `rollout` request (worker → host → predictions panel): the rollout, or why there is none. */
export type RolloutAnswer = { type: 'rollout'; rollout: Rollout } | { type: 'rolloutRefused'; reason: string };

// --------------------------------------------------------------------------- runs table panel ⇄ host

export type { HostToRunsTable, RunCurve, RunsTable, RunsTableRow, RunsTableScope, RunsTableToHost, RunStatus } from './runsTableProtocol';

// --------------------------------------------------------------------------- sweep check worker ⇄ host

export type { SweepCheckMessage, SweepCheckRequest } from './sweeps/sweepCheckProtocol';
