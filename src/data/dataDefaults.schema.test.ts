// The tokenizer defaults have one source (dataDefaults.ts): the JSON schema documents the same values, and every
// text loader records them in `info.tokenizer` when the spec leaves `tokenizer` and `lowercase` out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seqModelSchema from '../../schemas/seqmodel.schema.json';
import type { SeqModelSpec } from '../modelSpec/types';
import { resolveTokenizer, tokenizerDefaults, type TokenizingSource } from './dataDefaults';
import { prepareData } from './prepare';

type PropertySchema = { const?: string; default?: unknown };
const definitions = (seqModelSchema as unknown as { definitions: Record<string, { properties?: Record<string, PropertySchema> }> }).definitions;

/** The schema definition of a data source, found by its `source` constant. */
function schemaPropertiesOf(source: string): Record<string, PropertySchema> {
  const found = Object.values(definitions).find((definition) => definition.properties?.source?.const === source);
  assert.ok(found?.properties, `schema has no data definition with source ${JSON.stringify(source)}`);
  return found.properties;
}

test('the schema default of tokenizer and lowercase equals dataDefaults for every text data source', () => {
  for (const source of Object.keys(tokenizerDefaults) as TokenizingSource[]) {
    const properties = schemaPropertiesOf(source);
    const defaults = tokenizerDefaults[source];
    assert.equal(properties.lowercase?.default, defaults.lowercase, `${source}.lowercase`);
    // CoNLL is pre-tokenised: its schema offers no tokenizer choice.
    if (properties.tokenizer) assert.equal(properties.tokenizer.default, defaults.tokenizer, `${source}.tokenizer`);
    else assert.equal(source, 'conll', `${source} has no tokenizer property in the schema`);
  }
});

const files: Record<string, string> = {
  '/d/reviews.csv': 'text,label\nGreat Film!,pos\nDull plot.,neg\nLoved it,pos\nBoring,neg\n',
  '/d/pairs.tsv': 'Abc\tcbA\nDe\teD\nFgh\thgF\nIj\tjI\n',
  '/d/corpus.txt': 'To be, Or Not to be: that is the question.\n',
  '/d/tags.conll': 'EU B-ORG\nrejects O\n\nPeter B-PER\nBlackburn I-PER\n\nBRUSSELS B-LOC\n',
};

function loaderTokenizer(task: SeqModelSpec['task']['type'], data: SeqModelSpec['data']) {
  const spec = { name: 'd', task: { type: task }, data, model: { encoder: { cell: 'gru', hiddenSize: 2 } }, training: { epochs: 1, batchSize: 2 } } as SeqModelSpec;
  return prepareData(spec, '/d', { readTextFile: (file) => files[file] }).info.tokenizer;
}

test('every text loader tokenises with dataDefaults when the spec is silent, and records it in info.tokenizer', () => {
  const cases: [SeqModelSpec['task']['type'], SeqModelSpec['data']][] = [
    ['classify', { source: 'text-classification', path: 'reviews.csv', split: { validation: 0.25 } }],
    ['seq2seq', { source: 'pairs', path: 'pairs.tsv', split: { validation: 0.25 } }],
    ['generate', { source: 'text', path: 'corpus.txt', window: 8, split: { validation: 0.2 } }],
    ['tag', { source: 'conll', path: 'tags.conll', split: { validation: 0.34 } }],
  ];
  for (const [task, data] of cases) {
    const defaults = tokenizerDefaults[data.source as TokenizingSource];
    const recorded = loaderTokenizer(task, data);
    assert.deepEqual({ kind: recorded?.kind, lowercase: recorded?.lowercase }, { kind: defaults.tokenizer, lowercase: defaults.lowercase }, data.source);
    assert.deepEqual({ kind: recorded?.kind, lowercase: recorded?.lowercase }, { kind: resolveTokenizer(data)?.kind, lowercase: resolveTokenizer(data)?.lowercase }, data.source);
  }
});

test('a spec choice overrides the default in the loader and in resolveTokenizer alike', () => {
  const data: SeqModelSpec['data'] = { source: 'text-classification', path: 'reviews.csv', tokenizer: 'char', lowercase: false, split: { validation: 0.25 } };
  assert.deepEqual(resolveTokenizer(data), { kind: 'char', lowercase: false, maxLength: undefined });
  assert.equal(loaderTokenizer('classify', data)?.kind, 'char');
  assert.equal(resolveTokenizer({ source: 'synthetic', generator: 'adding', samples: 4, length: 3 } as SeqModelSpec['data']), undefined);
});
