/**
 * The panels' hooks read the forward cache and the backward pass: gate activations per sample and the
 * gradient norm per step. Checked against identities of each cell, not against themselves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, Tensor } from '../../tensor';
import { assertClose, makeLayer, randomTensor, timeSlice } from './testing';

const [B, T, I, H] = [3, 5, 2, 4];
const lengths = [5, 2, 4];

test('LSTM gate activations: σ gates in (0,1), h = o ⊙ tanh(c), c_n at the last step, zero past the length', () => {
  const lstm = makeLayer('lstm', { inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true });
  const r = lstm.forward(randomTensor(new Rng(1), [B, T, I]), { lengths });
  const sample = 2, n = lengths[sample];
  const g = lstm.gateActivations(1, 0, sample);
  assert.deepEqual(Object.keys(g), ['input', 'forget', 'cell', 'output', 'cellState']);
  for (const name of ['input', 'forget', 'output']) assert.ok(g[name].subarray(0, n * H).every((v) => v > 0 && v < 1), name);
  const hidden = timeSlice(r.output, sample, 0, n).filter((_, i) => i % (2 * H) < H); // forward direction columns
  const expected = Array.from({ length: n * H }, (_, i) => g.output[i] * Math.tanh(g.cellState[i]));
  assertClose(hidden, expected, 1e-6, 'h = o·tanh(c)');
  // c_n of layer 1, forward direction (index 1·2+0) for this sample = the cell state at its last real step.
  assertClose(r.cN!.data.subarray((2 * B + sample) * H, (2 * B + sample + 1) * H), g.cellState.subarray((n - 1) * H, n * H), 0, 'c_n');
  for (const name of Object.keys(g)) assert.ok(g[name].subarray(n * H).every((v) => v === 0), `${name} past the length`);
  // Reverse direction: the cell state at t = 0 is that direction's c_n.
  const rev = lstm.gateActivations(1, 1, sample);
  assertClose(r.cN!.data.subarray((3 * B + sample) * H, (3 * B + sample + 1) * H), rev.cellState.subarray(0, H), 0, 'reverse c_n');
});

test('GRU gate activations reproduce the output: h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}', () => {
  const gru = makeLayer('gru', { inputSize: I, hiddenSize: H });
  const r = gru.forward(randomTensor(new Rng(2), [B, T, I]), { lengths });
  const g = gru.gateActivations(0, 0, 0);
  assert.deepEqual(Object.keys(g), ['reset', 'update', 'candidate']);
  const out = timeSlice(r.output, 0, 0, T);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < H; j++) {
      const prev = t === 0 ? 0 : out[(t - 1) * H + j];
      const z = g.update[t * H + j];
      assert.ok(Math.abs(out[t * H + j] - ((1 - z) * g.candidate[t * H + j] + z * prev)) < 1e-6);
    }
  }
});

test('RNN exposes its hidden state, equal to the output', () => {
  const rnn = makeLayer('rnn', { inputSize: I, hiddenSize: H, nonlinearity: 'relu' });
  const r = rnn.forward(randomTensor(new Rng(3), [B, T, I]), { lengths });
  const g = rnn.gateActivations(0, 0, 1);
  assert.deepEqual(Object.keys(g), ['hidden']);
  assert.deepEqual(Array.from(g.hidden), timeSlice(r.output, 1, 0, T));
  assert.throws(() => rnn.gateActivations(1, 0, 0), /layer 1 outside \[0, 1\)/);
  assert.throws(() => rnn.gateActivations(0, 0, 3), /sample 3 outside \[0, 3\)/);
});

test('hidden gradient norms: ‖∂L/∂h_T‖ is the given output gradient at the last step, earlier steps get BPTT', () => {
  const lstm = makeLayer('lstm', { inputSize: I, hiddenSize: H, numLayers: 2 });
  assert.deepEqual(lstm.hiddenGradientNorms(), [[], []], 'empty before any backward');
  const x = randomTensor(new Rng(4), [B, T, I]);
  lstm.forward(x, { lengths });
  const dOutput = Tensor.zeros([B, T, H]);
  const rng = new Rng(5);
  for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) dOutput.data[(b * T + lengths[b] - 1) * H + j] = rng.normal();
  lstm.backward({ dOutput });
  const norms = lstm.hiddenGradientNorms();
  assert.equal(norms.length, 2);
  assert.ok(norms.every((row) => row.length === T));
  // Only sample 0 reaches t = T−1, and nothing flows into its last step from the future.
  const last = Math.hypot(...timeSlice(dOutput, 0, T - 1, T));
  assert.ok(Math.abs(norms[1][T - 1] - last) < 1e-6, `${norms[1][T - 1]} vs ${last}`);
  assert.ok(norms[1].every((v) => v > 0) && norms[0].every((v) => v > 0));
  // A later forward (e.g. a validation pass) leaves the last backward's norms readable.
  lstm.forward(x);
  assert.deepEqual(lstm.hiddenGradientNorms(), norms);
});
