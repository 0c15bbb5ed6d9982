import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../../tensor';
import { loadFixture, maxRelativeError } from '../../../test/fixtures/load';
import { fixtureValues } from '../../../test/fixtures/layers/fixtureTensors';
import { NamedParameter, Parameter } from '../parameter';
import { Adam, AdamW } from './adam';
import { Optimizer } from './optimizer';
import { SGD } from './sgd';

/*
 * 20 steps of each optimizer config against torch.optim (1.13) run in float64 on the same float32 gradients
 * (test/fixtures/generate_layers.py). Bound: 1e-5 relative, absolute floor 1e-3, checked after every step.
 * SeqLab keeps parameters and moments in float32, so each step adds ≈6e-8 relative rounding and 20 steps
 * stay well under 1e-6; a wrong bias correction, dampening or decay term is off by 1e-3 or more at step 1.
 */
const BOUND = 1e-5;
const FLOOR = 1e-3;

interface OptimizerConfig {
  name: string;
  kind: 'SGD' | 'Adam' | 'AdamW';
  options: { lr: number; momentum?: number; dampening?: number; nesterov?: boolean; weight_decay?: number; betas?: [number, number]; eps?: number };
}

const f = loadFixture('optim/optimizers.json');
const steps = f.meta.steps as number;
const parameterNames = f.meta.parameters as string[];

function makeOptimizer(config: OptimizerConfig, params: NamedParameter[]): Optimizer {
  const o = config.options;
  if (config.kind === 'SGD') return new SGD(params, { lr: o.lr, momentum: o.momentum, dampening: o.dampening, nesterov: o.nesterov, weightDecay: o.weight_decay });
  const options = { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weight_decay };
  return config.kind === 'Adam' ? new Adam(params, options) : new AdamW(params, options);
}

function freshParameters(): NamedParameter[] {
  return parameterNames.map((name) => {
    const a = f.arrays[`initial.${name}`];
    return { name, parameter: new Parameter(Tensor.from(a.data, a.shape)) };
  });
}

function setGradients(params: NamedParameter[], step: number): void {
  for (const p of params) {
    const n = p.parameter.grad.size;
    p.parameter.grad.data.set(fixtureValues(f, `grads.${p.name}`).slice(step * n, (step + 1) * n));
  }
}

for (const config of f.meta.configs as OptimizerConfig[]) {
  test(`${config.kind} ${config.name} matches torch.optim parameter by parameter after each of ${steps} steps`, () => {
    const params = freshParameters();
    const optimizer = makeOptimizer(config, params);
    for (let step = 0; step < steps; step++) {
      optimizer.zeroGrad();
      setGradients(params, step);
      optimizer.step();
      for (const p of params) {
        const n = p.parameter.value.size;
        const expected = fixtureValues(f, `${config.name}.${p.name}`).slice(step * n, (step + 1) * n);
        const error = maxRelativeError(p.parameter.value.data, expected, FLOOR);
        assert.ok(error <= BOUND, `step ${step + 1}, ${p.name}: max relative error ${error.toExponential(2)} > ${BOUND}`);
      }
    }
  });
}

test('an optimizer restored from stateDict continues exactly like one that never stopped', () => {
  for (const config of f.meta.configs as OptimizerConfig[]) {
    const straight = freshParameters();
    const straightOptimizer = makeOptimizer(config, straight);
    const resumed = freshParameters();
    let resumedOptimizer = makeOptimizer(config, resumed);
    for (let step = 0; step < 10; step++) {
      if (step === 5) {
        const saved = resumedOptimizer.stateDict();
        resumedOptimizer = makeOptimizer({ ...config, options: { ...config.options, lr: 123 } }, resumed);
        resumedOptimizer.loadStateDict(saved);
      }
      for (const [params, optimizer] of [[straight, straightOptimizer], [resumed, resumedOptimizer]] as const) {
        optimizer.zeroGrad();
        setGradients(params, step);
        optimizer.step();
      }
    }
    for (let i = 0; i < straight.length; i++) {
      assert.deepEqual([...resumed[i].parameter.value.data], [...straight[i].parameter.value.data], `${config.name} ${straight[i].name}`);
    }
  }
});

test('loadStateDict names missing, unexpected and wrongly sized buffers, and a different optimizer kind', () => {
  const params = freshParameters();
  const adam = new Adam(params);
  const state = adam.stateDict();
  assert.ok(state.buffers['w.exp_avg'] instanceof Float32Array);
  assert.throws(() => new SGD(params, { lr: 0.1, momentum: 0.9 }).loadStateDict(state), /state was saved by Adam/);
  const broken = { ...state, buffers: { ...state.buffers, 'extra.exp_avg': new Float32Array(1), 'b.exp_avg_sq': new Float32Array(2) } };
  delete (broken.buffers as Record<string, Float32Array>)['w.exp_avg'];
  assert.throws(() => adam.loadStateDict(broken), (e: Error) => /missing w\.exp_avg/.test(e.message) && /b\.exp_avg_sq has 2 values, parameter has 4/.test(e.message) && /unexpected extra\.exp_avg/.test(e.message));
});

test('optimizers reject invalid hyperparameters like PyTorch', () => {
  const params = freshParameters();
  assert.throws(() => new SGD(params, { lr: 0.1, nesterov: true }), /nesterov momentum requires a momentum > 0/);
  assert.throws(() => new Adam(params, { betas: [1, 0.999] }), /beta1 must be in \[0, 1\)/);
  assert.throws(() => new AdamW(params, { lr: -1 }), /learning rate must be ≥ 0/);
});
