/**
 * Everything between "a spec path and its text" and "a trainer ready to run", shared by the worker and the CLI:
 * validate spec, data and resources (`validateRun`, the same check `seqlab check` runs), check `--init` and
 * the folder being resumed, compute the baselines, and only then create the run folder: a refused run leaves
 * nothing behind.
 */
import * as path from 'node:path';
import type { SpecDiagnostic } from '../modelSpec/analysisTypes';
import type { SeqModelSpec } from '../modelSpec/types';
import { baselines as computeBaselines } from '../data';
import type { PreparedData } from '../data/types';
import type { DataFileStamp } from '../data/summaryRecord';
import { dataFileStamp } from './dataSummaryFile';
import { FileError, withFileErrors } from './fileErrors';
import type { MachineMemory } from './resources';
import type { RunIo } from './runIo';
import { RUN_FILES, newRunDirectory } from './runFolder';
import { recordDataSizes } from './knownDataSizes';
import { SpecError, formatDiagnostic, validateRun } from './validateRun';
import { checkWeightsFile } from './weightsFile';

export { SpecError, formatDiagnostic };

/** A spec without errors, its data loaded (for prediction and export: no training-memory check). */
export function loadSpec(specPath: string, specText: string, io: RunIo): { spec: SeqModelSpec; data: PreparedData; diagnostics: SpecDiagnostic[] } {
  const validation = validateRun({ specPath, specText, checkStateful: false, checkResources: false }, io);
  if (validation.refusal) throw validation.refusal;
  return { spec: validation.analysis.spec!, data: validation.data!, diagnostics: validation.analysis.diagnostics };
}

export interface RunSetup {
  spec: SeqModelSpec;
  data: PreparedData;
  specPath: string;
  /** The data file read (its stat when validated), for the saved data summary. */
  dataFile?: DataFileStamp;
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
  /** Weights to start from (`--init`): checked against the model before the run folder exists. */
  initWeights?: string;
  /** Clock for the run folder's name. */
  time?: Date;
  /** The machine to fit (default: this one). */
  machine?: MachineMemory;
  /** Data already prepared for this spec's task, data section and seed, with its baselines (sweep trials share it). */
  prepared?: { data: PreparedData; baselines: Record<string, number> };
}

/** Validate everything (spec, data, resources, `--init`, the folder resumed), then create the run folder. */
export function setUpRun(request: RunRequest, io: RunIo): RunSetup {
  const validation = validateRun({ specPath: request.specPath, specText: request.specText, checkStateful: !request.resumeFrom, machine: request.machine, data: request.prepared?.data }, io);
  if (validation.refusal) throw validation.refusal;
  const spec = validation.analysis.spec!;
  const data = validation.data!;
  if (request.initWeights) checkWeightsFile(io, request.initWeights, validation.analysis.layers, '--init');
  let runDir: string;
  let trainedSpec = spec;
  if (request.resumeFrom) {
    runDir = path.resolve(request.resumeFrom);
    // A resumed run continues what it was training, whatever the spec file says now.
    trainedSpec = readRunSpec(io, runDir);
  } else {
    runDir = newRunDirectory(io, request.specPath, spec.name, request.time ?? new Date(), request.outDir ? path.resolve(request.outDir) : undefined);
  }
  let baselines: Record<string, number> = request.prepared?.baselines ?? {};
  if (!request.prepared) {
    try {
      baselines = { ...computeBaselines(data) };
    } catch {
      /* a baseline is a courtesy, not a reason to refuse training */
    }
  }
  // For the editor: its parameter count then uses the sizes this data gave (knownDataSizes.ts).
  if (validation.dataSizes) recordDataSizes(io, request.specPath, spec, validation.dataSizes);
  return { spec: trainedSpec, data, specPath: request.specPath, dataFile: dataFileStamp(validation.analysis), runDir, resume: Boolean(request.resumeFrom), baselines, warnings: validation.analysis.diagnostics.filter((d) => d.severity !== 'error') };
}

/** The spec a run folder trained: a folder without a readable spec.json cannot be resumed. */
function readRunSpec(io: RunIo, runDir: string): SeqModelSpec {
  const file = path.join(runDir, RUN_FILES.spec);
  if (!io.exists(runDir)) throw new FileError(runDir, 'no such run folder to resume');
  if (!io.exists(file)) throw new FileError(runDir, `is not a run folder (it has no ${RUN_FILES.spec}), so it cannot be resumed`);
  const text = withFileErrors(file, 'read', () => io.readTextFile(file));
  try {
    const spec = JSON.parse(text) as unknown;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new Error('not a JSON object');
    return spec as SeqModelSpec;
  } catch (error) {
    throw new FileError(file, `is not a spec this run trained (${(error as Error).message}): the run folder cannot be resumed`);
  }
}
