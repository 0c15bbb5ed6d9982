/**
 * `analyzeSpec(text, context)`: parse with source ranges, check against the JSON schema, check the semantics,
 * infer shapes and costs, and lint. Never throws: whatever the text, it returns diagnostics and as many layers
 * as can be inferred (so hover and the diagram keep working while a spec is being typed).
 */
import type { SpecAnalysis, SpecContext, SpecDataFile } from './analysisTypes';
import { readDataFile } from './dataFiles';
import { lintSpec } from './lints';
import { reportSchemaErrors, withSchemaDefaults } from './schemaValidation';
import { checkSemantics } from './semantic';
import { defaultLoss, inferLayers } from './shapes';
import { SpecSource } from './specSource';
import type { DataSpec, SeqModelSpec } from './types';
import { validationBudgetOf } from './validationBudget';
import { getNodeValue } from 'jsonc-parser';

const EMPTY_TOTALS = { parameters: 0, flopsPerStep: 0, bpttActivationBytes: 0 };

export function analyzeSpec(text: string, context: SpecContext = {}): SpecAnalysis {
  let source: SpecSource | undefined;
  try {
    source = new SpecSource(text);
    return analyzeSource(source, withFileMemo(context));
  } catch (error) {
    // A bug in a checker must not take the editor down: report it where the user will see it.
    const diagnostics = source?.diagnostics ?? [];
    const message = error instanceof Error ? error.message : String(error);
    diagnostics.push({ severity: 'error', code: 'internal/analysis-failed', message: `SeqLab could not analyse this spec: ${message}`, offset: 0, length: 0, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    return { diagnostics, layers: [], totals: { ...EMPTY_TOTALS } };
  }
}

/** Several checks look at the same data file (header, labels, sample count): look each path up once per analysis. */
function withFileMemo(context: SpecContext): SpecContext {
  const memo = <T>(lookup: ((absolutePath: string) => T) | undefined) => {
    if (!lookup) return undefined;
    const seen = new Map<string, T>();
    return (absolutePath: string): T => {
      if (!seen.has(absolutePath)) seen.set(absolutePath, lookup.call(context, absolutePath));
      return seen.get(absolutePath) as T;
    };
  };
  const dataFile = memo(context.dataFile);
  const readTextFile = memo(context.readTextFile);
  return { ...context, ...(dataFile ? { dataFile } : {}), ...(readTextFile ? { readTextFile } : {}) };
}

/** The data file `data.path` names and what the context knows of it (also when the spec has errors elsewhere). */
function describeDataFile(source: SpecSource, raw: object, context: SpecContext): SpecDataFile | undefined {
  const data = (raw as { data?: { source?: unknown; path?: unknown } }).data;
  if (typeof data?.path !== 'string' || data.source === 'synthetic' || !context.specPath || (!context.dataFile && !context.readTextFile)) return undefined;
  const where = source.rangeOf(['data', 'path'], 'value');
  if (!where) return undefined;
  const { absolutePath, facts } = readDataFile(context, data.path);
  return { path: data.path, offset: where.offset, length: where.length, absolutePath, data: data as DataSpec, ...(facts ? { facts } : {}) };
}

function analyzeSource(source: SpecSource, context: SpecContext): SpecAnalysis {
  source.reportParseErrors();
  source.reportDuplicateKeys();
  const raw: unknown = source.root ? getNodeValue(source.root) : undefined;
  if (!source.root || typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    if (source.root) source.report('error', 'schema/wrong-type', 'A spec is a JSON object with "name", "task", "data", "model" and "training".', { offset: source.root.offset, length: 1 });
    return finish(source, undefined, { layers: [], totals: { ...EMPTY_TOTALS } });
  }
  const dataFile = describeDataFile(source, raw, context);
  const schemaValid = reportSchemaErrors(source, raw);
  if (!schemaValid || source.diagnostics.some((d) => d.severity === 'error')) {
    return finish(source, undefined, bestEffortLayers(source, raw, context), dataFile);
  }
  // Presence checks read the spec as written; shapes read it with every default filled in.
  const written = raw as SeqModelSpec;
  const facts = checkSemantics(source, written, context);
  const spec = applyDefaults(written);
  const inferred = inferLayers(spec, source, context.dataInfo);
  lintSpec(source, written, facts, context, inferred.totals, inferred.layers);
  return finish(source, spec, { ...inferred, validationBudget: validationBudgetOf(spec, context.dataInfo?.validationSamples) }, dataFile);
}

/** The schema's defaults, plus the ones that depend on other properties. */
export function applyDefaults(written: SeqModelSpec): SeqModelSpec {
  const spec = withSchemaDefaults(written);
  spec.training.loss ??= defaultLoss(spec.task.type);
  for (const recurrent of [spec.model.encoder, spec.model.decoder]) if (recurrent && recurrent.cell !== 'rnn') delete recurrent.nonlinearity;
  if (spec.task.type !== 'forecast') delete spec.task.horizon;
  if (spec.data.source === 'csv') spec.data.target ??= [spec.data.columns[0]];
  return spec;
}

function bestEffortLayers(source: SpecSource, raw: object, context: SpecContext): Pick<SpecAnalysis, 'layers' | 'totals'> {
  const model = (raw as { model?: { encoder?: { cell?: unknown; hiddenSize?: unknown } } }).model;
  if (typeof model?.encoder?.hiddenSize !== 'number' || typeof model.encoder.cell !== 'string') return { layers: [], totals: { ...EMPTY_TOTALS } };
  try {
    return inferLayers(withSchemaDefaults(raw) as SeqModelSpec, source, context.dataInfo);
  } catch {
    return { layers: [], totals: { ...EMPTY_TOTALS } };
  }
}

function finish(source: SpecSource, spec: SeqModelSpec | undefined, inferred: Pick<SpecAnalysis, 'layers' | 'totals' | 'validationBudget'>, dataFile?: SpecDataFile): SpecAnalysis {
  const diagnostics = [...source.diagnostics].sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  const valid = spec && !hasErrors ? { spec, ...(inferred.validationBudget ? { validationBudget: inferred.validationBudget } : {}) } : {};
  return { ...valid, diagnostics, layers: inferred.layers, totals: inferred.totals, ...(dataFile ? { dataFile } : {}) };
}
