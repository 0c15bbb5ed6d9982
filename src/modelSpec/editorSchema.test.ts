import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { analyzeSpec, specSchema } from './index';
import { EDITOR_SCHEMA_FILE, editorSchema, editorSchemaText } from './editorSchema';

const root = join(new URL('.', import.meta.url).pathname, '..', '..');
const typo = `{
  "name": "t", "task": { "type": "forcast" },
  "data": { "source": "csv", "path": "p.csv", "columns": ["y"], "window": 0 },
  "model": { "encoder": { "cell": "lstm", "hiddenSzie": 8 } },
  "training": { "epochs": "five", "batchSize": 4, "optimizer": { "type": "adam", "lr": 0.01 } }
}`;

test('VS Code\'s JSON service gets the editor schema, which the build writes and the package ships', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const specs = (manifest.contributes.jsonValidation as { fileMatch: string }[]).filter((entry) => entry.fileMatch === '*.seqmodel.json');
  assert.deepEqual(specs, [{ fileMatch: '*.seqmodel.json', url: `./${EDITOR_SCHEMA_FILE}` }]);
  assert.match(readFileSync(join(root, 'scripts', 'build.mjs'), 'utf8'), /scripts', 'editorSchema\.ts'/);
  assert.ok(readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').includes(`!${EDITOR_SCHEMA_FILE}`));
  // What the build writes is the schema without validation, as a JSON document.
  assert.deepEqual(JSON.parse(editorSchemaText(specSchema)), editorSchema(specSchema));
});

test('one problem per mistake: the editor schema rejects nothing SeqLab reports, SeqLab reports each mistake once', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(editorSchema(specSchema));
  assert.equal(validate(JSON.parse(typo)), true, JSON.stringify(validate.errors));
  const errors = analyzeSpec(typo).diagnostics.filter((d) => d.severity === 'error');
  assert.ok(errors.some((d) => /forcast/.test(d.message)) && errors.some((d) => /hiddenSzie/.test(d.message)), errors.map((d) => d.message).join('\n'));
});

test('completion and hover keep everything: every property with its description, allowed values as suggestions', () => {
  type Node = { properties?: Record<string, Node>; description?: string; enum?: unknown[]; examples?: unknown[]; definitions?: Record<string, Node>; allOf?: Node[]; then?: Node };
  const walk = (node: Node, path: string, out: Map<string, Node>) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      out.set(`${path}.${name}`, child);
      walk(child, `${path}.${name}`, out);
    }
    for (const [name, child] of Object.entries(node.definitions ?? {})) walk(child, `#${name}`, out);
    (node.allOf ?? []).forEach((child, i) => child.then && walk(child.then, `${path}/allOf${i}`, out));
    return out;
  };
  const original = walk(specSchema as Node, '$', new Map());
  const editor = walk(editorSchema(specSchema) as Node, '$', new Map());
  assert.deepEqual([...editor.keys()], [...original.keys()]);
  for (const [path, node] of original) {
    assert.equal(editor.get(path)!.description, node.description, path);
    for (const value of node.enum ?? []) assert.ok(editor.get(path)!.examples?.includes(value), `${path}: ${String(value)} is still suggested`);
  }
});
