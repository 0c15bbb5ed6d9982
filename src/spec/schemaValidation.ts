/**
 * Checks a parsed spec against `schemas/seqmodel.schema.json` with ajv and maps every error back to the exact
 * JSON node through its instancePath, with "did you mean" quick fixes for misspelt property names and enum values.
 * The same schema fills in defaults, so the JSON file stays the one source of default values.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { JSONPath } from 'jsonc-parser';
import seqModelSchema from '../../schemas/seqmodel.schema.json';
import { closestMatch, type SpecSource } from './specSource';

let strictValidator: ValidateFunction | undefined;
let defaultingValidator: ValidateFunction | undefined;

function compile(useDefaults: boolean): ValidateFunction {
  // allErrors: report every problem at once; verbose: keep parentSchema for "did you mean" suggestions.
  const ajv = useDefaults ? new Ajv({ strict: true, useDefaults: true }) : new Ajv({ allErrors: true, verbose: true, strict: true });
  ajv.addKeyword('markdownDescription');
  ajv.addKeyword('markdownEnumDescriptions');
  return ajv.compile(seqModelSchema);
}

/** The schema as a plain object (for tests and for the extension's jsonValidation contribution). */
export const specSchema: Record<string, unknown> = seqModelSchema;

/** Validate `value` against the schema; true when valid. Diagnostics go to `source`. */
export function reportSchemaErrors(source: SpecSource, value: unknown): boolean {
  strictValidator ??= compile(false);
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

/** A deep copy of a schema-valid value with every schema default filled in. */
export function withSchemaDefaults<T>(value: T): T {
  defaultingValidator ??= compile(true);
  const copy = structuredClone(value);
  defaultingValidator(copy);
  return copy;
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

function reportOne(source: SpecSource, error: ErrorObject): void {
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
