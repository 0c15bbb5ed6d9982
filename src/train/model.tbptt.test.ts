import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../modelSpec/types';
import type { Batch, DataInfo } from '../data/types';
import { Vocabulary } from '../data/vocabulary';
import { SequenceModel } from './model';

const vocabulary = new Vocabulary(['<pad>', '<unk>', '<s>', '</s>', 'a', 'b', 'c']);
const info: DataInfo = {
  kind: 'tokens', task: 'generate', inputSize: vocabulary.size, outputSize: vocabulary.size, vocabulary, targetVocabulary: vocabulary,
  maxLength: 9, trainSize: 3, validationSize: 0, testSize: 0, denormalizeTargets: () => {},
};
const B = 3, T = 9;

function model(tbpttSteps?: number): SequenceModel {
  const spec: SeqModelSpec = {
    name: 'lm', task: { type: 'generate' }, data: { source: 'text', path: 'x.txt', window: T },
    model: { embedding: { dim: 3 }, encoder: { cell: 'lstm', hiddenSize: 4 }, initialState: 'learned' },
    training: { epochs: 1, batchSize: B, optimizer: { type: 'sgd', lr: 0.1 }, tbpttSteps },
  };
  const m = new SequenceModel(spec, info, new Rng(3));
  m.setTraining(false);
  for (const p of m.namedParameters()) if (p.name.startsWith('initial_')) new Rng(4).fillUniform(p.parameter.value.data, -0.5, 0.5);
  return m;
}

function batch(): Batch {
  const rng = new Rng(5);
  const lengths = Int32Array.of(9, 7, 4);
  const inputIds = new Int32Array(B * T);
  const targetIds = new Int32Array(B * T).fill(-1);
  for (let b = 0; b < B; b++) for (let t = 0; t < lengths[b]; t++) {
    inputIds[b * T + t] = 4 + rng.int(3);
    targetIds[b * T + t] = 4 + rng.int(3);
  }
  return { size: B, steps: T, lengths, inputIds, targetIds, targetSteps: T, targetLengths: lengths, indices: Int32Array.of(0, 1, 2) };
}

function gradients(m: SequenceModel): Map<string, Float32Array> {
  return new Map(m.namedParameters().map((p) => [p.name, p.parameter.grad.data.slice()]));
}

test('truncated BPTT: same loss and output-layer gradients as full BPTT, cut recurrent gradients', () => {
  const full = model();
  const truncated = model(4); // chunks of 4, 4 and 1 steps; the third sequence ends inside the first chunk
  const fullResult = full.trainBatch(batch(), { teacherForcing: 1, rng: new Rng(1) });
  const truncatedResult = truncated.trainBatch(batch(), { teacherForcing: 1, rng: new Rng(1) });
  assert.equal(truncatedResult.count, fullResult.count);
  assert.ok(Math.abs(truncatedResult.loss - fullResult.loss) < 1e-6, `loss ${truncatedResult.loss} vs ${fullResult.loss}`);
  const g = gradients(full);
  const h = gradients(truncated);
  // The head sees the same outputs either way (the carried state is exact, only its gradient is cut).
  for (const name of ['head.output.weight', 'head.output.bias']) {
    const a = g.get(name)!, b = h.get(name)!;
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-5, `${name}[${i}] ${a[i]} vs ${b[i]}`);
  }
  const differs = (name: string) => g.get(name)!.some((v, i) => Math.abs(v - h.get(name)![i]) > 1e-6);
  assert.ok(differs('encoder.weight_hh_l0'), 'gradients through the recurrence are truncated');
  assert.ok(differs('initial_h'), 'the learned initial state only gets the first chunk\'s gradient');
});

test('tbpttSteps at least as long as the batch is plain BPTT', () => {
  const full = model();
  const long = model(T);
  full.trainBatch(batch(), { teacherForcing: 1, rng: new Rng(1) });
  long.trainBatch(batch(), { teacherForcing: 1, rng: new Rng(1) });
  assert.deepEqual(gradients(long), gradients(full));
});
