// seq2seq with LSTM projections: the decoder starts from h_n (projSize wide) and c_n (hiddenSize wide) of the
// encoder, both directions concatenated; each width that does not fit is reported at the decoder property that
// decides it, with a fix that clears it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec, specTemplates } from './index';
import { applyEdits, withCode } from './testSupport';

function seq2seq(encoder: object, decoder?: object): string {
  const spec = JSON.parse(specTemplates().find((t) => t.id === 'seq2seq')!.text);
  spec.model.encoder = encoder;
  if (decoder) spec.model.decoder = decoder;
  else delete spec.model.decoder;
  return JSON.stringify(spec, null, 2);
}
const covered = (text: string, d: { offset: number; length: number }) => text.slice(d.offset, d.offset + d.length);
const encoder = { cell: 'lstm', hiddenSize: 6, projSize: 2, bidirectional: true };

test('seq2seq: a projecting bidirectional encoder and a decoder of twice its widths analyse cleanly, with shapes', () => {
  const analysis = analyzeSpec(seq2seq(encoder, { cell: 'lstm', hiddenSize: 12, projSize: 4 }));
  assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), []);
  const decoder = analysis.layers.find((layer) => layer.id === 'decoder')!;
  assert.equal(decoder.output.at(-1)!.size, 4, 'the decoder outputs its projSize');
  // A GRU decoder needs only h0: as wide as both encoder directions' projections.
  assert.deepEqual(analyzeSpec(seq2seq(encoder, { cell: 'gru', hiddenSize: 4 })).diagnostics.filter((d) => d.severity === 'error'), []);
});

test('seq2seq: a decoder h or c of the wrong width is an error at projSize or hiddenSize, fixed by its quick fix', () => {
  for (const [decoder, covers] of [[{ cell: 'lstm', hiddenSize: 12, projSize: 3 }, '3'], [{ cell: 'lstm', hiddenSize: 10, projSize: 4 }, '10'], [{ cell: 'lstm', hiddenSize: 12 }, '12']] as const) {
    const text = seq2seq(encoder, decoder);
    const [d] = withCode(analyzeSpec(text), 'semantic/encoder-decoder-hidden-mismatch');
    assert.ok(d, JSON.stringify(decoder));
    assert.equal(covered(text, d), covers, JSON.stringify(decoder));
    const fixed = applyEdits(text, d.fix!.edits);
    assert.deepEqual(withCode(analyzeSpec(fixed), 'semantic/encoder-decoder-hidden-mismatch'), [], `${JSON.stringify(decoder)} fixed`);
  }
});

test('seq2seq: the missing decoder\'s quick fix adds one that fits a projecting encoder', () => {
  const text = seq2seq(encoder);
  const [d] = withCode(analyzeSpec(text), 'semantic/seq2seq-without-decoder');
  const fixed = analyzeSpec(applyEdits(text, d.fix!.edits));
  assert.deepEqual(fixed.diagnostics.filter((x) => x.severity === 'error'), []);
  assert.deepEqual(fixed.spec?.model.decoder && { h: fixed.spec.model.decoder.hiddenSize, p: fixed.spec.model.decoder.projSize }, { h: 12, p: 4 });
});
