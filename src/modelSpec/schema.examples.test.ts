// The JSON schema compiles (ajv, draft-07), documents every property, matches src/modelSpec/types.ts property for
// property, and accepts every bundled example and template; analysis of each example finds no error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import ts from 'typescript';
import { analyzeSpec, specSchema, specTemplates } from './index';
import { withSchemaDefaults } from './schemaValidation';

const root = join(new URL('.', import.meta.url).pathname, '..', '..');
const examplesDir = join(root, 'examples');

type SchemaNode = { properties?: Record<string, SchemaNode>; definitions?: Record<string, SchemaNode>; items?: SchemaNode | SchemaNode[]; allOf?: { then?: SchemaNode }[]; description?: string; markdownDescription?: string; $ref?: string };

function compileSchema() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addKeyword('markdownDescription');
  ajv.addKeyword('markdownEnumDescriptions');
  return ajv.compile(specSchema);
}

/** The bundled examples; there must be some, or the tests below would check nothing. */
function exampleFiles(): string[] {
  const files = readdirSync(examplesDir).filter((f) => f.endsWith('.seqmodel.json')).sort();
  assert.ok(files.length >= 5, `${files.length} examples in ${examplesDir}`);
  return files;
}

test('the schema is draft-07 and compiles in strict mode', () => {
  assert.equal(specSchema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(typeof compileSchema(), 'function');
});

test('every bundled example (examples/*.seqmodel.json) validates against the schema and analyses without errors', () => {
  const validate = compileSchema();
  for (const file of exampleFiles()) {
    const path = join(examplesDir, file);
    const text = readFileSync(path, 'utf8');
    assert.ok(validate(JSON.parse(text)), `${file}: ${JSON.stringify(validate.errors)}`);
    const analysis = analyzeSpec(text, { specPath: path, readTextFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined) });
    assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => `${file}:${d.range.start.line + 1} ${d.message}`), []);
  }
});

test('every template validates against the schema', () => {
  const validate = compileSchema();
  for (const template of specTemplates()) assert.ok(validate(JSON.parse(template.text)), `${template.id}: ${JSON.stringify(validate.errors)}`);
});

test('the schema rejects typos and wrong values', () => {
  const validate = compileSchema();
  const good = JSON.parse(specTemplates()[0].text);
  assert.ok(validate(good));
  for (const change of [(s: any) => (s.model.encoder.hiddenSze = 3), (s: any) => (s.model.encoder.cell = 'transformer'), (s: any) => (s.training.batchSize = 0), (s: any) => (s.data.source = 'parquet'), (s: any) => delete s.training.optimizer.lr]) {
    const bad: unknown = structuredClone(good);
    change(bad);
    assert.equal(validate(bad), false, change.toString());
  }
});

/** Every property schema reachable from the root, with its dotted location. */
function allProperties(node: SchemaNode, where: string, out: [string, SchemaNode][] = []): [string, SchemaNode][] {
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    out.push([`${where}.${name}`, child]);
    allProperties(child, `${where}.${name}`, out);
    if (child.items && !Array.isArray(child.items)) allProperties(child.items, `${where}.${name}[]`, out);
  }
  return out;
}

test('every property has a description and a markdownDescription', () => {
  const schema = specSchema as SchemaNode;
  const entries = allProperties(schema, '$');
  for (const [name, definition] of Object.entries(schema.definitions ?? {})) allProperties(definition, `#${name}`, entries);
  assert.ok(entries.length > 100, `${entries.length} properties`);
  const undocumented = entries.filter(([, node]) => !node.description || !node.markdownDescription).map(([where]) => where);
  assert.deepEqual(undocumented, []);
});

test('schema properties match src/modelSpec/types.ts exactly', () => {
  // Syntax only (a type checker takes seconds): interface members plus those of the interfaces it extends,
  // and the members of every object literal in a union alias.
  const file = ts.createSourceFile('types.ts', readFileSync(join(root, 'src', 'modelSpec', 'types.ts'), 'utf8'), ts.ScriptTarget.ES2022, true);
  const declarations = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
  ts.forEachChild(file, (node) => {
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) declarations.set(node.name.text, node);
  });
  const memberNames = (members: ts.NodeArray<ts.TypeElement>) => members.filter((m) => m.name).map((m) => (m.name as ts.Identifier).text);
  const collect = (typeName: string): string[] => {
    const node = declarations.get(typeName);
    assert.ok(node, `type ${typeName} exists`);
    if (ts.isInterfaceDeclaration(node)) {
      const inherited = (node.heritageClauses ?? []).flatMap((clause) => clause.types.map((t) => (t.expression as ts.Identifier).text)).flatMap(collect);
      return [...memberNames(node.members), ...inherited];
    }
    const literals = ts.isUnionTypeNode(node.type) ? node.type.types : [node.type];
    return literals.flatMap((t) => (ts.isTypeLiteralNode(t) ? memberNames(t.members) : ts.isTypeReferenceNode(t) ? collect((t.typeName as ts.Identifier).text) : []));
  };
  const propertiesOf = (typeName: string) => [...new Set(collect(typeName))].sort();
  const schema = specSchema as SchemaNode;
  const defs = schema.definitions!;
  const props = (node: SchemaNode | undefined) => Object.keys(node?.properties ?? {}).sort();
  const model = schema.properties!.model;
  const training = schema.properties!.training;
  const pairs: [string, string[]][] = [
    ['SeqModelSpec', props(schema)],
    ['TaskSpec', props(schema.properties!.task)],
    ['CsvSeriesData', props(defs.csvData)],
    ['TextClassificationData', props(defs.textClassificationData)],
    ['ConllData', props(defs.conllData)],
    ['PairsData', props(defs.pairsData)],
    ['PlainTextData', props(defs.plainTextData)],
    ['SyntheticData', props(defs.syntheticData)],
    ['ModelSpec', props(model)],
    ['EmbeddingSpec', props(model.properties!.embedding)],
    ['RecurrentSpec', props(defs.recurrent)],
    ['HeadSpec', props(model.properties!.head)],
    ['TrainingSpec', props(training)],
    ['TeacherForcingSpec', props(training.properties!.teacherForcing)],
    ['DecodingSpec', props(training.properties!.decoding)],
    ['OptimizerSpec', [...new Set([...props(defs.sgd), ...props(defs.adam)])].sort()],
    ['ScheduleSpec', [...new Set([...props(defs.stepSchedule), ...props(defs.cosineSchedule), ...props(defs.plateauSchedule)])].sort()],
  ];
  for (const [typeName, schemaProperties] of pairs) assert.deepEqual(schemaProperties, propertiesOf(typeName), typeName);
});

test("the schema walk fills exactly the defaults ajv's useDefaults fills, for every template and example", () => {
  const ajv = new Ajv({ strict: true, useDefaults: true });
  ajv.addKeyword('markdownDescription');
  ajv.addKeyword('markdownEnumDescriptions');
  const validate = ajv.compile(specSchema);
  const texts = [...specTemplates().map((t) => t.text), ...exampleFiles().map((f) => readFileSync(join(examplesDir, f), 'utf8'))];
  for (const text of texts) {
    const written = JSON.parse(text);
    const byAjv = structuredClone(written);
    assert.ok(validate(byAjv));
    const filled = withSchemaDefaults(written);
    assert.deepEqual(filled, byAjv, written.name);
    assert.notDeepEqual(filled, written, 'some default was filled');
  }
});
