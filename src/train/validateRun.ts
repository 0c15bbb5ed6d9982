/**
 * The one check of "can this spec be trained?", shared by `seqlab check`, `seqlab train` and the editor's
 * training worker, so `check` passes exactly when `train` can start: analyse the spec, load its data as
 * training would, analyse again with the sizes only the data knows (vocabulary, classes, sequence length),
 * check a stateful setup, then estimate the memory training needs against the machine. Nothing is written.
 */
import * as path from 'node:path';
import { analyzeSpec } from '../modelSpec/analyze';
import type { SpecAnalysis, SpecContext, SpecDiagnostic } from '../modelSpec/analysisTypes';
import { SpecSource } from '../modelSpec/specSource';
import type { SeqModelSpec } from '../modelSpec/types';
import { DataError, prepareData } from '../data';
import type { DataInfo, PreparedData } from '../data/types';
import { FileError, reasonInWords } from './fileErrors';
import { probeDataFileSync } from './dataFileProbe';
import type { DataFileFacts } from '../modelSpec/dataFiles';
import { type MachineMemory, type MemoryEstimate, estimateTrainingMemory, machineMemory, resourceDiagnostics } from './resources';
import type { RunIo } from './runIo';
import { StatefulTrainingError, statefulPlanFor } from './statefulBatches';

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

export type DataSizes = NonNullable<SpecContext['dataInfo']>;

export interface RunValidation {
  /** The last analysis made: with the data's sizes once the data loaded, and any resource diagnostic. */
  analysis: SpecAnalysis;
  data?: PreparedData;
  dataSizes?: DataSizes;
  memory?: MemoryEstimate;
  /** Why training cannot start (a SpecError, DataError, StatefulTrainingError or FileError); absent when it can. */
  refusal?: Error;
}

export interface ValidationRequest {
  specPath: string;
  specText: string;
  /** Check that a stateful setup is possible (a resumed run continues the one it had). Default true. */
  checkStateful?: boolean;
  /** Estimate training memory and refuse what cannot fit (prediction skips it). Default true. */
  checkResources?: boolean;
  /** The machine to fit (default: this one, with the kernels active now). */
  machine?: MachineMemory;
  /** Data prepared for the same task, data section and seed (a sweep checks many trials of one data set). */
  data?: PreparedData;
}

export function validateRun(request: ValidationRequest, io: RunIo): RunValidation {
  const specPath = path.resolve(request.specPath);
  // The spec's checks see a data file's stat and head only; the loader reads it whole, once.
  const context: SpecContext = { specPath, dataFile: (p) => inWords(probeDataFileSync(p)) };
  const refuse = (analysis: SpecAnalysis) => new SpecError(request.specPath, analysis.diagnostics);
  let analysis = analyzeSpec(request.specText, context);
  if (!analysis.spec) return { analysis, refusal: refuse(analysis) };

  let data: PreparedData;
  try {
    data = request.data ?? prepareData(analysis.spec, path.dirname(specPath), io, specPath);
  } catch (error) {
    if (error instanceof DataError && error.file === specPath) {
      // A data error about the spec itself (a generator that does not suit the task): show it where it is.
      analysis = withDiagnostics(analysis, [specDataDiagnostic(request.specText, analysis.spec, error.detail)]);
      return { analysis, refusal: refuse(analysis) };
    }
    if (error instanceof DataError || error instanceof FileError) return { analysis, refusal: error };
    // A loader's plain Error ("0 tokens leave no training examples") is about the data it was given.
    if (error instanceof Error && error.constructor === Error && 'path' in analysis.spec.data) {
      return { analysis, refusal: new DataError(path.resolve(path.dirname(specPath), analysis.spec.data.path), 1, 1, error.message) };
    }
    throw error;
  }

  const dataSizes = dataSizesOf(data.info);
  analysis = analyzeSpec(request.specText, { ...context, dataInfo: dataSizes });
  if (!analysis.spec) return { analysis, data, dataSizes, refusal: refuse(analysis) };
  if (request.checkStateful ?? true) {
    try {
      statefulPlanFor(analysis.spec, data);
    } catch (error) {
      if (error instanceof StatefulTrainingError) {
        analysis = withDiagnostics(analysis, [locatedDiagnostic(request.specText, 'semantic/stateful-impossible', error.message, ['training', 'stateful'])]);
        return { analysis, data, dataSizes, refusal: refuse(analysis) };
      }
      throw error;
    }
  }

  if (request.checkResources === false) return { analysis, data, dataSizes };
  const memory = estimateTrainingMemory(analysis.spec, analysis.layers, analysis.totals, data.info);
  const resources = resourceDiagnostics(request.specText, analysis.spec, analysis.layers, memory, request.machine ?? machineMemory());
  analysis = withDiagnostics(analysis, resources);
  return { analysis, data, dataSizes, memory, ...(analysis.spec ? {} : { refusal: refuse(analysis) }) };
}

/** An unreadable file's Node message ("EACCES: permission denied, open …") in words. */
function inWords(facts: DataFileFacts): DataFileFacts {
  if (facts.status !== 'unreadable') return facts;
  const code = /^(E[A-Z]+):/.exec(facts.reason)?.[1];
  return code ? { ...facts, reason: reasonInWords(code, 'read') } : facts;
}

/** The data-derived sizes shape inference needs. */
export function dataSizesOf(info: DataInfo): DataSizes {
  return {
    inputSize: info.kind === 'series' ? info.inputSize : undefined,
    vocabSize: info.vocabulary?.size,
    targetVocabSize: info.targetVocabulary?.size,
    numClasses: info.labels?.length,
    samples: info.trainSize,
    sequenceLength: info.maxLength,
    validationSamples: info.validationSize,
  };
}

/** Add diagnostics (in text order); an added error means the spec cannot be trained, so `spec` goes. */
function withDiagnostics(analysis: SpecAnalysis, added: SpecDiagnostic[]): SpecAnalysis {
  if (added.length === 0) return analysis;
  const diagnostics = [...analysis.diagnostics, ...added].sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
  const { spec, ...rest } = analysis;
  return diagnostics.some((d) => d.severity === 'error') ? { ...rest, diagnostics } : { ...rest, spec, diagnostics };
}

function specDataDiagnostic(specText: string, spec: SeqModelSpec, detail: string): SpecDiagnostic {
  const where = spec.data.source === 'synthetic' ? ['data', 'generator'] : ['data', 'source'];
  return locatedDiagnostic(specText, 'semantic/data-task-mismatch', `${detail[0].toUpperCase()}${detail.slice(1)}.`, where);
}

function locatedDiagnostic(specText: string, code: string, message: string, where: string[]): SpecDiagnostic {
  const source = new SpecSource(specText);
  return source.report('error', code, message, source.rangeOf(where, 'value') ?? source.nearestRange(where));
}
