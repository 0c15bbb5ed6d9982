import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../modelSpec/types';
import type { Batch, DataInfo } from '../data/types';
import { Vocabulary } from '../data/vocabulary';
import { SequenceModel } from './model';
import { padBatch, realStepsOnly } from './fixedShapes';

const vocabulary = new Vocabulary(['<pad>', '<unk>', '<s>', '</s>', 'a', 'b', 'c']);
const info = (task: DataInfo['task'], outputSize: number): DataInfo => ({
  kind: 'tokens', task, inputSize: vocabulary.size, outputSize, vocabulary, targetVocabulary: vocabulary,
  maxLength: 8, trainSize: 2, validationSize: 0, testSize: 0, denormalizeTargets: () => {},
});
const spec = (task: SeqModelSpec['task']['type'], model: SeqModelSpec['model']): SeqModelSpec => ({
  name: 'pad', task: { type: task }, data: { source: 'pairs', path: 'x.tsv' }, model,
  training: { epochs: 1, batchSize: 2, optimizer: { type: 'sgd', lr: 0.1 } },
});

const tagBatch = (): Batch => ({
  size: 2, steps: 4, lengths: Int32Array.of(4, 2), inputIds: Int32Array.of(4, 5, 6, 4, 6, 5, 0, 0),
  targetIds: Int32Array.of(0, 1, 2, 0, 2, 1, -1, -1), targetSteps: 4, targetLengths: Int32Array.of(4, 2), indices: Int32Array.of(0, 1),
});

test('padding a batch adds <pad> inputs and ignored targets and keeps the lengths', () => {
  const padded = padBatch(tagBatch(), { steps: 6 }, vocabulary.size, true);
  assert.equal(padded.steps, 6);
  assert.deepEqual([...padded.inputIds!], [4, 5, 6, 4, 0, 0, 6, 5, 0, 0, 0, 0]);
  assert.deepEqual([...padded.targetIds!], [0, 1, 2, 0, -1, -1, 2, 1, -1, -1, -1, -1]);
  assert.deepEqual([...padded.lengths], [4, 2]);
  assert.equal(padBatch(tagBatch(), { steps: 4 }, vocabulary.size, true).steps, 4);
});

test('packed models give the same loss on a padded batch (tagger, bidirectional)', () => {
  const model = new SequenceModel(spec('tag', { embedding: { dim: 3 }, encoder: { cell: 'lstm', hiddenSize: 4, bidirectional: true } }), info('tag', 3), new Rng(1));
  model.setTraining(false);
  const plain = model.evaluateBatch(tagBatch());
  const padded = model.evaluateBatch(padBatch(tagBatch(), { steps: 7 }, vocabulary.size, true));
  assert.equal(padded.count, plain.count);
  assert.ok(Math.abs(padded.loss - plain.loss) < 1e-6, `${padded.loss} vs ${plain.loss}`);
});

test('seq2seq: padded source and target steps leave the teacher-forced loss unchanged', () => {
  const model = new SequenceModel(spec('seq2seq', { embedding: { dim: 3 }, encoder: { cell: 'gru', hiddenSize: 4 }, decoder: { cell: 'gru', hiddenSize: 4 } }), info('seq2seq', vocabulary.size), new Rng(2));
  model.setTraining(false);
  const batch: Batch = {
    size: 2, steps: 3, lengths: Int32Array.of(3, 1), inputIds: Int32Array.of(4, 5, 6, 5, 0, 0),
    targetIds: Int32Array.of(6, 5, 4, 3, 5, 3, -1, -1), targetSteps: 4, targetLengths: Int32Array.of(4, 2),
    decoderInputIds: Int32Array.of(2, 6, 5, 4, 2, 5, 0, 0), indices: Int32Array.of(0, 1),
  };
  const plain = model.evaluateBatch(batch);
  const padded = padBatch(batch, { steps: 5, targetSteps: 6 }, vocabulary.size, true);
  assert.equal(padded.targetSteps, 6);
  const result = model.evaluateBatch(padded);
  assert.ok(Math.abs(result.loss - plain.loss) < 1e-6, `${result.loss} vs ${plain.loss}`);
});

test('per-step rows stop at the batch\'s longest sequence, not at the padding', () => {
  // Gradient norms per layer over 6 padded steps of a batch whose longest sequence has 4.
  const rows = [[0.1, 0.2, 0.3, 0.4, 0, 0], [1, 2, 3, 4, 0, 0]];
  assert.deepEqual(realStepsOnly(rows, Int32Array.of(2, 4, 3)), [[0.1, 0.2, 0.3, 0.4], [1, 2, 3, 4]]);
});
