// Each lint: a clean spec stays clean, one classic mistake triggers exactly its lint (a warning that says why),
// and its quick fix, applied, clears it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec, specTemplates } from './index';
import { applyEdits, edited, withCode } from './testSupport';
import type { SeqModelSpec } from './types';

const template = (id: string): SeqModelSpec => JSON.parse(specTemplates().find((t) => t.id === id)!.text);

interface LintCase {
  code: string;
  base: string;
  // any: the mistakes reach into union members (data.normalize exists only on csv data); the analysis re-checks them.
  mistake: (spec: any) => void;
  why: RegExp;
  fixed?: boolean;
  context?: Parameters<typeof analyzeSpec>[1];
}

const CASES: LintCase[] = [
  { code: 'lint/no-gradient-clipping', base: 'forecaster', mistake: (s) => delete s.training.clipGradNorm, why: /explod/ },
  { code: 'lint/vanilla-rnn-long-sequence', base: 'adding-problem', mistake: (s) => (s.model.encoder = { cell: 'rnn', hiddenSize: 128, nonlinearity: 'tanh' }), why: /100 steps.*vanishes/ },
  { code: 'lint/regression-without-normalization', base: 'forecaster', mistake: (s) => (s.data.normalize = 'none'), why: /scale/ },
  { code: 'lint/readout-last', base: 'classifier', mistake: (s) => (s.model.readout = 'last'), why: /bidirectional/ },
  { code: 'lint/readout-last', base: 'classifier', mistake: (s) => ((s.model.readout = 'last'), (s.model.encoder.bidirectional = false)), why: /padd/ },
  { code: 'lint/teacher-forcing-no-decay', base: 'seq2seq', mistake: (s) => (s.training.teacherForcing = { start: 1.0 }), why: /exposure bias/ },
  { code: 'lint/teacher-forcing-no-decay', base: 'seq2seq', mistake: (s) => delete s.training.teacherForcing, why: /stays at 1\.0.*exposure bias/ },
  { code: 'lint/stateful-without-detach', base: 'forecaster', mistake: (s) => (s.training.stateful = { enabled: true, detach: false }), why: /whole history/ },
  { code: 'lint/padded-without-packing', base: 'tagger', mistake: (s) => (s.model.encoder.packed = false), why: /padding/ },
  { code: 'lint/large-model-tiny-data', base: 'forecaster', mistake: (s) => ((s.model.encoder.hiddenSize = 512), delete s.model.encoder.dropout), why: /memorise/, context: { dataInfo: { samples: 800 } } },
];

test('every template is free of errors and warnings', () => {
  for (const t of specTemplates()) {
    const analysis = analyzeSpec(t.text);
    assert.deepEqual(analysis.diagnostics.map((d) => `${d.code}: ${d.message}`), [], t.id);
    assert.ok(analysis.spec, t.id);
  }
});

for (const c of CASES) {
  test(`${c.code} (${c.base}): warns with the reason and a quick fix that clears it`, () => {
    const clean = JSON.stringify(template(c.base), null, 2);
    assert.deepEqual(withCode(analyzeSpec(clean, c.context), c.code), [], 'clean before the mistake');
    const text = JSON.stringify(edited(template(c.base), c.mistake as (s: SeqModelSpec) => void), null, 2);
    const analysis = analyzeSpec(text, c.context);
    const found = withCode(analysis, c.code);
    assert.equal(found.length, 1, `${c.code} reported once: ${analysis.diagnostics.map((d) => d.code).join(', ')}`);
    const [lint] = found;
    assert.equal(lint.severity, 'warning');
    assert.match(lint.message, c.why);
    assert.ok(analysis.spec, 'a lint is not an error');
    assert.ok(lint.fix && lint.fix.edits.length > 0, 'has a quick fix');
    const fixedText = applyEdits(text, lint.fix.edits);
    const fixed = analyzeSpec(fixedText, c.context);
    assert.deepEqual(withCode(fixed, c.code), [], 'the fix clears it');
    assert.deepEqual(fixed.diagnostics.filter((d) => d.severity === 'error'), [], 'the fix introduces no error');
  });
}

test('the clipping fix inserts clipGradNorm 1.0 into training', () => {
  const text = JSON.stringify(edited(template('forecaster'), (s) => delete s.training.clipGradNorm), null, 2);
  const [lint] = withCode(analyzeSpec(text), 'lint/no-gradient-clipping');
  assert.equal(analyzeSpec(applyEdits(text, lint.fix!.edits)).spec?.training.clipGradNorm, 1.0);
});

test('the teacher-forcing fix decays linearly from 1.0 to 0.0', () => {
  const text = JSON.stringify(edited(template('seq2seq'), (s) => (s.training.teacherForcing = { start: 1.0, decay: 'none' })), null, 2);
  const [lint] = withCode(analyzeSpec(text), 'lint/teacher-forcing-no-decay');
  assert.deepEqual(analyzeSpec(applyEdits(text, lint.fix!.edits)).spec?.training.teacherForcing, { start: 1.0, end: 0.0, decay: 'linear' });
});

test('readout "last" on a unidirectional stacked model over fixed windows is not linted (output[:, -1] equals h_n[-1] there)', () => {
  const text = JSON.stringify(edited(template('forecaster'), (s) => (s.model.readout = 'last')));
  assert.deepEqual(withCode(analyzeSpec(text), 'lint/readout-last'), []);
});

test('a vanilla RNN on short windows is not linted', () => {
  const text = JSON.stringify(edited(template('forecaster'), (s) => (s.model.encoder.cell = 'rnn')));
  assert.deepEqual(withCode(analyzeSpec(text), 'lint/vanilla-rnn-long-sequence'), []);
});

test('lint/validation-outside-training-range: a trending series warns, the fix predicts the change from the last value, a seasonal one is quiet', () => {
  const csv = (f: (i: number) => number) => `load\n${Array.from({ length: 300 }, (_, i) => f(i).toFixed(3)).join('\n')}\n`;
  const context = (text: string) => ({ specPath: '/work/f.seqmodel.json', readTextFile: () => text });
  const trending = context(csv((i) => 300 + 0.1 * i));
  const text = JSON.stringify(template('forecaster'), null, 2);
  const analysis = analyzeSpec(text, trending);
  const found = withCode(analysis, 'lint/validation-outside-training-range');
  assert.equal(found.length, 1, analysis.diagnostics.map((d) => d.code).join(', '));
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /^100% of the validation targets of "load" lie outside the range of the training rows/);
  const fixed = analyzeSpec(applyEdits(text, found[0].fix!.edits), trending);
  assert.equal(fixed.spec?.data.source === 'csv' && fixed.spec.data.normalize, 'last-value');
  assert.deepEqual(withCode(fixed, 'lint/validation-outside-training-range'), []);
  assert.deepEqual(fixed.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual(withCode(analyzeSpec(text, context(csv((i) => 300 + 5 * Math.sin(i / 2)))), 'lint/validation-outside-training-range'), []);
});
