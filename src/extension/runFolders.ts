/**
 * Finding past runs: every `.seqlab/runs/<name>-<YYYYMMDD-HHMMSS>/` folder that holds a `spec.json`, newest first,
 * with the figures of its `report.json` when the run got that far. Node only, no `vscode`: unit tested.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RunStatus } from '../train/protocol';

export interface RunFolderSummary {
  name: string;
  runDir: string;
  /** From the folder name's `-YYYYMMDD-HHMMSS` suffix, else the folder's modification time. */
  startedAt: Date;
  specName?: string;
  status?: string;
  bestValidationLoss?: number;
  epochs?: number;
}

const RUN_TIME_SUFFIX = /-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-\d+)?$/;

function readJsonObject(path: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // a run still being written, or a damaged one: listed with what is known
  }
}

/** From the folder name's `-YYYYMMDD-HHMMSS` suffix, else the folder's modification time. */
export function runStartTime(runDir: string): Date {
  const match = RUN_TIME_SUFFIX.exec(basename(runDir));
  if (match) {
    const [, year, month, day, hour, minute, second] = match.map(Number);
    return new Date(Date.UTC(year, month - 1, day, hour, minute, second)); // the trainer names folders in UTC
  }
  return statSync(runDir).mtime;
}

/** Lists the runs under each `<root>/.seqlab/runs`, newest first. Missing folders are simply skipped. */
export function listRunFolders(workspaceRoots: readonly string[]): RunFolderSummary[] {
  const runs: RunFolderSummary[] = [];
  for (const root of workspaceRoots) {
    const runsDir = join(root, '.seqlab', 'runs');
    if (!existsSync(runsDir)) continue;
    for (const entry of readdirSync(runsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const runDir = join(runsDir, entry.name);
      if (!existsSync(join(runDir, 'spec.json'))) continue;
      const spec = readJsonObject(join(runDir, 'spec.json'));
      const report = readJsonObject(join(runDir, 'report.json'));
      const summary: RunFolderSummary = { name: entry.name, runDir, startedAt: runStartTime(runDir) };
      if (typeof spec?.name === 'string') summary.specName = spec.name;
      if (typeof report?.status === 'string') summary.status = report.status;
      if (typeof report?.bestValidationLoss === 'number') summary.bestValidationLoss = report.bestValidationLoss;
      if (typeof report?.epochs === 'number') summary.epochs = report.epochs;
      runs.push(summary);
    }
  }
  return runs.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || b.name.localeCompare(a.name));
}

/** One line for a quick pick: what was trained, how it ended, and its best validation loss. */
export function describeRunFolder(run: RunFolderSummary): string {
  const parts = [run.specName ?? run.name, run.status ? statusWord(run.status) : 'no report'];
  if (run.bestValidationLoss !== undefined && Number.isFinite(run.bestValidationLoss)) parts.push(`best val loss ${run.bestValidationLoss.toPrecision(4)}`);
  if (run.epochs !== undefined) parts.push(`${run.epochs} epoch${run.epochs === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

const STATUS_WORDS: Record<RunStatus, string> = {
  running: 'running', completed: 'completed', 'early-stopped': 'stopped early', pruned: 'stopped early by the sweep (pruned)',
  stopped: 'stopped', diverged: 'diverged', failed: 'failed', pending: 'queued', interrupted: 'interrupted (no report; can be resumed)',
};

/** How a run's status reads in the Runs view, the Open Run list and the status bar (a word the report did not define stays as it is). */
export function statusWord(status: string): string {
  return (STATUS_WORDS as Record<string, string>)[status] ?? status;
}
