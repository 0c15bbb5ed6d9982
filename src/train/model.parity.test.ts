// One training step of the whole model against the exported network in PyTorch (float64 autograd), every task
// type: the loss, every parameter's gradient and every parameter after the optimizer step. This checks the chain
// of hand-written backward passes (readouts, head, bridge, teacher forcing, learned initial state, truncated BPTT,
// stateful batches) where the layer fixtures check each layer alone. Fixtures: test/fixtures/generate_model.py.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../tensor';
import { clipGradNorm } from '../nn/clip';
import type { SeqModelSpec } from '../modelSpec/types';
import type { Batch, DataInfo } from '../data/types';
import { Vocabulary } from '../data/vocabulary';
import { loadFixture, maxRelativeError, type Fixture } from '../../test/fixtures/load';
import { SequenceModel } from './model';
import { createOptimizer } from './optimization';

interface Meta {
  spec: SeqModelSpec;
  info: { kind: DataInfo['kind']; task: DataInfo['task']; inputSize: number; outputSize: number; vocabulary: string[] | null; targetVocabulary: string[] | null; labels: string[] | null };
  steps: number;
  losses: number[];
}

/**
 * Bounds from the data (float32 against float64, worst over all cases, printed after the tests): loss 2.1e-8 /
 * 2.5e-8 relative, gradients 7.2e-6 / 3.0e-5 (relative, floor 1e-3), weights after the step 1.8e-7 / 1.4e-7
 * (relative, floor 1e-2) on the reference / wasm kernels. A wrong term in a backward pass or in the optimizer is
 * off by orders of magnitude more.
 */
const LOSS_BOUND = 1e-6;
const GRADIENT_BOUND = 2e-4;
const WEIGHT_BOUND = 2e-6;
const worst = { loss: 0, gradient: 0, weight: 0 };

function dataInfo(meta: Meta['info']): DataInfo {
  const vocabulary = meta.vocabulary ? new Vocabulary(meta.vocabulary) : undefined;
  return {
    kind: meta.kind, task: meta.task, inputSize: meta.inputSize, outputSize: meta.outputSize,
    maxLength: 8, trainSize: 3, validationSize: 0, testSize: 0, vocabulary,
    targetVocabulary: meta.targetVocabulary ? vocabulary : undefined, labels: meta.labels ?? undefined,
    denormalizeTargets: () => {},
  };
}

function batchOf(f: Fixture, step: number): Batch {
  const get = (name: string) => f.arrays[`step${step}.batch.${name}`];
  const ints = (name: string) => (get(name) ? Int32Array.from(get(name).data) : undefined);
  const floats = (name: string) => (get(name) ? Float32Array.from(get(name).data) : undefined);
  const lengths = ints('lengths')!;
  const [B, T] = (get('inputs') ?? get('input_ids')).shape;
  const targetIds = ints('target_ids');
  return {
    size: B, steps: T, lengths, inputs: floats('inputs'), inputIds: ints('input_ids'), targets: floats('targets'), targetIds,
    targetSteps: get('target_ids')?.shape[1], targetLengths: ints('target_lengths'), decoderInputIds: ints('decoder_input_ids'),
    indices: Int32Array.from({ length: B }, (_, i) => i),
  };
}

// model/: every task type (generate_model.py); options/: bias: false, projSize, learned encoder state (generate_options.py).
const cases = ['model', 'options'].flatMap((dir) => (loadFixture(`${dir}/index.json`) as unknown as string[]).map((name) => `${dir}/${name}`));

test('the whole-model fixtures cover every task type, truncated BPTT, stateful batches and every optimizer', () => {
  const metas = cases.map((name) => loadFixture(`${name}.json`).meta as unknown as Meta);
  assert.deepEqual([...new Set(metas.map((m) => m.spec.task.type))].sort(), ['classify', 'forecast', 'generate', 'regress', 'regress-per-step', 'seq2seq', 'tag']);
  assert.ok(metas.some((m) => m.spec.training.tbpttSteps) && metas.some((m) => m.spec.training.stateful?.enabled && m.steps === 2));
  assert.ok(metas.some((m) => m.spec.model.initialState === 'learned') && metas.some((m) => m.spec.training.clipGradNorm !== undefined));
  assert.deepEqual([...new Set(metas.map((m) => m.spec.training.optimizer.type))].sort(), ['adam', 'adamw', 'sgd']);
  for (const cell of ['rnn', 'gru', 'lstm']) assert.ok(metas.some((m) => m.spec.model.encoder.cell === cell && m.spec.model.encoder.bias === false), `${cell} without bias`);
  for (const task of ['forecast', 'tag', 'regress', 'generate', 'seq2seq']) assert.ok(metas.some((m) => m.spec.task.type === task && (m.spec.model.encoder.projSize ?? 0) > 0), `${task} with projSize`);
  for (const task of ['classify', 'forecast', 'tag', 'seq2seq', 'generate']) assert.ok(metas.some((m) => m.spec.task.type === task && m.spec.model.initialState === 'learned'), `${task} with a learned initial state`);
});

for (const name of cases) {
  test(`one training step matches PyTorch: ${name}`, () => {
    const f = loadFixture(`${name}.json`);
    const meta = f.meta as unknown as Meta;
    const spec = meta.spec;
    const model = new SequenceModel(spec, dataInfo(meta.info), new Rng(1));
    const params = model.namedParameters();
    const expectedNames = Object.keys(f.arrays).filter((k) => k.startsWith('weight.')).map((k) => k.slice('weight.'.length)).sort();
    assert.deepEqual(params.map((p) => p.name).sort(), expectedNames, 'parameter names as in the exported model');
    for (const p of params) {
      const w = f.arrays[`weight.${p.name}`];
      assert.deepEqual(p.parameter.value.shape, w.shape, p.name);
      p.parameter.value.data.set(w.data);
    }
    model.setTraining(true);
    if (spec.training.stateful?.enabled) model.setStateful(true);
    const optimizer = createOptimizer(params, spec.training.optimizer);
    for (let step = 0; step < meta.steps; step++) {
      optimizer.zeroGrad();
      const { loss } = model.trainBatch(batchOf(f, step), { teacherForcing: 1, rng: new Rng(1) });
      const lossError = Math.abs(loss - meta.losses[step]) / Math.abs(meta.losses[step]);
      worst.loss = Math.max(worst.loss, lossError);
      assert.ok(lossError <= LOSS_BOUND, `step ${step}: loss ${loss} vs PyTorch ${meta.losses[step]}`);
      if (spec.training.clipGradNorm !== undefined) clipGradNorm(params, spec.training.clipGradNorm);
      for (const p of params) {
        const error = maxRelativeError(p.parameter.grad.data, f.arrays[`step${step}.grad.${p.name}`].data, 1e-3);
        worst.gradient = Math.max(worst.gradient, error);
        assert.ok(error <= GRADIENT_BOUND, `step ${step}: gradient of ${p.name}: relative error ${error.toExponential(2)}`);
      }
      optimizer.step();
      for (const p of params) {
        const error = maxRelativeError(p.parameter.value.data, f.arrays[`step${step}.after.${p.name}`].data, 1e-2);
        worst.weight = Math.max(worst.weight, error);
        assert.ok(error <= WEIGHT_BOUND, `step ${step}: ${p.name} after the step: relative error ${error.toExponential(2)}`);
      }
    }
  });
}

// For the record (not a test of its own): the figures the bounds above were chosen from.
after(() => console.log(`whole-model parity, worst relative errors: loss ${worst.loss.toExponential(2)}, gradient ${worst.gradient.toExponential(2)}, weights ${worst.weight.toExponential(2)}`));
