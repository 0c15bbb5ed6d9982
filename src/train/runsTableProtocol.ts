/**
 * The messages between the host and the runs table panel (re-exported by protocol.ts with every other message).
 * A row is a run or a sweep trial, identified by its run folder; the panel can only name rows the host sent, so it
 * never makes the host read a path of its choosing.
 */
import type { SpecDifference, SpecValue } from '../modelSpec/specDiff';

/** How a run stands (see src/extension/runRecords.ts). */
export type RunStatus = 'running' | 'completed' | 'early-stopped' | 'stopped' | 'diverged' | 'failed' | 'pruned' | 'pending' | 'interrupted';

/** Metric name of the validation loss among the table's metrics (the others are the task's, e.g. rmse, accuracy). */
export const LOSS_METRIC = 'loss';

export interface RunsTableRow {
  /** The run folder (absolute path): stable across refreshes. */
  id: string;
  /** The folder's name, or `sweep / t007` for a trial. */
  name: string;
  specName: string;
  status: RunStatus;
  /** The value of every varied spec path (the table's `parameters`) in this run; missing ones are absent. */
  params: Record<string, SpecValue>;
  seed: number | null;
  /** The same for every seed of one configuration: the varied parameters other than the seed. */
  configKey: string;
  /** Epochs with a metrics line so far. */
  epochs: number;
  /** Validation figures by metric name (`loss` and the task's metrics): at the last epoch, at the best epoch. */
  final: Record<string, number>;
  best: Record<string, number>;
  /** The held-out test split (report.json's `test`), when the run has one. */
  test: Record<string, number>;
  seconds: number | null;
  /** Training samples per second over the whole run (steps × batch size / seconds). */
  samplesPerSecond: number | null;
}

/** What the table shows: the runs of one spec, or the trials of one sweep. */
export interface RunsTableScope {
  id: string;
  label: string;
}

export interface RunsTable {
  scopes: RunsTableScope[];
  scope: string;
  /** Spec paths whose value is not the same in every row, in spec order; the seed's path among them. */
  parameters: string[];
  seedPath: string;
  /** `loss` first, then the task metrics. */
  metrics: string[];
  /** The metric a sweep optimises (its direction), when the scope is a sweep. */
  objective?: { name: string; direction: 'minimize' | 'maximize' };
  /** How the sweep stands, when the scope is a sweep (rows appear as its trials start). */
  sweep?: SweepProgress;
  rows: RunsTableRow[];
}

/** How a sweep stands (src/extension/runsTreeModel.ts `sweepStatus`). */
export type SweepStatus = 'running' | 'stopping' | 'finished' | 'interrupted';

export interface SweepProgress {
  status: SweepStatus;
  /** Trials planned, ended (completed, pruned, diverged, failed), training now, not started yet. */
  trials: number;
  ended: number;
  running: number;
  pending: number;
  /** This window runs it: the panel offers Stop (`stopSweep`). */
  stoppable: boolean;
}

/** One run's validation curves per epoch: `loss`, `train loss` and each task metric. */
export interface RunCurve {
  id: string;
  epochs: number[];
  series: Record<string, number[]>;
}

export type HostToRunsTable =
  | { type: 'runsTable'; table: RunsTable }
  | { type: 'runsCurves'; curves: RunCurve[] }
  | { type: 'specDiff'; left: string; right: string; differences: SpecDifference[] }
  /** Select these rows (the runs picked in the Runs view), replacing the selection. */
  | { type: 'select'; ids: string[] };

export type RunsTableToHost =
  | { type: 'ready'; panel: 'runs' }
  | { type: 'setScope'; scope: string }
  /**
   * The scope the panel showed before its page was reloaded (a window reload): the host takes it only when it has
   * no scope of its own, so a sweep the host just opened the table on is not replaced by the page's old choice.
   */
  | { type: 'restoreScope'; scope: string }
  | { type: 'requestCurves'; ids: string[] }
  | { type: 'requestSpecDiff'; left: string; right: string }
  | { type: 'openRun'; id: string }
  /** Stop the sweep the table shows (`scope` must be the table's sweep scope, run by this window). */
  | { type: 'stopSweep'; scope: string };
