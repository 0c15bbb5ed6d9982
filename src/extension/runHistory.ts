/**
 * Reopening a past run in the panels: the trainer's run folder (see src/train/runFolder.ts) turned back into the
 * events a live run sent — `runStarted` from report/spec, one `epoch` per line of metrics.jsonl, and
 * `testEvaluation` (report.json's `test` block) and `runFinished` from report.json when the run got that far. Node only, no `vscode`.
 */
import { basename, join } from 'node:path';
import type { EpochEnd, RunFinished, RunStarted, TestEvaluation, TrainerEvent } from '../train/protocol';
import { RUN_FILES, readJsonLines } from '../train/runFolder';
import { nodeRunIo } from '../train/runIo';
import { metricDisplayNames } from '../train/metrics';
import { lastValidatedEpoch } from '../train/validationCadence';

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
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Figures by name; JSON keeps NaN/Infinity as strings (see runFolder's writeJson), read back as numbers. */
function figures(value: unknown): Record<string, number> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([name, figure]) => [name, Number(figure)]));
}

/** report.json's `test` block as the event the live run sent (undefined when the run had no test split). */
function testEvaluationFrom(block: unknown): TestEvaluation | undefined {
  if (!isObject(block) || !isObject(block.metrics)) return undefined;
  return {
    type: 'testEvaluation', checkpoint: block.checkpoint === 'best' ? 'best' : 'final', checkpointFile: String(block.checkpointFile ?? ''),
    epoch: numberOr(block.epoch, 0), size: numberOr(block.size, 0), loss: Number(block.loss), metrics: figures(block.metrics), baselines: figures(block.baselines),
  };
}

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
    metricNames: Object.keys(lastValidatedEpoch(epochs)?.metrics ?? {}),
  };
  started.metricLabels = metricDisplayNames([...started.metricNames, ...Object.keys(figures(report?.baselines))]);
  const history: TrainerEvent[] = [started, ...epochs];
  const testEvaluation = testEvaluationFrom(report?.test);
  if (testEvaluation) history.push(testEvaluation);
  if (report && typeof report.status === 'string') {
    const { test: _test, ...finished } = report;
    history.push({ ...finished, type: 'runFinished', runDir } as unknown as RunFinished);
  }
  return history;
}
