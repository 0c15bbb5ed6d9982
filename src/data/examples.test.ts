// Every bundled example spec loads through prepareData (synthetic sizes capped to keep this quick).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SeqModelSpec } from '../modelSpec/types';
import { baselines } from './baselines';
import { prepareData } from './prepare';

const examplesDir = join(__dirname, '..', '..', 'examples');
const specFiles = readdirSync(examplesDir).filter((name) => name.endsWith('.seqmodel.json')).sort();
const io = { readTextFile: (path: string) => readFileSync(path, 'utf8') };

test('examples: the bundled specs are all there', () => {
  for (const name of ['forecaster', 'sentiment', 'tagger', 'seq2seq', 'generator', 'adding-lstm', 'adding-rnn', 'copy', 'sine']) {
    assert.ok(specFiles.includes(`${name}.seqmodel.json`), `${name}.seqmodel.json is missing`);
  }
});

for (const name of specFiles) {
  test(`examples: ${name} loads, batches and has baselines`, () => {
    const spec = JSON.parse(readFileSync(join(examplesDir, name), 'utf8')) as SeqModelSpec;
    // No relative "$schema": copied out of the repository it would not load (the extension supplies the schema).
    assert.equal(spec.$schema, undefined);
    if (spec.data.source === 'synthetic') spec.data.samples = Math.min(spec.data.samples, 200);
    const prepared = prepareData(spec, examplesDir, io);
    assert.equal(prepared.info.task, spec.task.type);
    assert.ok(prepared.info.trainSize > 0 && prepared.info.validationSize > 0);
    const [batch] = prepared.train.batches(spec.training.batchSize, { shuffle: false });
    assert.equal(batch.size, Math.min(spec.training.batchSize, prepared.train.size));
    assert.ok(batch.inputs || batch.inputIds);
    assert.ok(Object.keys(baselines(prepared)).length > 0);
    assert.equal(typeof prepared.validation.describe(0).input, 'string');
  });
}

test('examples: the shipped data stays small (< 1 MB in total)', () => {
  const total = readdirSync(join(examplesDir, 'data')).reduce((sum, name) => sum + statSync(join(examplesDir, 'data', name)).size, 0);
  assert.ok(total < 1_000_000, `${total} bytes`);
});
