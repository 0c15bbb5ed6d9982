// `seqlab runs`: runs and sweep trials from their folders (written by hand here), sorted, with seed groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from './commands';
import { configKey, writeSweepState } from '../train/sweeps/sweepFolder';
import { nodeRunIo } from '../train/runIo';

function writeRun(dir: string, cell: string, mses: number[], bestEpoch: number, test?: number) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({ name: 'adding', training: { batchSize: 10 }, model: { encoder: { cell } } }));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), mses.map((mse, i) => JSON.stringify({ epoch: i + 1, validationLoss: mse, metrics: { mse } })).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify({ status: 'completed', bestEpoch, seconds: 20, steps: 100, ...(test !== undefined ? { test: { loss: test, metrics: { mse: test } } } : {}) }));
}

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false });
  return { code, stdout, stderr };
}

test('seqlab runs lists runs and trials with parameters, final/best/test, time and samples/s; --sort puts the best first', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-runs-'));
  writeRun(path.join(root, '.seqlab', 'runs', 'adding-20261205-100000'), 'lstm', [0.2, 0.05, 0.08], 2, 0.06);
  const sweepDir = path.join(root, 'sub', '.seqlab', 'sweeps', 'cells-20261205-110000');
  const trials = [['rnn', 1, [0.17, 0.16]], ['rnn', 2, [0.18, 0.15]], ['gru', 1, [0.1, 0.01]], ['gru', 2, [0.1, 0.03]]] as const;
  trials.forEach(([cell, , mses], i) => writeRun(path.join(sweepDir, 'trials', `t00${i}`), cell, [...mses], 2));
  fs.writeFileSync(path.join(sweepDir, 'sweep.json'), '{}');
  writeSweepState(nodeRunIo, sweepDir, {
    version: 1,
    trials: trials.map(([cell, seed, mses], i) => ({ id: `t00${i}`, params: { 'model.encoder.cell': cell }, seed, configKey: configKey({ 'model.encoder.cell': cell }), status: 'completed', runDir: `trials/t00${i}`, rung: 0, metric: Math.min(...mses) })),
  });
  const { code, stdout } = await run(['runs', root, '--sort', 'mse']);
  assert.equal(code, 0);
  const lines = stdout.split('\n');
  assert.match(lines[0], /^run\s+cell\s+seed\s+status\s+epochs\s+final mse\s+best mse\s+test mse\s+time\s+samples\/s$/);
  const rows = lines.slice(2, 7).map((l) => l.split(/\s+/));
  assert.deepEqual(rows.map((r) => r[0]), ['cells-20261205-110000/t002', 'cells-20261205-110000/t003', 'adding-20261205-100000', 'cells-20261205-110000/t001', 'cells-20261205-110000/t000']);
  assert.deepEqual(lines[4].split(/\s+/), ['adding-20261205-100000', 'completed', '3', '0.08', '0.05', '0.06', '0:20', '50']);
  assert.deepEqual(lines[2].split(/\s+/), ['cells-20261205-110000/t002', 'gru', '1', 'completed', '2', '0.01', '0.01', '0:20', '50']);
  const groups = stdout.slice(stdout.indexOf('over seeds'));
  assert.match(groups, /\nrnn\s+2\s+0\.155 ± 0\.00707\s*\n/);
  assert.match(groups, /\ngru\s+2\s+0\.02 ± 0\.0141\s*\n/);
  const json = await run(['runs', sweepDir, '--json']);
  assert.deepEqual(json.stdout.trim().split('\n').map((l) => JSON.parse(l).params['model.encoder.cell']), ['rnn', 'rnn', 'gru', 'gru']);
  fs.rmSync(root, { recursive: true });
});

test('seqlab runs on a missing folder is bad input (exit 2)', async () => {
  const { code, stderr } = await run(['runs', '/no/such/folder']);
  assert.equal(code, 2);
  assert.match(stderr, /no such folder/);
});
