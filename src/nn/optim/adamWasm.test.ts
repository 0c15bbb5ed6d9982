// Adam/AdamW on the wasm backend (the update runs in wasm when parameters, gradients and moments live in its
// memory) against the same optimizer on the reference backend (the JavaScript loop): bitwise equal, step by step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referenceKernels, Rng, sharedWasmKernels, Tensor, withKernels, type Kernels } from '../../tensor';
import { NamedParameter, Parameter } from '../parameter';
import { Adam, AdamW, type AdamOptions } from './adam';

const wasm = sharedWasmKernels();
assert.ok(wasm, 'this engine has no WebAssembly SIMD with shared memory (Node 20 has both): the wasm backend cannot be tested');
// Sizes around the 4-lane loop and its scalar tail.
const SIZES = [1, 3, 4, 7, 64, 1029];

function run(k: Kernels, make: (params: NamedParameter[]) => Adam | AdamW, steps: number): { values: Float32Array[]; moments: Record<string, Float32Array> } {
  return withKernels(k, () => {
    const rng = new Rng(5);
    const params = SIZES.map((n, i) => {
      const value = Tensor.zeros([n]);
      rng.fillNormal(value.data);
      if (i === 5) value.data.set([0, -0, 1e-30, 3e4, -3e4], 0); // zeros of both signs, tiny and large values
      return { name: `p${i}`, parameter: new Parameter(value) };
    });
    const optimizer = make(params);
    for (let s = 0; s < steps; s++) {
      optimizer.zeroGrad();
      for (const p of params) {
        rng.fillNormal(p.parameter.grad.data);
        if (s === 1) p.parameter.grad.data[0] = 0;
      }
      optimizer.step();
    }
    if (k === wasm) for (const p of params) assert.notEqual(wasm.runtime.addressOf(p.parameter.value.data, 0), -1, 'parameters live in wasm memory');
    return { values: params.map((p) => p.parameter.value.data.slice()), moments: optimizer.stateDict().buffers };
  });
}

const configs: [string, (p: NamedParameter[]) => Adam | AdamW][] = [
  ['Adam', (p) => new Adam(p, { lr: 1e-2 })],
  ['Adam with L2 decay, amsgrad-free, odd betas', (p) => new Adam(p, { lr: 3e-3, betas: [0.8, 0.95], eps: 1e-6, weightDecay: 0.1 } satisfies AdamOptions)],
  ['AdamW', (p) => new AdamW(p, { lr: 1e-3, weightDecay: 0.05 })],
];

for (const [label, make] of configs) {
  test(`${label}: the wasm update equals the JavaScript loop bitwise over 5 steps`, () => {
    const ours = run(wasm!, make, 5);
    const theirs = run(referenceKernels, make, 5);
    ours.values.forEach((x, i) => {
      for (let j = 0; j < x.length; j++) assert.ok(Object.is(x[j], theirs.values[i][j]), `${label} p${i}[${j}]: ${x[j]} vs ${theirs.values[i][j]}`);
    });
    for (const [key, buffer] of Object.entries(ours.moments)) {
      for (let j = 0; j < buffer.length; j++) assert.ok(Object.is(buffer[j], theirs.moments[key][j]), `${label} ${key}[${j}]`);
    }
  });
}

test('the moments are allocated in wasm memory on the wasm backend, as plain arrays on the reference one', () => {
  const param = (): NamedParameter[] => [{ name: 'w', parameter: new Parameter(Tensor.zeros([8])) }];
  const moments = (k: Kernels): Float32Array[] => withKernels(k, () => (new Adam(param()) as unknown as { buffers: Float32Array[][] }).buffers.flat());
  for (const m of moments(wasm!)) assert.notEqual(wasm!.runtime.addressOf(m, 0), -1);
  for (const m of moments(referenceKernels)) assert.equal(wasm!.runtime.addressOf(m, 0), -1);
});
