/**
 * `analyzeSpec(text, context)`: parse with source ranges, check against the JSON schema, check the semantics,
 * infer shapes and costs, and lint. Never throws: whatever the text, it returns diagnostics and as many layers
 * as can be inferred (so hover and the diagram keep working while a spec is being typed).
 */
import type { SpecAnalysis, SpecContext } from './analysisTypes';
import { lintSpec } from './lints';
import { reportSchemaErrors, withSchemaDefaults } from './schemaValidation';
import { checkSemantics } from './semantic';
import { defaultLoss, inferLayers } from './shapes';
import { SpecSource } from './specSource';
import type { SeqModelSpec } from './types';
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

/** Several checks read the same data file (header, labels, sample count): read each path once per analysis. */
function withFileMemo(context: SpecContext): SpecContext {
  const read = context.readTextFile;
  if (!read) return context;
  const files = new Map<string, string | undefined>();
  return {
    ...context,
    readTextFile(absolutePath: string) {
      if (!files.has(absolutePath)) files.set(absolutePath, read.call(context, absolutePath));
      return files.get(absolutePath);
    },
  };
}

function analyzeSource(source: SpecSource, context: SpecContext): SpecAnalysis {
  source.reportParseErrors();
  source.reportDuplicateKeys();
  const raw: unknown = source.root ? getNodeValue(source.root) : undefined;
  if (!source.root || typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    if (source.root) source.report('error', 'schema/wrong-type', 'A spec is a JSON object with "name", "task", "data", "model" and "training".', { offset: source.root.offset, length: 1 });
    return finish(source, undefined, { layers: [], totals: { ...EMPTY_TOTALS } });
  }
  const schemaValid = reportSchemaErrors(source, raw);
  if (!schemaValid || source.diagnostics.some((d) => d.severity === 'error')) {
    return finish(source, undefined, bestEffortLayers(source, raw, context));
  }
  // Presence checks read the spec as written; shapes read it with every default filled in.
  const written = raw as SeqModelSpec;
  const facts = checkSemantics(source, written, context);
  const spec = applyDefaults(written);
  const inferred = inferLayers(spec, source, context.dataInfo);
  lintSpec(source, written, facts, context, inferred.totals, inferred.layers);
  return finish(source, spec, inferred);
}

/** The schema's defaults, plus the ones that depend on other properties. */
export function applyDefaults(written: SeqModelSpec): SeqModelSpec {
  const spec = withSchemaDefaults(written);
  spec.training.loss ??= defaultLoss(spec.task.type);
  for (const recurrent of [spec.model.encoder, spec.model.decoder]) if (recurrent && recurrent.cell !== 'rnn') delete recurrent.nonlinearity;
  if (spec.task.type !== 'generate') delete spec.model.initialState;
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

function finish(source: SpecSource, spec: SeqModelSpec | undefined, inferred: Pick<SpecAnalysis, 'layers' | 'totals'>): SpecAnalysis {
  const diagnostics = [...source.diagnostics].sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  return { ...(spec && !hasErrors ? { spec } : {}), diagnostics, layers: inferred.layers, totals: inferred.totals };
}
