/**
 * Everything between "a spec path and its text" and "a trainer ready to run", shared by the worker and the CLI:
 * analyse the spec (training refuses a spec with errors), prepare its data, compute the baselines, and choose
 * the run folder (new, `--out`, or the folder being resumed).
 */
import * as path from 'node:path';
import { analyzeSpec } from '../spec/analyze';
import type { SpecDiagnostic } from '../spec/analysisTypes';
import type { SeqModelSpec } from '../spec/types';
import { prepareData, baselines as computeBaselines } from '../data';
import type { PreparedData } from '../data/types';
import type { RunIo } from './runIo';
import { RUN_FILES, newRunDirectory } from './runFolder';
import { statefulPlanFor } from './statefulBatches';

/** A spec that cannot be trained: its error diagnostics, each with a line and column. */
export class SpecError extends Error {
  constructor(readonly specPath: string, readonly diagnostics: SpecDiagnostic[]) {
    super(diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(specPath, d)).join('\n') || `${specPath}: the spec has errors`);
    this.name = 'SpecError';
  }
}

/** `file:line:col severity message`, 1-based like compilers print them. */
export function formatDiagnostic(specPath: string, d: SpecDiagnostic): string {
  return `${specPath}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.message}`;
}

export function loadSpec(specPath: string, specText: string, io: RunIo): { spec: SeqModelSpec; diagnostics: SpecDiagnostic[] } {
  const analysis = analyzeSpec(specText, {
    specPath: path.resolve(specPath),
    readTextFile: (p) => (io.exists(p) ? io.readTextFile(p) : undefined),
  });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !analysis.spec) throw new SpecError(specPath, analysis.diagnostics);
  return { spec: analysis.spec, diagnostics: analysis.diagnostics };
}

export interface RunSetup {
  spec: SeqModelSpec;
  data: PreparedData;
  runDir: string;
  resume: boolean;
  baselines: Record<string, number>;
  warnings: SpecDiagnostic[];
}

export interface RunRequest {
  specPath: string;
  specText: string;
  outDir?: string;
  resumeFrom?: string;
  /** Clock for the run folder's name. */
  time?: Date;
}

export function setUpRun(request: RunRequest, io: RunIo): RunSetup {
  const { spec, diagnostics } = loadSpec(request.specPath, request.specText, io);
  const specDir = path.dirname(path.resolve(request.specPath));
  const data = prepareData(spec, specDir, io, path.resolve(request.specPath));
  if (!request.resumeFrom) statefulPlanFor(spec, data); // refuse an impossible stateful setup before making a run folder
  let runDir: string;
  let trainedSpec = spec;
  if (request.resumeFrom) {
    runDir = path.resolve(request.resumeFrom);
    // A resumed run continues what it was training, whatever the spec file says now.
    trainedSpec = JSON.parse(io.readTextFile(path.join(runDir, RUN_FILES.spec))) as SeqModelSpec;
  } else {
    runDir = newRunDirectory(io, request.specPath, spec.name, request.time ?? new Date(), request.outDir ? path.resolve(request.outDir) : undefined);
  }
  let baselines: Record<string, number> = {};
  try {
    baselines = { ...computeBaselines(data) };
  } catch {
    /* a baseline is a courtesy, not a reason to refuse training */
  }
  return { spec: trainedSpec, data, runDir, resume: Boolean(request.resumeFrom), baselines, warnings: diagnostics.filter((d) => d.severity !== 'error') };
}
