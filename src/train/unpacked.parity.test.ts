/**
 * `packed: false` against PyTorch (fixtures by test/fixtures/generate_unpacked.py, torch 1.13, float64 from
 * float32 values): PyTorch's unpacked layer runs every sequence up to the longest one *of its batch*. The
 * trainer pads every batch further, to the longest sequence of the data set, to keep shapes fixed; loss and
 * every parameter's gradient must still equal PyTorch's on the batch padded to its own longest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFixture, maxRelativeError } from '../../test/fixtures/load';
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../modelSpec/types';
import type { Batch, DataInfo } from '../data/types';
import { Vocabulary } from '../data/vocabulary';
import { SequenceModel } from './model';
import { padBatch } from './fixedShapes';

const CASES = ['classify_lstm_L2_bi_hN', 'tag_gru_L1_bi', 'regress_rnn_L1_uni_hN'];
/** The trainer's padding beyond the batch's longest sequence in these tests. */
const EXTRA_STEPS = 3;

interface Meta {
  task: 'classify' | 'tag' | 'regress'; cell: 'lstm' | 'gru' | 'rnn'; numLayers: number; bidirectional: boolean;
  hiddenSize: number; embeddingDim: number | null; vocabSize: number; outputs: number; batch: number; steps: number;
}

const ints = (data: number[]) => Int32Array.from(data);

for (const name of CASES) {
  test(`packed: false equals PyTorch's unpacked batch on a batch padded past its longest sequence (${name})`, () => {
    const fixture = loadFixture(`unpacked/${name}.json`);
    const meta = fixture.meta as unknown as Meta;
    const a = fixture.arrays;
    const tokens = meta.embeddingDim !== null;
    const vocabulary = new Vocabulary(['<pad>', '<unk>', '<s>', '</s>', ...Array.from({ length: meta.vocabSize - 4 }, (_, i) => `w${i}`)]);
    const info: DataInfo = {
      kind: tokens ? 'tokens' : 'series', task: meta.task, inputSize: tokens ? meta.vocabSize : 2, outputSize: meta.outputs,
      vocabulary: tokens ? vocabulary : undefined, maxLength: meta.steps + EXTRA_STEPS, trainSize: meta.batch, validationSize: 0, testSize: 0,
      denormalizeTargets: () => {},
    };
    const spec: SeqModelSpec = {
      name, task: { type: meta.task }, data: { source: 'synthetic', generator: 'adding', samples: meta.batch, length: meta.steps },
      model: {
        ...(tokens ? { embedding: { dim: meta.embeddingDim! } } : {}),
        encoder: { cell: meta.cell, hiddenSize: meta.hiddenSize, numLayers: meta.numLayers, bidirectional: meta.bidirectional, packed: false },
        ...(meta.task === 'tag' ? {} : { readout: 'hN' as const }),
      },
      training: { epochs: 1, batchSize: meta.batch, optimizer: { type: 'sgd', lr: 0.1 } },
    };
    const model = new SequenceModel(spec, info, new Rng(1));
    const parameters = model.namedParameters();
    for (const { name: parameterName, parameter } of parameters) {
      assert.ok(a[parameterName], `fixture lacks ${parameterName}`);
      parameter.value.data.set(a[parameterName].data);
      parameter.grad.data.fill(0);
    }
    assert.equal(parameters.length * 2 + Object.keys(a).filter((k) => !k.includes('.')).length, Object.keys(a).length, 'every fixture parameter is a model parameter');

    const B = meta.batch;
    const T = meta.steps;
    const batch: Batch = { size: B, steps: T, lengths: ints(a.lengths.data), indices: ints(Array.from({ length: B }, (_, b) => b)) };
    if (a.input_ids) batch.inputIds = ints(a.input_ids.data);
    if (a.inputs) batch.inputs = Float32Array.from(a.inputs.data);
    if (a.targets) batch.targets = Float32Array.from(a.targets.data);
    if (a.target_ids) batch.targetIds = ints(a.target_ids.data);
    if (meta.task === 'tag') Object.assign(batch, { targetSteps: T, targetLengths: batch.lengths });
    const padded = padBatch(batch, { steps: T + EXTRA_STEPS }, info.inputSize, meta.task === 'tag');
    assert.equal(padded.steps, T + EXTRA_STEPS);

    const { loss } = model.trainBatch(padded, { teacherForcing: 1, rng: new Rng(2) });
    assert.ok(Math.abs(loss - a.loss.data[0]) <= 1e-6 * Math.max(1, Math.abs(a.loss.data[0])), `loss ${loss} vs PyTorch ${a.loss.data[0]}`);
    for (const { name: parameterName, parameter } of parameters) {
      const error = maxRelativeError(parameter.grad.data, a[`grad_${parameterName}`].data, 1e-3);
      assert.ok(error < 1e-4, `${parameterName}: gradient off by ${error.toExponential(2)} relative`);
    }
  });
}
