// A learned initial state for the encoder of any task: its parameters in the analysis (counted as PyTorch's
// nn.Parameter of shape [L·D, 1, S]) and the one combination refused (stateful batches carry their own state).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec } from './index';

function spec(task: string, encoder: object, training: object = {}): string {
  return JSON.stringify({
    name: 'initial-state',
    task: { type: task },
    data: { source: 'csv', path: 'x.csv', columns: ['a', 'b'], window: 10 },
    model: { encoder, initialState: 'learned' },
    training: { epochs: 1, batchSize: 4, optimizer: { type: 'adam', lr: 0.001 }, clipGradNorm: 1, ...training },
  });
}

test('initialState learned adds initial_h [L·D,1,S] (and initial_c [L·D,1,H]) to any task, with no warning', () => {
  const analysis = analyzeSpec(spec('forecast', { cell: 'lstm', hiddenSize: 6, projSize: 4, numLayers: 2, bidirectional: true }));
  assert.deepEqual(analysis.diagnostics.filter((d) => d.severity !== 'info' && d.code.includes('initial')), []);
  const encoder = analysis.layers.find((l) => l.id === 'encoder')!;
  const shapes = Object.fromEntries(encoder.parameterShapes.map((p) => [p.name, p.shape]));
  assert.deepEqual(shapes.initial_h, [4, 1, 4]);
  assert.deepEqual(shapes.initial_c, [4, 1, 6]);
  assert.equal(analysis.spec?.model.initialState, 'learned', 'kept for the trainer, whatever the task');
});

test('initialState learned with stateful training is an error at initialState', () => {
  const text = spec('forecast', { cell: 'gru', hiddenSize: 6 }, { stateful: { enabled: true } });
  const errors = analyzeSpec(text).diagnostics.filter((d) => d.code === 'semantic/learned-state-stateful');
  assert.equal(errors.length, 1);
  assert.equal(text.slice(errors[0].offset, errors[0].offset + errors[0].length), '"learned"');
});
