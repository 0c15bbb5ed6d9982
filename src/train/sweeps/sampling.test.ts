// Grid order and seeded sampling: bounds, log scale, integers, lists, reproducibility.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../tensor';
import { gridConfigurations, gridSize, randomConfigurations, sampleDomain } from './sampling';

test('the grid is every combination, the last parameter varying fastest', () => {
  const grid = gridConfigurations({ cell: { values: ['rnn', 'lstm'] }, hidden: { values: [8, 16, 32] } });
  assert.deepEqual(grid, [
    { cell: 'rnn', hidden: 8 }, { cell: 'rnn', hidden: 16 }, { cell: 'rnn', hidden: 32 },
    { cell: 'lstm', hidden: 8 }, { cell: 'lstm', hidden: 16 }, { cell: 'lstm', hidden: 32 },
  ]);
  assert.equal(gridSize({ cell: { values: ['rnn', 'lstm'] }, hidden: { values: [8, 16, 32] } }), 6);
  assert.equal(gridConfigurations({ lr: { min: 0.001, max: 0.1, distribution: 'log-uniform' } }), undefined);
});

test('random configurations are the same for the same seed and differ for another', () => {
  const parameters = { lr: { min: 1e-4, max: 1e-1, distribution: 'log-uniform' as const }, cell: { values: ['rnn', 'gru'] } };
  assert.deepEqual(randomConfigurations(parameters, 10, 7), randomConfigurations(parameters, 10, 7));
  assert.notDeepEqual(randomConfigurations(parameters, 10, 7), randomConfigurations(parameters, 10, 8));
});

test('uniform: inside [min, max), mean near the middle', () => {
  const rng = new Rng(1);
  const values = Array.from({ length: 20000 }, () => sampleDomain({ min: 2, max: 6, distribution: 'uniform' }, rng) as number);
  assert.ok(values.every((v) => v >= 2 && v < 6));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(Math.abs(mean - 4) < 0.05, `mean ${mean}`); // standard error 1.15/√20000 ≈ 0.008
});

test('log-uniform: each decade equally likely (not piled up in the top one)', () => {
  const rng = new Rng(2);
  const decades = [0, 0, 0];
  for (let i = 0; i < 30000; i++) {
    const v = sampleDomain({ min: 1e-4, max: 1e-1, distribution: 'log-uniform' }, rng) as number;
    assert.ok(v >= 1e-4 && v < 1e-1, `${v} outside`);
    decades[Math.floor(Math.log10(v) + 4)]++;
  }
  for (const count of decades) assert.ok(Math.abs(count - 10000) < 400, `decade counts ${decades}`); // ±4.5 σ
});

test('integer: every integer of [min, max] inclusive, equally often, nothing else', () => {
  const rng = new Rng(3);
  const counts = new Map<number, number>();
  for (let i = 0; i < 12000; i++) {
    const v = sampleDomain({ min: 3, max: 8, distribution: 'integer' }, rng) as number;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort((a, b) => a - b), [3, 4, 5, 6, 7, 8]);
  for (const count of counts.values()) assert.ok(Math.abs(count - 2000) < 250, `counts ${[...counts]}`);
});

test('log-integer: integers within the bounds, small ones more often than large ones', () => {
  const rng = new Rng(4);
  const values = Array.from({ length: 20000 }, () => sampleDomain({ min: 8, max: 256, distribution: 'log-integer' }, rng) as number);
  assert.ok(values.every((v) => Number.isInteger(v) && v >= 8 && v <= 256));
  assert.ok(values.includes(8) && values.includes(256), 'both ends are reachable');
  const below32 = values.filter((v) => v < 32).length / values.length;
  // log(31.5/7.5)/log(256.5/7.5) ≈ 0.406 of the log-width lies below 32 (a uniform draw would give 0.097).
  assert.ok(Math.abs(below32 - 0.406) < 0.02, `share below 32: ${below32}`);
});

test('a list draws each value about equally often', () => {
  const rng = new Rng(5);
  const counts: Record<string, number> = { rnn: 0, lstm: 0, gru: 0 };
  for (let i = 0; i < 9000; i++) counts[sampleDomain({ values: ['rnn', 'lstm', 'gru'] }, rng) as string]++;
  for (const count of Object.values(counts)) assert.ok(Math.abs(count - 3000) < 200, JSON.stringify(counts));
});
