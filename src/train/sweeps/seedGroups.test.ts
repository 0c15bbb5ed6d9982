// Seed-group aggregation: mean ± sample standard deviation per configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMeanStd, groupBySeeds, meanStd } from './seedGroups';

test('mean and sample standard deviation (n − 1)', () => {
  const s = meanStd([2, 4, 4, 4, 5, 5, 7, 9])!;
  assert.equal(s.mean, 5);
  assert.ok(Math.abs(s.std - Math.sqrt(32 / 7)) < 1e-12); // population std would be 2
  assert.equal(s.n, 8);
});

test('one value has no spread; non-finite values (diverged seeds) are left out; none gives undefined', () => {
  assert.deepEqual(meanStd([0.3]), { mean: 0.3, std: 0, n: 1 });
  assert.deepEqual(meanStd([1, NaN, 3, Infinity]), { mean: 2, std: Math.SQRT2, n: 2 });
  assert.equal(meanStd([NaN]), undefined);
});

test('trials group by configuration in order of appearance, whatever the seed', () => {
  const trials = [
    { id: 't0', configKey: 'cell="rnn"', metric: 0.17 }, { id: 't1', configKey: 'cell="lstm"', metric: 0.001 },
    { id: 't2', configKey: 'cell="rnn"', metric: 0.16 }, { id: 't3', configKey: 'cell="lstm"', metric: 0.003 },
  ];
  const groups = groupBySeeds(trials);
  assert.deepEqual(groups.map((g) => [g.configKey, g.members.map((m) => m.id)]), [['cell="rnn"', ['t0', 't2']], ['cell="lstm"', ['t1', 't3']]]);
  assert.equal(formatMeanStd(meanStd(groups[1].members.map((m) => m.metric))!), '0.002 ± 0.00141');
});
