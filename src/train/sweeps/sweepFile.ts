/**
 * `*.seqsweep.json`: parse with source ranges, check against schemas/seqsweep.schema.json and semantically
 * (spec paths that exist, a grid of lists, a metric of the task, the base spec present and free of errors),
 * and resolve defaults into the `ResolvedSweep` written as sweep.json. Diagnostics point at the exact property,
 * through the spec's own machinery (`SpecSource`, the schema error mapper), so the editor and `seqlab sweep`
 * report the same sentences at the same places. Never throws; no file access of its own (`readSpec` is given).
 */
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import type { JSONPath } from 'jsonc-parser';
import sweepSchemaJson from '../../../schemas/seqsweep.schema.json';
import { analyzeSpec, type SpecDiagnostic } from '../../modelSpec';
import { SpecSource, closestMatch } from '../../modelSpec/specSource';
import { reportOne } from '../../modelSpec/schemaValidation';
import { higherIsBetter, metricNamesFor } from '../metrics';
import { formatDiagnostic } from '../validateRun';
import { propertyNamesAt, specHasPath } from './specPaths';
import type { AshaSettings, Distribution, ParameterDomain, ParamValue, ResolvedSweep, SweepMethod, TpeSettings } from './sweepFolder';
import { TPE_DEFAULTS } from './tpe';

export const SWEEP_FILE_SUFFIX = '.seqsweep.json';

export const sweepSchema: Record<string, unknown> = sweepSchemaJson;

export interface SweepContext {
  /** Absolute path of the sweep file: the base spec is resolved against its folder. */
  sweepPath: string;
  /** The base spec's text, or undefined when it cannot be read. */
  readSpec(absolutePath: string): string | undefined;
}

export interface SweepAnalysis {
  /** Present only when there is no error. */
  sweep?: ResolvedSweep;
  /** The base spec's text (when it was read). */
  baseSpecText?: string;
  diagnostics: SpecDiagnostic[];
  /** The parsed tree, to locate trial problems later (`locateTrialProblem`). */
  source: SpecSource;
}

/** Parameters a sweep may not vary: they belong to the sweep itself. */
const RESERVED: Record<string, string> = {
  'training.seed': 'use "seeds" to repeat configurations over training seeds',
  name: 'the trials are named by the sweep',
};

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  // allowUnionTypes: a listed value may be a number, a string or a boolean.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  ajv.addKeyword('markdownDescription');
  ajv.addKeyword('markdownEnumDescriptions');
  return ajv.compile(sweepSchemaJson);
}

export function analyzeSweep(text: string, context: SweepContext): SweepAnalysis {
  const source = new SpecSource(text);
  try {
    return { ...analyzeSource(source, context), source };
  } catch (error) {
    // A bug in a check must not take the editor down: say it where the user looks.
    source.report('error', 'internal/analysis-failed', `SeqLab could not analyse this sweep: ${(error as Error).message}`, { offset: 0, length: 0 });
    return { diagnostics: source.diagnostics, source };
  }
}

const hasErrors = (source: SpecSource) => source.diagnostics.some((d) => d.severity === 'error');

function analyzeSource(source: SpecSource, context: SweepContext): Omit<SweepAnalysis, 'source'> {
  source.reportParseErrors();
  source.reportDuplicateKeys();
  if (hasErrors(source) || !source.root) return { diagnostics: sorted(source) };
  const raw = JSON.parse(source.text) as Record<string, unknown>;
  validator ??= compile();
  if (!validator(raw)) {
    const seen = new Set<string>();
    for (const error of validator.errors ?? []) {
      const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
      if (!seen.has(key)) reportOne(source, error);
      seen.add(key);
    }
    return { diagnostics: sorted(source) };
  }
  const file = raw as unknown as SweepFileJson;
  const method: SweepMethod = file.method ?? 'grid';
  const parameters = checkParameters(source, file, method);
  const base = readBaseSpec(source, file, context);
  if (!base || !parameters) return { diagnostics: sorted(source), ...(base ? { baseSpecText: base.text } : {}) };

  const task = base.spec.task.type;
  const metricName = file.metric?.name ?? 'loss';
  const metricNames = ['loss', ...metricNamesFor(task)];
  if (!metricNames.includes(metricName)) {
    const suggestion = closestMatch(metricName, metricNames);
    source.reportAt('error', 'sweep/unknown-metric', `A ${task} model reports ${metricNames.map((m) => `"${m}"`).join(', ')} on validation, not "${metricName}".${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, ['metric', 'name'], 'value');
  }
  if (method !== 'grid' && file.trials === undefined) source.reportAt('error', 'sweep/trials-needed', `Method "${method}" samples configurations: say how many with "trials".`, ['method'], 'value');
  if (method === 'grid' && file.trials !== undefined) source.reportAt('warning', 'sweep/trials-ignored', 'A grid runs every combination of the values; "trials" is ignored.', ['trials'], 'key');
  if (method !== 'asha' && file.asha) source.reportAt('warning', 'sweep/asha-ignored', `"asha" applies to method "asha" only; method "${method}" trains every trial to the spec's epochs.`, ['asha'], 'key');
  let asha: AshaSettings | undefined;
  if (method !== 'asha' && file.sampler !== undefined) source.reportAt('warning', 'sweep/sampler-ignored', `"sampler" chooses how method "asha" draws new configurations; method "${method}" ${method === 'tpe' ? 'always proposes them with TPE' : method === 'grid' ? 'runs every combination' : 'draws them at random (method "tpe" proposes them)'}.`, ['sampler'], 'key');
  const usesTpe = method === 'tpe' || (method === 'asha' && file.sampler === 'tpe');
  if (!usesTpe && file.tpe) source.reportAt('warning', 'sweep/tpe-ignored', `"tpe" applies to method "tpe" and to method "asha" with "sampler": "tpe"; method "${method}" does not propose configurations from the finished ones.`, ['tpe'], 'key');
  const tpe: TpeSettings | undefined = usesTpe ? { ...TPE_DEFAULTS, ...file.tpe } : undefined;
  if (tpe && file.trials !== undefined && tpe.startupTrials >= file.trials) {
    source.reportAt('warning', 'sweep/tpe-all-random', `With ${tpe.startupTrials} random configurations first (tpe.startupTrials${file.tpe?.startupTrials === undefined ? ', by default' : ''}) and ${file.trials} trials, TPE never proposes one: every configuration is drawn at random. Give more trials or fewer startup trials.`, file.tpe?.startupTrials !== undefined ? ['tpe', 'startupTrials'] : ['trials'], 'value');
  }
  if (method === 'asha') {
    asha = { reductionFactor: file.asha?.reductionFactor ?? 3, minEpochs: file.asha?.minEpochs ?? 1, maxEpochs: file.asha?.maxEpochs ?? base.spec.training.epochs };
    if (asha.minEpochs > asha.maxEpochs) source.reportAt('error', 'sweep/asha-budget', `asha.minEpochs (${asha.minEpochs}) is more than the last rung's ${asha.maxEpochs} epochs.`, ['asha', 'minEpochs'], 'value');
    if ('training.epochs' in file.parameters) source.reportAt('error', 'sweep/asha-epochs', 'With method "asha" the epochs are the budget successive halving gives each trial (asha.minEpochs … asha.maxEpochs), so training.epochs cannot vary.', ['parameters', 'training.epochs'], 'key');
  }
  if (hasErrors(source)) return { diagnostics: sorted(source), baseSpecText: base.text };

  const baseSeed = base.spec.training.seed ?? 0;
  const seeds = Array.isArray(file.seeds) ? file.seeds : Array.from({ length: file.seeds ?? 1 }, (_, k) => baseSeed + k);
  const trials = method === 'grid' ? Object.values(parameters).reduce((n, d) => n * ('values' in d ? d.values.length : 1), 1) : file.trials!;
  const sweep: ResolvedSweep = {
    name: file.name ?? (path.basename(context.sweepPath).replace(/\.seqsweep\.json$/, '').replace(/[^A-Za-z0-9._-]+/g, '-') || 'sweep'),
    sweepFile: context.sweepPath,
    baseSpec: base.path,
    method,
    metric: { name: metricName, direction: file.metric?.direction ?? (higherIsBetter(metricName) ? 'maximize' : 'minimize') },
    parameters,
    seeds,
    trials,
    samplerSeed: file.samplerSeed ?? 0,
    maxConcurrent: file.maxConcurrent ?? 2,
    ...(asha ? { asha } : {}),
    ...(tpe ? { tpe } : {}),
  };
  return { sweep, baseSpecText: base.text, diagnostics: sorted(source) };
}

interface SweepFileJson {
  name?: string;
  spec: string;
  method?: SweepMethod;
  parameters: Record<string, { values?: ParamValue[]; min?: number; max?: number; distribution?: Distribution }>;
  trials?: number;
  seeds?: number | number[];
  samplerSeed?: number;
  metric?: { name?: string; direction?: 'minimize' | 'maximize' };
  maxConcurrent?: number;
  asha?: Partial<AshaSettings>;
  tpe?: Partial<TpeSettings>;
  sampler?: 'random' | 'tpe';
}

/** Each parameter: a path the spec has, and either a list or a well-formed range (a grid needs lists). */
function checkParameters(source: SpecSource, file: SweepFileJson, method: SweepMethod): Record<string, ParameterDomain> | undefined {
  const parameters: Record<string, ParameterDomain> = {};
  let ok = true;
  const error = (code: string, message: string, where: JSONPath, target: 'key' | 'value' = 'value') => {
    source.reportAt('error', code, message, where, target);
    ok = false;
  };
  for (const [name, domain] of Object.entries(file.parameters)) {
    const at: JSONPath = ['parameters', name];
    const parts = name.split('.');
    if (RESERVED[name]) {
      error('sweep/reserved-parameter', `${name} cannot vary in a sweep: ${RESERVED[name]}.`, at, 'key');
      continue;
    }
    if (!specHasPath(parts)) {
      const known = propertyNamesAt(parts.slice(0, -1));
      const suggestion = closestMatch(parts[parts.length - 1], known);
      error('sweep/unknown-spec-path', `The spec format has no "${name}".${suggestion ? ` Did you mean "${[...parts.slice(0, -1), suggestion].join('.')}"?` : known.length ? ` Under ${parts.slice(0, -1).join('.')}: ${known.join(', ')}.` : ''}`, at, 'key');
      continue;
    }
    const isRange = domain.min !== undefined || domain.max !== undefined || domain.distribution !== undefined;
    if (domain.values && isRange) {
      error('sweep/values-and-range', `${name}: give either "values" or a range ("min", "max", "distribution"), not both.`, at, 'key');
    } else if (domain.values) {
      parameters[name] = { values: domain.values };
    } else if (domain.min === undefined || domain.max === undefined) {
      error('sweep/incomplete-range', `${name}: a range needs "min" and "max" (or give "values").`, at, 'key');
    } else {
      const distribution = domain.distribution ?? 'uniform';
      const integer = distribution === 'integer' || distribution === 'log-integer';
      if (integer ? Math.ceil(domain.min) > Math.floor(domain.max) : domain.min >= domain.max) {
        error('sweep/empty-range', `${name}: min (${domain.min}) must be below max (${domain.max})${integer ? ' with an integer between them' : ''}.`, [...at, 'min']);
      } else if (distribution.startsWith('log') && domain.min <= 0) {
        error('sweep/log-range', `${name}: a ${distribution} range needs min > 0 (got ${domain.min}).`, [...at, 'min']);
      } else if (method === 'grid') {
        error('sweep/grid-needs-values', `${name}: a grid runs listed values; list them ("values": [...]) or use method "random", "tpe" or "asha" to sample this range.`, at, 'key');
      } else {
        parameters[name] = { min: domain.min, max: domain.max, distribution };
      }
    }
  }
  return ok ? parameters : undefined;
}

/** The base spec: read, and without errors of its own (the trials' problems are the sweep's). */
function readBaseSpec(source: SpecSource, file: SweepFileJson, context: SweepContext) {
  const specPath = path.resolve(path.dirname(context.sweepPath), file.spec);
  const text = context.readSpec(specPath);
  if (text === undefined) {
    source.reportAt('error', 'sweep/spec-missing', `The base spec ${file.spec} cannot be read (${specPath}).`, ['spec'], 'value');
    return undefined;
  }
  const analysis = analyzeSpec(text, { specPath });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !analysis.spec) {
    source.reportAt('error', 'sweep/spec-has-errors', `The base spec has ${errors.length} error${errors.length === 1 ? '' : 's'}; the first: ${errors[0] ? formatDiagnostic(specPath, errors[0]) : 'unknown'}`, ['spec'], 'value');
    return undefined;
  }
  return { path: specPath, text, spec: analysis.spec };
}

function sorted(source: SpecSource): SpecDiagnostic[] {
  return [...source.diagnostics].sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
}
