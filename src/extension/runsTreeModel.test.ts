import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUNNING_IF_WRITTEN_WITHIN_MS, RunRecordReader, runStatus, type RunRecord } from './runRecords';
import { buildRunsTree, runDescription, sweepStatus, type RunEntry, type SweepEntry, type TrialEntry } from './runsTreeModel';

const epochLine = (epoch: number, validationLoss: number, best: boolean) =>
  JSON.stringify({ epoch, step: epoch * 10, trainLoss: validationLoss * 1.2, validationLoss, metrics: { rmse: Math.sqrt(validationLoss) }, best, lr: 0.01, seconds: 1.5 });

function workspaceWithRuns(): string {
  const root = mkdtempSync(join(tmpdir(), 'seqlab-runs-tree-'));
  const add = (name: string, spec: object, files: Record<string, string>) => {
    const dir = join(root, '.seqlab', 'runs', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  };
  const sine = { name: 'sine', training: { epochs: 10 } };
  add('sine-20261205-100000', sine, {
    'metrics.jsonl': [epochLine(1, 0.2, true), epochLine(2, 0.05, true), epochLine(3, 0.07, false)].join('\n') + '\n',
    'report.json': JSON.stringify({ status: 'completed', bestValidationLoss: 0.05, bestEpoch: 2, epochs: 3, steps: 30, seconds: 4.5, finalMetrics: { rmse: 0.26 }, test: { loss: 'NaN', metrics: { rmse: 0.3 } } }),
    'model.safetensors': 'x',
  });
  add('sine-20261205-110000', sine, { 'metrics.jsonl': `${epochLine(1, 0.3, true)}\n{ torn line`, 'model.safetensors': 'x' });
  add('adding-20261205-090000', { name: 'adding' }, { 'report.json': JSON.stringify({ status: 'diverged', bestValidationLoss: 'NaN' }) });
  mkdirSync(join(root, '.seqlab', 'runs', 'not-a-run'), { recursive: true });
  return root;
}

test('run folders are read with their epochs, report and checkpoint; torn lines and NaN strings are survived', () => {
  const root = workspaceWithRuns();
  try {
    const records = new RunRecordReader().readRunsUnder(root);
    assert.deepEqual(records.map((record) => record.name), ['sine-20261205-110000', 'sine-20261205-100000', 'adding-20261205-090000']);
    const [live, done, diverged] = records;
    assert.deepEqual(live.epochs.map((epoch) => epoch.validationLoss), [0.3], 'the torn last line is skipped');
    assert.equal(live.report, undefined);
    assert.equal(live.hasCheckpoint, true);
    assert.equal(done.report?.status, 'completed');
    assert.ok(Number.isNaN(done.report?.test?.loss));
    assert.equal(done.report?.test?.metrics.rmse, 0.3);
    assert.deepEqual(done.epochs.map((epoch) => epoch.best), [true, true, false]);
    assert.ok(Number.isNaN(diverged.report?.bestValidationLoss));
    assert.equal(diverged.hasCheckpoint, false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the reader re-reads a file only when it changed', () => {
  const root = workspaceWithRuns();
  try {
    const reader = new RunRecordReader();
    const runDir = join(root, '.seqlab', 'runs', 'sine-20261205-110000');
    assert.equal(reader.readRun(runDir)?.epochs.length, 1);
    writeFileSync(join(runDir, 'metrics.jsonl'), [epochLine(1, 0.3, true), epochLine(2, 0.1, true)].join('\n'));
    utimesSync(join(runDir, 'metrics.jsonl'), new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(reader.readRun(runDir)?.epochs.map((epoch) => epoch.validationLoss), [0.3, 0.1]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('status: the report says how a run ended; without one, live or recently written means running', () => {
  const now = 1_000_000_000;
  const reported = { report: { status: 'early-stopped' } as RunRecord['report'], lastWrite: 0 };
  assert.equal(runStatus(reported, { nowMs: now }), 'early-stopped');
  assert.equal(runStatus({ ...reported, report: { ...reported.report!, status: 'completed' } }, { nowMs: now, sweepStatus: 'pruned' }), 'pruned');
  assert.equal(runStatus({ lastWrite: 0 }, { nowMs: now, live: true }), 'running');
  assert.equal(runStatus({ lastWrite: now - RUNNING_IF_WRITTEN_WITHIN_MS + 1 }, { nowMs: now }), 'running');
  assert.equal(runStatus({ lastWrite: now - RUNNING_IF_WRITTEN_WITHIN_MS - 1 }, { nowMs: now }), 'interrupted');
  assert.equal(runStatus({ lastWrite: 0 }, { nowMs: now, sweepStatus: 'pending' }), 'pending');
});

function record(name: string, specName: string, startedAt: number, validationLosses: number[], extra: Partial<RunRecord> = {}): RunRecord {
  return {
    runDir: `/w/.seqlab/runs/${name}`, name, startedAt, specName, spec: { name: specName, training: { epochs: 10 } }, lastWrite: startedAt,
    hasCheckpoint: true, epochs: validationLosses.map((validationLoss, i) => ({ epoch: i + 1, step: i, trainLoss: 1, validationLoss, metrics: {}, best: false, seconds: 1 })),
    ...extra,
  };
}

test('the tree groups runs under their spec, newest spec first, with status, key metric and actions', () => {
  const runs: RunEntry[] = [
    { record: record('sine-a', 'sine', 100, [0.5, 0.25]), status: 'completed' },
    { record: record('adding-a', 'adding', 300, [0.17]), status: 'running', liveRunId: 'run-4' },
    { record: record('sine-b', 'sine', 200, [0.4]), status: 'interrupted' },
    { record: record('adding-b', 'adding', 50, [], { hasCheckpoint: false }), status: 'failed' },
  ];
  const tree = buildRunsTree(runs, []);
  assert.deepEqual(tree.map((node) => [node.kind, node.label, node.description]), [['spec', 'adding', '2 runs · 1 running'], ['spec', 'sine', '2 runs']]);
  const [adding, sine] = tree as Extract<(typeof tree)[number], { kind: 'spec' }>[];
  assert.deepEqual(adding.children.map((node) => [node.label, node.description, node.contextValue]), [
    ['adding-a', 'val loss 0.17 · epoch 1/10', 'seqlabRun running live hasWeights'],
    ['adding-b', 'failed', 'seqlabRun failed'],
  ]);
  assert.deepEqual(sine.children.map((node) => [node.label, node.description, node.contextValue]), [
    ['sine-b', 'val loss 0.4', 'seqlabRun interrupted resumable hasWeights'],
    ['sine-a', 'val loss 0.25', 'seqlabRun completed hasWeights'],
  ]);
  assert.equal(sine.children[1].id, '/w/.seqlab/runs/sine-a', 'a run is identified by its folder across refreshes');
});

test('a sweep lists its trials with their parameters, seed and the sweep metric, and its best so far', () => {
  const sweep: SweepEntry = {
    dir: '/w/.seqlab/sweeps/cells-1', name: 'cells', metric: { name: 'rmse', direction: 'minimize' },
    trials: [
      { id: 't000', params: { 'model.encoder.cell': 'rnn' }, seed: 1, configKey: 'c', status: 'completed', metric: 0.4, runDir: '/w/.seqlab/sweeps/cells-1/trials/t000' },
      { id: 't001', params: { 'model.encoder.cell': 'lstm' }, seed: 1, configKey: 'c', status: 'running', metric: 0.12, runDir: '/w/.seqlab/sweeps/cells-1/trials/t001' },
      { id: 't002', params: { 'model.encoder.cell': 'gru' }, seed: 1, configKey: 'c', status: 'pending', metric: null, runDir: '/w/.seqlab/sweeps/cells-1/trials/t002' },
    ],
  };
  const [node] = buildRunsTree([], [sweep]);
  assert.equal(node.kind, 'sweep');
  assert.equal(node.description, 'running · 1/3 trials · 1 running · best rmse 0.12');
  if (node.kind !== 'sweep') return;
  assert.deepEqual(node.children.map((child) => [child.label, child.description, child.status]), [
    ['t000 cell=rnn', 'rmse 0.4 · seed 1', 'completed'],
    ['t001 cell=lstm', 'rmse 0.12 · seed 1', 'running'],
    ['t002 cell=gru', 'queued · seed 1', 'pending'],
  ]);
  assert.deepEqual(node.children.map((child) => child.contextValue), ['seqlabRun completed trial', 'seqlabRun running trial', 'seqlabRun pending trial']);
  const maximize = buildRunsTree([], [{ ...sweep, metric: { name: 'accuracy', direction: 'maximize' } }])[0];
  assert.match(maximize.description, /best accuracy 0\.4$/);
});

test('a run without epochs says its status instead of a metric', () => {
  assert.equal(runDescription(undefined, 'pending'), 'queued');
  assert.equal(runDescription(record('x', 'x', 0, [], { spec: {} }), 'running'), 'epoch 0');
});

test('a sweep says how it stands, and its menu offers Stop, Resume or Delete accordingly', () => {
  const trial = (id: string, status: TrialEntry['status']): TrialEntry => ({ id, params: {}, seed: 1, configKey: 'c', status, metric: null, runDir: `/w/s/trials/${id}` });
  const node = (trials: TrialEntry[], active?: SweepEntry['active']) => {
    const [built] = buildRunsTree([], [{ dir: '/w/s', name: 's', trials, ...(active ? { active } : {}) }]);
    assert.equal(built.kind, 'sweep');
    return built.kind === 'sweep' ? [built.status, built.contextValue, built.description] : [];
  };
  assert.deepEqual(node([trial('t0', 'completed'), trial('t1', 'running'), trial('t2', 'pending')], 'running'), ['running', 'seqlabSweep running live', 'running · 1/3 trials · 1 running']);
  assert.deepEqual(node([trial('t0', 'completed'), trial('t1', 'running')], 'stopping'), ['stopping', 'seqlabSweep stopping', 'stopping · 1/2 trials · 1 running']);
  // Another process trains it (its trial writes): running, but not this window's to stop, and not deletable.
  assert.deepEqual(node([trial('t0', 'running'), trial('t1', 'pending')]), ['running', 'seqlabSweep running', 'running · 0/2 trials · 1 running']);
  assert.deepEqual(node([trial('t0', 'completed'), trial('t1', 'interrupted'), trial('t2', 'pending')]), ['interrupted', 'seqlabSweep interrupted resumable deletable', 'interrupted · 1/3 trials']);
  assert.deepEqual(node([trial('t0', 'completed'), trial('t1', 'pruned'), trial('t2', 'diverged'), trial('t3', 'failed')]), ['finished', 'seqlabSweep finished deletable', 'finished · 4/4 trials']);
  assert.equal(sweepStatus({ trials: [] }), 'interrupted', 'a sweep with no readable trial is not finished');
});
