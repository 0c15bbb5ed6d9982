// TPE in a sweep: what counts as an observation (whole configurations over their seeds, finished ones only),
// when a configuration is proposed rather than random, every seed of it the same; and a real sweep that
// proposes from its finished trials and is reproduced by its sampler seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeRunIo } from '../runIo';
import { tinyAddingSpec } from '../testing/tinyRuns';
import { analyzeSweep } from './sweepFile';
import { type ResolvedSweep, type SweepTrial, type TrialStatus, configKey } from './sweepFolder';
import { createSweepFolder, runSweep } from './sweepRunner';
import { inProcessLauncher } from './trialLaunchers';
import { planTrials } from './trialPlan';
import { assignProposal, awaitsProposal, tpeObservations } from './tpeSweep';

const LR = 'training.optimizer.lr';

function sweepOf(overrides: Partial<ResolvedSweep> = {}): ResolvedSweep {
  return {
    name: 's', sweepFile: '/w/s.seqsweep.json', baseSpec: '/w/a.seqmodel.json', method: 'tpe', metric: { name: 'loss', direction: 'minimize' },
    parameters: { [LR]: { min: 1e-4, max: 1e-1, distribution: 'log-uniform' } }, seeds: [1, 2], trials: 6, samplerSeed: 0, maxConcurrent: 1,
    tpe: { startupTrials: 2, gamma: 0.1, candidates: 24, priorWeight: 1 }, ...overrides,
  };
}

/** Give the planned trials statuses and metrics, two per configuration (seeds 1 and 2). */
function withResults(trials: SweepTrial[], results: [TrialStatus, number | null][]): SweepTrial[] {
  results.forEach(([status, metric], i) => Object.assign(trials[i], { status, metric }));
  return trials;
}

test('observations: one per configuration whose seeds all ended, the mean of its seeds; diverged worst; failed and unfinished left out', () => {
  const sweep = sweepOf({ trials: 5 });
  const trials = withResults(planTrials(sweep), [
    ['completed', 0.2], ['completed', 0.4], // mean 0.3
    ['completed', 0.1], ['diverged', null], // a diverged seed: the worst
    ['completed', 0.5], ['running', null], // still training: not yet
    ['failed', null], ['failed', null], // an error, not a result
    ['completed', 0.6], ['completed', 0.8],
  ]);
  const observations = tpeObservations(sweep, trials);
  assert.deepEqual(observations.map((o) => o.value), [0.30000000000000004, Infinity, 0.7]);
  assert.deepEqual(observations[0].params, trials[0].params);
  // Maximising a metric: values negated, so lower is still better.
  assert.deepEqual(tpeObservations({ ...sweep, metric: { name: 'accuracy', direction: 'maximize' } }, trials).map((o) => o.value), [-0.30000000000000004, Infinity, -0.7]);
});

test('under ASHA a configuration counts once its seeds finished a rung, with the rung reached; training on keeps it counted', () => {
  const sweep = sweepOf({ method: 'asha', trials: 4, asha: { reductionFactor: 2, minEpochs: 1, maxEpochs: 4 } });
  const trials = withResults(planTrials(sweep), [
    ['running', 0.2], ['running', 0.4], // finished rung 0, both training toward rung 1 now
    ['completed', 0.1], ['completed', 0.3], // finished rung 0, not promoted (yet)
    ['running', null], ['completed', 0.5], // one seed still on its first rung: not yet
  ]);
  Object.assign(trials[0], { rung: 1 });
  Object.assign(trials[1], { rung: 1 });
  const observations = tpeObservations(sweep, trials);
  assert.deepEqual(observations.map((o) => [o.value, o.stage]), [[0.30000000000000004, 0], [0.2, 0]]);
  // Both seeds finished rung 1: the configuration ranks at stage 1, above a better value at stage 0.
  withResults(trials, [['completed', 0.25], ['completed', 0.35]]);
  assert.deepEqual(tpeObservations(sweep, trials).map((o) => [o.value, o.stage]), [[0.3, 1], [0.2, 0]]);
});

test('a configuration is random until startupTrials have finished, then proposed; all its seeds get the proposal', () => {
  const sweep = sweepOf();
  const trials = planTrials(sweep);
  const planned = trials.map((t) => t.params);
  // Configuration 0 and 1 are the startup: random, whatever has finished.
  assert.equal(assignProposal(sweep, trials, trials[0]), false);
  assert.deepEqual([trials[0].sampler, trials[1].sampler], ['random', 'random']);
  withResults(trials, [['completed', 0.3], ['completed', 0.3]]);
  assert.equal(assignProposal(sweep, trials, trials[2]), false);
  // Configuration 2 starts with only one configuration finished: still random (Optuna's n_startup_trials rule).
  withResults(trials, [['completed', 0.3], ['completed', 0.3], ['running', null], ['pending', null]]);
  assert.equal(assignProposal(sweep, trials, trials[4]), false);
  assert.equal(trials[4].sampler, 'random');
  assert.deepEqual(trials[4].params, planned[4]);
  // Two finished: configuration 3 is proposed, for both its seeds, with the key that matches its parameters.
  withResults(trials, [['completed', 0.3], ['completed', 0.3], ['completed', 0.9], ['completed', 0.7], ['running', null], ['pending', null]]);
  assert.deepEqual([awaitsProposal(sweep, trials, trials[2]), awaitsProposal(sweep, trials, trials[6])], [false, true]);
  assert.equal(assignProposal(sweep, trials, trials[6]), true);
  assert.equal(awaitsProposal(sweep, trials, trials[7]), false, 'its parameters are chosen');
  assert.deepEqual([trials[6].sampler, trials[7].sampler], ['tpe', 'tpe']);
  assert.notDeepEqual(trials[6].params, planned[6]);
  assert.deepEqual(trials[7].params, trials[6].params);
  assert.equal(trials[6].configKey, configKey(trials[6].params));
  // Its second seed starting later changes nothing.
  const proposed = trials[6].params;
  trials[6].status = 'running';
  assert.equal(assignProposal(sweep, trials, trials[7]), false);
  assert.equal(trials[7].params, proposed);
  // The same history proposes the same configuration.
  const again = planTrials(sweep);
  withResults(again, [['completed', 0.3], ['completed', 0.3], ['completed', 0.9], ['completed', 0.7], ['running', null], ['pending', null]]);
  assignProposal(sweep, again, again[6]);
  assert.deepEqual(again[6].params, proposed);
});

test('a TPE sweep of real trainings: random start, then proposals from the finished trials; the same samplerSeed repeats it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-tpe-'));
  fs.writeFileSync(path.join(dir, 'adding.seqmodel.json'), JSON.stringify(tinyAddingSpec({ epochs: 1 }), null, 2));
  const sweepPath = path.join(dir, 'tiny.seqsweep.json');
  const text = JSON.stringify({
    spec: 'adding.seqmodel.json', method: 'tpe', trials: 6, samplerSeed: 5, tpe: { startupTrials: 3 },
    parameters: { [LR]: { min: 0.001, max: 0.1, distribution: 'log-uniform' }, 'model.encoder.hiddenSize': { min: 2, max: 8, distribution: 'integer' } },
  });
  const analysis = analyzeSweep(text, { sweepPath, readSpec: (p) => fs.readFileSync(p, 'utf8') });
  assert.deepEqual(analysis.diagnostics, []);
  const sweep = analysis.sweep!;
  const run = async (time: number) => {
    const sweepDir = createSweepFolder(nodeRunIo, sweep, planTrials(sweep), new Date(time));
    const outcome = await runSweep({ dir: sweepDir, sweep, baseSpecText: analysis.baseSpecText!, io: nodeRunIo, launcher: inProcessLauncher(), parallel: 1 });
    const onDisk = JSON.parse(fs.readFileSync(path.join(sweepDir, 'state.json'), 'utf8')) as { trials: SweepTrial[] };
    assert.deepEqual(onDisk.trials, outcome.state.trials, 'state.json records the proposals');
    for (const trial of outcome.state.trials) {
      const spec = JSON.parse(fs.readFileSync(path.join(sweepDir, trial.runDir, 'spec.json'), 'utf8'));
      assert.equal(spec.training.optimizer.lr, trial.params[LR], 'the run trained what state.json says');
    }
    return outcome.state.trials;
  };
  const first = await run(Date.UTC(2026, 11, 5, 13, 0, 0));
  const planned = planTrials(sweep);
  assert.deepEqual(first.map((t) => t.sampler), ['random', 'random', 'random', 'tpe', 'tpe', 'tpe']);
  assert.deepEqual(first.slice(0, 3).map((t) => t.params), planned.slice(0, 3).map((t) => t.params));
  for (const t of first.slice(3)) assert.notDeepEqual(t.params, planned[Number(t.id.slice(1))].params);
  assert.ok(first.every((t) => t.status === 'completed' && t.metric !== null));
  const second = await run(Date.UTC(2026, 11, 5, 13, 1, 0));
  assert.deepEqual(second.map((t) => [t.params, t.metric]), first.map((t) => [t.params, t.metric]));
  fs.rmSync(dir, { recursive: true });
});

test('ASHA with TPE sampling: new configurations proposed from those that finished a rung, rungs and pruning as with random', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-tpe-asha-'));
  fs.writeFileSync(path.join(dir, 'adding.seqmodel.json'), JSON.stringify(tinyAddingSpec({ epochs: 2 }), null, 2));
  const sweepPath = path.join(dir, 'tiny.seqsweep.json');
  const text = JSON.stringify({
    spec: 'adding.seqmodel.json', method: 'asha', sampler: 'tpe', trials: 6, samplerSeed: 2, tpe: { startupTrials: 3 },
    asha: { reductionFactor: 2, minEpochs: 1, maxEpochs: 2 }, parameters: { [LR]: { min: 0.001, max: 0.1, distribution: 'log-uniform' } },
  });
  const analysis = analyzeSweep(text, { sweepPath, readSpec: (p) => fs.readFileSync(p, 'utf8') });
  assert.deepEqual(analysis.diagnostics, []);
  const sweep = analysis.sweep!;
  const sweepDir = createSweepFolder(nodeRunIo, sweep, planTrials(sweep), new Date(Date.UTC(2026, 11, 5, 13, 0, 0)));
  const outcome = await runSweep({ dir: sweepDir, sweep, baseSpecText: analysis.baseSpecText!, io: nodeRunIo, launcher: inProcessLauncher(), parallel: 1 });
  const trials = outcome.state.trials;
  const planned = planTrials(sweep);
  assert.deepEqual(trials.map((t) => t.sampler), ['random', 'random', 'random', 'tpe', 'tpe', 'tpe']);
  for (const t of trials.slice(3)) assert.notDeepEqual(t.params, planned[Number(t.id.slice(1))].params);
  // η 2 over 6 configurations, one slot: ⌊6/2⌋ = 3 reach the last rung, the others are pruned after 1 epoch.
  assert.deepEqual(trials.map((t) => t.status).sort(), ['completed', 'completed', 'completed', 'pruned', 'pruned', 'pruned']);
  for (const t of trials) {
    const lines = fs.readFileSync(path.join(sweepDir, t.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, t.status === 'pruned' ? 1 : 2);
    assert.equal(JSON.parse(fs.readFileSync(path.join(sweepDir, t.runDir, 'spec.json'), 'utf8')).training.optimizer.lr, t.params[LR]);
  }
  fs.rmSync(dir, { recursive: true });
});
