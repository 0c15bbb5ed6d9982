/**
 * The schema VS Code's JSON language service gets for `*.seqmodel.json` (package.json `jsonValidation`): the
 * spec schema with its descriptions, defaults and value suggestions, but none of its validation keywords.
 * SeqLab reports every schema mistake itself, at the property, with a quick fix; when the JSON service
 * validated too, one typo showed up to four times in Problems. Completion and hover keep working: properties,
 * descriptions, defaults and the allowed values (as suggestions) are all still here.
 *
 * `npm run build` writes it to dist/ (scripts/editorSchema.ts), so it always follows schemas/seqmodel.schema.json.
 */

/** Keywords that only reject documents: what SeqLab's own diagnostics report. */
const VALIDATION_KEYWORDS = new Set([
  'required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems',
  'maxItems', 'uniqueItems', 'pattern', 'type', 'markdownEnumDescriptions', 'enumDescriptions',
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A schema node without validation, `enum`/`const` turned into suggestions; `if` conditions stay as they are. */
function strip(node: Json): Json {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  const suggestions: Json[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (VALIDATION_KEYWORDS.has(key)) continue;
    if (key === 'additionalProperties' && typeof value === 'boolean') continue;
    if (key === 'enum' && Array.isArray(value)) suggestions.push(...value);
    else if (key === 'const') suggestions.push(value);
    // An `if` only chooses which `then` applies (e.g. by data.source); it rejects nothing itself.
    else if (key === 'if' || key === 'examples' || key === 'default') out[key] = value;
    else if (key === 'properties' || key === 'definitions') out[key] = Object.fromEntries(Object.entries(value as { [key: string]: Json }).map(([name, schema]) => [name, strip(schema)]));
    else out[key] = strip(value);
  }
  if (node.type === 'boolean') suggestions.push(true, false);
  if (suggestions.length) out.examples = [...new Set([...suggestions, ...((out.examples as Json[] | undefined) ?? [])])];
  // An object property completes to `{}` as it did when the schema said `"type": "object"`.
  if (node.type === 'object' && node.properties !== undefined) out.defaultSnippets = [{ body: {} }];
  return out;
}

export function editorSchema(schema: Record<string, unknown>): Record<string, unknown> {
  return { ...(strip(schema as Json) as Record<string, unknown>), $comment: 'Generated from seqmodel.schema.json by src/modelSpec/editorSchema.ts: editor help only, SeqLab validates.' };
}

export const EDITOR_SCHEMA_FILE = 'dist/seqmodel.editor.schema.json';

export function editorSchemaText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(editorSchema(schema), null, 2)}\n`;
}
