// Every spec proposed for the sniff corpus (test/fixtures/sniff) analyses without errors or warnings and loads through the
// loader its task names, so "New Spec from Data File…" and `seqlab init` write specs that train as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sniffData } from '../data/sniff';
import { prepareData } from '../data/prepare';
import { analyzeSpec } from './analyze';
import { specFromSniff, specNameFor } from './specFromData';

const corpus = join(__dirname, '..', '..', 'test', 'fixtures', 'sniff');
const files = readdirSync(corpus).filter((f) => f !== 'expected.json').sort();
const io = { readTextFile: (p: string) => readFileSync(p, 'utf8') };

for (const file of files) {
  const sniff = sniffData(file, readFileSync(join(corpus, file), 'utf8'));
  if (!sniff.proposal) continue;
  test(`specFromSniff: ${file} → ${sniff.proposal.task}, no diagnostics, loads`, () => {
    const { spec, text } = specFromSniff(sniff, { name: specNameFor(file), dataPath: file });
    assert.deepEqual(JSON.parse(text), spec);
    const specPath = join(corpus, `${specNameFor(file)}.seqmodel.json`);
    const analysis = analyzeSpec(text, { specPath, readTextFile: (p) => readFileSync(p, 'utf8') });
    // Not even a warning: the defaults clip, normalise, pack and regularise where the lints would ask for it.
    assert.deepEqual(analysis.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`), []);
    assert.ok(analysis.spec, 'analysis returns the spec with defaults');
    assert.equal(analysis.spec.training.clipGradNorm, 1, 'every proposal clips gradients');
    const prepared = prepareData(analysis.spec, corpus, io, specPath);
    assert.equal(prepared.info.task, sniff.proposal!.task);
    assert.ok(prepared.info.trainSize > 0 && prepared.info.validationSize > 0);
  });
}

test('specFromSniff: the model fits the task (z-scored series, packed bidirectional text, decaying teacher forcing)', () => {
  const spec = (file: string) => specFromSniff(sniffData(file, readFileSync(join(corpus, file), 'utf8')), { name: 'x', dataPath: file }).spec;
  const forecast = spec('sensor-hourly.csv');
  assert.equal(forecast.data.source === 'csv' && forecast.data.normalize, 'zscore');
  const trending = spec('monthly-sales.csv');
  assert.equal(trending.data.source === 'csv' && trending.data.normalize, 'last-value', 'a trending series predicts the change from the last value');
  assert.equal(forecast.data.source === 'csv' && forecast.data.window, 15, 'hourly data: 48 steps, capped at a twentieth of 300 rows');
  assert.equal(forecast.model.readout, 'hN');
  const classify = spec('reviews.csv');
  assert.deepEqual(classify.model.encoder, { cell: 'lstm', hiddenSize: 64, bidirectional: true, packed: true });
  assert.equal(classify.data.bucketByLength, true);
  assert.equal(classify.model.readout, 'hN');
  const seq2seq = spec('en-fr.tsv');
  assert.deepEqual(seq2seq.training.teacherForcing, { start: 1, end: 0, decay: 'linear' });
  assert.equal(spec('pos.conll').model.encoder.bidirectional, true);
  assert.equal(spec('sonnet.txt').data.source, 'text');
});

test('specNameFor: the file stem, lower case, safe characters', () => {
  assert.equal(specNameFor('/data/My Sales (2024).csv'), 'my-sales-2024');
  assert.equal(specNameFor('C:\\x\\co2-concentration.csv'), 'co2-concentration');
  assert.equal(specNameFor('.csv'), 'data');
});
