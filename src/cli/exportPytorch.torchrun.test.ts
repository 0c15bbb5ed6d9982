// The exported train.py runs under torchrun with 2 processes on this machine's torch 1.13 (the README's command),
// and follows the spec's teacher-forcing schedule epoch by epoch, as SeqLab's trainer does. Needs Debian's torch at
// /usr/bin/python3, which `npm test` installs when missing; without it the test fails, naming the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../modelSpec/types';
import { prepareData } from '../data';
import { SequenceModel } from '../train/model';
import { nodeRunIo } from '../train/runIo';
import { loadWeights, saveWeights } from '../train/runFolder';
import { teacherForcingRatio } from '../train/optimization';
import { TORCHRUN_COMMAND, exportPytorch, exportReadme } from './exportPytorch';
import { freePort } from './pytorchEngine';

import { PYTHON, assertTorchInstalled } from './testing/torchInstalled';

const EPOCHS = 3;
const spec: SeqModelSpec = {
  name: 'reverse', task: { type: 'seq2seq' }, data: { source: 'pairs', path: 'pairs.tsv', split: { validation: 0.25 } },
  model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 5 }, decoder: { cell: 'gru', hiddenSize: 5 } },
  training: { epochs: EPOCHS, batchSize: 4, seed: 3, optimizer: { type: 'adam', lr: 0.01 }, teacherForcing: { start: 1, end: 0, decay: 'linear' } },
};
const pairs = ['abc\tcba', 'ab\tba', 'bca\tacb', 'cab\tbac', 'ca\tac', 'bb\tbb', 'cc\tcc', 'acb\tbca', 'ba\tab', 'bac\tcab', 'aab\tbaa', 'cba\tabc'];

test('the README gives the torchrun command that works here and describes the schedule', () => {
  const readme = exportReadme(spec);
  assert.ok(readme.includes(TORCHRUN_COMMAND));
  assert.match(readme, /teacher-forcing schedule \(start 1, end 0, decay linear\)/);
});

test('train.py under torchrun (2 processes, the pairs streamed from their file) follows the teacher-forcing schedule and writes a SeqLab run folder', async () => {
  assertTorchInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-torchrun-'));
  fs.writeFileSync(path.join(dir, 'pairs.tsv'), pairs.join('\n'));
  const data = prepareData(spec, dir, nodeRunIo, path.join(dir, 'spec.seqmodel.json'));
  const model = new SequenceModel(spec, data.info, new Rng(7));
  saveWeights(nodeRunIo, path.join(dir, 'weights.safetensors'), model.namedParameters());
  const out = path.join(dir, 'export');
  exportPytorch({ spec, data, model, weightsBytes: fs.readFileSync(path.join(dir, 'weights.safetensors')), outDir: out, io: nodeRunIo, dataFile: path.join(dir, 'pairs.tsv') });
  // The README's command, with torchrun spelled as the module so that the PATH's python does not matter, and the
  // rendezvous on a free port rather than --standalone's 29400, which another test run on this machine may hold.
  const [, ...launcherArgs] = TORCHRUN_COMMAND.split(' ');
  const rendezvous = ['--nnodes=1', '--rdzv_backend=c10d', `--rdzv_endpoint=127.0.0.1:${await freePort()}`];
  const args = launcherArgs.flatMap((a) => (a === 'train.py' ? [path.join(out, 'train.py')] : a === '--standalone' ? rendezvous : [a]));
  const r = spawnSync(PYTHON, ['-m', 'torch.distributed.run', ...args, '--epochs', String(EPOCHS)], {
    encoding: 'utf8', cwd: out, env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 120_000,
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  // The run folder is SeqLab's: one metrics line per epoch, a report, the weights of the last epoch.
  const runDir = path.join(out, 'run');
  const lines = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; teacherForcing: number; metrics: Record<string, number> });
  assert.deepEqual(lines.map((l) => l.epoch), [1, 2, 3]);
  assert.deepEqual(Object.keys(lines[0].metrics).sort(), ['exactMatch', 'perplexity', 'tokenAccuracy']);
  assert.equal(JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')).status, 'completed');
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const line = r.stdout.split('\n').find((l) => new RegExp(`epoch ${epoch}: teacher forcing`).test(l))!;
    const [, ratio, own, all] = /teacher forcing ([\d.]+) \(own predictions at (\d+) of (\d+) steps\)/.exec(line)!;
    assert.ok(Math.abs(Number(ratio) - teacherForcingRatio(spec.training.teacherForcing, epoch, EPOCHS)) < 1e-4, line);
    assert.ok(Math.abs(lines[epoch - 1].teacherForcing - Number(ratio)) < 1e-4, 'metrics.jsonl has the ratio too');
    if (epoch === 1) assert.equal(Number(own), 0, 'ratio 1: always the ground truth');
    if (epoch === EPOCHS) assert.equal(Number(own), Number(all), 'ratio 0: always the own prediction');
  }
  const trained = new SequenceModel(spec, data.info, new Rng(1));
  loadWeights(nodeRunIo, path.join(runDir, 'model.safetensors'), trained.namedParameters());
  const before = model.namedParameters()[0].parameter.value.data;
  const after = trained.namedParameters()[0].parameter.value.data;
  assert.notDeepEqual(Array.from(after), Array.from(before), 'training changed the weights');
  fs.rmSync(dir, { recursive: true });
});
