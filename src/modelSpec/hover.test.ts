// Data-driven hover tests: a spec text with a `$0` cursor and the substrings the hover must (and must not) show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec, hoverAt } from './index';
import type { SpecContext } from './analysisTypes';

const FORECASTER = `{
  "name": "hover",
  "task": { "type": "forecast" },
  "data": { "source": "csv", "path": "p.csv", "columns": ["close"], "window": 30 },
  "model": {
    "encoder": { "cell": "lstm", "hiddenSize": 64, "numLayers": 2, "dropout": 0.1 },
    "readout": "hN"
  },
  "training": { "epochs": 5, "batchSize": 32, "optimizer": { "type": "adam", "lr": 0.001 }, "clipGradNorm": 1.0 }
}`;

const TAGGER = `{
  "name": "tagger",
  "task": { "type": "tag", "labels": ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"] },
  "data": { "source": "conll", "path": "t.conll" },
  "model": {
    "embedding": { "dim": 64 },
    "encoder": { "cell": "lstm", "hiddenSize": 64, "bidirectional": true }
  },
  "training": { "epochs": 5, "batchSize": 16, "optimizer": { "type": "adam", "lr": 0.001 }, "clipGradNorm": 1.0 }
}`;

interface HoverCase {
  name: string;
  /** The spec with `$0` where the cursor is. */
  text: string;
  expect: string[];
  reject?: string[];
  context?: SpecContext;
}

const CASES: HoverCase[] = [
  {
    name: 'over the encoder key: shapes with named dims, h_n/c_n, parameters, gates',
    text: FORECASTER.replace('"encoder"', '"enc$0oder"'),
    expect: [
      '**LSTM encoder ×2 layers**',
      'input `[batch=32, seq=30, input=1]`',
      'output `[batch=32, seq=30, hidden=64]`',
      'h_n `[layers·dirs=2, batch=32, hidden=64]`',
      'c_n `[layers·dirs=2, batch=32, hidden=64]`',
      '**Parameters:** 50,432',
      '| `encoder.weight_ih_l0` | `[256, 1]` | 256 |',
      '| `encoder.weight_hh_l1` | `[256, 64]` | 16,384 |',
      'f_t = σ(·) forget gate',
      'i_t = σ(·) input gate',
      'C̃_t',
      'o_t = σ(·) output gate',
      'c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t',
      'h_t = o_t ⊙ tanh(c_t)',
      '[batch=32, hidden=64]',
      '[batch=32, hidden+input=65]',
      'MFLOPs per step (batch 32)',
      'BPTT activations',
    ],
  },
  { name: 'over a property value inside the encoder: the same layer', text: FORECASTER.replace('"hiddenSize": 64', '"hiddenSize": 6$04'), expect: ['**LSTM encoder ×2 layers**', '**Parameters:** 50,432'] },
  { name: 'over the readout', text: FORECASTER.replace('"readout": "hN"', '"readout": "h$0N"'), expect: ['**Readout hN**', 'output `[batch=32, hidden=64]`', "h_n[-1]: the top layer's final hidden state", '**Parameters:** none'], reject: ['f_t'] },
  {
    name: 'bidirectional tagger: concat width, both directions in h_n, _reverse tensors',
    text: TAGGER.replace('"bidirectional"', '"bidirec$0tional"'),
    expect: ['output `[batch=16, seq, hidden=128]`', 'h_n `[layers·dirs=2, batch=16, hidden=64]`', '`encoder.weight_ih_l0_reverse`', '**Parameters:** 66,560', 'One time step (each direction)'],
  },
  { name: 'embedding with an unknown vocabulary shows the name', text: TAGGER.replace('"dim": 64', '"dim": $064'), expect: ['**Embedding vocab → 64**', 'output `[batch=16, seq, embedding=64]`', '**Parameters:** 64·vocab', '| `embedding.weight` | `[?, 64]` | — |', 'vocab = the vocabulary size: known from the data after the first `seqlab check` or run of this spec'] },
  { name: 'sequence length from the data when the spec does not fix it', text: TAGGER.replace('"bidirectional"', '"bidirec$0tional"'), context: { dataInfo: { sequenceLength: 40 } }, expect: ['output `[batch=16, seq=40, hidden=128]`', 'BPTT activations'] },
  { name: 'embedding with the vocabulary from the data', text: TAGGER.replace('"dim": 64', '"dim": $064'), context: { dataInfo: { vocabSize: 1000 } }, expect: ['**Embedding 1000 → 64**', '**Parameters:** 64,000'] },
  {
    name: 'GRU cell: reset/update/candidate gates, no c_n',
    text: FORECASTER.replace('"cell": "lstm"', '"cell": "g$0ru"'),
    expect: ['**GRU encoder ×2 layers**', 'r_t = σ(·) reset gate', 'z_t = σ(·) update gate', 'n_t = tanh(W_in x_t + r_t ⊙ (W_hn h_{t-1} + b_hn))', '**Parameters:** 37,824'],
    reject: ['c_n', 'f_t'],
  },
  { name: 'outside any layer: no hover', text: FORECASTER.replace('"epochs"', '"ep$0ochs"'), expect: [] },
];

for (const c of CASES) {
  test(`hover ${c.name}`, () => {
    const offset = c.text.indexOf('$0');
    assert.ok(offset >= 0, 'the case has a $0 cursor');
    const text = c.text.replace('$0', '');
    const analysis = analyzeSpec(text, c.context);
    const hover = hoverAt(analysis, offset);
    if (c.expect.length === 0) {
      assert.equal(hover, undefined);
      return;
    }
    assert.ok(hover, 'a hover');
    for (const fragment of c.expect) assert.ok(hover.markdown.includes(fragment), `missing ${JSON.stringify(fragment)} in:\n${hover.markdown}`);
    for (const fragment of c.reject ?? []) assert.ok(!hover.markdown.includes(fragment), `unexpected ${JSON.stringify(fragment)}`);
    assert.ok(hover.offset <= offset && offset <= hover.offset + hover.length, 'the hover range holds the cursor');
  });
}

test('hover on a spec with an error says the shapes wait for it, instead of guessing them (no hidden=0)', () => {
  const text = FORECASTER.replace('"hiddenSize": 64', '"hiddenSize": 0');
  const analysis = analyzeSpec(text);
  assert.equal(analysis.spec, undefined);
  const hover = hoverAt(analysis, text.indexOf('"readout"'))?.markdown ?? '';
  assert.match(hover, /^\*\*Readout hN\*\*/);
  assert.match(hover, /Shapes and parameters appear once the spec's error is fixed: line 6: /);
  assert.doesNotMatch(hover, /hidden=0|batch=/);
  const twoErrors = text.replace('"epochs": 5', '"epochs": "five"');
  assert.match(hoverAt(analyzeSpec(twoErrors), twoErrors.indexOf('"hiddenSize"'))?.markdown ?? '', /once the spec's 2 errors are fixed; the first: line 6: /);
});
