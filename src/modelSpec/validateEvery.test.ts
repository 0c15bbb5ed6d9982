// training.validateEvery in the editor: a value that is not a positive integer is a located error; one larger than
// the epochs is a located warning (validation only at the last epoch) with a quick fix that says so explicitly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec } from './index';
import { applyEdits, withCode } from './testSupport';

const specText = (validateEvery: unknown, epochs = 6) => JSON.stringify({
  name: 'f', task: { type: 'forecast' }, data: { source: 'synthetic', generator: 'sine', samples: 200, length: 24 },
  model: { encoder: { cell: 'gru', hiddenSize: 6 } },
  training: { epochs, batchSize: 16, optimizer: { type: 'adam', lr: 0.01 }, clipGradNorm: 1, validateEvery },
}, null, 2);

/** Where the text of `validateEvery`'s value starts and ends. */
function valueRange(text: string): { start: number; end: number } {
  const key = text.indexOf('"validateEvery": ');
  const start = key + '"validateEvery": '.length;
  return { start, end: text.indexOf('\n', start) };
}

test('a validateEvery that is not an integer of at least 1 is an error at its value', () => {
  for (const value of [2.5, 0, -3, '3']) {
    const text = specText(value);
    const errors = analyzeSpec(text).diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1, `${JSON.stringify(value)}: ${JSON.stringify(errors)}`);
    const [error] = errors;
    assert.match(error.message, /training\.validateEvery must be/);
    assert.equal(error.offset, valueRange(text).start, `${JSON.stringify(value)}: at the value`);
    assert.equal(error.offset + error.length, valueRange(text).end);
  }
  assert.deepEqual(analyzeSpec(specText(3)).diagnostics, [], 'a valid value is silent');
});

test('a validateEvery larger than the epochs warns at its value that only the last epoch validates; the fix sets it to the epochs', () => {
  const text = specText(10);
  const analysis = analyzeSpec(text);
  const [warning] = withCode(analysis, 'semantic/validate-every-beyond-epochs');
  assert.ok(warning, JSON.stringify(analysis.diagnostics));
  assert.equal(warning.severity, 'warning');
  assert.match(warning.message, /validateEvery 10 is more than the 6 epochs: the run validates only at its last epoch/);
  assert.equal(warning.offset, valueRange(text).start);
  assert.ok(analysis.spec, 'a warning: the spec still trains');
  const fixed = applyEdits(text, warning.fix!.edits);
  assert.equal(JSON.parse(fixed).training.validateEvery, 6);
  assert.deepEqual(analyzeSpec(fixed).diagnostics, []);
  assert.deepEqual(analyzeSpec(specText(6)).diagnostics, [], 'exactly the epochs is fine');
});
