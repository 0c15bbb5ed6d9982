/**
 * The rows of a runs table: every run folder under a folder's `.seqlab/runs/` and every trial of its
 * `.seqlab/sweeps/*` (or of one sweep folder), each with its varied parameters (trials) and its results read
 * from the run folder — the last validated epoch's metrics ("final"; training.validateEvery may skip epochs), those of the best epoch ("best"), the
 * held-out test block, duration and training samples per second. Used by `seqlab runs` and `seqlab sweep`.
 */
import * as path from 'node:path';
import { RUN_FILES, readJsonLines } from '../runFolder';
import type { RunIo } from '../runIo';
import { higherIsBetter } from '../metrics';
import { lastValidatedEpoch } from '../validationCadence';
import { type ParamValue, type TrialStatus, listSweepFolders, readSweepFolder, trialRunDir } from './sweepFolder';

export interface RunRow {
  /** The run folder's name, or `<sweep folder>/<trial id>`. */
  name: string;
  runDir: string;
  specName?: string;
  /** The report's status; for a trial, the sweep's own status (pruned, …) when it says more. */
  status: string;
  params: Record<string, ParamValue>;
  seed?: number;
  configKey?: string;
  epochs: number;
  /** Validation `loss` and the task's metrics at the last epoch and at the best epoch. */
  final: Record<string, number>;
  best: Record<string, number>;
  test?: Record<string, number>;
  seconds?: number;
  samplesPerSecond?: number;
}

type ListIo = Pick<RunIo, 'exists' | 'readTextFile' | 'listDirectory'>;

interface EpochLine {
  epoch: number;
  validationLoss?: number | string;
  metrics?: Record<string, number | string>;
}

const numbersOf = (line: EpochLine | undefined): Record<string, number> => {
  if (!line) return {};
  const out: Record<string, number> = {};
  const add = (name: string, value: unknown) => {
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if (!Number.isNaN(n)) out[name] = n;
  };
  add('loss', line.validationLoss);
  for (const [name, value] of Object.entries(line.metrics ?? {})) add(name, value);
  return out;
};

function readObject(io: ListIo, file: string): Record<string, unknown> | undefined {
  try {
    if (!io.exists(file)) return undefined;
    const value = JSON.parse(io.readTextFile(file)) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // being written, or damaged: shown with what is known
  }
}

/** One run folder's figures (undefined when it is not a run folder: no spec.json). */
export function readRunRow(io: ListIo, runDir: string, name: string): RunRow | undefined {
  const spec = readObject(io, path.join(runDir, RUN_FILES.spec)) as { name?: string; training?: { batchSize?: number } } | undefined;
  if (!spec) return undefined;
  const report = readObject(io, path.join(runDir, RUN_FILES.report)) as { status?: string; bestEpoch?: number; seconds?: number; steps?: number; test?: { loss?: number; metrics?: Record<string, number> } } | undefined;
  let lines: EpochLine[] = [];
  try {
    lines = readJsonLines(io as RunIo, path.join(runDir, RUN_FILES.metrics)) as EpochLine[];
  } catch {
    /* a damaged metrics file: no figures */
  }
  const bestLine = lines.find((l) => l.epoch === report?.bestEpoch);
  const seconds = typeof report?.seconds === 'number' ? report.seconds : undefined;
  const samples = (report?.steps ?? 0) * (spec.training?.batchSize ?? 0);
  const test = report?.test ? numbersOf({ epoch: 0, validationLoss: report.test.loss, metrics: report.test.metrics }) : undefined;
  return {
    name, runDir, ...(spec.name ? { specName: spec.name } : {}), status: report?.status ?? 'no report', params: {}, epochs: lines.length ? lines[lines.length - 1].epoch : 0,
    final: numbersOf(lastValidatedEpoch(lines)), best: numbersOf(bestLine), ...(test ? { test } : {}),
    ...(seconds !== undefined ? { seconds } : {}), ...(seconds && samples ? { samplesPerSecond: samples / seconds } : {}),
  };
}

/** The status a table shows for a trial: the sweep's decision where the run's own report says less. */
function trialStatus(sweepStatus: TrialStatus, report: string): string {
  if (sweepStatus === 'pruned') return 'pruned';
  if (sweepStatus === 'pending') return 'pending';
  if (sweepStatus === 'running') return 'running';
  return report === 'stopped' ? sweepStatus : report;
}

/** The trials of one sweep folder as rows (pending trials without a folder too). */
export function sweepRows(io: ListIo, sweepDir: string): RunRow[] {
  const folder = readSweepFolder(sweepDir, io);
  const sweepName = path.basename(sweepDir);
  return folder.state.trials.map((trial) => {
    const runDir = trialRunDir(sweepDir, trial);
    const row = readRunRow(io, runDir, `${sweepName}/${trial.id}`) ?? { name: `${sweepName}/${trial.id}`, runDir, status: 'pending', params: {}, epochs: 0, final: {}, best: {} };
    return { ...row, status: trialStatus(trial.status, row.status), params: trial.params, seed: trial.seed, configKey: trial.configKey };
  });
}

/**
 * Every run and trial under `folder`: itself when it is a sweep folder, else the `.seqlab` folders in it and
 * in its subfolders (three levels down, not node_modules or hidden folders), runs newest first, then sweeps.
 */
export function collectRunRows(io: ListIo, folder: string): RunRow[] {
  if (io.exists(path.join(folder, 'sweep.json'))) return sweepRows(io, folder);
  const rows: RunRow[] = [];
  const visit = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = io.listDirectory(dir);
    } catch {
      return;
    }
    if (names.includes('.seqlab')) {
      const runs = path.join(dir, '.seqlab', 'runs');
      let runNames: string[] = [];
      try {
        runNames = io.listDirectory(runs).sort().reverse();
      } catch {
        /* no runs */
      }
      for (const name of runNames) {
        const row = readRunRow(io, path.join(runs, name), name);
        if (row) rows.push(row);
      }
      for (const sweepDir of listSweepFolders(path.join(dir, '.seqlab', 'sweeps'), io)) rows.push(...sweepRows(io, sweepDir));
    }
    if (depth === 0) return;
    for (const name of names.sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      visit(path.join(dir, name), depth - 1);
    }
  };
  visit(folder, 3);
  return rows;
}

/** Rows by their best value of `metric` (best first; rows without it last). */
export function sortRows(rows: readonly RunRow[], metric: string): RunRow[] {
  const sign = higherIsBetter(metric) ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a.best[metric] ?? a.final[metric];
    const y = b.best[metric] ?? b.final[metric];
    if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : 1) : -1;
    return sign * (x - y);
  });
}
