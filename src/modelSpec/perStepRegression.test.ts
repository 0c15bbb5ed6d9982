// regress-per-step specs: a clean spec analyses without a problem and its head is per step; the combinations that
// make no sense for targets at every step are reported at their property.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec } from './index';
import { applyEdits, withCode } from './testSupport';

const BASE = `{
  "name": "steps",
  "task": { "type": "regress-per-step" },
  "data": { "source": "csv", "path": "data/sensor.csv", "columns": ["noisy", "temp"], "target": ["clean"], "window": 20 },
  "model": { "encoder": { "cell": "gru", "hiddenSize": 16 } },
  "training": { "epochs": 5, "batchSize": 8, "optimizer": { "type": "adam", "lr": 0.001 }, "clipGradNorm": 1.0 }
}
`;
const covered = (text: string, d: { offset: number; length: number }) => text.slice(d.offset, d.offset + d.length);

test('regress-per-step: a clean spec, MSE by default, a per-step head of one output per target column', () => {
  const analysis = analyzeSpec(BASE);
  assert.deepEqual(analysis.diagnostics, []);
  assert.equal(analysis.spec?.training.loss, 'mse');
  const head = analysis.layers.find((layer) => layer.id === 'head.output')!;
  assert.equal(head.perStep, true);
  assert.deepEqual(head.output.map((d) => `${d.name}=${d.size}`), ['batch=8', 'seq=20', 'targets=1']);
});

test('regress-per-step: "last-value" is an error on the value, fixed by "zscore"', () => {
  const text = BASE.replace('"window": 20 }', '"window": 20, "normalize": "last-value" }');
  const [d] = withCode(analyzeSpec(text), 'semantic/per-step-last-value');
  assert.equal(d.severity, 'error');
  assert.equal(covered(text, d), '"last-value"');
  assert.deepEqual(analyzeSpec(applyEdits(text, d.fix!.edits)).diagnostics, []);
});

test('regress-per-step: a target that is also an input, or none at all, is the identity: a warning', () => {
  const echoed = BASE.replace('"target": ["clean"]', '"target": ["noisy"]');
  const [d] = withCode(analyzeSpec(echoed), 'semantic/per-step-target-is-input');
  assert.equal(d.severity, 'warning');
  assert.equal(covered(echoed, d), '["noisy"]');
  const missing = BASE.replace('"target": ["clean"], ', '');
  assert.equal(withCode(analyzeSpec(missing), 'semantic/per-step-target-is-input').length, 1);
});

test('regress-per-step: only CSV series feed it; cross-entropy does not fit', () => {
  const text = BASE.replace('"clipGradNorm": 1.0', '"clipGradNorm": 1.0, "loss": "cross-entropy"');
  assert.equal(withCode(analyzeSpec(text), 'semantic/loss-task-mismatch').length, 1);
  const synthetic = BASE.replace(/"data": \{[^}]*\}/, '"data": { "source": "synthetic", "generator": "sine", "samples": 100, "length": 20 }');
  assert.equal(withCode(analyzeSpec(synthetic), 'semantic/task-data-mismatch').length, 1);
});
