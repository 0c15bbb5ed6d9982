// ASHA promotion decisions on hand-built metric tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type AshaTrial, nextAshaDecision, rungBudgets } from './asha';

const trial = (id: string, rungValues: number[], extra: Partial<AshaTrial> = {}): AshaTrial => ({ id, rungValues, busy: false, ended: false, ...extra });

test('rung budgets grow by the reduction factor and end at maxEpochs', () => {
  assert.deepEqual(rungBudgets({ minEpochs: 1, maxEpochs: 27, reductionFactor: 3 }), [1, 3, 9, 27]);
  assert.deepEqual(rungBudgets({ minEpochs: 2, maxEpochs: 10, reductionFactor: 2 }), [2, 4, 8, 10]);
  assert.deepEqual(rungBudgets({ minEpochs: 5, maxEpochs: 5, reductionFactor: 3 }), [5]);
});

test('fewer than η results at a rung promote nobody: a new trial starts', () => {
  const trials = [trial('a', [0.1]), trial('b', [0.2])];
  assert.deepEqual(nextAshaDecision(trials, 3, 5, 3, 'minimize'), { kind: 'start' });
});

test('the best of every η finished at a rung goes up (minimize)', () => {
  const trials = [trial('a', [0.5]), trial('b', [0.2]), trial('c', [0.9])];
  assert.deepEqual(nextAshaDecision(trials, 3, 5, 3, 'minimize'), { kind: 'promote', trialId: 'b', toRung: 1 });
});

test('maximize promotes the largest metric', () => {
  const trials = [trial('a', [0.5]), trial('b', [0.2]), trial('c', [0.9])];
  assert.deepEqual(nextAshaDecision(trials, 3, 5, 3, 'maximize'), { kind: 'promote', trialId: 'c', toRung: 1 });
});

test('a trial already promoted or training is not promoted again; the next-best is not in the top third', () => {
  // b is best at rung 0 and already finished rung 1; a and c are outside the top ⌊3/3⌋ = 1.
  const trials = [trial('a', [0.5]), trial('b', [0.2, 0.15]), trial('c', [0.9])];
  assert.deepEqual(nextAshaDecision(trials, 3, 2, 3, 'minimize'), { kind: 'start' });
  const busy = [trial('a', [0.5]), trial('b', [0.2], { busy: true }), trial('c', [0.9])];
  assert.deepEqual(nextAshaDecision(busy, 3, 0, 3, 'minimize'), { kind: 'wait' });
});

test('higher rungs are served first', () => {
  // Rung 1 has three results (b best, not yet at rung 2); rung 0 also has a promotable trial (f).
  const trials = [
    trial('a', [0.3, 0.30]), trial('b', [0.2, 0.10]), trial('c', [0.25, 0.40]),
    trial('d', [0.9]), trial('e', [0.8]), trial('f', [0.05]), trial('g', [0.7]), trial('h', [0.6]), trial('i', [0.65]),
  ];
  assert.deepEqual(nextAshaDecision(trials, 3, 0, 3, 'minimize'), { kind: 'promote', trialId: 'b', toRung: 2 });
});

test('with six results at a rung the best two go up; ended and diverged trials never do', () => {
  const trials = [
    trial('a', [0.1], { ended: true }), trial('b', [NaN]), trial('c', [0.3]), trial('d', [0.4]), trial('e', [0.5]), trial('f', [0.6]),
  ];
  // Top ⌊6/3⌋ = 2 by value: a (ended) and c. NaN sorts last.
  assert.deepEqual(nextAshaDecision(trials, 2, 0, 3, 'minimize'), { kind: 'promote', trialId: 'c', toRung: 1 });
  const cPromoted = trials.map((t) => (t.id === 'c' ? trial('c', [0.3, 0.2]) : t));
  assert.deepEqual(nextAshaDecision(cPromoted, 2, 0, 3, 'minimize'), { kind: 'done' });
});
