// "SeqLab: Train with PyTorch" as the run manager sees it: a PytorchRunProcess running the built CLI
// (dist/cli.js, which `npm test` builds before the unit tests) with Debian's torch. Its events arrive while it trains,
// Stop ends it as 'stopped' with no process left, its folder replays, and a missing PyTorch is a failed run whose
// message says how to install it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunFinished, StartTraining, TrainerEvent } from '../train/protocol';
import { PYTHON, assertTorchInstalled } from '../cli/testing/torchInstalled';
import { TrainingRunManager, type TrainingRun } from './runManager';
import { PytorchRunProcess } from './pytorchRun';
import { loadRunHistory } from './runHistory';

const CLI = path.join(__dirname, '../../dist/cli.js');

function spec(dir: string): StartTraining {
  const rows = ['t,value', ...Array.from({ length: 300 }, (_, i) => `${i},${(Math.sin(i / 4) * 2).toFixed(4)}`)];
  fs.writeFileSync(path.join(dir, 'wave.csv'), `${rows.join('\n')}\n`);
  const specText = JSON.stringify({
    name: 'wave', task: { type: 'forecast' }, data: { source: 'csv', path: 'wave.csv', columns: ['value'], window: 10 },
    model: { encoder: { cell: 'gru', hiddenSize: 6 } }, training: { epochs: 500, batchSize: 16, seed: 1, optimizer: { type: 'adam', lr: 0.01 } },
  });
  const specPath = path.join(dir, 'wave.seqmodel.json');
  fs.writeFileSync(specPath, specText);
  return { type: 'start', specPath, specText, outDir: path.join(dir, 'run') };
}

/** A run manager whose runs are PyTorch processes; `exited` resolves when the last one started has exited. */
function manager(): { runs: TrainingRunManager; exited: () => Promise<void> } {
  let exit: Promise<void> = Promise.resolve();
  const runs = new TrainingRunManager({
    workerScriptPath: 'not used by PyTorch runs', maxConcurrentRuns: () => 1, log: () => undefined,
    createWorker: (_script, env, command) => {
      const process = new PytorchRunProcess(CLI, command.pytorch!, env);
      exit = new Promise((resolve) => process.on('exit', () => resolve()));
      return process;
    },
  });
  return { runs, exited: () => exit };
}

function finished(runs: TrainingRunManager, run: TrainingRun, onEvent: (event: TrainerEvent) => void = () => undefined): Promise<RunFinished> {
  return new Promise((resolve) => {
    runs.onEvent((r, event) => {
      if (r !== run) return;
      onEvent(event);
      if (event.type === 'runFinished') resolve(event);
    });
  });
}

test('a PyTorch run streams its events to the run manager while it trains, and Stop ends every process of it', async () => {
  assertTorchInstalled();
  assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (npm run build)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-pytorch-run-'));
  const { runs, exited } = manager();
  const run = runs.start({ ...spec(dir), pytorch: { python: PYTHON, nproc: 1 } });
  const seen: TrainerEvent[] = [];
  let stopped = false;
  const result = await finished(runs, run, (event) => {
    seen.push(event);
    // Two epochs and a step seen live, then the user presses Stop. Step events come at most every 0.1 s, so on a
    // quiet machine the first two epochs of this small model can end before the first one.
    if (!stopped && event.type === 'epoch' && event.epoch >= 2 && seen.some((e) => e.type === 'step')) {
      stopped = true;
      runs.stop(run.id);
    }
  });
  assert.equal(result.status, 'stopped', result.message);
  await exited();
  assert.ok(seen.some((e) => e.type === 'runStarted') && seen.some((e) => e.type === 'step'), 'progress arrived while it trained');
  // The gates, gradient-flow and predictions panels' records of epoch 1 arrived too (gates with their values).
  const gates = seen.find((e) => e.type === 'gates' && e.epoch === 1) as { gates: Record<string, unknown[]> } | undefined;
  assert.ok(gates && ['reset', 'update', 'candidate'].every((name) => gates.gates[name]?.length > 0), 'the GRU\'s gate values of epoch 1');
  assert.ok(seen.some((e) => e.type === 'gradFlow' && e.epoch === 1 && e.norms[0].every((norm) => norm > 0)), 'the gradient flow of epoch 1');
  assert.ok(seen.some((e) => e.type === 'predictions' && e.epoch === 1 && e.series !== undefined), 'the validation series of epoch 1');
  const runDir = path.join(dir, 'run');
  const ps = spawnSync('ps', ['-eo', 'args='], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes(runDir));
  assert.deepEqual(ps, [], 'no process of the run is left');
  const replayed = loadRunHistory(runDir).filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch);
  assert.deepEqual(replayed.slice(0, 2), [1, 2], 'the folder replays the epochs the dashboard showed');
  assert.equal(loadRunHistory(runDir).at(-1)?.type, 'runFinished');
  runs.dispose();
  fs.rmSync(dir, { recursive: true });
});

test('a PyTorch run without PyTorch fails with the sentence that says how to install it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-pytorch-run-'));
  const { runs } = manager();
  const run = runs.start({ ...spec(dir), pytorch: { python: path.join(dir, 'no-python'), nproc: 1 } });
  const result = await finished(runs, run);
  assert.equal(result.status, 'failed');
  assert.match(result.message, /apt-get install python3-torch/);
  assert.ok(!fs.existsSync(path.join(dir, 'run')), 'no run folder');
  runs.dispose();
  fs.rmSync(dir, { recursive: true });
});
