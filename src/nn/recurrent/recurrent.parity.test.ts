/**
 * PyTorch parity on committed fixtures (test/fixtures/generate_recurrent.py, torch 1.13, float64 reference
 * computed from float32-representable inputs and weights). Every case compares output, h_n, c_n and the
 * gradients of a fixed random-weighted loss w.r.t. the input, h0, c0 and every parameter.
 *
 * Why these bounds: we compute in float32 (unit roundoff 6e-8) against an exact float64 reference. Errors
 * grow with the number of operations a value depends on (≤ 3 layers × 7 steps × sums over ≤ 16 terms), a few
 * hundred roundings, so outputs land well inside 1e-5 relative and gradients (which additionally sum over
 * time, batch and both directions) inside 1e-4. A real bug (a wrong gate, a missed step, a padded row
 * leaking) shows up at 1e-2 or worse.
 * The floor: an element is judged relative to max(|expected|, 1e-2 · max|expected of that array|). A
 * gradient entry of 1e-4 that is a sum of terms of size 1 carries ~1e-7 absolute float32 error whatever the
 * implementation (PyTorch's own float32 path shows the same, recorded per case in the fixture's meta as
 * torchFloat32MaxRelativeError under this metric), so pure relative error there would measure cancellation,
 * not correctness.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFixture, maxRelativeError, type Fixture } from '../../../test/fixtures/load';
import { Rng, Tensor, referenceKernels, withKernels, type Kernels } from '../../tensor';
import { sharedWasmKernels } from '../../tensor/wasm';
import { GRU, LSTM, RNN, type FusedRecurrent } from './index';

export const OUTPUT_BOUND = 1e-5;
export const GRADIENT_BOUND = 1e-4;
/** Fraction of an array's largest magnitude below which errors are judged absolutely (see above). */
const FLOOR_FRACTION = 1e-2;

function scaledRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < expected.length; i++) largest = Math.max(largest, Math.abs(expected[i]));
  return maxRelativeError(actual, expected, Math.max(FLOOR_FRACTION * largest, 1e-6));
}

interface CaseMeta {
  cell: 'rnn_tanh' | 'rnn_relu' | 'lstm' | 'gru';
  numLayers: number; bidirectional: boolean; variableLengths: boolean; initialState: boolean;
  inputSize: number; hiddenSize: number; bias: boolean; dropout: number;
  /** LSTM proj_size (projection/ fixtures only). */
  projSize?: number;
}

function tensorOf(f: Fixture, name: string): Tensor {
  const a = f.arrays[name];
  if (!a) throw new Error(`fixture has no array ${name}`);
  return Tensor.from(a.data, a.shape);
}

function build(meta: CaseMeta): FusedRecurrent {
  const options = {
    inputSize: meta.inputSize, hiddenSize: meta.hiddenSize, numLayers: meta.numLayers,
    bidirectional: meta.bidirectional, bias: meta.bias, dropout: meta.dropout, projSize: meta.projSize,
  };
  const rng = new Rng(1);
  if (meta.cell === 'lstm') return new LSTM(options, rng);
  if (meta.cell === 'gru') return new GRU(options, rng);
  return new RNN({ ...options, nonlinearity: meta.cell === 'rnn_relu' ? 'relu' : 'tanh' }, rng);
}

const worst = { output: 0, gradient: 0, outputAt: '', gradientAt: '', torchOutput: 0, torchGradient: 0 };
/** The same figures under the plain fixed-floor metric (floor 1e-3), reported for comparison only. */
const fixedFloor = { output: 0, gradient: 0, torchOutput: 0, torchGradient: 0 };
/** recurrent/: every cell (generate_recurrent.py); projection/: LSTM with proj_size (generate_projection.py). */
const casesIn = (dir: string) => (loadFixture(`${dir}/index.json`).meta.cases as string[]).map((name) => `${dir}/${name}`);
const cases = [...casesIn('recurrent'), ...casesIn('projection')];

test('the fixture set covers every cell, depth, direction, lengths and initial-state option', () => {
  const metas = cases.map((c) => loadFixture(`${c}.json`).meta as unknown as CaseMeta);
  for (const cell of ['rnn_tanh', 'rnn_relu', 'lstm', 'gru']) {
    const mine = metas.filter((m) => m.cell === cell);
    for (const L of [1, 2, 3]) assert.ok(mine.some((m) => m.numLayers === L), `${cell} with ${L} layers`);
    for (const flag of [true, false]) {
      assert.ok(mine.some((m) => m.bidirectional === flag), `${cell} bidirectional=${flag}`);
      assert.ok(mine.some((m) => m.variableLengths === flag), `${cell} variable lengths=${flag}`);
      assert.ok(mine.some((m) => m.initialState === flag), `${cell} initial state=${flag}`);
    }
  }
  assert.ok(cases.length >= 30);
  const projected = metas.filter((m) => m.projSize);
  for (const L of [1, 2, 3]) assert.ok(projected.some((m) => m.numLayers === L), `projection with ${L} layers`);
  for (const flag of [true, false]) {
    assert.ok(projected.some((m) => m.bidirectional === flag), `projection bidirectional=${flag}`);
    assert.ok(projected.some((m) => m.variableLengths === flag), `projection variable lengths=${flag}`);
    assert.ok(projected.some((m) => m.initialState === flag), `projection initial state=${flag}`);
  }
});

// The same fixtures against every backend available here: the reference oracle, and WebAssembly SIMD where the
// engine supports it (layers built inside withKernels so parameters and workspaces live in its memory).
const wasm = sharedWasmKernels();
assert.ok(wasm, 'this engine has no WebAssembly SIMD with shared memory (Node 20 has both): the wasm backend cannot be tested');
const backends: Kernels[] = [referenceKernels, wasm];

for (const backend of backends) for (const name of cases) {
  test(`matches PyTorch on the ${backend.name} backend: ${name}`, () => withKernels(backend, () => {
    const f = loadFixture(`${name}.json`);
    const meta = f.meta as unknown as CaseMeta;
    const torch32 = f.meta.torchFloat32MaxRelativeError as { outputs: number; gradients: number; outputsFixedFloor: number; gradientsFixedFloor: number };
    worst.torchOutput = Math.max(worst.torchOutput, torch32.outputs);
    worst.torchGradient = Math.max(worst.torchGradient, torch32.gradients);
    fixedFloor.torchOutput = Math.max(fixedFloor.torchOutput, torch32.outputsFixedFloor);
    fixedFloor.torchGradient = Math.max(fixedFloor.torchGradient, torch32.gradientsFixedFloor);
    const layer = build(meta);
    // dropout_eval cases: PyTorch ran in eval mode with dropout > 0, so the mask must not apply.
    layer.setTraining(meta.dropout === 0);
    const names = layer.namedParameters().map((p) => p.name);
    const expectedNames = Object.keys(f.arrays).filter((k) => /^(weight|bias)_/.test(k));
    assert.deepEqual([...names].sort(), [...expectedNames].sort(), 'parameter names');
    for (const p of layer.namedParameters()) {
      const a = f.arrays[p.name];
      assert.deepEqual([...p.parameter.value.shape], a.shape, `shape of ${p.name}`);
      p.parameter.value.data.set(a.data);
    }
    const x = tensorOf(f, 'x');
    const lengths = meta.variableLengths ? f.arrays.lengths.data : undefined;
    const result = layer.forward(x, {
      lengths,
      h0: meta.initialState ? tensorOf(f, 'h0') : undefined,
      c0: meta.initialState && meta.cell === 'lstm' ? tensorOf(f, 'c0') : undefined,
    });
    const grads = layer.backward({
      dOutput: tensorOf(f, 'loss_weight_output'),
      dhN: tensorOf(f, 'loss_weight_h_n'),
      dcN: meta.cell === 'lstm' ? tensorOf(f, 'loss_weight_c_n') : undefined,
    });

    const check = (what: string, actual: Tensor | undefined, expectedName: string, bound: number, kind: 'output' | 'gradient') => {
      assert.ok(actual, `${what} missing`);
      const expected = f.arrays[expectedName];
      assert.deepEqual([...actual.shape], expected.shape, `shape of ${what}`);
      const e = scaledRelativeError(actual.data, expected.data);
      fixedFloor[kind] = Math.max(fixedFloor[kind], maxRelativeError(actual.data, expected.data, 1e-3));
      if (e > worst[kind]) {
        worst[kind] = e;
        worst[`${kind}At`] = `${backend.name}: ${name} ${what}`;
      }
      assert.ok(e <= bound, `${what}: max relative error ${e.toExponential(2)} > ${bound}`);
    };
    check('output', result.output, 'output', OUTPUT_BOUND, 'output');
    check('h_n', result.hN, 'h_n', OUTPUT_BOUND, 'output');
    if (meta.cell === 'lstm') check('c_n', result.cN, 'c_n', OUTPUT_BOUND, 'output');
    check('dInput', grads.dInput, 'grad_x', GRADIENT_BOUND, 'gradient');
    check('dh0', grads.dh0, 'grad_h0', GRADIENT_BOUND, 'gradient');
    if (meta.cell === 'lstm') check('dc0', grads.dc0, 'grad_c0', GRADIENT_BOUND, 'gradient');
    for (const p of layer.namedParameters()) check(`grad ${p.name}`, p.parameter.grad, `grad_${p.name}`, GRADIENT_BOUND, 'gradient');
  }));
}

// For the record (not a test of its own, which would pass whatever it printed): the worst errors measured.
after(() => {
  console.log(`recurrent parity: worst output error ${worst.output.toExponential(2)} (${worst.outputAt}); ` +
    `worst gradient error ${worst.gradient.toExponential(2)} (${worst.gradientAt}); ` +
    `PyTorch float32 on the same cases: outputs ${worst.torchOutput.toExponential(2)}, gradients ${worst.torchGradient.toExponential(2)}. ` +
    `With a fixed floor of 1e-3 instead: ours ${fixedFloor.output.toExponential(2)} / ${fixedFloor.gradient.toExponential(2)}, ` +
    `PyTorch float32 ${fixedFloor.torchOutput.toExponential(2)} / ${fixedFloor.torchGradient.toExponential(2)}`);
});
