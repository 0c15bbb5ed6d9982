/**
 * The SeqLab Runs view as data: specs → their runs, sweeps → their trials, each with a status, an icon, the key
 * metric inline and the context value that decides which actions its menu offers. Pure (no `vscode`, no I/O):
 * `runsTree.ts` turns these nodes into TreeItems; unit tested.
 */
import type { RunRecord, RunStatus } from './runRecords';
import type { SweepProgress, SweepStatus } from '../train/runsTableProtocol';
import { statusWord } from './runFolders';
// The panels' number format, so the tree and the runs table print a figure alike.
import { formatScalar } from '../format/display';

export interface RunEntry {
  record: RunRecord;
  status: RunStatus;
  /** The host's run id when this extension trains it (Stop acts on it). */
  liveRunId?: string;
}

export interface TrialEntry {
  id: string;
  params: Record<string, string | number | boolean>;
  seed: number;
  /** The sweep's key of the configuration (the same for each of its seeds). */
  configKey: string;
  status: RunStatus;
  /** The sweep metric (best so far on validation), null before the first epoch. */
  metric: number | null;
  runDir: string;
  /** Undefined while the trial's folder does not exist yet (pending). */
  record?: RunRecord;
  liveRunId?: string;
  /** A TPE sweep's queued trial whose parameters TPE proposes when it starts: `params` are placeholders till then. */
  awaitsProposal?: boolean;
}

export interface SweepEntry {
  dir: string;
  name: string;
  metric?: { name: string; direction: 'minimize' | 'maximize' };
  /** The sweep's base spec file: trials resume from it (their data paths are relative to it). */
  baseSpec?: string;
  trials: TrialEntry[];
  /** Set while this window runs the sweep (sweepSessions.ts): running, or stopping after Stop Sweep. */
  active?: 'running' | 'stopping';
}

/**
 * How a sweep stands: run by this window (running, stopping), trained by another process (a trial writing:
 * running), every trial ended (finished), or trials left to train and nobody training them (interrupted: Resume
 * Sweep continues it).
 */
export type { SweepStatus };

const UNFINISHED_TRIAL = new Set<RunStatus>(['pending', 'running', 'interrupted']);

/** The sweep's progress as the runs table shows it. */
export function sweepProgress(sweep: Pick<SweepEntry, 'trials' | 'active'>): SweepProgress {
  const count = (statuses: RunStatus[]) => sweep.trials.filter((trial) => statuses.includes(trial.status)).length;
  return {
    status: sweepStatus(sweep), trials: sweep.trials.length, ended: sweep.trials.length - count(['pending', 'running', 'interrupted']),
    running: count(['running']), pending: count(['pending', 'interrupted']), stoppable: sweep.active === 'running',
  };
}

export function sweepStatus(sweep: Pick<SweepEntry, 'trials' | 'active'>): SweepStatus {
  if (sweep.active) return sweep.active;
  if (sweep.trials.some((trial) => trial.status === 'running')) return 'running';
  return sweep.trials.length > 0 && sweep.trials.every((trial) => !UNFINISHED_TRIAL.has(trial.status)) ? 'finished' : 'interrupted';
}

export const SWEEP_STATUS_ICONS: Record<SweepStatus, { icon: string; colour?: string }> = {
  running: { icon: 'beaker', colour: 'charts.blue' },
  stopping: { icon: 'beaker', colour: 'disabledForeground' },
  finished: { icon: 'beaker', colour: 'testing.iconPassed' },
  interrupted: { icon: 'debug-pause', colour: 'disabledForeground' },
};

const SWEEP_STATUS_WORDS: Record<SweepStatus, string> = {
  running: 'running', stopping: 'stopping', finished: 'finished', interrupted: 'interrupted (can be resumed)',
};

interface NodeBase {
  /** Stable across refreshes (a folder path), so the tree keeps expansion and selection. */
  id: string;
  label: string;
  description: string;
  tooltip: string;
}

export interface RunNode extends NodeBase {
  kind: 'run';
  runDir: string;
  status: RunStatus;
  /** Space-separated flags the package.json menus match on: `seqlabRun <status> [trial] [live] [resumable] [hasWeights]`. */
  contextValue: string;
  liveRunId?: string;
  trial?: { sweepDir: string; id: string };
}

export interface SpecNode extends NodeBase {
  kind: 'spec';
  children: RunNode[];
}

export interface SweepNode extends NodeBase {
  kind: 'sweep';
  dir: string;
  status: SweepStatus;
  /** `seqlabSweep <status> [live] [resumable] [deletable]`: Stop Sweep, Resume Sweep and Delete Sweep match on it. */
  contextValue: string;
  children: RunNode[];
}

export type RunsTreeNode = SpecNode | SweepNode | RunNode;

/** Codicon and theme colour of each status (the colours are VS Code's own, so every theme reads them). */
export const STATUS_ICONS: Record<RunStatus, { icon: string; colour?: string }> = {
  running: { icon: 'sync~spin', colour: 'charts.blue' },
  completed: { icon: 'pass', colour: 'testing.iconPassed' },
  'early-stopped': { icon: 'pass-filled', colour: 'testing.iconPassed' },
  pruned: { icon: 'debug-step-out', colour: 'disabledForeground' },
  stopped: { icon: 'debug-stop', colour: 'disabledForeground' },
  diverged: { icon: 'warning', colour: 'problemsWarningIcon.foreground' },
  failed: { icon: 'error', colour: 'problemsErrorIcon.foreground' },
  pending: { icon: 'clock' },
  interrupted: { icon: 'debug-pause', colour: 'disabledForeground' },
};



/** Best validation loss so far: from the epochs (live) or the report (a run with no epoch lines). */
export function bestValidationLoss(record: RunRecord): number | undefined {
  const losses = record.epochs.map((epoch) => epoch.validationLoss ?? Number.NaN).filter(Number.isFinite);
  if (losses.length > 0) return Math.min(...losses);
  const reported = record.report?.bestValidationLoss;
  return reported !== undefined && Number.isFinite(reported) ? reported : undefined;
}

function plannedEpochs(record: RunRecord): number | undefined {
  const training = record.spec?.training as { epochs?: unknown } | undefined;
  return typeof training?.epochs === 'number' ? training.epochs : undefined;
}

/** The inline text of a run: its best validation loss, and how far it is while it trains. */
export function runDescription(record: RunRecord | undefined, status: RunStatus): string {
  const parts: string[] = [];
  const best = record && bestValidationLoss(record);
  if (best !== undefined) parts.push(`val loss ${formatScalar(best)}`);
  if (record && status === 'running') {
    const planned = plannedEpochs(record);
    parts.push(`epoch ${record.epochs.length}${planned ? `/${planned}` : ''}`);
  }
  if (parts.length === 0) parts.push(statusWord(status));
  return parts.join(' · ');
}

function contextValue(status: RunStatus, record: RunRecord | undefined, liveRunId: string | undefined, trial = false): string {
  const flags = ['seqlabRun', status];
  // A trial's folder belongs to its sweep (its state names it): it is not deleted on its own.
  if (trial) flags.push('trial');
  if (liveRunId) flags.push('live');
  // A run that ended before its last epoch keeps a checkpoint it can continue from (a trial: through Resume Sweep,
  // which keeps the sweep's state in step).
  if (!trial && !liveRunId && record?.hasCheckpoint && (status === 'stopped' || status === 'interrupted')) flags.push('resumable');
  if (record?.hasCheckpoint) flags.push('hasWeights');
  return flags.join(' ');
}

function runNode(entry: RunEntry): RunNode {
  const { record, status } = entry;
  const node: RunNode = {
    kind: 'run', id: record.runDir, runDir: record.runDir, status, label: record.name,
    description: runDescription(record, status), tooltip: `${record.specName} · ${statusWord(status)}\n${record.runDir}`,
    contextValue: contextValue(status, record, entry.liveRunId),
  };
  if (entry.liveRunId) node.liveRunId = entry.liveRunId;
  return node;
}

/** `model.encoder.cell` → `cell`: the last segment is enough to tell parameters apart in a label. */
export function shortParameterName(path: string): string {
  return path.split('.').at(-1) ?? path;
}

/** What a queued TPE trial says instead of its placeholder parameters. */
const PROPOSED_AT_START = 'parameters proposed by TPE when it starts';

function trialNode(sweep: SweepEntry, trial: TrialEntry): RunNode {
  const params = trial.awaitsProposal ? PROPOSED_AT_START : Object.entries(trial.params).map(([path, value]) => `${shortParameterName(path)}=${value}`).join(', ');
  const metric = trial.metric !== null && sweep.metric ? `${sweep.metric.name} ${formatScalar(trial.metric)}` : undefined;
  const description = [metric ?? runDescription(trial.record, trial.status), `seed ${trial.seed}`].join(' · ');
  const node: RunNode = {
    kind: 'run', id: trial.runDir, runDir: trial.runDir, status: trial.status, label: params ? `${trial.id} ${params}` : trial.id,
    description, tooltip: `${sweep.name} / ${trial.id} · ${statusWord(trial.status)}\n${trial.awaitsProposal ? PROPOSED_AT_START : Object.entries(trial.params).map(([path, value]) => `${path} = ${value}`).join('\n')}\nseed ${trial.seed}`,
    contextValue: contextValue(trial.status, trial.record, trial.liveRunId, true), trial: { sweepDir: sweep.dir, id: trial.id },
  };
  if (trial.liveRunId) node.liveRunId = trial.liveRunId;
  return node;
}

function sweepNode(sweep: SweepEntry): SweepNode {
  const finished = sweep.trials.filter((trial) => !UNFINISHED_TRIAL.has(trial.status)).length;
  const running = sweep.trials.filter((trial) => trial.status === 'running').length;
  const status = sweepStatus(sweep);
  const flags = ['seqlabSweep', status];
  if (sweep.active === 'running') flags.push('live');
  if (status === 'interrupted') flags.push('resumable');
  if (status === 'finished' || status === 'interrupted') flags.push('deletable');
  const parts = [status, `${finished}/${sweep.trials.length} trials`];
  if (running > 0) parts.push(`${running} running`);
  const metrics = sweep.trials.map((trial) => trial.metric).filter((metric): metric is number => metric !== null && Number.isFinite(metric));
  if (sweep.metric && metrics.length > 0) {
    const best = sweep.metric.direction === 'maximize' ? Math.max(...metrics) : Math.min(...metrics);
    parts.push(`best ${sweep.metric.name} ${formatScalar(best)}`);
  }
  return {
    kind: 'sweep', id: sweep.dir, dir: sweep.dir, label: sweep.name, description: parts.join(' · '), status, contextValue: flags.join(' '),
    tooltip: `Sweep ${sweep.name} · ${SWEEP_STATUS_WORDS[status]}${sweep.metric ? ` (${sweep.metric.direction} ${sweep.metric.name})` : ''}\n${sweep.dir}`,
    children: sweep.trials.map((trial) => trialNode(sweep, trial)),
  };
}

/**
 * The top level: sweeps (newest first, as given), then one node per spec name holding its runs newest first,
 * the spec with the most recent run first.
 */
export function buildRunsTree(runs: readonly RunEntry[], sweeps: readonly SweepEntry[]): RunsTreeNode[] {
  const bySpec = new Map<string, RunEntry[]>();
  for (const entry of [...runs].sort((a, b) => b.record.startedAt - a.record.startedAt || b.record.name.localeCompare(a.record.name))) {
    const list = bySpec.get(entry.record.specName) ?? [];
    list.push(entry);
    bySpec.set(entry.record.specName, list);
  }
  const specNodes: SpecNode[] = [...bySpec].map(([specName, entries]) => {
    const running = entries.filter((entry) => entry.status === 'running').length;
    return {
      kind: 'spec', id: `spec:${specName}`, label: specName,
      description: `${entries.length} run${entries.length === 1 ? '' : 's'}${running > 0 ? ` · ${running} running` : ''}`,
      tooltip: `Runs of the spec "${specName}"`, children: entries.map(runNode),
    };
  });
  return [...sweeps.map(sweepNode), ...specNodes];
}
