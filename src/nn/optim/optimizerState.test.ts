import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, Tensor } from '../../tensor';
import { Parameter } from '../parameter';
import { decodeSafetensors, encodeSafetensors } from '../safetensors';
import { AdamW } from './adam';
import { optimizerStateFromSafetensors, optimizerStateToSafetensors } from './optimizerState';

test('an optimizer state survives a safetensors round trip and resumes identically', () => {
  const rng = new Rng(4);
  const makeParams = () => [
    { name: 'fc.weight', parameter: new Parameter(Tensor.from([0.1, -0.2, 0.3, 0.4], [2, 2])) },
    { name: 'fc.bias', parameter: new Parameter(Tensor.from([0.5, -0.5], [2])) },
  ];
  const grads = Array.from({ length: 6 }, () => [Float32Array.from({ length: 4 }, () => rng.uniform(-1, 1)), Float32Array.from({ length: 2 }, () => rng.uniform(-1, 1))]);
  const straight = makeParams();
  const straightOptimizer = new AdamW(straight, { lr: 0.03 });
  const resumed = makeParams();
  let optimizer = new AdamW(resumed, { lr: 0.03 });
  grads.forEach((g, step) => {
    if (step === 3) {
      optimizer.lr = 0.0123456789; // a schedule's value must come back exactly
      straightOptimizer.lr = 0.0123456789;
      const { tensors, metadata } = optimizerStateToSafetensors(optimizer.stateDict());
      optimizer = new AdamW(resumed, { lr: 1 });
      optimizer.loadStateDict(optimizerStateFromSafetensors(decodeSafetensors(encodeSafetensors(tensors, metadata))));
      assert.equal(optimizer.lr, 0.0123456789);
      assert.equal(optimizer.stepCount, 3);
    }
    for (const [params, o] of [[straight, straightOptimizer], [resumed, optimizer]] as const) {
      params.forEach((p, i) => p.parameter.grad.data.set(g[i]));
      o.step();
    }
  });
  straight.forEach((p, i) => assert.deepEqual([...resumed[i].parameter.value.data], [...p.parameter.value.data]));
});

test('an optimizer state without its metadata is rejected with the keys it has', () => {
  assert.throws(() => optimizerStateFromSafetensors({ tensors: {}, metadata: { format: 'pt' } }), /must hold optimizer, lr and step, found keys \[format\]/);
});
