// TPE: seeded proposals, values inside their domains, the good/bad split by γ, densities that are densities,
// and, on known functions, proposals that gather near the optimum far more than random draws do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../tensor';
import { sampleDomain, type Configuration } from './sampling';
import type { ParameterDomain } from './sweepFolder';
import {
  TPE_DEFAULTS, goodCount, kernelWidths, normalMass, observationWeights, parzenEstimator, proposeConfiguration, splitObservations, type TpeObservation,
} from './tpe';

const space: Record<string, ParameterDomain> = {
  lr: { min: 1e-4, max: 1e-1, distribution: 'log-uniform' },
  dropout: { min: 0, max: 0.5, distribution: 'uniform' },
  layers: { min: 1, max: 4, distribution: 'integer' },
  hidden: { min: 8, max: 256, distribution: 'log-integer' },
  cell: { values: ['rnn', 'lstm', 'gru'] },
};

function randomObservations(count: number, seed: number): TpeObservation[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const params: Configuration = {};
    for (const [name, domain] of Object.entries(space)) params[name] = sampleDomain(domain, rng);
    return { params, value: rng.next() };
  });
}

test('the same observations and seed propose the same configuration; another seed another one', () => {
  const observations = randomObservations(15, 1);
  const propose = (seed: number) => proposeConfiguration(space, observations, TPE_DEFAULTS, new Rng(seed));
  assert.deepEqual(propose(4), propose(4));
  assert.notDeepEqual(propose(4), propose(5));
});

test('proposals stay inside their domains: ranges, log ranges, integers, lists', () => {
  for (let seed = 0; seed < 40; seed++) {
    const proposed = proposeConfiguration(space, randomObservations(12 + seed, seed), TPE_DEFAULTS, new Rng(seed));
    const lr = proposed.lr as number;
    assert.ok(lr >= 1e-4 && lr <= 1e-1, `lr ${lr}`);
    const dropout = proposed.dropout as number;
    assert.ok(dropout >= 0 && dropout <= 0.5, `dropout ${dropout}`);
    assert.ok(Number.isInteger(proposed.layers) && (proposed.layers as number) >= 1 && (proposed.layers as number) <= 4, `layers ${proposed.layers}`);
    assert.ok(Number.isInteger(proposed.hidden) && (proposed.hidden as number) >= 8 && (proposed.hidden as number) <= 256, `hidden ${proposed.hidden}`);
    assert.ok(['rnn', 'lstm', 'gru'].includes(proposed.cell as string));
  }
});

test('the good group is the best ⌈γ·n⌉ (at most 25), further stages first, each group in the given order', () => {
  const values = [5, 3, 9, 1, 7, 2, 8, 6, 4, 0];
  const observations = values.map((value, i) => ({ params: { i }, value }));
  const { good, bad } = splitObservations(observations, 0.25); // ⌈2.5⌉ = 3: values 1, 2, 0 in the order given
  assert.deepEqual(good.map((o) => o.value), [1, 2, 0]);
  assert.deepEqual(bad.map((o) => o.value), [5, 3, 9, 7, 8, 6, 4]);
  assert.equal(goodCount(10, 0.1), 1);
  assert.equal(goodCount(11, 0.1), 2);
  assert.equal(goodCount(1000, 0.1), 25);
  // A configuration that got further (an ASHA rung) ranks above better values that stopped earlier; a diverged
  // one (Infinity or NaN) below every finite value, however far it got.
  const staged = [{ params: {}, value: 0.1 }, { params: {}, value: 0.5, stage: 2 }, { params: {}, value: NaN, stage: 2 }, { params: {}, value: 0.3, stage: 1 }];
  assert.deepEqual(splitObservations(staged, 0.5).good.map((o) => o.value), [0.5, 0.3]);
});

test('older observations weigh less past 25, the 25 newest fully', () => {
  assert.deepEqual(observationWeights(3), [1, 1, 1]);
  const w = observationWeights(30);
  assert.equal(w.length, 30);
  assert.ok(Math.abs(w[0] - 1 / 30) < 1e-12);
  for (let i = 1; i < 5; i++) assert.ok(w[i] > w[i - 1]);
  assert.deepEqual(w.slice(5), new Array(25).fill(1));
});

test('kernel widths: the larger gap to a neighbour, clipped to [range / min(100, kernels + 1), range]', () => {
  // Sorted with the prior's centre 0.5 and the ends: 0 | 0.1 0.5 0.9 | 1; the outermost take their inner gap (0.4).
  assert.deepEqual(kernelWidths([0.9, 0.1], 0, 1).map((w) => Number(w.toFixed(12))), [0.4, 0.4]);
  // Crowded observations are not spikes: at least 1 / (1 + 4 kernels).
  assert.deepEqual(kernelWidths([0.3, 0.3, 0.3], 0, 1), [0.2, 0.2, 0.2]);
});

test('the estimators are densities: masses sum to 1 over integers and lists, a real range integrates to 1', () => {
  const observed = [2, 3, 3, 7];
  const integers = parzenEstimator({ min: 1, max: 9, distribution: 'integer' }, observed, 1);
  const sum = (f: (k: number) => number, from: number, to: number) => { let s = 0; for (let k = from; k <= to; k++) s += f(k); return s; };
  assert.ok(Math.abs(sum((k) => Math.exp(integers.logDensity(k)), 1, 9) - 1) < 1e-6);
  const logIntegers = parzenEstimator({ min: 1, max: 64, distribution: 'log-integer' }, [4, 8, 50], 1);
  assert.ok(Math.abs(sum((k) => Math.exp(logIntegers.logDensity(k)), 1, 64) - 1) < 1e-6);
  const list = parzenEstimator({ values: ['a', 'b', 'c'] }, ['b', 'b', 'c'], 1);
  assert.ok(Math.abs(['a', 'b', 'c'].reduce((s, v) => s + Math.exp(list.logDensity(v)), 0) - 1) < 1e-12);
  assert.ok(list.logDensity('b') > list.logDensity('c') && list.logDensity('c') > list.logDensity('a'));
  const real = parzenEstimator({ min: -1, max: 3, distribution: 'uniform' }, [0, 0.2, 2.5], 1);
  const steps = 40000;
  let integral = 0;
  for (let i = 0; i < steps; i++) integral += Math.exp(real.logDensity(-1 + (4 * (i + 0.5)) / steps)) * (4 / steps);
  assert.ok(Math.abs(integral - 1) < 1e-4, `integral ${integral}`);
  assert.ok(Math.abs(normalMass(-1, 1) - 0.682689492) < 1e-6);
  assert.ok(Math.abs(normalMass(6, 7) - 9.853078e-10) / 9.853078e-10 < 1e-5, 'tails keep their precision');
});

/** Sequential search of `f` for `budget` evaluations: the first 10 random, then TPE (or random throughout). */
function search(f: (c: Configuration) => number, parameters: Record<string, ParameterDomain>, budget: number, seed: number, method: 'tpe' | 'random') {
  const rng = new Rng(seed);
  const observations: TpeObservation[] = [];
  for (let i = 0; i < budget; i++) {
    let params: Configuration;
    if (method === 'tpe' && i >= TPE_DEFAULTS.startupTrials) params = proposeConfiguration(parameters, observations, TPE_DEFAULTS, rng);
    else {
      params = {};
      for (const [name, domain] of Object.entries(parameters)) params[name] = sampleDomain(domain, rng);
    }
    observations.push({ params, value: f(params) });
  }
  return observations;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('1-D: after the random start, TPE proposes near the optimum more than twice as often as random draws', () => {
  const parameters: Record<string, ParameterDomain> = { x: { min: -5, max: 5, distribution: 'uniform' } };
  const f = (c: Configuration) => ((c.x as number) - 1.7) ** 2;
  const near = (method: 'tpe' | 'random') => {
    let hits = 0;
    for (let seed = 0; seed < 20; seed++) hits += search(f, parameters, 40, seed, method).slice(10).filter((o) => Math.abs((o.params.x as number) - 1.7) < 0.5).length;
    return hits / (20 * 30);
  };
  const tpe = near('tpe');
  const random = near('random'); // about 0.1: the window is a tenth of the range
  assert.ok(tpe > 2.5 * random, `share within 0.5 of the optimum: TPE ${tpe}, random ${random}`);
});

test('2-D, log and integer: TPE finds a lower minimum than random on the same budget (median over seeds)', () => {
  // A learning rate on a log scale (best 3e-3) and a hidden size (best 48): a bowl in log-space.
  const parameters: Record<string, ParameterDomain> = {
    lr: { min: 1e-5, max: 1, distribution: 'log-uniform' },
    hidden: { min: 4, max: 512, distribution: 'log-integer' },
  };
  const f = (c: Configuration) => (Math.log10(c.lr as number) - Math.log10(3e-3)) ** 2 + (Math.log2(c.hidden as number) - Math.log2(48)) ** 2;
  const bests = (method: 'tpe' | 'random') => Array.from({ length: 20 }, (_, seed) => Math.min(...search(f, parameters, 40, seed, method).map((o) => o.value)));
  const tpe = median(bests('tpe'));
  const random = median(bests('random'));
  assert.ok(tpe < random / 3, `median best: TPE ${tpe}, random ${random}`);
});

test('lists: TPE settles on the best value of a categorical', () => {
  const parameters: Record<string, ParameterDomain> = { cell: { values: ['rnn', 'lstm', 'gru', 'none'] } };
  const f = (c: Configuration) => ({ rnn: 3, lstm: 1, gru: 2, none: 4 })[c.cell as string]!;
  let best = 0;
  for (let seed = 0; seed < 10; seed++) best += search(f, parameters, 30, seed, 'tpe').slice(10).filter((o) => o.params.cell === 'lstm').length;
  assert.ok(best / (10 * 20) > 0.6, `share of lstm proposals ${best / 200}`); // random: 0.25
});
