/**
 * Reopening a past run in the panels: the trainer's run folder (see src/train/runFolder.ts) turned back into the
 * events a live run sent — `runStarted` from report/spec, one `epoch` per line of metrics.jsonl, and
 * `runFinished` from report.json when the run got that far. Node only, no `vscode`.
 */
import { basename, join } from 'node:path';
import type { EpochEnd, RunFinished, RunStarted, TrainerEvent } from '../train/protocol';
import { RUN_FILES, readJsonLines } from '../train/runFolder';
import { nodeRunIo } from '../train/runIo';

type JsonObject = Record<string, unknown>;

function readObject(path: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(nodeRunIo.readTextFile(path));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);

export function loadRunHistory(runDir: string): TrainerEvent[] {
  const spec = readObject(join(runDir, RUN_FILES.spec));
  const report = readObject(join(runDir, RUN_FILES.report));
  let lines: unknown[] = [];
  try {
    lines = readJsonLines(nodeRunIo, join(runDir, RUN_FILES.metrics));
  } catch {
    lines = []; // a run that never finished an epoch
  }
  const epochs = lines
    .filter((line): line is JsonObject => typeof line === 'object' && line !== null && typeof (line as JsonObject).epoch === 'number')
    .map((line) => ({ ...line, type: 'epoch' }) as unknown as EpochEnd);
  const task = typeof report?.task === 'string' ? report.task : typeof (spec?.task as JsonObject | undefined)?.type === 'string' ? String((spec?.task as JsonObject).type) : 'unknown';
  const started: RunStarted = {
    type: 'runStarted',
    runId: basename(runDir),
    runDir,
    specName: typeof report?.specName === 'string' ? report.specName : typeof spec?.name === 'string' ? spec.name : basename(runDir),
    task,
    parameterCount: numberOr(report?.parameterCount, 0),
    totalSteps: numberOr(report?.steps, epochs.at(-1)?.step ?? 0),
    epochs: numberOr(report?.epochs, epochs.length),
    stepsPerEpoch: epochs.length > 0 ? Math.round((epochs.at(-1)?.step ?? 0) / epochs.length) : 0,
    metricNames: Object.keys(epochs.at(-1)?.metrics ?? {}),
  };
  const history: TrainerEvent[] = [started, ...epochs];
  if (report && typeof report.status === 'string') history.push({ ...report, type: 'runFinished', runDir } as unknown as RunFinished);
  return history;
}
