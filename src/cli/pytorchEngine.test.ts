// `seqlab train --engine pytorch`: a PyTorch run is a SeqLab run. Two processes under torchrun (gloo, CPU) train on
// a CSV read from disk by the exported data module and leave a run folder that SeqLab's replay and `seqlab predict`
// read; a stop ends every process of the run; an interpreter without PyTorch is bad input that leaves nothing
// behind. Runs Debian's torch at /usr/bin/python3, which `npm test` installs when missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRunHistory } from '../extension/runHistory';
import { main, type CliIo } from './commands';
import { compareVersions, pytorchCommand } from './pytorchEngine';
import { PYTHON, assertTorchInstalled } from './testing/torchInstalled';

function capture(): CliIo & { out: string; err: string; stop?: () => void; onLine?: (line: string) => void } {
  const io: CliIo & { out: string; err: string; stop?: () => void; onLine?: (line: string) => void } = {
    out: '', err: '', isTTY: false,
    stdout: (t: string) => {
      io.out += t;
      for (const line of t.split('\n')) if (line) io.onLine?.(line);
    },
    stderr: (t: string) => { io.err += t; },
    onInterrupt: (handler) => { io.stop = handler; },
  };
  return io;
}

function seriesProject(epochs: number): { dir: string; specPath: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-engine-'));
  const rows = ['t,value'];
  for (let i = 0; i < 400; i++) rows.push(`${i},${(Math.sin(i / 5) * 3 + 10).toFixed(4)}`);
  fs.writeFileSync(path.join(dir, 'wave.csv'), `${rows.join('\n')}\n`);
  const specPath = path.join(dir, 'wave.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify({
    name: 'wave', task: { type: 'forecast' }, data: { source: 'csv', path: 'wave.csv', columns: ['value'], window: 12, split: { validation: 0.2 } },
    model: { encoder: { cell: 'lstm', hiddenSize: 8 } },
    training: { epochs, batchSize: 16, seed: 4, optimizer: { type: 'adam', lr: 0.01 }, clipGradNorm: 1 },
  }));
  return { dir, specPath };
}

/** Processes whose command line names the run folder (train.py, torchrun and its workers all do). */
function processesOf(runDir: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(runDir) && !line.includes('ps -eo'));
}

test('torchrun with 2 processes trains from the CSV on disk into a run folder that SeqLab replays and predicts with', async () => {
  assertTorchInstalled();
  const { dir, specPath } = seriesProject(3);
  const run = path.join(dir, 'run');
  const io = capture();
  const code = await main(['train', specPath, '--engine', 'pytorch', '--nproc', '2', '--device', 'cpu', '--python', PYTHON, '--out', run, '--json'], io);
  assert.equal(code, 0, `${io.out}\n${io.err}`);
  const events = io.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; kernels?: string; epoch?: number });
  const started = events.find((e) => e.type === 'runStarted');
  assert.match(started?.kernels ?? '', /^pytorch .* cpu x2$/, 'two PyTorch processes on the CPU');
  assert.ok(events.some((e) => e.type === 'step'), 'step progress is relayed');
  assert.ok(events.some((e) => e.type === 'dataSummary'), 'the data summary, as for a SeqLab run');
  assert.deepEqual(events.filter((e) => e.type === 'epoch').map((e) => e.epoch), [1, 2, 3]);
  assert.ok(fs.existsSync(path.join(run, 'pytorch', 'train.py')), 'the exported project is in the run folder');
  assert.ok(!fs.existsSync(path.join(run, 'pytorch', 'data.safetensors')), 'the data is read from the file, not embedded');
  const report = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8'));
  assert.equal(report.status, 'completed');
  assert.equal(report.engine, 'pytorch');
  assert.equal(report.processes, 2);
  assert.ok(Number.isFinite(report.baselines.persistenceMse), 'SeqLab adds its baselines to the report');
  // The panels' replay of a run folder: the same events a SeqLab run gives.
  const history = loadRunHistory(run);
  assert.deepEqual(history.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch), [1, 2, 3]);
  assert.equal(history.at(-1)?.type, 'runFinished');
  assert.ok(history.filter((e) => e.type === 'epoch').every((e) => Number.isFinite((e as unknown as { metrics: { rmse: number } }).metrics.rmse)));
  // The weights PyTorch trained, through SeqLab's predict (the data file itself gives the windows).
  const predict = capture();
  const out = path.join(dir, 'predictions.json');
  assert.equal(await main(['predict', specPath, '--weights', path.join(run, 'best.safetensors'), '--input', path.join(dir, 'wave.csv'), '--output', out], predict), 0, predict.err);
  const predictions = JSON.parse(fs.readFileSync(out, 'utf8')) as number[][];
  assert.equal(predictions.length, 400 - 12 + 1);
  assert.ok(predictions.every((p) => Number.isFinite(p[0]) && p[0] > 5 && p[0] < 15), 'forecasts in the wave\'s range');
  fs.rmSync(dir, { recursive: true });
});

test('stopping a PyTorch run ends every one of its processes and reports the run as stopped', async () => {
  assertTorchInstalled();
  const { dir, specPath } = seriesProject(200);
  const run = path.join(dir, 'run');
  const io = capture();
  let seen = false;
  const stopped = new Promise<void>((resolve) => {
    io.onLine = (line) => {
      if (!seen && (JSON.parse(line) as { type: string }).type === 'step') {
        seen = true;
        assert.ok(processesOf(run).length >= 3, `torchrun and two workers run: ${processesOf(run).join('\n')}`);
        io.stop!();
        resolve();
      }
    };
  });
  const code = await main(['train', specPath, '--engine', 'pytorch', '--nproc', '2', '--device', 'cpu', '--python', PYTHON, '--out', run, '--json'], io);
  assert.ok(seen, `the run ended before its first step was seen:\n${io.out}\n${io.err}`);
  await stopped;
  assert.equal(code, 0, `${io.out}\n${io.err}`);
  const report = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8'));
  assert.equal(report.status, 'stopped', report.message);
  assert.match(report.message, /^stopped at epoch \d+ step \d+; the last checkpoint/, 'rank 0 wrote the report: both processes stopped together');
  assert.ok(report.epochs < 200);
  assert.deepEqual(processesOf(run), [], 'no process of the run is left');
  fs.rmSync(dir, { recursive: true });
});

test('a stop that reaches the PyTorch run before train.py listens for it still ends the run as stopped, with a report', async () => {
  assertTorchInstalled();
  const { dir, specPath } = seriesProject(200);
  const run = path.join(dir, 'run');
  const io = capture();
  // Stopped as soon as the launch can be stopped: Python is still starting, so SIGTERM ends it without a report.
  io.onInterrupt = (handler) => { io.stop = handler; handler(); };
  const code = await main(['train', specPath, '--engine', 'pytorch', '--python', PYTHON, '--out', run, '--json'], io);
  assert.equal(code, 0, `${io.out}\n${io.err}`);
  const report = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8'));
  assert.equal(report.status, 'stopped', report.message);
  assert.match(report.message, /before the PyTorch processes wrote their report/);
  const finished = io.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; status?: string }).filter((e) => e.type === 'runFinished');
  assert.deepEqual(finished.map((e) => e.status), ['stopped'], 'one runFinished event, saying stopped');
  assert.deepEqual(processesOf(run), [], 'no process of the run is left');
  fs.rmSync(dir, { recursive: true });
});

test('an interpreter without PyTorch, or with one too old, is bad input saying how to install it, and leaves no run folder', async () => {
  const { dir, specPath } = seriesProject(1);
  const missing = capture();
  assert.equal(await main(['train', specPath, '--engine', 'pytorch', '--python', path.join(dir, 'no-such-python'), '--out', path.join(dir, 'a')], missing), 2);
  assert.match(missing.err, /cannot run the Python interpreter .*no-such-python.*apt-get install python3-torch/s);
  // An interpreter that answers with an old version (this shell script stands in for one).
  const old = path.join(dir, 'old-python');
  fs.writeFileSync(old, '#!/bin/sh\necho 1.8.1\n', { mode: 0o755 });
  const tooOld = capture();
  assert.equal(await main(['train', specPath, '--engine', 'pytorch', '--python', old, '--out', path.join(dir, 'b')], tooOld), 2);
  assert.match(tooOld.err, /has PyTorch 1\.8\.1; the exported project needs 1\.13 or later/);
  const noTorch = capture();
  assert.equal(await main(['train', specPath, '--engine', 'pytorch', '--python', '/bin/false', '--out', path.join(dir, 'c')], noTorch), 2);
  assert.match(noTorch.err, /PyTorch is not installed for '\/bin\/false'/);
  for (const name of ['a', 'b', 'c']) assert.ok(!fs.existsSync(path.join(dir, name)), `no run folder ${name}`);
  assert.equal(await main(['train', specPath, '--nproc', '2'], capture()), 2, '--nproc needs --engine pytorch');
  fs.rmSync(dir, { recursive: true });
});

test('versions compare by their numbers; one process runs train.py itself, more go through torchrun on a free port', () => {
  assert.ok(compareVersions('1.13.0a0', '1.13') >= 0);
  assert.ok(compareVersions('2.1.0+cpu', '1.13') > 0);
  assert.ok(compareVersions('1.9.1', '1.13') < 0);
  const one = pytorchCommand({ python: 'py', projectDir: '/p', runDir: '/r', nproc: 1, port: 1234, overrides: { epochs: 2 } });
  assert.deepEqual(one, ['py', '/p/train.py', '--run-dir', '/r', '--json', '--epochs', '2']);
  const two = pytorchCommand({ python: 'py', projectDir: '/p', runDir: '/r', nproc: 2, port: 1234, device: 'cpu', overrides: {} });
  assert.deepEqual(two.slice(0, 3), ['py', '-m', 'torch.distributed.run']);
  assert.ok(two.includes('--nproc_per_node=2') && two.includes('--rdzv_endpoint=127.0.0.1:1234') && two.includes('--device'));
});
