import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeRunIo } from '../train/runIo';
import { writeJson } from '../train/runFolder';
import { writeSweepState, type ResolvedSweep, type SweepTrial } from '../train/sweeps/sweepFolder';
import { RUNNING_IF_WRITTEN_WITHIN_MS, RunRecordReader } from './runRecords';
import { buildRunsTable, runsTableScopes, sourcesOfScope } from './runsTableData';
import { buildRunsTree } from './runsTreeModel';
import { readSweepEntries } from './sweepEntries';

test('a sweep folder becomes a sweep of trials: statuses from state and run folders, figures from the trials\' runs', () => {
  const root = mkdtempSync(join(tmpdir(), 'seqlab-sweep-entries-'));
  try {
    const dir = join(root, '.seqlab', 'sweeps', 'cells-20261205-130000');
    const sweep: ResolvedSweep = {
      name: 'cells', sweepFile: join(root, 'cells.seqsweep.json'), baseSpec: join(root, 'adding.seqmodel.json'), method: 'grid',
      metric: { name: 'loss', direction: 'minimize' }, parameters: { 'model.encoder.cell': { values: ['rnn', 'lstm', 'gru'] } },
      seeds: [1], trials: 3, samplerSeed: 0, maxConcurrent: 2,
    };
    mkdirSync(dir, { recursive: true });
    writeJson(nodeRunIo, join(dir, 'sweep.json'), sweep);
    const trial = (id: string, cell: string, status: SweepTrial['status'], metric: number | null): SweepTrial => ({
      id, params: { 'model.encoder.cell': cell }, seed: 1, configKey: `model.encoder.cell="${cell}"`, status, runDir: `trials/${id}`, rung: 0, metric,
    });
    writeSweepState(nodeRunIo, dir, { version: 1, trials: [trial('t000', 'rnn', 'completed', 0.17), trial('t001', 'lstm', 'running', 0.02), trial('t002', 'gru', 'pending', null)] });
    const addRun = (id: string, cell: string, report: object | undefined) => {
      const runDir = join(dir, 'trials', id);
      mkdirSync(runDir, { recursive: true });
      writeFileSync(join(runDir, 'spec.json'), JSON.stringify({ name: 'adding', model: { encoder: { cell } }, training: { seed: 1, batchSize: 4 } }));
      writeFileSync(join(runDir, 'metrics.jsonl'), `${JSON.stringify({ epoch: 1, step: 5, trainLoss: 0.3, validationLoss: 0.2, metrics: {}, best: true, lr: 0.01, seconds: 1 })}\n`);
      if (report) writeFileSync(join(runDir, 'report.json'), JSON.stringify(report));
      return runDir;
    };
    addRun('t000', 'rnn', { status: 'completed', bestValidationLoss: 0.2, bestEpoch: 1, epochs: 1, steps: 5, seconds: 1, finalMetrics: {} });
    const stale = addRun('t001', 'lstm', undefined);
    const now = Date.now();
    const entries = readSweepEntries(root, new RunRecordReader(), new Map(), now);
    assert.equal(entries.length, 1);
    const [entry] = entries;
    assert.equal(entry.name, 'cells');
    assert.equal(entry.baseSpec, sweep.baseSpec);
    assert.deepEqual(entry.trials.map((t) => [t.id, t.status, t.record !== undefined]), [['t000', 'completed', true], ['t001', 'running', true], ['t002', 'pending', false]]);
    assert.equal(entry.trials[0].runDir, join(dir, 'trials', 't000'));

    // The sweep was killed: its state still says running, but the trial has not written for long.
    const old = new Date(now - RUNNING_IF_WRITTEN_WITHIN_MS - 60_000);
    for (const file of ['spec.json', 'metrics.jsonl']) utimesSync(join(stale, file), old, old);
    assert.equal(readSweepEntries(root, new RunRecordReader(), new Map(), now)[0].trials[1].status, 'interrupted');
    // Trained by this window: running whatever the files say.
    assert.equal(readSweepEntries(root, new RunRecordReader(), new Map([[stale, 'run-3']]), now)[0].trials[1].status, 'running');

    const [node] = buildRunsTree([], entries);
    assert.equal(node.label, 'cells');
    assert.equal(node.description, 'running · 1/3 trials · 1 running · best loss 0.02');
    const scope = runsTableScopes([], entries)[0];
    const table = buildRunsTable([scope], scope.id, sourcesOfScope(scope.id, [], entries), entry.metric);
    assert.deepEqual(table.parameters, ['model.encoder.cell']);
    assert.deepEqual(table.rows.map((row) => [row.name, row.status, row.params['model.encoder.cell'], row.configKey]), [
      ['cells / t000', 'completed', 'rnn', 'model.encoder.cell="rnn"'], ['cells / t001', 'running', 'lstm', 'model.encoder.cell="lstm"'],
      ['cells / t002', 'pending', 'gru', 'model.encoder.cell="gru"'],
    ]);
    assert.deepEqual(table.objective, { name: 'loss', direction: 'minimize' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a TPE sweep\'s queued trials past its random start-up have no parameters to show yet: TPE proposes them as they start', () => {
  const root = mkdtempSync(join(tmpdir(), 'seqlab-sweep-tpe-'));
  try {
    const dir = join(root, '.seqlab', 'sweeps', 'lr-20261205-130000');
    const sweep: ResolvedSweep = {
      name: 'lr', sweepFile: join(root, 'lr.seqsweep.json'), baseSpec: join(root, 'adding.seqmodel.json'), method: 'tpe',
      metric: { name: 'loss', direction: 'minimize' }, parameters: { 'training.optimizer.lr': { min: 0.0001, max: 0.1, distribution: 'log-uniform' } },
      seeds: [1], trials: 4, samplerSeed: 0, maxConcurrent: 1, tpe: { startupTrials: 2, gamma: 0.25, candidates: 24, priorWeight: 1 },
    };
    mkdirSync(dir, { recursive: true });
    writeJson(nodeRunIo, join(dir, 'sweep.json'), sweep);
    const trial = (id: string, lr: number, status: SweepTrial['status'], sampler?: 'random' | 'tpe'): SweepTrial => ({
      id, params: { 'training.optimizer.lr': lr }, seed: 1, configKey: `lr=${lr}`, status, runDir: `trials/${id}`, rung: 0, metric: null, ...(sampler ? { sampler } : {}),
    });
    writeSweepState(nodeRunIo, dir, { version: 1, trials: [trial('t000', 0.01, 'running', 'random'), trial('t001', 0.002, 'pending'), trial('t002', 0.03, 'pending'), trial('t003', 0.0004, 'pending')] });
    const [entry] = readSweepEntries(root, new RunRecordReader(), new Map(), Date.now());
    assert.deepEqual(entry.trials.map((t) => t.awaitsProposal === true), [false, false, true, true], 'start-up trials keep their random draw');
    const scope = runsTableScopes([], [entry])[0];
    const table = buildRunsTable([scope], scope.id, sourcesOfScope(scope.id, [], [entry]));
    assert.deepEqual(table.parameters, ['training.optimizer.lr']);
    assert.deepEqual(table.rows.map((row) => [row.status, row.params['training.optimizer.lr']]), [['running', 0.01], ['pending', 0.002], ['pending', undefined], ['pending', undefined]]);
    const [node] = buildRunsTree([], [entry]);
    assert.deepEqual((node.kind === 'sweep' ? node.children : []).map((child) => child.label), [
      't000 lr=0.01', 't001 lr=0.002', 't002 parameters proposed by TPE when it starts', 't003 parameters proposed by TPE when it starts',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a workspace without sweeps has none', () => {
  const root = mkdtempSync(join(tmpdir(), 'seqlab-no-sweeps-'));
  try {
    assert.deepEqual(readSweepEntries(root, new RunRecordReader(), new Map(), Date.now()), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
