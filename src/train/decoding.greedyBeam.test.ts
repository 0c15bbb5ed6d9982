import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../modelSpec/types';
import type { Batch, DataInfo } from '../data/types';
import { Vocabulary } from '../data/vocabulary';
import { SequenceModel } from './model';
import { beamDecode, greedyDecode, sampleFromLogits, sampleSequence } from './decoding';

const vocabulary = new Vocabulary(['<pad>', '<unk>', '<s>', '</s>', 'a', 'b', 'c', 'd']);
const info = (task: DataInfo['task']): DataInfo => ({
  kind: 'tokens', task, inputSize: vocabulary.size, outputSize: vocabulary.size, vocabulary, targetVocabulary: vocabulary,
  maxLength: 4, trainSize: 2, validationSize: 0, testSize: 0, denormalizeTargets: () => {},
});
const spec = (task: SeqModelSpec['task']['type'], model: SeqModelSpec['model']): SeqModelSpec => ({
  name: 'decode', task: { type: task }, data: { source: 'pairs', path: 'x.tsv' }, model,
  training: { epochs: 1, batchSize: 2, optimizer: { type: 'sgd', lr: 0.1 } },
});

function seq2seq(seed: number): { model: SequenceModel; batch: Batch } {
  const model = new SequenceModel(spec('seq2seq', { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 6 }, decoder: { cell: 'gru', hiddenSize: 6 } }), info('seq2seq'), new Rng(seed));
  model.setTraining(false);
  const batch: Batch = { size: 2, steps: 4, lengths: Int32Array.of(4, 2), inputIds: Int32Array.of(4, 5, 6, 7, 5, 4, 0, 0), indices: Int32Array.of(0, 1) };
  return { model, batch };
}

/** Σ log p(token) of a decoded sequence (ended by </s> unless it hit the length limit), by teacher forcing. */
function sequenceLogProbability(model: SequenceModel, batch: Batch, example: number, tokens: number[], ended: boolean): number {
  const one: Batch = { ...batch, size: 1, lengths: batch.lengths.slice(example, example + 1), inputIds: batch.inputIds!.slice(example * batch.steps, (example + 1) * batch.steps) };
  let { h, c } = model.encodeForDecoding(one);
  let previous = 2;
  let total = 0;
  for (const next of ended ? [...tokens, 3] : tokens) {
    const step = model.decoderStep(Int32Array.of(previous), h, c);
    h = step.h;
    c = step.c;
    const logits = step.logits.data;
    const max = Math.max(...logits);
    const logSum = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
    total += logits[next] - logSum;
    previous = next;
  }
  return total;
}

test('beam search over an LSTM decoder with a projection (h 3 wide, c 5 wide) keeps each beam\'s state: width 1 is greedy', () => {
  const model = new SequenceModel(spec('seq2seq', { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 5, projSize: 3 }, decoder: { cell: 'lstm', hiddenSize: 5, projSize: 3 } }), info('seq2seq'), new Rng(4));
  model.setTraining(false);
  const batch: Batch = { size: 2, steps: 4, lengths: Int32Array.of(4, 2), inputIds: Int32Array.of(4, 5, 6, 7, 5, 4, 0, 0), indices: Int32Array.of(0, 1) };
  assert.deepEqual(beamDecode(model, batch, 1, 6), greedyDecode(model, batch, 6));
  assert.equal(beamDecode(model, batch, 3, 6).length, 2);
});

test('beam search of width 1 is greedy decoding', () => {
  for (const seed of [1, 2, 3]) {
    const { model, batch } = seq2seq(seed);
    assert.deepEqual(beamDecode(model, batch, 1, 6), greedyDecode(model, batch, 6));
  }
});

test('a wider beam finds sequences at least as likely (per token) as greedy ones', () => {
  for (const seed of [1, 2, 3, 4]) {
    const { model, batch } = seq2seq(seed);
    const greedy = greedyDecode(model, batch, 5);
    const beam = beamDecode(model, batch, 4, 5);
    for (let b = 0; b < 2; b++) {
      const score = (tokens: number[]) => {
        const ended = tokens.length < 5;
        return sequenceLogProbability(model, batch, b, tokens, ended) / (tokens.length + (ended ? 1 : 0));
      };
      assert.ok(score(beam[b]) >= score(greedy[b]) - 1e-6, `seed ${seed} example ${b}: beam ${score(beam[b])} < greedy ${score(greedy[b])}`);
    }
  }
});

test('temperature sampling follows softmax(logits / temperature)', () => {
  const logits = Float32Array.of(1, 2, 0.5);
  const rng = new Rng(5);
  for (const temperature of [0.5, 1, 2]) {
    const counts = [0, 0, 0];
    const n = 20000;
    for (let i = 0; i < n; i++) counts[sampleFromLogits(logits, 0, 3, temperature, rng)]++;
    const weights = [...logits].map((v) => Math.exp(v / temperature));
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, k) => assert.ok(Math.abs(counts[k] / n - w / total) < 0.015, `T=${temperature} class ${k}: ${counts[k] / n} vs ${w / total}`));
  }
});

test('the generator samples from <s> and its learned initial state; temperature 0 is deterministic', () => {
  const model = new SequenceModel(spec('generate', { embedding: { dim: 3 }, encoder: { cell: 'lstm', hiddenSize: 5 }, initialState: 'learned' }), info('generate'), new Rng(2));
  model.setTraining(false);
  const greedyA = sampleSequence(model, 8, 0, new Rng(1));
  const greedyB = sampleSequence(model, 8, 0, new Rng(99));
  assert.deepEqual(greedyA, greedyB);
  // The initial state is where generation starts: changing it changes the first step's distribution.
  const firstLogits = () => {
    const start = model.generatorStart(1);
    return [...model.generatorStep(Int32Array.of(2), start.h, start.c).logits.data];
  };
  const before = firstLogits();
  new Rng(4).fillUniform(model.initialHidden!.value.data, -3, 3);
  const after = firstLogits();
  assert.ok(before.some((v, i) => Math.abs(v - after[i]) > 1e-3), 'the learned initial state reaches the output');
});
