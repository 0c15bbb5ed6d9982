import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SyntheticData } from '../modelSpec/types';
import { baselines } from './baselines';
import type { ExampleSplit } from './batching';
import { loadSynthetic } from './synthetic';

const make = (data: Omit<SyntheticData, 'source'>, horizon?: number) =>
  loadSynthetic({ source: 'synthetic', ...data }, { seed: 1, horizon, file: 'spec.seqmodel.json' });

test('adding: one marker in each half, target = sum of the marked values, constant-predictor MSE ≈ 1/6', () => {
  const prepared = make({ generator: 'adding', samples: 4000, length: 20, seed: 3, split: { validation: 1 / 2 - 1e-9 } });
  const examples = [...(prepared.train as ExampleSplit).examples()];
  for (const example of examples.slice(0, 200)) {
    const x = example.inputs!; // [T,2]
    const marked = [];
    for (let t = 0; t < 20; t++) if (x[t * 2 + 1] === 1) marked.push(t);
    assert.equal(marked.length, 2);
    assert.ok(marked[0] < 10 && marked[1] >= 10, `markers at ${marked}`);
    assert.ok(Math.abs(example.targets![0] - (x[marked[0] * 2] + x[marked[1] * 2])) < 1e-6);
  }
  const { constantMse } = baselines(prepared);
  assert.equal(prepared.validation.size, 2000);
  // Var(U1 + U2) = 2/12; standard error of the estimate on 2000 sequences is ≈ 0.004.
  assert.ok(Math.abs(constantMse - 1 / 6) < 0.015, `constant MSE ${constantMse}`);
  assert.equal(prepared.info.task, 'regress');
  assert.deepEqual([prepared.info.inputSize, prepared.info.outputSize], [2, 1]);
});

test('synthetic: the same seed gives the same data; validation does not depend on the training size', () => {
  const a = make({ generator: 'adding', samples: 50, length: 10, seed: 9 });
  const b = make({ generator: 'adding', samples: 50, length: 10, seed: 9 });
  const c = make({ generator: 'adding', samples: 80, length: 10, seed: 9, split: { validation: 5 / 80 } });
  const firstInputs = (p: typeof a, split: 'train' | 'validation') => Array.from((p[split] as ExampleSplit).example(0).inputs!);
  assert.deepEqual(firstInputs(a, 'train'), firstInputs(b, 'train'));
  assert.deepEqual(firstInputs(a, 'validation'), firstInputs(c, 'validation'));
  assert.notDeepEqual(firstInputs(a, 'train'), firstInputs(make({ generator: 'adding', samples: 50, length: 10, seed: 10 }), 'train'));
});

test('copy: symbols, blanks, the delimiter, and the symbols again as the last tags', () => {
  const prepared = make({ generator: 'copy', samples: 30, length: 12, symbols: 4, copyLength: 3 });
  assert.deepEqual(prepared.info.labels, ['_', 'a', 'b', 'c', 'd']);
  assert.equal(prepared.info.kind, 'tokens');
  const { input, target } = prepared.train.describe(0);
  assert.match(input, /^[a-d]{3}_{5}:_{3}$/);
  assert.equal(target, '_'.repeat(9) + input.slice(0, 3));
  assert.equal(baselines(prepared).majorityAccuracy, 9 / 12);
  assert.throws(() => make({ generator: 'copy', samples: 3, length: 6, copyLength: 3 }), /length 6 is too short to copy 3 symbols/);
});

test('sine and random walk: [T,F] inputs, next values as targets, persistence baseline', () => {
  const sine = make({ generator: 'sine', samples: 200, length: 30, symbols: 2, noise: 0 }, 2);
  assert.deepEqual([sine.info.inputSize, sine.info.outputSize, sine.info.horizon], [2, 4, 2]);
  const example = (sine.train as ExampleSplit).example(0);
  assert.equal(example.inputs!.length, 60);
  assert.ok(Array.from(example.inputs!).every((v) => Math.abs(v) <= 1));
  const walk = make({ generator: 'random-walk', samples: 100, length: 10, split: { validation: 20 } }); // 2000 validation walks
  // Persistence is optimal for a random walk: its MSE is the step variance 0.01.
  assert.ok(Math.abs(baselines(walk).persistenceMse - 0.01) < 0.0015, `${baselines(walk).persistenceMse}`);
});
