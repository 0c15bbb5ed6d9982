// The model chains the layers' explicit backward passes by hand (readouts, bridges, residuals, learned initial
// state, shared embeddings): finite differences of the whole model's loss check every one of those joints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../tensor';
import { gradCheck } from '../nn/gradcheck';
import type { SeqModelSpec } from '../modelSpec/types';
import type { Batch, DataInfo } from '../data/types';
import { Vocabulary } from '../data/vocabulary';
import { SequenceModel } from './model';

const vocabulary = new Vocabulary(['<pad>', '<unk>', '<s>', '</s>', 'a', 'b', 'c']);

function info(kind: DataInfo['kind'], task: DataInfo['task'], inputSize: number, outputSize: number): DataInfo {
  return {
    kind, task, inputSize, outputSize, maxLength: 5, trainSize: 3, validationSize: 0, testSize: 0,
    vocabulary: kind === 'tokens' ? vocabulary : undefined, targetVocabulary: task === 'seq2seq' || task === 'generate' ? vocabulary : undefined,
    denormalizeTargets: () => {},
  };
}

function spec(task: SeqModelSpec['task']['type'], model: SeqModelSpec['model'], data: Partial<SeqModelSpec['data']> = {}): SeqModelSpec {
  return {
    name: 'grad', task: { type: task },
    data: { source: 'synthetic', generator: 'adding', samples: 3, length: 5, ...data } as SeqModelSpec['data'],
    model, training: { epochs: 1, batchSize: 3, optimizer: { type: 'sgd', lr: 0.1 } },
  };
}

const lengths = Int32Array.of(5, 3, 4);
const B = 3, T = 5;

function ids(rng: Rng, n: number, pad?: Int32Array, steps = T): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = 4 + rng.int(3);
  if (pad) for (let b = 0; b < B; b++) for (let t = pad[b]; t < steps; t++) out[b * steps + t] = 0;
  return out;
}

function check(s: SeqModelSpec, dataInfo: DataInfo, batch: Batch): void {
  const model = new SequenceModel(s, dataInfo, new Rng(4));
  model.setTraining(false); // no dropout: the loss must be a deterministic function of the weights
  const params = model.namedParameters();
  for (const p of params) {
    // Learned initial states start at zero; move them so their gradient is not checked at a special point.
    if (p.name.startsWith('initial_')) new Rng(9).fillUniform(p.parameter.value.data, -0.5, 0.5);
    p.parameter.zeroGrad();
  }
  model.trainBatch(batch, { teacherForcing: 1, rng: new Rng(1) });
  const loss = () => model.evaluateBatch(batch).loss;
  gradCheck(loss, params.map((p) => ({ name: p.name, value: p.parameter.value.data, grad: p.parameter.grad.data })));
}

test('classifier: embedding → bidirectional 2-layer LSTM → h_n of both directions → MLP head', () => {
  const rng = new Rng(2);
  const batch: Batch = { size: B, steps: T, lengths, inputIds: ids(rng, B * T, lengths), targetIds: Int32Array.of(0, 1, 1), indices: Int32Array.of(0, 1, 2) };
  check(spec('classify', { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 3, numLayers: 2, bidirectional: true }, readout: 'hN', head: { hidden: [5], activation: 'tanh' } }),
    info('tokens', 'classify', vocabulary.size, 2), batch);
});

test('regressor: GRU with the mean of the outputs over real steps', () => {
  const rng = new Rng(3);
  const inputs = new Float32Array(B * T * 2);
  rng.fillUniform(inputs, -1, 1);
  const batch: Batch = { size: B, steps: T, lengths, inputs, targets: Float32Array.of(0.5, -0.2, 0.1), indices: Int32Array.of(0, 1, 2) };
  check(spec('regress', { encoder: { cell: 'gru', hiddenSize: 4 }, readout: 'mean' }), info('series', 'regress', 2, 1), batch);
});

test('deep stack: 3 LSTM layers with residual connections and layer norm, output[:, -1] readout', () => {
  const rng = new Rng(5);
  const inputs = new Float32Array(B * T * 4);
  rng.fillUniform(inputs, -1, 1);
  const full = Int32Array.of(5, 5, 5);
  const batch: Batch = { size: B, steps: T, lengths: full, inputs, targets: Float32Array.of(0.5, -0.2, 0.1), indices: Int32Array.of(0, 1, 2) };
  check(spec('regress', { encoder: { cell: 'lstm', hiddenSize: 4, numLayers: 3, residual: true, layerNorm: true }, readout: 'last' }), info('series', 'regress', 4, 1), batch);
});

test('tagger: one-hot tokens → bidirectional RNN → per-step head, padding ignored', () => {
  const rng = new Rng(6);
  const targetIds = new Int32Array(B * T);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) targetIds[b * T + t] = t < lengths[b] ? rng.int(3) : -1;
  const batch: Batch = { size: B, steps: T, lengths, inputIds: ids(rng, B * T, lengths), targetIds, targetSteps: T, targetLengths: lengths, indices: Int32Array.of(0, 1, 2) };
  check(spec('tag', { encoder: { cell: 'rnn', hiddenSize: 3, bidirectional: true } }), info('tokens', 'tag', vocabulary.size, 3), batch);
});

test('per-step regressor: bidirectional 2-layer LSTM → per-step MLP head, K = 2 targets per step, padding ignored', () => {
  const rng = new Rng(10);
  const inputs = new Float32Array(B * T * 3);
  rng.fillUniform(inputs, -1, 1);
  const targets = new Float32Array(B * T * 2);
  rng.fillUniform(targets, -1, 1);
  const batch: Batch = { size: B, steps: T, lengths, inputs, targets, indices: Int32Array.of(0, 1, 2) };
  check(spec('regress-per-step', { encoder: { cell: 'lstm', hiddenSize: 3, numLayers: 2, bidirectional: true }, head: { hidden: [4], activation: 'tanh' } }), info('series', 'regress-per-step', 3, 2), batch);
});

test('generator: LSTM language model from a learned initial state', () => {
  const rng = new Rng(7);
  const targetIds = ids(rng, B * T, lengths);
  for (let b = 0; b < B; b++) for (let t = lengths[b]; t < T; t++) targetIds[b * T + t] = -1;
  const batch: Batch = { size: B, steps: T, lengths, inputIds: ids(rng, B * T, lengths), targetIds, targetSteps: T, targetLengths: lengths, indices: Int32Array.of(0, 1, 2) };
  check(spec('generate', { embedding: { dim: 3 }, encoder: { cell: 'lstm', hiddenSize: 4, numLayers: 2 }, initialState: 'learned' }),
    info('tokens', 'generate', vocabulary.size, vocabulary.size), batch);
});

for (const shared of [false, true]) {
  test(`seq2seq: bidirectional encoder's final states bridged into the decoder${shared ? ', one shared embedding' : ''}`, () => {
    const rng = new Rng(8);
    const Tt = 4;
    const targetLengths = Int32Array.of(4, 2, 3);
    const targetIds = ids(rng, B * Tt, targetLengths, Tt);
    for (let b = 0; b < B; b++) for (let t = targetLengths[b]; t < Tt; t++) targetIds[b * Tt + t] = -1;
    const batch: Batch = {
      size: B, steps: T, lengths, inputIds: ids(rng, B * T, lengths), targetIds, targetSteps: Tt, targetLengths,
      decoderInputIds: ids(rng, B * Tt, targetLengths, Tt), indices: Int32Array.of(0, 1, 2),
    };
    check(spec('seq2seq', { embedding: { dim: 3 }, encoder: { cell: 'lstm', hiddenSize: 2, bidirectional: true }, decoder: { cell: 'lstm', hiddenSize: 4 } }, { source: 'pairs', path: 'x.tsv', sharedVocabulary: shared } as Partial<SeqModelSpec['data']>),
      info('tokens', 'seq2seq', vocabulary.size, vocabulary.size), batch);
  });
}

test('shared seq2seq embedding: one table, named once', () => {
  const s = spec('seq2seq', { embedding: { dim: 3 }, encoder: { cell: 'gru', hiddenSize: 2 }, decoder: { cell: 'gru', hiddenSize: 2 } }, { source: 'pairs', path: 'x.tsv', sharedVocabulary: true } as Partial<SeqModelSpec['data']>);
  const names = new SequenceModel(s, info('tokens', 'seq2seq', vocabulary.size, vocabulary.size), new Rng(1)).namedParameters().map((p) => p.name);
  assert.ok(names.includes('embedding.weight'));
  assert.ok(!names.includes('decoder_embedding.weight'));
});
