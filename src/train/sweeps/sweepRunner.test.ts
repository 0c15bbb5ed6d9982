// The sweep runner on tiny real trainings (in this thread): every trial an ordinary run folder, state.json
// consistent, ASHA rungs that continue runs exactly, and a stopped sweep that resumes without recounting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeRunIo } from '../runIo';
import { tinyAddingSpec } from '../testing/tinyRuns';
import { runOutcome } from '../testing/runFolderChecks';
import { analyzeSweep } from './sweepFile';
import { planTrials, trialSpecText } from './trialPlan';
import { createSweepFolder, runSweep } from './sweepRunner';
import { inProcessLauncher } from './trialLaunchers';
import { readSweepFolder } from './sweepFolder';
import { runTrial } from './trialRun';
import { RunControl } from '../runControl';

function setUp(sweepJson: object, specOverrides = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-sweep-'));
  const specPath = path.join(dir, 'adding.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify({ ...tinyAddingSpec(), ...specOverrides }, null, 2));
  const sweepPath = path.join(dir, 'tiny.seqsweep.json');
  const analysis = analyzeSweep(JSON.stringify({ spec: 'adding.seqmodel.json', ...sweepJson }), { sweepPath, readSpec: (p) => fs.readFileSync(p, 'utf8') });
  assert.deepEqual(analysis.diagnostics, []);
  const sweep = analysis.sweep!;
  const sweepDir = createSweepFolder(nodeRunIo, sweep, planTrials(sweep), new Date(Date.UTC(2026, 11, 5, 13, 0, 0)));
  return { dir, sweep, sweepDir, baseSpecText: analysis.baseSpecText!, specPath };
}

test('a grid sweep: every trial completes as an ordinary run folder, metrics recorded, state on disk', async () => {
  const { dir, sweep, sweepDir, baseSpecText } = setUp({ parameters: { 'model.encoder.cell': { values: ['rnn', 'gru'] } }, seeds: 2 });
  assert.equal(path.relative(dir, sweepDir), path.join('.seqlab', 'sweeps', 'tiny-20261205-130000'));
  const outcome = await runSweep({ dir: sweepDir, sweep, baseSpecText, io: nodeRunIo, launcher: inProcessLauncher(), parallel: 2 });
  assert.ok(outcome.finished);
  const onDisk = readSweepFolder(sweepDir, nodeRunIo);
  assert.deepEqual(onDisk.problems, []);
  assert.deepEqual(onDisk.state, outcome.state);
  for (const trial of onDisk.state.trials) {
    assert.equal(trial.status, 'completed');
    const report = JSON.parse(fs.readFileSync(path.join(sweepDir, trial.runDir, 'report.json'), 'utf8'));
    assert.equal(report.status, 'completed');
    const lines = fs.readFileSync(path.join(sweepDir, trial.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(trial.metric, Math.min(...lines.map((l) => l.validationLoss)), 'the best validation loss over the epochs');
    const spec = JSON.parse(fs.readFileSync(path.join(sweepDir, trial.runDir, 'spec.json'), 'utf8'));
    assert.equal(spec.model.encoder.cell, trial.params['model.encoder.cell']);
    assert.equal(spec.training.seed, trial.seed);
  }
  fs.rmSync(dir, { recursive: true });
});

test('ASHA: rungs of 1, 2, 4 epochs; the best half goes up; a promoted trial ends exactly as a straight run', async () => {
  const { dir, sweep, sweepDir, baseSpecText, specPath } = setUp({
    method: 'asha', trials: 6, samplerSeed: 3, parameters: { 'training.optimizer.lr': { min: 0.0005, max: 0.05, distribution: 'log-uniform' } },
    asha: { reductionFactor: 2, minEpochs: 1, maxEpochs: 4 },
  }, { training: { ...tinyAddingSpec().training, epochs: 4 } });
  const outcome = await runSweep({ dir: sweepDir, sweep, baseSpecText, io: nodeRunIo, launcher: inProcessLauncher(), parallel: 1 });
  const trials = outcome.state.trials;
  const epochsOf = (t: (typeof trials)[number]) => fs.readFileSync(path.join(sweepDir, t.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').length;
  const byRung = [0, 1, 2].map((rung) => trials.filter((t) => t.rung === rung));
  // One slot: each rung fills one trial at a time; with 6 trials ⌊6/2⌋ = 3 reach rung 1 and ⌊3/2⌋ = 1 rung 2.
  assert.deepEqual(byRung.map((r) => r.length), [3, 2, 1]);
  for (const t of byRung[0]) assert.equal(epochsOf(t), 1);
  for (const t of byRung[1]) assert.equal(epochsOf(t), 2);
  assert.equal(epochsOf(byRung[2][0]), 4);
  assert.deepEqual(trials.map((t) => t.status).sort(), ['completed', 'pruned', 'pruned', 'pruned', 'pruned', 'pruned']);
  assert.equal(byRung[2][0].status, 'completed');
  // The winner's rung-1 value was the best of rung 1: promotion went by the metric.
  const rung1Value = (t: (typeof trials)[number]) => {
    const lines = fs.readFileSync(path.join(sweepDir, t.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    return Math.min(...lines.filter((l) => l.epoch <= 2).map((l) => l.validationLoss));
  };
  assert.ok(byRung[1].every((t) => rung1Value(byRung[2][0]) <= rung1Value(t)));
  // Stopped at 1 and 2 epochs and continued: the same checkpoint as 4 epochs in one go.
  const straight = path.join(dir, 'straight');
  const winner = byRung[2][0];
  const result = await runTrial({ type: 'trial', specPath, specText: trialSpecText(sweep, baseSpecText, winner), runDir: straight, resume: false }, new RunControl(), () => {});
  assert.equal(result.finished.status, 'completed');
  assert.ok(Buffer.compare(runOutcome(straight).checkpoint, runOutcome(path.join(sweepDir, winner.runDir)).checkpoint) === 0, 'the rungs changed the training');
  fs.rmSync(dir, { recursive: true });
});

test('ASHA over seeds: the seeds of a configuration start together, reach the same rung and share their fate', async () => {
  const { dir, sweep, sweepDir, baseSpecText } = setUp({
    method: 'asha', trials: 4, seeds: 2, samplerSeed: 5, parameters: { 'training.optimizer.lr': { min: 0.0005, max: 0.05, distribution: 'log-uniform' } },
    asha: { reductionFactor: 2, minEpochs: 1, maxEpochs: 4 },
  }, { training: { ...tinyAddingSpec().training, epochs: 4 } });
  const started: string[] = [];
  const outcome = await runSweep({
    dir: sweepDir, sweep, baseSpecText, io: nodeRunIo, launcher: inProcessLauncher(), parallel: 1,
    onProgress: ({ trial, event }) => { if (event?.type === 'runStarted' && trial.rung === 0) started.push(trial.configKey); },
  });
  assert.ok(outcome.finished);
  // Planned seed by seed; started configuration by configuration.
  assert.deepEqual(started.filter((_, i) => i % 2 === 1), started.filter((_, i) => i % 2 === 0));
  const groups = new Map<string, typeof outcome.state.trials>();
  for (const t of outcome.state.trials) groups.set(t.configKey, [...(groups.get(t.configKey) ?? []), t]);
  assert.equal(groups.size, 4);
  for (const [key, members] of groups) {
    assert.equal(members.length, 2);
    assert.deepEqual(members.map((m) => [m.rung, m.status]), [[members[0].rung, members[0].status], [members[0].rung, members[0].status]], key);
  }
  // One slot, four configurations: ⌊4/2⌋ = 2 go to rung 1, ⌊2/2⌋ = 1 to rung 2; the rest pruned whole.
  assert.deepEqual([...groups.values()].map((m) => m[0].rung).sort(), [0, 0, 1, 2]);
  // The rung-1 configurations were the best two by their mean at rung 0.
  const meanAtRung0 = (members: typeof outcome.state.trials) => members.reduce((s, t) => {
    const lines = fs.readFileSync(path.join(sweepDir, t.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    return s + lines[0].validationLoss / members.length;
  }, 0);
  const ranked = [...groups.values()].sort((a, b) => meanAtRung0(a) - meanAtRung0(b));
  assert.deepEqual(ranked.map((m) => m[0].rung > 0), [true, true, false, false]);
  fs.rmSync(dir, { recursive: true });
});

test('a sweep stopped midway resumes: finished trials untouched, the interrupted one continues, each trial trained once', async () => {
  const { dir, sweep, sweepDir, baseSpecText } = setUp({ parameters: { 'model.encoder.cell': { values: ['rnn', 'lstm', 'gru'] } } });
  let stop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (stop = resolve));
  let epochs = 0;
  const first = await runSweep({
    dir: sweepDir, sweep, baseSpecText, io: nodeRunIo, launcher: inProcessLauncher(), parallel: 1, stopRequested,
    onProgress: ({ event }) => { if (event?.type === 'epoch' && ++epochs === 4) stop(); }, // inside the second trial
  });
  assert.equal(first.finished, false);
  assert.deepEqual(first.state.trials.map((t) => t.status), ['completed', 'running', 'pending']);
  const firstTrialReport = fs.readFileSync(path.join(sweepDir, 'trials/t000/report.json'), 'utf8');
  // Its epochs before the stop (with their timings) stay as they are when it continues; a restart rewrites them.
  const interruptedEpochs = fs.readFileSync(path.join(sweepDir, 'trials/t001/metrics.jsonl'), 'utf8');
  assert.ok(interruptedEpochs.length > 0);
  const started: string[] = [];
  const second = await runSweep({
    dir: sweepDir, sweep, baseSpecText, io: nodeRunIo, launcher: inProcessLauncher(), parallel: 1,
    onProgress: ({ trial, event }) => { if (event?.type === 'runStarted') started.push(trial.id); },
  });
  assert.ok(second.finished);
  assert.deepEqual(started, ['t001', 't002'], 'the finished trial is not run again');
  assert.equal(fs.readFileSync(path.join(sweepDir, 'trials/t000/report.json'), 'utf8'), firstTrialReport);
  assert.ok(fs.readFileSync(path.join(sweepDir, 'trials/t001/metrics.jsonl'), 'utf8').startsWith(interruptedEpochs), 't001 continued its checkpoint');
  for (const t of second.state.trials) {
    const lines = fs.readFileSync(path.join(sweepDir, t.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.epoch), [1, 2, 3], `${t.id}: every epoch once`);
    assert.equal(t.status, 'completed');
  }
  fs.rmSync(dir, { recursive: true });
});
