/**
 * The runs table's data: which runs a scope holds (one spec's runs, or every planned trial of one sweep), the spec
 * paths that vary between them (src/modelSpec/specDiff.ts), and per run its varied values, seed, configuration key
 * and figures (final, best and test metrics, duration, samples/s), plus its curves per epoch. A trial not started
 * yet is a row of its planned parameters without figures. Pure: no `vscode`, no I/O (the records are read by
 * RunRecordReader); unit tested.
 */
import { basename } from 'node:path';
import { flattenSpec, variedPaths, type SpecValue } from '../modelSpec/specDiff';
import { LOSS_METRIC, type RunCurve, type RunsTable, type RunsTableRow, type RunsTableScope } from '../train/runsTableProtocol';
import { isValidatedEpoch, lastValidatedEpoch } from '../train/validationCadence';
import { effectiveSpec, type RunRecord, type RunStatus } from './runRecords';
import { sweepProgress, type RunEntry, type SweepEntry } from './runsTreeModel';

/** Where a spec keeps its seed; a sweep's seeds set this path too. */
export const SEED_PATH = 'training.seed';

export interface TableSource {
  /** Undefined for a sweep trial whose run folder does not exist yet (queued). */
  record?: RunRecord;
  status: RunStatus;
  /**
   * For a sweep trial: its id, the sweep's own configuration key (the same for each of its seeds), and what the
   * sweep planned for it (its folder, parameters and seed), known before it starts.
   */
  trial?: {
    sweepName: string; specName: string; id: string; configKey: string; runDir: string; params: Record<string, SpecValue>; seed: number;
    /** TPE proposes its parameters when it starts: the planned ones are placeholders, not shown. */
    awaitsProposal?: boolean;
  };
}

const specScopeId = (specName: string) => `spec:${specName}`;
const sweepScopeId = (dir: string) => `sweep:${dir}`;

/** The scopes in the Runs view's order: sweeps newest first, then specs by their latest run. */
export function runsTableScopes(runs: readonly RunEntry[], sweeps: readonly SweepEntry[]): RunsTableScope[] {
  const counts = new Map<string, { count: number; latest: number }>();
  for (const { record } of runs) {
    const known = counts.get(record.specName) ?? { count: 0, latest: 0 };
    counts.set(record.specName, { count: known.count + 1, latest: Math.max(known.latest, record.startedAt) });
  }
  return [
    ...sweeps.map((sweep) => ({ id: sweepScopeId(sweep.dir), label: `sweep ${sweep.name} (${sweep.trials.length} trials)` })),
    ...[...counts].sort((a, b) => b[1].latest - a[1].latest).map(([specName, { count }]) => ({ id: specScopeId(specName), label: `${specName} (${count} run${count === 1 ? '' : 's'})` })),
  ];
}

/** The scope holding this run folder (a trial's sweep, else its spec's runs). */
export function scopeOfRun(runDir: string, runs: readonly RunEntry[], sweeps: readonly SweepEntry[]): string | undefined {
  const sweep = sweeps.find((candidate) => candidate.trials.some((trial) => trial.runDir === runDir));
  if (sweep) return sweepScopeId(sweep.dir);
  const run = runs.find((entry) => entry.record.runDir === runDir);
  return run ? specScopeId(run.record.specName) : undefined;
}

export function scopeOfSweep(dir: string): string {
  return sweepScopeId(dir);
}

export function scopeOfSpec(specName: string): string {
  return specScopeId(specName);
}

/** The name trials of a sweep run under: their spec's (from a started trial), else the base spec file's. */
function sweepSpecName(sweep: SweepEntry): string {
  const started = sweep.trials.find((trial) => trial.record)?.record;
  if (started) return started.specName;
  return sweep.baseSpec ? basename(sweep.baseSpec).replace(/\.seqmodel\.json$/, '') : sweep.name;
}

/** The runs a scope shows: a spec's runs, or every planned trial of a sweep, started or not. */
export function sourcesOfScope(scope: string, runs: readonly RunEntry[], sweeps: readonly SweepEntry[]): TableSource[] {
  const sweep = sweeps.find((candidate) => sweepScopeId(candidate.dir) === scope);
  if (sweep) {
    const specName = sweepSpecName(sweep);
    return sweep.trials.map((trial) => ({
      ...(trial.record ? { record: trial.record } : {}), status: trial.status,
      trial: {
        sweepName: sweep.name, specName, id: trial.id, configKey: trial.configKey, runDir: trial.runDir, params: trial.params, seed: trial.seed,
        ...(trial.awaitsProposal ? { awaitsProposal: true } : {}),
      },
    }));
  }
  return runs.filter((entry) => specScopeId(entry.record.specName) === scope).map((entry) => ({ record: entry.record, status: entry.status }));
}

const lastOf = <T>(items: readonly T[]) => items[items.length - 1];

function epochFigures(epoch: RunRecord['epochs'][number] | undefined): Record<string, number> {
  return epoch?.validationLoss !== undefined ? { [LOSS_METRIC]: epoch.validationLoss, ...epoch.metrics } : {};
}

/** The trainer marks each improving epoch `best`; the last one marked is the best (only validated epochs count). */
function bestEpoch(record: RunRecord): RunRecord['epochs'][number] | undefined {
  return lastOf(record.epochs.filter((epoch) => epoch.best)) ?? record.epochs.filter(isValidatedEpoch).reduce<RunRecord['epochs'][number] | undefined>(
    (best, epoch) => (best?.validationLoss === undefined || epoch.validationLoss < best.validationLoss ? epoch : best), undefined);
}

function runSeconds(record: RunRecord): number | null {
  if (record.report && Number.isFinite(record.report.seconds)) return record.report.seconds;
  return record.epochs.length > 0 ? record.epochs.reduce((sum, epoch) => sum + (Number.isFinite(epoch.seconds) ? epoch.seconds : 0), 0) : null;
}

function samplesPerSecond(record: RunRecord, seconds: number | null): number | null {
  const batchSize = (record.spec?.training as { batchSize?: unknown } | undefined)?.batchSize;
  const steps = record.report && Number.isFinite(record.report.steps) ? record.report.steps : lastOf(record.epochs)?.step;
  if (typeof batchSize !== 'number' || steps === undefined || !Number.isFinite(steps) || seconds === null || !(seconds > 0)) return null;
  return (steps * batchSize) / seconds;
}

/** A queued trial: its planned parameters (none yet for one TPE proposes as it starts) and seed, no figures yet. */
function queuedRow(trial: NonNullable<TableSource['trial']>, status: RunStatus, parameters: readonly string[]): RunsTableRow {
  const planned = new Map<string, SpecValue>([...(trial.awaitsProposal ? [] : Object.entries(trial.params)), [SEED_PATH, trial.seed]]);
  const params: RunsTableRow['params'] = {};
  for (const path of parameters) {
    const value = planned.get(path);
    if (value !== undefined) params[path] = value;
  }
  return {
    id: trial.runDir, name: `${trial.sweepName} / ${trial.id}`, specName: trial.specName, status, params, seed: trial.seed, configKey: trial.configKey,
    epochs: 0, final: {}, best: {}, test: {}, seconds: null, samplesPerSecond: null,
  };
}

function tableRow(source: TableSource, parameters: readonly string[]): RunsTableRow {
  const { record } = source;
  if (!record) return queuedRow(source.trial!, source.status, parameters);
  const leaves = flattenSpec(effectiveSpec(record));
  const params: RunsTableRow['params'] = {};
  for (const path of parameters) {
    const value = leaves.get(path);
    if (value !== undefined) params[path] = value;
  }
  const seedValue = leaves.get(SEED_PATH);
  const configuration = parameters.filter((path) => path !== SEED_PATH).map((path) => [path, params[path] ?? null]);
  const seconds = runSeconds(record);
  const test = record.report?.test;
  const final = epochFigures(lastValidatedEpoch(record.epochs)); // the last figures validation gave
  return {
    id: record.runDir,
    name: source.trial ? `${source.trial.sweepName} / ${source.trial.id}` : record.name,
    specName: record.specName,
    status: source.status,
    params,
    seed: typeof seedValue === 'number' ? seedValue : null,
    configKey: source.trial?.configKey ?? JSON.stringify(configuration),
    epochs: record.epochs.length,
    final: Object.keys(final).length > 0 ? final : { ...(record.report?.finalMetrics ?? {}) },
    best: epochFigures(bestEpoch(record)),
    test: test ? { [LOSS_METRIC]: test.loss, ...test.metrics } : {},
    seconds,
    samplesPerSecond: samplesPerSecond(record, seconds),
  };
}

/**
 * The varied spec paths: for a sweep, the parameters its plan varies (the sweep file's order, then the seed) from
 * the start, then any other path its started trials differ in (a default one of the parameters decides).
 */
function tableParameters(sources: readonly TableSource[]): string[] {
  const recorded = variedPaths(sources.flatMap((source) => (source.record ? [effectiveSpec(source.record)] : [])));
  const trials = sources.flatMap((source) => (source.trial ? [source.trial] : []));
  if (trials.length === 0) return recorded;
  const plannedPaths = [...new Set(trials.flatMap((trial) => Object.keys(trial.params)))];
  const varies = (valueOf: (trial: (typeof trials)[number]) => SpecValue | undefined) => trials.some((trial) => !Object.is(valueOf(trial), valueOf(trials[0])));
  const planned = [...plannedPaths.filter((path) => varies((trial) => trial.params[path])), ...(varies((trial) => trial.seed) ? [SEED_PATH] : [])];
  return [...planned, ...recorded.filter((path) => !planned.includes(path))];
}

/** The table of a scope's runs, newest first as given. */
export function buildRunsTable(scopes: RunsTableScope[], scope: string, sources: readonly TableSource[], objective?: RunsTable['objective']): RunsTable {
  const parameters = tableParameters(sources);
  const rows = sources.map((source) => tableRow(source, parameters));
  const metrics = [LOSS_METRIC];
  for (const row of rows) for (const name of [...Object.keys(row.final), ...Object.keys(row.test)]) if (!metrics.includes(name)) metrics.push(name);
  return { scopes, scope, parameters, seedPath: SEED_PATH, metrics, rows, ...(objective ? { objective } : {}) };
}

/**
 * A run's curves per epoch: the validation loss, the train loss and each validation metric. An epoch without
 * validation (training.validateEvery) is NaN in the validation series: the overlay draws the validated points only.
 */
export function runCurve(record: RunRecord): RunCurve {
  const series: Record<string, number[]> = { [LOSS_METRIC]: record.epochs.map((epoch) => epoch.validationLoss ?? Number.NaN), 'train loss': record.epochs.map((epoch) => epoch.trainLoss) };
  for (const epoch of record.epochs) for (const name of Object.keys(epoch.metrics)) series[name] ??= record.epochs.map((other) => other.metrics[name] ?? Number.NaN);
  return { id: record.runDir, epochs: record.epochs.map((epoch) => epoch.epoch), series };
}

/**
 * What the panel is sent for a scope (the first scope when `wanted` is gone): the table, with a sweep's progress
 * when the scope is a sweep, and the records behind its rows (the only folders the panel may then ask about).
 * Sent again whenever the runs index changes: a sweep's rows change state and fill in as its trials train.
 */
export function tableOfScope(wanted: string | undefined, runs: readonly RunEntry[], sweeps: readonly SweepEntry[]): { table: RunsTable; records: Map<string, RunRecord> } {
  const scopes = runsTableScopes(runs, sweeps);
  const scope = scopes.some((candidate) => candidate.id === wanted) ? wanted! : scopes[0]?.id ?? '';
  const sources = sourcesOfScope(scope, runs, sweeps);
  const sweep = sweeps.find((candidate) => sweepScopeId(candidate.dir) === scope);
  const table = buildRunsTable(scopes, scope, sources, sweep?.metric);
  const records = new Map(sources.flatMap((source) => (source.record ? [[source.record.runDir, source.record] as const] : [])));
  return { table: sweep ? { ...table, sweep: sweepProgress(sweep) } : table, records };
}
