/**
 * Folds trainer events into the series the dashboard draws, and the one-line run status. Pure: no DOM, so
 * the history replay and the live stream go through exactly the same code.
 */
import type { EpochEnd, RunFinished, RunStarted, StepProgress, TestEvaluation, TrainerEvent, TrainerLog } from '../../src/train/protocol';
import type { DataSummary } from '../../src/data/summary';
import { formatCount, formatDuration, formatScalar } from '../../src/format/display';

export interface Point {
  x: number;
  y: number;
}

export interface DashboardSeries {
  runStarted?: RunStarted;
  /** x = global step. */
  trainLoss: Point[];
  /**
   * x = global step at the end of the epoch, so it lines up with the train loss. Validated epochs only
   * (training.validateEvery): the line joins the validations, with no false zeros between them.
   */
  validationLoss: Point[];
  /** Per metric name, x = epoch (validated epochs only). */
  metrics: Record<string, Point[]>;
  learningRate: Point[];
  gradientNormBeforeClipping: Point[];
  gradientNormAfterClipping: Point[];
  latestStep?: StepProgress;
  latestEpoch?: EpochEnd;
  /** The latest epoch that was validated: the figures the summary shows. */
  latestValidation?: EpochEnd;
  bestEpoch?: EpochEnd;
  /** The data the run trains on (sent once, right after runStarted). */
  dataSummary?: DataSummary;
  /** The held-out test split, evaluated once at the end (kept apart from the validation series). */
  test?: TestEvaluation;
  finished?: RunFinished;
  /** Warnings and errors only, newest last, at most `maximumLogLines`. */
  problems: TrainerLog[];
}

const maximumLogLines = 5;

export function emptyDashboardSeries(): DashboardSeries {
  // The optional fields are listed too, so assigning an empty series over a used one clears them.
  return {
    runStarted: undefined, trainLoss: [], validationLoss: [], metrics: {}, learningRate: [], gradientNormBeforeClipping: [], gradientNormAfterClipping: [],
    latestStep: undefined, latestEpoch: undefined, latestValidation: undefined, bestEpoch: undefined, dataSummary: undefined, test: undefined, finished: undefined, problems: [],
  };
}

/** Appends one event to `series` (mutating: the live stream adds ~10 events per second). */
export function addDashboardEvent(series: DashboardSeries, event: TrainerEvent): void {
  switch (event.type) {
    case 'runStarted':
      // A new run in the same panel starts from a clean slate.
      Object.assign(series, emptyDashboardSeries(), { runStarted: event });
      break;
    case 'step':
      series.latestStep = event;
      series.trainLoss.push({ x: event.step, y: event.loss });
      series.learningRate.push({ x: event.step, y: event.lr });
      series.gradientNormBeforeClipping.push({ x: event.step, y: event.gradNormBefore });
      series.gradientNormAfterClipping.push({ x: event.step, y: event.gradNormAfter });
      break;
    case 'epoch':
      series.latestEpoch = event;
      // An epoch without validation (training.validateEvery) adds no validation point: its line has none.
      if (event.validationLoss === undefined) break;
      series.latestValidation = event;
      if (event.best || series.bestEpoch === undefined) series.bestEpoch = event;
      series.validationLoss.push({ x: event.step, y: event.validationLoss });
      for (const [name, value] of Object.entries(event.metrics)) (series.metrics[name] ??= []).push({ x: event.epoch, y: value });
      break;
    case 'dataSummary':
      series.dataSummary = event.summary;
      break;
    case 'testEvaluation':
      series.test = event;
      break;
    case 'runFinished':
      series.finished = event;
      break;
    case 'log':
      if (event.level !== 'info') {
        series.problems.push(event);
        if (series.problems.length > maximumLogLines) series.problems.splice(0, series.problems.length - maximumLogLines);
      }
      break;
    default:
      break;
  }
}

export function dashboardSeriesFrom(events: readonly TrainerEvent[]): DashboardSeries {
  const series = emptyDashboardSeries();
  for (const event of events) addDashboardEvent(series, event);
  return series;
}

/** A metric's name as people write it ("token accuracy"), from the run's own labels; the raw name otherwise. */
export function metricLabel(series: DashboardSeries, metric: string): string {
  return series.runStarted?.metricLabels?.[metric] ?? metric;
}

export type HostRunState = 'idle' | 'running' | 'paused' | 'finished';

/** The status line under the buttons, e.g. "Running · epoch 3/20 · step 560/4,000 (14%) · 1,234 samples/s · ETA 1m 40s". */
export function runStatusText(series: DashboardSeries, hostState: HostRunState | undefined): string {
  const finished = series.finished;
  if (finished !== undefined) {
    // The trainer's message is the whole outcome in one sentence (src/train/runOutcome.ts): figures added here
    // repeated or contradicted it. Runs recorded before it said only the reason, in lower case: the word leads.
    const outcome = { completed: 'Completed', stopped: 'Stopped', 'early-stopped': 'Stopped early', diverged: 'Diverged', failed: 'Failed' }[finished.status];
    if (/^[A-Z]/.test(finished.message)) return finished.message;
    return finished.message ? `${outcome}: ${finished.message}` : `${outcome}.`;
  }
  const step = series.latestStep;
  const started = series.runStarted;
  if (step === undefined) {
    if (started !== undefined) return `Starting ${started.specName} · ${formatCount(started.parameterCount)} parameters`;
    return hostState === 'running' ? 'Starting…' : 'No training run yet';
  }
  const totalSteps = step.totalSteps || started?.totalSteps || 0;
  const percent = totalSteps > 0 ? ` (${Math.floor((100 * step.step) / totalSteps)}%)` : '';
  const epochs = started !== undefined ? `/${started.epochs}` : '';
  const position = [`epoch ${step.epoch}${epochs}`, `step ${formatCount(step.step)}/${formatCount(totalSteps)}${percent}`];
  // A run folder reopened without its final event (a killed window) is over, not running.
  if (hostState === 'finished' || hostState === 'idle') return ['Not running', ...position].join(' · ');
  const parts = [hostState === 'paused' ? 'Paused' : 'Running', ...position, `${formatCount(step.samplesPerSecond)} samples/s`, `ETA ${formatDuration(step.etaSeconds)}`];
  if (step.teacherForcing !== undefined) parts.push(`teacher forcing ${formatScalar(step.teacherForcing)}`);
  return parts.join(' · ');
}
