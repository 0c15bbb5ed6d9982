// Stateful training and truncated BPTT under torchrun with 2 processes mean what they mean in SeqLab: each process
// trains its strided share of every batch, carrying the hidden state of its own rows (stateful: the streams it holds,
// from batch to batch; truncated BPTT: its sequences, from chunk to chunk), and the step it takes together with the
// other process is SeqLab's step on the whole batch. So the 2-process run's loss at every step is SeqLab's on the
// same global batches from the same initial weights, within LOSS_BOUND. Batches of an odd size give the processes
// shares of different sizes (3 and 2 rows; different token counts for ragged sentences): the gradient and the
// loss are then those of the whole batch's mean only if each process's share is weighted by its examples or tokens.
// Runs Debian's torch at /usr/bin/python3, which `npm test` installs when missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StepProgress, TrainerEvent } from '../../train/protocol';
import { freePort, pytorchCommand } from '../pytorchEngine';
import { PYTHON, assertTorchInstalled } from '../testing/torchInstalled';
import { type EngineCase, printedEvents, seqlabRunAndExport } from '../testing/seqlabAndPytorch';

/** Relative difference allowed between SeqLab's and the 2-process run's loss at each step. */
const LOSS_BOUND = 1e-5;

const series = ['t,a', ...Array.from({ length: 400 }, (_, i) => `${i},${(Math.sin(i / 6) * 4 + Math.cos(i / 17) + 10).toFixed(4)}`)].join('\n');
const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran'];
const text = Array.from({ length: 400 }, (_, i) => words[(i * 7 + (i >> 2)) % words.length]).join(' ');
const tags = Array.from({ length: 70 }, (_, s) => Array.from({ length: 3 + ((s * 5) % 11) }, (_, k) => {
  const word = words[(s * 3 + k * 5) % words.length];
  return `${word} ${word.length === 3 ? 'A' : 'B'}`;
}).join('\n')).join('\n\n');

const cases: (EngineCase & { name: string })[] = [
  {
    name: 'stateful forecast: 5 streams of consecutive windows (3 on one process, 2 on the other)',
    spec: { name: 'f', task: { type: 'forecast' }, data: { source: 'csv', path: 'series.csv', columns: ['a'], window: 8, split: { validation: 0.2 } },
      model: { encoder: { cell: 'lstm', hiddenSize: 6, numLayers: 2 } },
      training: { epochs: 3, batchSize: 5, seed: 3, optimizer: { type: 'adam', lr: 0.02 }, clipGradNorm: 1, stateful: { enabled: true, detach: true } } },
    file: 'series.csv', text: series,
  },
  {
    name: 'truncated BPTT, language model: chunks of 5 steps, learned initial state, batches of 7',
    spec: { name: 'g', task: { type: 'generate' }, data: { source: 'text', path: 'text.txt', tokenizer: 'char', window: 24 },
      model: { embedding: { dim: 5 }, encoder: { cell: 'lstm', hiddenSize: 7 }, initialState: 'learned' },
      training: { epochs: 2, batchSize: 7, seed: 2, optimizer: { type: 'adam', lr: 0.01 }, tbpttSteps: 5 } },
    file: 'text.txt', text,
  },
  {
    name: 'truncated BPTT, tagger on ragged sentences: chunks of 3 steps, the processes\' token counts differ',
    spec: { name: 't', task: { type: 'tag' }, data: { source: 'conll', path: 'tags.conll' },
      model: { embedding: { dim: 5 }, encoder: { cell: 'gru', hiddenSize: 7 } },
      training: { epochs: 2, batchSize: 6, seed: 2, optimizer: { type: 'sgd', lr: 0.2, momentum: 0.5 }, tbpttSteps: 3 } },
    file: 'tags.conll', text: tags,
  },
];

/** The step events of SeqLab's run and of train.py's under torchrun with `nproc` processes, and train.py's log lines. */
async function stepLosses(example: EngineCase, nproc: number): Promise<{ seqlab: StepProgress[]; torch: StepProgress[]; logs: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-carried-torchrun-'));
  const { events, project } = await seqlabRunAndExport(dir, example);
  const [command, ...args] = pytorchCommand({ python: PYTHON, projectDir: project, runDir: path.join(dir, 'torch-run'), nproc, port: await freePort(), device: 'cpu', overrides: {} });
  const r = spawnSync(command, [...args, '--progress-seconds', '0'], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, cwd: project, timeout: 300_000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const printed = printedEvents(r.stdout);
  fs.rmSync(dir, { recursive: true });
  const steps = (all: TrainerEvent[]) => all.filter((e): e is StepProgress => e.type === 'step');
  return { seqlab: steps(events), torch: steps(printed), logs: printed.flatMap((e) => (e.type === 'log' ? [e.message] : [])) };
}

for (const example of cases) {
  test(`torchrun, 2 processes: ${example.name} — every step's loss is SeqLab's on the whole batch (within ${LOSS_BOUND})`, async () => {
    assertTorchInstalled();
    const { seqlab, torch, logs } = await stepLosses(example, 2);
    assert.ok(seqlab.length >= 10, `${seqlab.length} steps`);
    assert.deepEqual(torch.map((s) => s.step), seqlab.map((s) => s.step), 'the same steps');
    if (example.spec.training.stateful) assert.ok(logs.some((m) => /^stateful: 5 streams × \d+ consecutive chunks of 8 steps/.test(m)), logs.join('\n'));
    let worst = 0;
    for (const [i, want] of seqlab.entries()) {
      const difference = Math.abs(torch[i].loss - want.loss) / Math.abs(want.loss);
      worst = Math.max(worst, difference);
      assert.ok(difference <= LOSS_BOUND, `step ${want.step}: loss ${torch[i].loss} on 2 processes, ${want.loss} in SeqLab`);
    }
    console.log(`${example.name}: ${seqlab.length} steps on 2 processes, worst relative loss difference ${worst.toExponential(2)}`);
  });
}
