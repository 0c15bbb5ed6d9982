/**
 * What the Runs view and the runs table know of one run folder: its spec, its epochs (metrics.jsonl, one small
 * line per epoch), how it ended (report.json) and its status, read with a cache keyed by each file's size and
 * modification time, so a refresh after one run's epoch re-reads only that run. Never reads a data file or a
 * checkpoint's contents. Node only, no `vscode`: unit tested.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { EpochEnd, RunStatus } from '../train/protocol';
import { RUN_FILES } from '../train/runFolder';
import { runStartTime } from './runFolders';

// How a run stands. `pruned` and `pending` come from a sweep's state; `interrupted`: no report and no recent write.
export type { RunStatus };

const REPORT_STATUSES: readonly RunStatus[] = ['completed', 'early-stopped', 'stopped', 'diverged', 'failed'];

/**
 * A run without report.json whose files changed within this time is taken as training in another process (the
 * CLI, a sweep): its trainer commits metrics and a checkpoint every epoch. Older ones were killed or crashed.
 */
export const RUNNING_IF_WRITTEN_WITHIN_MS = 5 * 60_000;

/** One line of metrics.jsonl, as the trainer's `epoch` event carries it. */
export type EpochPoint = Omit<EpochEnd, 'type' | 'lr'>;

export interface RunReport {
  status: string;
  bestValidationLoss: number;
  bestEpoch: number;
  epochs: number;
  steps: number;
  seconds: number;
  finalMetrics: Record<string, number>;
  /** The seed the run used (a `--seed` override is not written into spec.json). */
  seed?: number;
  /** The held-out test split (report.json's `test`), when the spec has one. */
  test?: { loss: number; metrics: Record<string, number> };
}

export interface RunRecord {
  runDir: string;
  /** The folder's name (`forecaster-20261205-121256`, or a trial's `t007`). */
  name: string;
  startedAt: number;
  specName: string;
  /** spec.json as the run trained it (defaults applied); undefined while unreadable. */
  spec?: Record<string, unknown>;
  epochs: EpochPoint[];
  report?: RunReport;
  /** Newest modification time of the run's files (ms). */
  lastWrite: number;
  hasCheckpoint: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** JSON keeps NaN and ±Infinity as strings (runFolder's writeJson): read back as numbers. */
const toNumber = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN);
const figures = (value: unknown): Record<string, number> => (isObject(value) ? Object.fromEntries(Object.entries(value).map(([name, figure]) => [name, toNumber(figure)])) : {});

function epochPoint(line: unknown): EpochPoint | undefined {
  if (!isObject(line) || typeof line.epoch !== 'number') return undefined;
  return {
    epoch: line.epoch, step: toNumber(line.step), trainLoss: toNumber(line.trainLoss),
    // An epoch without validation (training.validateEvery) has neither: it stays without, not NaN or zero.
    ...(line.validationLoss !== undefined ? { validationLoss: toNumber(line.validationLoss) } : {}), metrics: figures(line.metrics),
    best: line.best === true, seconds: toNumber(line.seconds),
  };
}

function runReport(json: unknown): RunReport | undefined {
  if (!isObject(json) || typeof json.status !== 'string') return undefined;
  const report: RunReport = {
    status: json.status, bestValidationLoss: toNumber(json.bestValidationLoss), bestEpoch: toNumber(json.bestEpoch), epochs: toNumber(json.epochs),
    steps: toNumber(json.steps), seconds: toNumber(json.seconds), finalMetrics: figures(json.finalMetrics),
  };
  if (typeof json.seed === 'number') report.seed = json.seed;
  if (isObject(json.test)) report.test = { loss: toNumber(json.test.loss), metrics: figures(json.test.metrics) };
  return report;
}

interface FileStamp {
  mtimeMs: number;
  size: number;
}

function stampOf(path: string): FileStamp | undefined {
  try {
    const stats = statSync(path);
    return stats.isFile() ? { mtimeMs: stats.mtimeMs, size: stats.size } : undefined;
  } catch {
    return undefined;
  }
}

/** Parsed files, re-read only when their size or modification time changed. */
export class RunRecordReader {
  private readonly parsed = new Map<string, { stamp: FileStamp; value: unknown }>();

  private read<T>(path: string, parse: (text: string) => T): T | undefined {
    const stamp = stampOf(path);
    if (!stamp) {
      this.parsed.delete(path);
      return undefined;
    }
    const cached = this.parsed.get(path);
    if (cached && cached.stamp.mtimeMs === stamp.mtimeMs && cached.stamp.size === stamp.size) return cached.value as T;
    let value: T | undefined;
    try {
      value = parse(readFileSync(path, 'utf8'));
    } catch {
      value = undefined; // a file being replaced, or damaged: what is known is shown, the next change re-reads it
    }
    this.parsed.set(path, { stamp, value });
    return value;
  }

  /** The run in `runDir`, or undefined when it holds no spec.json (not a run folder). */
  readRun(runDir: string): RunRecord | undefined {
    const specPath = join(runDir, RUN_FILES.spec);
    const specStamp = stampOf(specPath);
    if (!specStamp) return undefined;
    const spec = this.read(specPath, (text) => JSON.parse(text) as unknown);
    const epochs = this.read(join(runDir, RUN_FILES.metrics), (text) =>
      text.split('\n').filter((line) => line.trim()).flatMap((line) => {
        try {
          const point = epochPoint(JSON.parse(line));
          return point ? [point] : [];
        } catch {
          return [];
        }
      })) ?? [];
    const report = this.read(join(runDir, RUN_FILES.report), (text) => runReport(JSON.parse(text)));
    const checkpointStamp = stampOf(join(runDir, RUN_FILES.model));
    const stamps = [specStamp, checkpointStamp, ...[RUN_FILES.metrics, RUN_FILES.report].map((name) => stampOf(join(runDir, name)))];
    const record: RunRecord = {
      runDir,
      name: basename(runDir),
      startedAt: runStartTime(runDir).getTime(),
      specName: isObject(spec) && typeof spec.name === 'string' ? spec.name : basename(runDir),
      epochs,
      lastWrite: Math.max(...stamps.map((stamp) => stamp?.mtimeMs ?? 0)),
      hasCheckpoint: checkpointStamp !== undefined,
    };
    if (isObject(spec)) record.spec = spec;
    if (report) record.report = report;
    return record;
  }

  /** Every run folder under `<root>/.seqlab/runs`, newest first. */
  readRunsUnder(root: string): RunRecord[] {
    const runsDir = join(root, '.seqlab', 'runs');
    let names: string[];
    try {
      names = readdirSync(runsDir);
    } catch {
      return [];
    }
    return names.flatMap((name) => this.readRun(join(runsDir, name)) ?? []).sort((a, b) => b.startedAt - a.startedAt || b.name.localeCompare(a.name));
  }

  /** Forget files of folders no longer listed (deleted runs). */
  forgetExcept(keptDirs: ReadonlySet<string>): void {
    for (const path of this.parsed.keys()) {
      if (!keptDirs.has(dirname(path))) this.parsed.delete(path);
    }
  }
}

/**
 * The spec as the run trained it: spec.json with the seed its report names (`seqlab train --seed N` and sweeps
 * override the seed without rewriting the spec), so runs that differ only by seed show that difference.
 */
export function effectiveSpec(record: Pick<RunRecord, 'spec' | 'report'>): Record<string, unknown> {
  const spec = record.spec ?? {};
  const seed = record.report?.seed;
  if (seed === undefined) return spec;
  const training = isObject(spec.training) ? spec.training : {};
  return training.seed === seed ? spec : { ...spec, training: { ...training, seed } };
}

/**
 * The status of a run: its report's when it has one; else running when the host trains it (`live`), when a
 * sweep says so, or when its files were written recently; `interrupted` otherwise.
 */
export function runStatus(record: Pick<RunRecord, 'report' | 'lastWrite'>, options: { live?: boolean; nowMs: number; sweepStatus?: RunStatus }): RunStatus {
  const reported = record.report?.status as RunStatus | undefined;
  if (reported && REPORT_STATUSES.includes(reported)) {
    // ASHA stops a trial at its rung with a report saying completed: the sweep knows it was pruned.
    return options.sweepStatus === 'pruned' ? 'pruned' : reported;
  }
  if (options.live) return 'running';
  // A sweep's `running` is trusted only while the trial writes: a killed sweep leaves it in its state.
  if (options.sweepStatus === 'pending' || options.sweepStatus === 'pruned') return options.sweepStatus;
  return options.nowMs - record.lastWrite <= RUNNING_IF_WRITTEN_WITHIN_MS ? 'running' : 'interrupted';
}

/**
 * The spec file a run of `.seqlab/runs/<run>` was trained from: a `*.seqmodel.json` beside that `.seqlab` whose
 * name is the run's spec name (resume and export need it: relative data paths are relative to it).
 */
export function specFileOfRun(runDir: string, specName: string): string | undefined {
  const specDir = dirname(dirname(dirname(runDir)));
  let names: string[];
  try {
    names = readdirSync(specDir).filter((name) => name.endsWith('.seqmodel.json')).sort();
  } catch {
    return undefined;
  }
  const named = (name: string) => {
    try {
      const spec: unknown = JSON.parse(readFileSync(join(specDir, name), 'utf8'));
      return isObject(spec) && spec.name === specName;
    } catch {
      return false;
    }
  };
  const found = names.find((name) => name === `${specName}.seqmodel.json` && named(name)) ?? names.find(named);
  return found === undefined ? undefined : join(specDir, found);
}
