// `seqlab predict` tokenises new text exactly as the loader tokenised the training data (info.tokenizer): a CoNLL
// tagger reads whitespace-separated tokens, so punctuation stays attached as it was in the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../modelSpec/types';
import { prepareData } from '../data';
import { SequenceModel } from './model';
import { predictOne } from './predict';

const files: Record<string, string> = {
  '/d/tags.conll': "EU B-ORG\nrejects O\n\nPeter B-PER\nBlackburn I-PER\n\nDon't O\nstop. O\n",
};

function untrainedModel(task: SeqModelSpec['task']['type'], data: SeqModelSpec['data']) {
  const spec = { name: 'p', task: { type: task }, data, model: { embedding: { dim: 3 }, encoder: { cell: 'gru', hiddenSize: 4 } }, training: { epochs: 1, batchSize: 2, seed: 1 } } as SeqModelSpec;
  const { info } = prepareData(spec, '/d', { readTextFile: (file) => files[file] });
  return { spec, info, model: new SequenceModel(spec, info, new Rng(3)) };
}

test('predict splits CoNLL tagger input on whitespace only, as the CoNLL loader does', () => {
  const { spec, info, model } = untrainedModel('tag', { source: 'conll', path: 'tags.conll', split: { validation: 0.34 } });
  const result = predictOne(model, spec, info, "Don't stop. Peter", new Rng(1)) as { tokens: string[]; tags: string[] };
  assert.deepEqual(result.tokens, ["Don't", 'stop.', 'Peter']);
  assert.equal(result.tags.length, 3);
});

