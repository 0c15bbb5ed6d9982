/**
 * Checks a parsed spec against `schemas/seqmodel.schema.json` with ajv and maps every error back to the exact
 * JSON node through its instancePath, with "did you mean" quick fixes for misspelt property names and enum values.
 * The same schema supplies the defaults, so the JSON file stays the one source of default values.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { JSONPath } from 'jsonc-parser';
import seqModelSchema from '../../schemas/seqmodel.schema.json';
import { closestMatch, type SpecSource } from './specSource';

let strictValidator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  // allErrors: report every problem at once; verbose: keep parentSchema for "did you mean" suggestions.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
  ajv.addKeyword('markdownDescription');
  ajv.addKeyword('markdownEnumDescriptions');
  return ajv.compile(seqModelSchema);
}

/** The schema as a plain object (for tests and for the extension's jsonValidation contribution). */
export const specSchema: Record<string, unknown> = seqModelSchema;

/** Validate `value` against the schema; true when valid. Diagnostics go to `source`. */
export function reportSchemaErrors(source: SpecSource, value: unknown): boolean {
  strictValidator ??= compile();
  if (strictValidator(value)) return true;
  const seen = new Set<string>();
  for (const error of strictValidator.errors ?? []) {
    if (error.keyword === 'if') continue; // its failing `then` branch is reported on its own
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    reportOne(source, error);
  }
  return false;
}

interface SchemaNode {
  $ref?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  allOf?: { if?: { properties?: Record<string, { const?: unknown; enum?: unknown[] }> }; then?: SchemaNode }[];
  const?: unknown;
  enum?: unknown[];
}

/**
 * A deep copy of `value` with every schema default filled in: each missing property that has a `default`,
 * following `$ref` and the `if`/`then` branch the value selects (e.g. the csv branch of `data`). A walk of the
 * schema instead of a second ajv compile (useDefaults), which would double the cost of the first analysis.
 */
export function withSchemaDefaults<T>(value: T): T {
  const copy = structuredClone(value);
  fillDefaults(copy, seqModelSchema as SchemaNode);
  return copy;
}

function resolve(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/definitions/', '');
  return ((seqModelSchema as { definitions: Record<string, SchemaNode> }).definitions[name] ?? {}) as SchemaNode;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fillDefaults(value: unknown, schemaNode: SchemaNode): void {
  const node = resolve(schemaNode);
  if (!isPlainObject(value)) return;
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    const propertySchema = resolve(property);
    if (value[name] === undefined && propertySchema.default !== undefined) value[name] = structuredClone(propertySchema.default);
    if (value[name] !== undefined) fillDefaults(value[name], property);
  }
  for (const branch of node.allOf ?? []) {
    const conditions = Object.entries(branch.if?.properties ?? {});
    const selected = conditions.every(([name, condition]) => (condition.const !== undefined ? value[name] === condition.const : (condition.enum ?? []).includes(value[name])));
    if (selected && branch.then) fillDefaults(value, branch.then);
  }
}

export function pathFromPointer(pointer: string): JSONPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function formatPath(path: JSONPath): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out || 'the spec';
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text !== undefined && text.length > 40 ? `${text.slice(0, 37)}…` : String(text);
}

/** One ajv error as a diagnostic at its node (also used for the sweep file's schema, src/train/sweeps/sweepFile.ts). */
export function reportOne(source: SpecSource, error: ErrorObject): void {
  const path = pathFromPointer(error.instancePath);
  const where = formatPath(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const property = String(params.additionalProperty);
      const allowed = Object.keys(((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties) ?? {});
      const suggestion = closestMatch(property, allowed.filter((name) => source.valueNode([...path, name]) === undefined));
      const keyRange = source.nearestRange([...path, property], 'key');
      const message = `Unknown property "${property}" in ${where}.` + (suggestion ? ` Did you mean "${suggestion}"?` : allowed.length ? ` Allowed: ${allowed.join(', ')}.` : '');
      source.report('error', 'schema/unknown-property', message, keyRange, suggestion ? { title: `Rename to "${suggestion}"`, edits: [{ ...keyRange, newText: JSON.stringify(suggestion) }] } : undefined);
      return;
    }
    case 'required': {
      const missing = String(params.missingProperty);
      // Offer the schema's default or first example as the value to insert, when it has one.
      const propertySchema = ((error.parentSchema as { properties?: Record<string, { default?: unknown; examples?: unknown[] }> } | undefined)?.properties ?? {})[missing];
      const suggested = propertySchema?.default ?? propertySchema?.examples?.[0];
      const fix = suggested !== undefined && source.valueNode(path) ? { title: `Add "${missing}": ${JSON.stringify(suggested)}`, edits: source.editsToSet([...path, missing], suggested) } : undefined;
      source.reportAt('error', 'schema/missing-property', `${where === 'the spec' ? 'The spec' : where} needs "${missing}".`, path, 'key', fix);
      return;
    }
    case 'enum':
    case 'const': {
      const allowed = (error.keyword === 'enum' ? (params.allowedValues as unknown[]) : [params.allowedValue]).map(String);
      const suggestion = typeof error.data === 'string' ? closestMatch(error.data, allowed) : undefined;
      const valueRange = source.nearestRange(path, 'value');
      source.report(
        'error',
        'schema/invalid-value',
        `${where}: ${describeValue(error.data)} is not one of ${allowed.map((v) => `"${v}"`).join(', ')}.` + (suggestion ? ` Did you mean "${suggestion}"?` : ''),
        valueRange,
        suggestion ? { title: `Change to "${suggestion}"`, edits: [{ ...valueRange, newText: JSON.stringify(suggestion) }] } : undefined,
      );
      return;
    }
    case 'type':
      source.reportAt('error', 'schema/wrong-type', `${where} must be ${params.type === 'integer' ? 'an integer' : `of type ${String(params.type)}`} (got ${describeValue(error.data)}).`, path, 'value');
      return;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      source.reportAt('error', 'schema/out-of-range', `${where} ${error.message ?? 'is out of range'} (got ${describeValue(error.data)}).`, path, 'value');
      return;
    default:
      source.reportAt('error', `schema/${error.keyword}`, `${where} ${error.message ?? 'is invalid'}.`, path, 'value');
  }
}
