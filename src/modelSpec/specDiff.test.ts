import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSpecs, flattenSpec, formatSpecDiff, formatSpecValue, variedPaths } from './specDiff';

const base = {
  $schema: '../schemas/seqmodel.schema.json',
  name: 'adding',
  description: 'the adding problem',
  task: { type: 'regress' },
  model: { encoder: { cell: 'lstm', hiddenSize: 64 }, head: [{ size: 32 }, { size: 1 }] },
  training: { seed: 1, optimizer: { type: 'adam', lr: 0.01 } },
};
const withChanges = (patch: (spec: typeof base) => void) => {
  const copy = structuredClone(base);
  patch(copy);
  return copy;
};

test('a spec flattens to its leaf values under the paths sweep files use, in the spec order', () => {
  const leaves = flattenSpec(base);
  assert.deepEqual([...leaves.keys()], [
    'name', 'task.type', 'model.encoder.cell', 'model.encoder.hiddenSize', 'model.head[0].size', 'model.head[1].size',
    'training.seed', 'training.optimizer.type', 'training.optimizer.lr',
  ]);
  assert.equal(leaves.get('training.optimizer.lr'), 0.01);
  assert.equal(leaves.has('$schema'), false, 'the schema link is not part of what was trained');
});

test('the diff of two specs names each changed, added and removed path with both values', () => {
  const other = withChanges((spec) => {
    spec.model.encoder.cell = 'gru';
    spec.training.optimizer.lr = 0.003;
    spec.model.head.pop();
    (spec.training as Record<string, unknown>).clipGradNorm = 1;
    spec.description = 'another text';
  });
  assert.deepEqual(diffSpecs(base, other), [
    { path: 'model.encoder.cell', left: 'lstm', right: 'gru' },
    { path: 'model.head[1].size', left: 1, right: undefined },
    { path: 'training.optimizer.lr', left: 0.01, right: 0.003 },
    { path: 'training.clipGradNorm', left: undefined, right: 1 },
  ]);
  assert.deepEqual(diffSpecs(base, structuredClone(base)), []);
});

test('varied paths are those not equal in every spec, whichever spec differs', () => {
  const specs = [
    base,
    withChanges((spec) => { spec.training.seed = 2; }),
    withChanges((spec) => { spec.model.encoder.cell = 'rnn'; spec.training.seed = 3; }),
  ];
  assert.deepEqual(variedPaths(specs), ['model.encoder.cell', 'training.seed']);
  assert.deepEqual(variedPaths([base]), []);
  assert.deepEqual(variedPaths([]), []);
});

test('values read as a table cell shows them', () => {
  assert.equal(formatSpecValue('gru'), 'gru');
  assert.equal(formatSpecValue(0.003), '0.003');
  assert.equal(formatSpecValue(true), 'true');
  assert.equal(formatSpecValue(undefined), '—');
});

test('the text form names both runs and aligns one line per difference', () => {
  const text = formatSpecDiff('run-a', 'run-b', diffSpecs(base, withChanges((spec) => { spec.model.encoder.hiddenSize = 128; spec.training.seed = 7; })));
  assert.equal(text, [
    'Spec diff', '  A: run-a', '  B: run-b', '', '2 differences (A → B):',
    '  model.encoder.hiddenSize  64 → 128',
    '  training.seed             1 → 7', '',
  ].join('\n'));
  assert.match(formatSpecDiff('a', 'b', []), /the same/);
});
