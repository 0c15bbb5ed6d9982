import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec, hoverAt } from './index';
import { validationBudgetText } from './validationBudget';

test('the budget says how much of the validation split each epoch sees', () => {
  assert.equal(validationBudgetText({ maxBatches: 200, batchSize: 32, examples: 50_000 }),
    'validation per epoch: 200 of 1,563 batches of 32 (a fixed sample, the same every epoch); the test evaluation at the end covers its whole split');
  assert.match(validationBudgetText({ maxBatches: 200, batchSize: 32, examples: 1_000 }), /^validation per epoch: all 32 batches \(1,000 examples; budget 200\);/);
  assert.match(validationBudgetText({ maxBatches: 5, batchSize: 8 }), /^validation per epoch: at most 5 batches of 8 \(a fixed sample/);
  assert.match(validationBudgetText({ batchSize: 8 }), /^validation per epoch: the whole split;/);
});

const SPEC = {
  name: 'budget', task: { type: 'regress' }, data: { source: 'synthetic', generator: 'adding', samples: 400, length: 6, split: { validation: 0.5 } },
  model: { encoder: { cell: 'lstm', hiddenSize: 4 } }, training: { epochs: 1, batchSize: 10, optimizer: { type: 'adam', lr: 0.01 }, clipGradNorm: 1 },
};

test('the default budget is 200 batches; a spec sets its own; the analysis and the hover carry it', () => {
  const defaults = analyzeSpec(JSON.stringify(SPEC, null, 2), { dataInfo: { validationSamples: 200 } });
  assert.deepEqual(defaults.validationBudget, { maxBatches: 200, batchSize: 10, examples: 200 });
  const text = JSON.stringify({ ...SPEC, training: { ...SPEC.training, validation: { maxBatches: 3 } } }, null, 2);
  const own = analyzeSpec(text, { dataInfo: { validationSamples: 200 } });
  assert.deepEqual(own.validationBudget, { maxBatches: 3, batchSize: 10, examples: 200 });
  const hover = hoverAt(own, text.indexOf('"hiddenSize"'));
  assert.match(hover?.markdown ?? '', /_validation per epoch: 3 of 20 batches of 10 \(a fixed sample, the same every epoch\)/);
  const bad = analyzeSpec(JSON.stringify({ ...SPEC, training: { ...SPEC.training, validation: { maxBatches: 0 } } }, null, 2));
  assert.ok(bad.diagnostics.some((d) => d.severity === 'error' && /maxBatches|minimum|>= 1/.test(d.message)), JSON.stringify(bad.diagnostics.map((d) => d.message)));
  assert.equal(bad.validationBudget, undefined);
});
