// `node --import tsx bench/samplers.ts`: does TPE find better configurations than random sampling on the same budget?
// Synthetic objectives (no training: cheap, so many sampler seeds) through the sweep's own planning and proposal
// code (planTrials, assignProposal), trials ending one at a time — or, with "2 at once", each proposal made
// while the previous trial still trains (it sees the trials before that one only, as `--parallel 2` would).
// Per objective and budget: the best value found, median and quartiles over the sampler seeds, and in how many
// seeds TPE's best beat random's with the same seed (both share the first tpe.startupTrials configurations).
// The real-training comparison is `npm run bench:sweep -- --samplers`.
//   --seeds N (default 100)   --budgets 20,40 (default)
import { Rng } from '../src/tensor';
import type { Configuration } from '../src/train/sweeps/sampling';
import { type ParameterDomain, type ResolvedSweep, type SweepTrial } from '../src/train/sweeps/sweepFolder';
import { planTrials } from '../src/train/sweeps/trialPlan';
import { assignProposal } from '../src/train/sweeps/tpeSweep';
import { TPE_DEFAULTS } from '../src/train/sweeps/tpe';
import { option } from './commandLine';

const seeds = Number(option('--seeds') ?? 100);
const budgets = (option('--budgets') ?? '20,40').split(',').map(Number);

interface Objective {
  name: string;
  parameters: Record<string, ParameterDomain>;
  /** Lower is better; `noise` draws the seed-to-seed scatter a real training has. */
  f(c: Configuration, noise: Rng): number;
  /** The lowest value without noise. */
  optimum: number;
}

const n = (c: Configuration, k: string) => c[k] as number;

const objectives: Objective[] = [
  {
    // Branin-Hoo, the classic 2-D test of hyperparameter optimisers: three equal minima of 0.397887.
    name: 'Branin (2 uniform ranges)',
    parameters: { x1: { min: -5, max: 10, distribution: 'uniform' }, x2: { min: 0, max: 15, distribution: 'uniform' } },
    f: (c) => {
      const [x1, x2] = [n(c, 'x1'), n(c, 'x2')];
      return (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
    },
    optimum: 0.397887,
  },
  {
    // Hartmann 6-D on [0, 1]^6: one global minimum of −3.32237 among several local ones.
    name: 'Hartmann-6 (6 uniform ranges)',
    parameters: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i}`, { min: 0, max: 1, distribution: 'uniform' as const }])),
    f: (c) => {
      const alpha = [1.0, 1.2, 3.0, 3.2];
      const A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
      const P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]];
      return -alpha.reduce((s, a, i) => s + a * Math.exp(-A[i].reduce((t, aij, j) => t + aij * (n(c, `x${j}`) - P[i][j] * 1e-4) ** 2, 0)), 0);
    },
    optimum: -3.32237,
  },
  {
    // A training run's shape: validation loss over a log learning rate (best 3e-3, diverging above 0.1), a
    // log-integer hidden size (best 64), the cell and dropout, with a seed's scatter (σ 0.02).
    name: 'training-like (log lr, log-integer hidden, cell, dropout, noisy)',
    parameters: {
      lr: { min: 1e-5, max: 0.3, distribution: 'log-uniform' },
      hidden: { min: 4, max: 512, distribution: 'log-integer' },
      cell: { values: ['rnn', 'lstm', 'gru'] },
      dropout: { min: 0, max: 0.6, distribution: 'uniform' },
    },
    f: (c, noise) => {
      const lr = Math.log10(n(c, 'lr') / 3e-3);
      const diverges = n(c, 'lr') > 0.1 ? 2 : 0;
      const cell = { rnn: 0.5, lstm: 0.05, gru: 0 }[c.cell as string]!;
      return 0.1 + 0.3 * lr ** 2 + 0.05 * Math.log2(n(c, 'hidden') / 64) ** 2 + cell + (n(c, 'dropout') - 0.15) ** 2 + diverges + noise.normal(0, 0.02);
    },
    optimum: 0.1,
  },
];

/** The best value a sweep of `budget` configurations finds: random, TPE one at a time, or TPE with 2 at once. */
function bestFound(objective: Objective, budget: number, samplerSeed: number, mode: 'random' | 'tpe' | 'tpe2'): number {
  const sweep: ResolvedSweep = {
    name: 'bench', sweepFile: '/bench.seqsweep.json', baseSpec: '/bench.seqmodel.json', method: mode === 'random' ? 'random' : 'tpe',
    metric: { name: 'loss', direction: 'minimize' }, parameters: objective.parameters, seeds: [1], trials: budget, samplerSeed, maxConcurrent: 1,
    ...(mode === 'random' ? {} : { tpe: TPE_DEFAULTS }),
  };
  const trials: SweepTrial[] = planTrials(sweep);
  const noise = new Rng(samplerSeed + 1000003);
  const finish = (t: SweepTrial) => Object.assign(t, { status: 'completed', metric: objective.f(t.params, noise) });
  for (let k = 0; k < trials.length; k++) {
    assignProposal(sweep, trials, trials[k]);
    trials[k].status = 'running';
    // 2 at once: trial k − 1 is still training while trial k is proposed; it ends now.
    if (mode === 'tpe2' && k > 0) finish(trials[k - 1]);
    if (mode !== 'tpe2') finish(trials[k]);
  }
  if (mode === 'tpe2') finish(trials[trials.length - 1]);
  return Math.min(...trials.map((t) => t.metric!));
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3));

console.log(`bench:samplers: ${seeds} sampler seeds per case; TPE with Optuna's defaults (${TPE_DEFAULTS.startupTrials} random first, γ ${TPE_DEFAULTS.gamma}, ${TPE_DEFAULTS.candidates} candidates)`);
console.log('| objective (optimum) | trials | random: best found, median (25–75%) | TPE | TPE, 2 at once | TPE beat random (same seed) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const objective of objectives) {
  for (const budget of budgets) {
    const results = { random: [] as number[], tpe: [] as number[], tpe2: [] as number[] };
    for (let s = 0; s < seeds; s++) for (const mode of ['random', 'tpe', 'tpe2'] as const) results[mode].push(bestFound(objective, budget, s, mode));
    const cell = (xs: number[]) => `${fmt(quantile(xs, 0.5))} (${fmt(quantile(xs, 0.25))}–${fmt(quantile(xs, 0.75))})`;
    const wins = results.tpe.filter((v, i) => v < results.random[i]).length;
    const ties = results.tpe.filter((v, i) => v === results.random[i]).length;
    console.log(`| ${objective.name} (${objective.optimum}) | ${budget} | ${cell(results.random)} | ${cell(results.tpe)} | ${cell(results.tpe2)} | ${wins} of ${seeds}${ties ? ` (${ties} ties)` : ''} |`);
  }
}
