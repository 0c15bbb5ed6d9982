// ASHA promotion decisions on hand-built metric tables: single trials, and configurations repeated over seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type AshaTrial, configurationValue, nextAshaDecision, rungBudgets } from './asha';

/** A trial of its own configuration (one seed), unless `configKey` groups it with others. */
const trial = (id: string, rungValues: number[], extra: Partial<AshaTrial> = {}): AshaTrial => ({ id, configKey: id, rungValues, busy: false, ended: false, ...extra });
const pending = (id: string, configKey = id): AshaTrial => trial(id, [], { configKey, unstarted: true });
/** Seed `n` of configuration `config`: id `config/n`. */
const seed = (config: string, n: number, rungValues: number[], extra: Partial<AshaTrial> = {}) => trial(`${config}/${n}`, rungValues, { configKey: config, ...extra });

test('rung budgets grow by the reduction factor and end at maxEpochs', () => {
  assert.deepEqual(rungBudgets({ minEpochs: 1, maxEpochs: 27, reductionFactor: 3 }), [1, 3, 9, 27]);
  assert.deepEqual(rungBudgets({ minEpochs: 2, maxEpochs: 10, reductionFactor: 2 }), [2, 4, 8, 10]);
  assert.deepEqual(rungBudgets({ minEpochs: 5, maxEpochs: 5, reductionFactor: 3 }), [5]);
});

test('fewer than η results at a rung promote nobody: the next trial starts', () => {
  const trials = [trial('a', [0.1]), trial('b', [0.2]), pending('c'), pending('d')];
  assert.deepEqual(nextAshaDecision(trials, 3, 3, 'minimize'), { kind: 'start', trialId: 'c' });
});

test('the best of every η finished at a rung goes up (minimize)', () => {
  const trials = [trial('a', [0.5]), trial('b', [0.2]), trial('c', [0.9]), pending('d')];
  assert.deepEqual(nextAshaDecision(trials, 3, 3, 'minimize'), { kind: 'promote', trialId: 'b', toRung: 1 });
});

test('maximize promotes the largest metric', () => {
  const trials = [trial('a', [0.5]), trial('b', [0.2]), trial('c', [0.9]), pending('d')];
  assert.deepEqual(nextAshaDecision(trials, 3, 3, 'maximize'), { kind: 'promote', trialId: 'c', toRung: 1 });
});

test('a trial already promoted or training is not promoted again; the next-best is not in the top third', () => {
  // b is best at rung 0 and already finished rung 1; a and c are outside the top ⌊3/3⌋ = 1.
  const trials = [trial('a', [0.5]), trial('b', [0.2, 0.15]), trial('c', [0.9]), pending('d')];
  assert.deepEqual(nextAshaDecision(trials, 3, 3, 'minimize'), { kind: 'start', trialId: 'd' });
  const busy = [trial('a', [0.5]), trial('b', [0.2], { busy: true }), trial('c', [0.9])];
  assert.deepEqual(nextAshaDecision(busy, 3, 3, 'minimize'), { kind: 'wait' });
});

test('higher rungs are served first', () => {
  // Rung 1 has three results (b best, not yet at rung 2); rung 0 also has a promotable trial (f).
  const trials = [
    trial('a', [0.3, 0.30]), trial('b', [0.2, 0.10]), trial('c', [0.25, 0.40]),
    trial('d', [0.9]), trial('e', [0.8]), trial('f', [0.05]), trial('g', [0.7]), trial('h', [0.6]), trial('i', [0.65]),
  ];
  assert.deepEqual(nextAshaDecision(trials, 3, 3, 'minimize'), { kind: 'promote', trialId: 'b', toRung: 2 });
});

test('with six results at a rung the best two go up; ended and diverged trials never do', () => {
  const trials = [
    trial('a', [0.1], { ended: true }), trial('b', [NaN]), trial('c', [0.3]), trial('d', [0.4]), trial('e', [0.5]), trial('f', [0.6]),
  ];
  // Top ⌊6/3⌋ = 2 by value: a (ended) and c. NaN sorts last.
  assert.deepEqual(nextAshaDecision(trials, 2, 3, 'minimize'), { kind: 'promote', trialId: 'c', toRung: 1 });
  const cPromoted = trials.map((t) => (t.id === 'c' ? trial('c', [0.3, 0.2]) : t));
  assert.deepEqual(nextAshaDecision(cPromoted, 2, 3, 'minimize'), { kind: 'done' });
});

test('configurations are ranked by the mean over their seeds, not by their best seed', () => {
  // A has the single best seed (0.1) but the worst mean (0.5); B's seeds are both middling (mean 0.3).
  const trials = [seed('A', 1, [0.1]), seed('A', 2, [0.9]), seed('B', 1, [0.3]), seed('B', 2, [0.3]), seed('C', 1, [0.4]), seed('C', 2, [0.45])];
  assert.equal(configurationValue(trials.slice(0, 2), 0), 0.5);
  // Three configurations finished rung 0: the best ⌊3/3⌋ = 1 by mean is B.
  assert.deepEqual(nextAshaDecision(trials, 3, 3, 'minimize'), { kind: 'promote', trialId: 'B/1', toRung: 1 });
  assert.deepEqual(nextAshaDecision(trials, 3, 3, 'maximize'), { kind: 'promote', trialId: 'A/1', toRung: 1 }, 'maximize: the largest mean (A 0.5)');
});

test('a promoted configuration takes its other seeds along before anything else', () => {
  // B/1 trains toward rung 1; B/2 follows at once, ahead of starting D and of promoting anyone else.
  const trials = [
    seed('A', 1, [0.5]), seed('A', 2, [0.5]), seed('B', 1, [0.3], { busy: true }), seed('B', 2, [0.3]), seed('C', 1, [0.4]), seed('C', 2, [0.4]),
    pending('D/1', 'D'),
  ];
  assert.deepEqual(nextAshaDecision(trials, 3, 3, 'minimize'), { kind: 'promote', trialId: 'B/2', toRung: 1 });
  // Both of B's seeds up: nothing else is in the top third at rung 0, so D starts; C never goes up (pruned together).
  const bothUp = trials.map((t) => (t.configKey === 'B' ? { ...t, busy: true } : t));
  assert.deepEqual(nextAshaDecision(bothUp, 3, 3, 'minimize'), { kind: 'start', trialId: 'D/1' });
});

test('a configuration is judged only once every one of its seeds finished the rung', () => {
  // A's first seed is the best result, but its second seed still trains: with η 2 the two finished configurations
  // (B, C) decide, and B goes up.
  const trials = [seed('A', 1, [0.1]), seed('A', 2, [], { busy: true }), seed('B', 1, [0.3]), seed('B', 2, [0.3]), seed('C', 1, [0.4]), seed('C', 2, [0.4])];
  assert.deepEqual(nextAshaDecision(trials, 3, 2, 'minimize'), { kind: 'promote', trialId: 'B/1', toRung: 1 });
  // A seed not started yet counts as unfinished too.
  const unstartedSeed = trials.map((t) => (t.id === 'A/2' ? pending('A/2', 'A') : t));
  assert.deepEqual(nextAshaDecision(unstartedSeed, 3, 2, 'minimize'), { kind: 'promote', trialId: 'B/1', toRung: 1 });
});

test('a diverged seed puts its configuration last; an early-stopped seed stays while the others go up', () => {
  const diverged = [seed('A', 1, [0.1]), seed('A', 2, [NaN], { ended: true }), seed('B', 1, [0.3]), seed('B', 2, [0.35])];
  assert.deepEqual(nextAshaDecision(diverged, 3, 2, 'minimize'), { kind: 'promote', trialId: 'B/1', toRung: 1 });
  const earlyStopped = [seed('A', 1, [0.1], { ended: true }), seed('A', 2, [0.2]), seed('B', 1, [0.3]), seed('B', 2, [0.35])];
  assert.deepEqual(nextAshaDecision(earlyStopped, 3, 2, 'minimize'), { kind: 'promote', trialId: 'A/2', toRung: 1 });
  const a2Up = earlyStopped.map((t) => (t.id === 'A/2' ? { ...t, busy: true } : t));
  assert.deepEqual(nextAshaDecision(a2Up, 3, 2, 'minimize'), { kind: 'wait' }, 'the early-stopped seed does not follow');
});

test("a configuration's seeds start one after another, whatever the planned order", () => {
  // Planned seed by seed (A/1, B/1, A/2, B/2): once A/1 started, A/2 is next.
  const trials = [seed('A', 1, [], { busy: true }), pending('B/1', 'B'), pending('A/2', 'A'), pending('B/2', 'B')];
  assert.deepEqual(nextAshaDecision(trials, 3, 3, 'minimize'), { kind: 'start', trialId: 'A/2' });
  const aStarted = trials.map((t) => (t.id === 'A/2' ? seed('A', 2, [], { busy: true }) : t));
  assert.deepEqual(nextAshaDecision(aStarted, 3, 3, 'minimize'), { kind: 'start', trialId: 'B/1' });
});
