import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRecord } from './runRecords';
import { buildRunsTable, runCurve, runsTableScopes, scopeOfRun, sourcesOfScope, type TableSource } from './runsTableData';
import type { RunEntry, SweepEntry } from './runsTreeModel';

function record(name: string, spec: Record<string, unknown>, losses: number[], extra: Partial<RunRecord> = {}): RunRecord {
  return {
    runDir: `/w/.seqlab/runs/${name}`, name, startedAt: 0, specName: String(spec.name), spec, lastWrite: 0, hasCheckpoint: true,
    epochs: losses.map((validationLoss, i) => ({
      epoch: i + 1, step: (i + 1) * 10, trainLoss: validationLoss + 1, validationLoss, metrics: { rmse: Math.sqrt(validationLoss) },
      best: i === 0 || validationLoss < Math.min(...losses.slice(0, i)), seconds: 2,
    })),
    ...extra,
  };
}

const spec = (cell: string, seed: number) => ({ name: 'adding', model: { encoder: { cell, hiddenSize: 64 } }, training: { seed, batchSize: 8, epochs: 3 } });

test('the table has a column per varied spec path, a configuration key without the seed, and final, best and test figures', () => {
  const sources: TableSource[] = [
    { record: record('a', spec('lstm', 1), [0.5, 0.2, 0.3], { report: { status: 'completed', bestValidationLoss: 0.2, bestEpoch: 2, epochs: 3, steps: 30, seconds: 6, finalMetrics: {}, test: { loss: 0.25, metrics: { rmse: 0.5 } } } }), status: 'completed' },
    { record: record('b', spec('lstm', 2), [0.4]), status: 'running' },
    { record: record('c', spec('gru', 1), [0.6, 0.1]), status: 'completed' },
  ];
  const table = buildRunsTable([], 'spec:adding', sources);
  assert.deepEqual(table.parameters, ['model.encoder.cell', 'training.seed']);
  assert.deepEqual(table.metrics, ['loss', 'rmse']);
  const [a, b, c] = table.rows;
  assert.deepEqual(a.params, { 'model.encoder.cell': 'lstm', 'training.seed': 1 });
  assert.equal(a.seed, 1);
  assert.equal(a.configKey, b.configKey, 'two seeds of one configuration share its key');
  assert.notEqual(a.configKey, c.configKey);
  assert.deepEqual(a.final, { loss: 0.3, rmse: Math.sqrt(0.3) }, 'final: the last epoch');
  assert.deepEqual(a.best, { loss: 0.2, rmse: Math.sqrt(0.2) }, 'best: the last epoch the trainer marked best');
  assert.deepEqual(a.test, { loss: 0.25, rmse: 0.5 });
  assert.equal(a.seconds, 6);
  assert.equal(a.samplesPerSecond, (30 * 8) / 6, 'steps × batch size / seconds');
  assert.equal(b.seconds, 2, 'a running run: the seconds of its epochs so far');
  assert.deepEqual(b.test, {});
});

test('a run\'s curves are its metrics.jsonl values per epoch', () => {
  const curve = runCurve(record('a', spec('lstm', 1), [0.5, 0.2]));
  assert.deepEqual(curve.epochs, [1, 2]);
  assert.deepEqual(curve.series.loss, [0.5, 0.2]);
  assert.deepEqual(curve.series['train loss'], [1.5, 1.2]);
  assert.deepEqual(curve.series.rmse, [Math.sqrt(0.5), Math.sqrt(0.2)]);
});

test('scopes: sweeps first, then specs by their latest run; a trial belongs to its sweep, with the sweep\'s key', () => {
  const runs: RunEntry[] = [
    { record: { ...record('s1', { name: 'sine' }, []), startedAt: 10 }, status: 'completed' },
    { record: { ...record('a1', { name: 'adding' }, []), startedAt: 20 }, status: 'completed' },
    { record: { ...record('s2', { name: 'sine' }, []), startedAt: 5 }, status: 'completed' },
  ];
  const trialRecord = record('t000', spec('rnn', 1), [0.3]);
  const sweeps: SweepEntry[] = [{
    dir: '/w/.seqlab/sweeps/cells-1', name: 'cells', trials: [
      { id: 't000', params: { 'model.encoder.cell': 'rnn' }, seed: 1, configKey: 'cell=rnn', status: 'completed', metric: 0.3, runDir: trialRecord.runDir, record: trialRecord },
      { id: 't001', params: { 'model.encoder.cell': 'gru' }, seed: 1, configKey: 'cell=gru', status: 'pending', metric: null, runDir: '/w/.seqlab/sweeps/cells-1/trials/t001' },
    ],
  }];
  assert.deepEqual(runsTableScopes(runs, sweeps).map((scope) => scope.label), ['sweep cells (2 trials)', 'adding (1 run)', 'sine (2 runs)']);
  assert.equal(scopeOfRun('/w/.seqlab/runs/s2', runs, sweeps), 'spec:sine');
  assert.equal(scopeOfRun(trialRecord.runDir, runs, sweeps), 'sweep:/w/.seqlab/sweeps/cells-1');
  assert.deepEqual(sourcesOfScope('spec:sine', runs, sweeps).map((source) => source.record?.name), ['s1', 's2']);
  const trials = sourcesOfScope('sweep:/w/.seqlab/sweeps/cells-1', runs, sweeps);
  assert.deepEqual(trials.map((source) => source.trial?.id), ['t000', 't001'], 'every planned trial, started or not');
  const table = buildRunsTable([], 'x', trials);
  assert.equal(table.rows[0].configKey, 'cell=rnn');
  assert.equal(table.rows[0].name, 'cells / t000');
  // The queued trial: its planned parameter in the varied column (one trial started is not enough to vary), no figures.
  assert.deepEqual(table.parameters, ['model.encoder.cell']);
  const queued = table.rows[1];
  assert.deepEqual([queued.id, queued.name, queued.specName, queued.status, queued.params, queued.seed, queued.configKey], [
    '/w/.seqlab/sweeps/cells-1/trials/t001', 'cells / t001', 'adding', 'pending', { 'model.encoder.cell': 'gru' }, 1, 'cell=gru',
  ]);
  assert.deepEqual([queued.epochs, queued.final, queued.best, queued.test, queued.seconds, queued.samplesPerSecond], [0, {}, {}, {}, null, null]);
});

test('a sweep\'s table has every planned trial from the start: its varied parameters and seeds are columns before any trial runs', () => {
  const dir = '/w/.seqlab/sweeps/lr-1';
  const planned = (id: string, lr: number, seed: number) => ({
    id, params: { 'training.optimizer.lr': lr, 'model.encoder.cell': 'gru' }, seed, configKey: `lr=${lr}`, status: 'pending' as const, metric: null, runDir: `${dir}/trials/${id}`,
  });
  const sweeps: SweepEntry[] = [{ dir, name: 'lr', baseSpec: '/w/forecaster.seqmodel.json', trials: [planned('t000', 0.01, 1), planned('t001', 0.001, 1), planned('t002', 0.01, 2), planned('t003', 0.001, 2)] }];
  const table = buildRunsTable([], `sweep:${dir}`, sourcesOfScope(`sweep:${dir}`, [], sweeps));
  assert.deepEqual(table.parameters, ['training.optimizer.lr', 'training.seed'], 'a parameter with one value does not vary');
  assert.deepEqual(table.rows.map((row) => [row.name, row.status, row.params['training.optimizer.lr'], row.params['training.seed'], row.specName]), [
    ['lr / t000', 'pending', 0.01, 1, 'forecaster'], ['lr / t001', 'pending', 0.001, 1, 'forecaster'],
    ['lr / t002', 'pending', 0.01, 2, 'forecaster'], ['lr / t003', 'pending', 0.001, 2, 'forecaster'],
  ]);
  // t001 starts (pruned later by ASHA): the same row, now from its run folder, with the same columns.
  const started = record('t001', { name: 'forecaster', model: { encoder: { cell: 'gru' } }, training: { seed: 1, optimizer: { lr: 0.001 } } }, [0.4]);
  sweeps[0].trials[1] = { ...sweeps[0].trials[1], status: 'pruned', record: { ...started, runDir: `${dir}/trials/t001` } };
  const later = buildRunsTable([], `sweep:${dir}`, sourcesOfScope(`sweep:${dir}`, [], sweeps));
  assert.deepEqual(later.parameters, table.parameters);
  assert.deepEqual(later.rows.map((row) => [row.id, row.status, row.epochs, row.best.loss]), [
    [`${dir}/trials/t000`, 'pending', 0, undefined], [`${dir}/trials/t001`, 'pruned', 1, 0.4], [`${dir}/trials/t002`, 'pending', 0, undefined], [`${dir}/trials/t003`, 'pending', 0, undefined],
  ]);
});

test('a seed given on the command line (in report.json, not spec.json) is the run\'s seed in the table', () => {
  const report = (seed: number) => ({ status: 'completed', bestValidationLoss: 0.1, bestEpoch: 1, epochs: 1, steps: 10, seconds: 1, finalMetrics: {}, seed });
  const table = buildRunsTable([], 'spec:adding', [
    { record: record('a', spec('lstm', 1), [0.1], { report: report(1) }), status: 'completed' },
    { record: record('b', spec('lstm', 1), [0.2], { report: report(2) }), status: 'completed' },
  ]);
  assert.deepEqual(table.parameters, ['training.seed']);
  assert.deepEqual(table.rows.map((row) => row.seed), [1, 2]);
  assert.equal(table.rows[0].configKey, table.rows[1].configKey);
});
