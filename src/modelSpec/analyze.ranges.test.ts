// Every diagnostic points at the exact property or value: JSON syntax, schema and semantic errors alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec, specTemplates } from './index';
import { applyEdits, withCode } from './testSupport';

const BASE = `{
  "name": "ranges",
  "task": { "type": "forecast" },
  "data": { "source": "csv", "path": "data/prices.csv", "columns": ["close"], "window": 30 },
  "model": {
    "encoder": { "cell": "lstm", "hiddenSize": 64, "numLayers": 2 }
  },
  "training": { "epochs": 5, "batchSize": 32, "optimizer": { "type": "adam", "lr": 0.001 }, "clipGradNorm": 1.0 }
}
`;

/** The text a diagnostic covers. */
const covered = (text: string, d: { offset: number; length: number }) => text.slice(d.offset, d.offset + d.length);

test('the base spec is clean and yields a spec with defaults applied', () => {
  const analysis = analyzeSpec(BASE);
  assert.deepEqual(analysis.diagnostics, []);
  assert.equal(analysis.spec?.model.encoder.bidirectional, false);
  assert.equal(analysis.spec?.model.readout, 'hN');
  assert.equal(analysis.spec?.training.loss, 'mse');
  assert.deepEqual(analysis.spec && analysis.spec.data.source === 'csv' && analysis.spec.data.target, ['close']);
  assert.equal(analysis.spec?.model.encoder.nonlinearity, undefined, 'no RNN-only default on an LSTM');
});

test('JSON syntax errors point at the offending token with line and column', () => {
  const text = BASE.replace('"window": 30 }', '"window": 30, }');
  const analysis = analyzeSpec(text);
  assert.equal(analysis.spec, undefined);
  const [error] = analysis.diagnostics.filter((d) => d.code.startsWith('json/'));
  assert.ok(error, 'a syntax diagnostic');
  assert.equal(error.range.start.line, 3);
  assert.equal(covered(text, error), '}');
});

test('a duplicate key is an error on the second occurrence', () => {
  const text = BASE.replace('"numLayers": 2', '"numLayers": 2, "hiddenSize": 32');
  const analysis = analyzeSpec(text);
  const [d] = withCode(analysis, 'json/duplicate-property');
  assert.equal(d.offset, text.lastIndexOf('"hiddenSize"'));
  assert.equal(analysis.spec, undefined);
});

test('an unknown property is reported on its key with a rename quick fix', () => {
  const text = BASE.replace('"numLayers": 2', '"numLayer": 2');
  const analysis = analyzeSpec(text);
  const [d] = withCode(analysis, 'schema/unknown-property');
  assert.equal(covered(text, d), '"numLayer"');
  assert.match(d.message, /Did you mean "numLayers"/);
  assert.equal(d.range.start.line, 5);
  assert.equal(d.range.start.character, text.split('\n')[5].indexOf('"numLayer"'));
  assert.deepEqual(analyzeSpec(applyEdits(text, d.fix!.edits)).diagnostics, []);
});

test('a misspelt enum value is reported on the value with a quick fix', () => {
  const text = BASE.replace('"cell": "lstm"', '"cell": "lstn"');
  const [d] = withCode(analyzeSpec(text), 'schema/invalid-value');
  assert.equal(covered(text, d), '"lstn"');
  assert.equal(d.fix?.edits[0].newText, '"lstm"');
});

test('wrong types and out-of-range numbers point at the value; missing properties at the parent key', () => {
  let text = BASE.replace('"hiddenSize": 64', '"hiddenSize": 64.5');
  assert.equal(covered(text, withCode(analyzeSpec(text), 'schema/wrong-type')[0]), '64.5');
  text = BASE.replace('"epochs": 5', '"epochs": 0');
  assert.equal(covered(text, withCode(analyzeSpec(text), 'schema/out-of-range')[0]), '0');
  text = BASE.replace('"hiddenSize": 64, ', '');
  const [missing] = withCode(analyzeSpec(text), 'schema/missing-property');
  assert.equal(covered(text, missing), '"encoder"');
  assert.match(missing.message, /model\.encoder needs "hiddenSize"/);
  assert.equal(missing.fix?.title, 'Add "hiddenSize": 64', "the schema's first example");
  assert.deepEqual(analyzeSpec(applyEdits(text, missing.fix!.edits)).diagnostics, []);
});

test('errors in the data branch selected by "source" are reported only for that branch', () => {
  const text = BASE.replace('"window": 30', '"window": 30, "generator": "adding"');
  const analysis = analyzeSpec(text);
  assert.deepEqual(analysis.diagnostics.map((d) => [d.code, covered(text, d)]), [['schema/unknown-property', '"generator"']]);
});

test('semantic errors point at the property that causes them, with fixes that clear them', () => {
  const cases: { change: (t: string) => string; code: string; covers: string }[] = [
    { change: (t) => t.replace('"numLayers": 2 }', '"numLayers": 1, "dropout": 0.2 }'), code: 'semantic/dropout-single-layer', covers: '"dropout": 0.2' },
    { change: (t) => t.replace('"model": {', '"model": {\n    "embedding": { "dim": 16 },'), code: 'semantic/embedding-on-real-input', covers: '"embedding"' },
    { change: (t) => t.replace('"numLayers": 2 }', '"numLayers": 2, "nonlinearity": "relu" }'), code: 'semantic/nonlinearity-non-rnn', covers: '"nonlinearity": "relu"' },
    { change: (t) => t.replace('"numLayers": 2 }', '"numLayers": 2 },\n    "decoder": { "cell": "lstm", "hiddenSize": 64 }'), code: 'semantic/decoder-without-seq2seq', covers: '"decoder"' },
  ];
  for (const c of cases) {
    const text = c.change(BASE);
    const analysis = analyzeSpec(text);
    const [d] = withCode(analysis, c.code);
    assert.ok(d, `${c.code} reported`);
    assert.equal(covered(text, d), c.covers, c.code);
    assert.ok(d.fix, `${c.code} has a fix`);
    const fixed = analyzeSpec(applyEdits(text, d.fix.edits));
    assert.deepEqual(fixed.diagnostics.map((x) => x.code), [], `${c.code} fixed`);
  }
});

test('seq2seq: bidirectional decoder, hidden and layer mismatches, missing decoder', () => {
  const seq2seq = JSON.parse(specTemplates().find((t) => t.id === 'seq2seq')!.text);
  seq2seq.model.encoder = { cell: 'lstm', hiddenSize: 64, bidirectional: true, numLayers: 2 };
  seq2seq.model.decoder = { cell: 'lstm', hiddenSize: 64, bidirectional: true };
  const text = JSON.stringify(seq2seq, null, 2);
  const codes = analyzeSpec(text).diagnostics.map((d) => d.code);
  for (const code of ['semantic/bidirectional-decoder', 'semantic/encoder-decoder-hidden-mismatch', 'semantic/encoder-decoder-layers-mismatch']) assert.ok(codes.includes(code), code);
  delete seq2seq.model.decoder;
  const missing = analyzeSpec(JSON.stringify(seq2seq, null, 2));
  const [d] = withCode(missing, 'semantic/seq2seq-without-decoder');
  const fixed = analyzeSpec(applyEdits(JSON.stringify(seq2seq, null, 2), d.fix!.edits));
  assert.equal(fixed.layers.find((l) => l.id === 'decoder')?.recurrent?.hiddenSize, 128, 'the added decoder is as wide as both encoder directions');
  assert.deepEqual(withCode(fixed, 'semantic/encoder-decoder-hidden-mismatch'), []);
});

test('missing data files and CSV columns are reported against the spec folder', () => {
  const files: Record<string, string> = { '/work/specs/data/prices.csv': 'date,open,close\n' + Array.from({ length: 2000 }, (_, i) => `d${i},${i % 50},${i % 50}`).join('\n') };
  const reads: string[] = [];
  const context = { specPath: '/work/specs/ranges.seqmodel.json', readTextFile: (p: string) => (reads.push(p), files[p]) };
  assert.deepEqual(analyzeSpec(BASE, context).diagnostics, []);
  assert.deepEqual(reads, ['/work/specs/data/prices.csv'], 'each data file is read once per analysis');
  const typo = BASE.replace('["close"]', '["clsoe"]');
  const [column] = withCode(analyzeSpec(typo, context), 'semantic/unknown-column');
  assert.equal(covered(typo, column), '"clsoe"');
  assert.equal(column.fix?.edits[0].newText, '"close"');
  const elsewhere = BASE.replace('data/prices.csv', 'data/missing.csv');
  const [missing] = withCode(analyzeSpec(elsewhere, context), 'semantic/file-not-found');
  assert.equal(covered(elsewhere, missing), '"data/missing.csv"');
  assert.match(missing.message, /\/work\/specs\/data\/missing\.csv/);
});

test('labels are checked against the data', () => {
  const classifier = JSON.parse(specTemplates().find((t) => t.id === 'classifier')!.text);
  const text = JSON.stringify(classifier, null, 2);
  const csv = 'text,label\ngreat film,positive\nawful,negative\nmeh,neutral\n';
  const context = { specPath: '/s/c.seqmodel.json', readTextFile: (p: string) => (p === '/s/data/sentiment.csv' ? csv : undefined) };
  const [d] = withCode(analyzeSpec(text, context), 'semantic/label-not-listed');
  assert.match(d.message, /"neutral"/);
  assert.equal(covered(text, d), '[\n      "negative",\n      "positive"\n    ]');
});

test('analysis never throws, whatever prefix of a spec the editor holds', () => {
  const text = specTemplates().find((t) => t.id === 'seq2seq')!.text;
  for (let end = 0; end <= text.length; end += 3) {
    const analysis = analyzeSpec(text.slice(0, end));
    assert.ok(Array.isArray(analysis.diagnostics));
    if (end < text.length - 2) assert.ok(analysis.diagnostics.some((d) => d.severity === 'error'), `prefix ${end} has an error`);
    for (const d of analysis.diagnostics) assert.ok(d.offset >= 0 && d.offset + d.length <= Math.max(end, 1), `range inside the text at ${end}`);
  }
  for (const odd of ['', 'null', '[]', '42', '{"model": {"encoder": {"cell": "lstm", "hiddenSize": "x"}}}', '{"model": 3}']) assert.ok(analyzeSpec(odd).diagnostics.length > 0, odd);
});

test('each impossible combination is reported with its code, and its quick fix (where offered) clears it', () => {
  const template = (id: string) => JSON.parse(specTemplates().find((t) => t.id === id)!.text);
  // any: the cases reach into union members of the spec; the analysis re-checks whatever they write.
  const cases: { base: string; code: string; change: (s: any) => void }[] = [
    { base: 'generator', code: 'semantic/bidirectional-generator', change: (s) => (s.model.encoder.bidirectional = true) },
    { base: 'classifier', code: 'semantic/missing-embedding', change: (s) => delete s.model.embedding },
    { base: 'tagger', code: 'semantic/readout-many-to-many', change: (s) => (s.model.readout = 'hN') },
    { base: 'forecaster', code: 'semantic/residual-single-layer', change: (s) => ((s.model.encoder.residual = true), (s.model.encoder.numLayers = 1), delete s.model.encoder.dropout) },
    { base: 'forecaster', code: 'semantic/residual-unequal-widths', change: (s) => (s.model.encoder.residual = true) },
    { base: 'forecaster', code: 'semantic/task-data-mismatch', change: (s) => (s.task = { type: 'classify' }) },
    { base: 'forecaster', code: 'semantic/loss-task-mismatch', change: (s) => (s.training.loss = 'cross-entropy') },
    { base: 'tagger', code: 'semantic/vocabulary-mismatch', change: (s) => (s.model.embedding.vocabSize = 100) },
    { base: 'seq2seq', code: 'semantic/encoder-decoder-cell-mismatch', change: (s) => (s.model.decoder.cell = 'gru') },
    { base: 'forecaster', code: 'semantic/unused-property', change: (s) => (s.training.teacherForcing = { start: 1, end: 0, decay: 'linear' }) },
    { base: 'adding-problem', code: 'semantic/split-too-large', change: (s) => (s.data.split = { validation: 0.5, test: 0.45 }) },
    { base: 'adding-problem', code: 'semantic/batch-larger-than-data', change: (s) => (s.data.samples = 20) },
  ];
  for (const c of cases) {
    const spec = template(c.base);
    assert.deepEqual(withCode(analyzeSpec(JSON.stringify(spec, null, 2), { dataInfo: { vocabSize: 500 } }), c.code), [], `${c.code}: clean before`);
    c.change(spec);
    const text = JSON.stringify(spec, null, 2);
    const [d] = withCode(analyzeSpec(text, { dataInfo: { vocabSize: 500 } }), c.code);
    assert.ok(d, `${c.code} reported`);
    assert.ok(d.length > 0 && d.message.length > 20, `${c.code} has a range and an explanation`);
    if (d.fix) assert.deepEqual(withCode(analyzeSpec(applyEdits(text, d.fix.edits), { dataInfo: { vocabSize: 500 } }), c.code), [], `${c.code} fixed`);
  }
});
