// A PyTorch run honours the spec's training options as SeqLab's trainer does: the same spec, trained by SeqLab and
// by the exported train.py from the same initial weights on the same batches, gives the same learning rate at every
// step (exactly, and exactly what SeqLab's schedule gives for the run's own validation losses), validates the same
// epochs under training.validateEvery, stops early at the same epoch and evaluates the same checkpoint on the test
// split (metrics within TEST_BOUND), diverges at the same
// step keeping a finite checkpoint, and tracks SeqLab's loss step by step under stateful training and truncated
// BPTT (within LOSS_BOUND). Runs Debian's torch at /usr/bin/python3, which `npm test` installs when missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../tensor';
import type { SeqModelSpec } from '../../modelSpec/types';
import { baselines as testSplitBaselines, prepareData } from '../../data';
import type { TrainerEvent } from '../../train/protocol';
import { SequenceModel } from '../../train/model';
import { nodeRunIo } from '../../train/runIo';
import { encodeWeights, loadWeights, readJsonLines } from '../../train/runFolder';
import { train } from '../../train/trainer';
import { createSchedule } from '../../train/optimization';
import { decodeBatch } from '../../train/decoding';
import { evaluateSplit } from '../../train/evaluate';
import type { Optimizer } from '../../nn/optim/optimizer';
import { exportPytorch } from '../exportPytorch';
import { main } from '../commands';
import { PYTHON, assertTorchInstalled } from '../testing/torchInstalled';

/** Relative difference allowed between the two engines' step losses (measured: see the console lines). */
const LOSS_BOUND = 1e-5;
/** Relative difference allowed between the two engines' test metrics after a few epochs. */
const TEST_BOUND = 1e-3;

const series = ['t,a', ...Array.from({ length: 360 }, (_, i) => `${i},${(Math.sin(i / 6) * 4 + Math.cos(i / 17) + 10).toFixed(4)}`)].join('\n');
const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran'];
const text = Array.from({ length: 300 }, (_, i) => words[(i * 7 + (i >> 2)) % words.length]).join(' ');
const tags = Array.from({ length: 60 }, (_, s) => Array.from({ length: 3 + (s % 9) }, (_, k) => {
  const word = words[(s * 3 + k * 5) % words.length];
  return `${word} ${word.length === 3 ? 'A' : 'B'}`;
}).join('\n')).join('\n\n');

interface Run {
  steps: { step: number; epoch: number; loss: number; lr: number }[];
  /** validationLoss is absent on an epoch without validation (training.validateEvery). */
  epochs: { epoch: number; lr: number; validationLoss?: number; metrics: Record<string, number>; best: boolean }[];
  report: { status: string; epochs: number; steps: number; bestEpoch: number; message: string; test?: { checkpoint: string; epoch: number; size: number; loss: number; metrics: Record<string, number> } };
  runDir: string;
}

function forecastSpec(training: Partial<SeqModelSpec['training']>, split: Record<string, number> = { validation: 0.2, test: 0.15 }): SeqModelSpec {
  return {
    name: 'f', task: { type: 'forecast' }, data: { source: 'csv', path: 'series.csv', columns: ['a'], window: 8, split },
    model: { encoder: { cell: 'gru', hiddenSize: 6 } },
    training: { epochs: 6, batchSize: 16, seed: 3, optimizer: { type: 'adam', lr: 0.02 }, clipGradNorm: 1, ...training },
  };
}

/** The spec trained by SeqLab and by the exported train.py (same initial weights, same batches). */
async function trainBoth(spec: SeqModelSpec, files: Record<string, string>, extraArgs: string[] = []): Promise<{ seqlab: Run; torch: Run }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-options-parity-'));
  for (const [name, contents] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), contents);
  const data = prepareData(spec, dir, nodeRunIo, path.join(dir, 'spec.seqmodel.json'));
  const events: TrainerEvent[] = [];
  const seqlabDir = path.join(dir, 'seqlab-run');
  fs.mkdirSync(seqlabDir);
  await train({ spec, data, io: nodeRunIo, runDir: seqlabDir, emit: (e) => events.push(e), progressIntervalMs: 0 });
  const model = new SequenceModel(spec, data.info, new Rng(spec.training.seed ?? 0));
  const project = path.join(dir, 'export');
  const dataFile = Object.keys(files)[0];
  exportPytorch({ spec, data, model, weightsBytes: encodeWeights(model.namedParameters()), outDir: project, io: nodeRunIo, dataFile: dataFile ? path.join(dir, dataFile) : undefined });
  const torchDir = path.join(dir, 'torch-run');
  const r = spawnSync(PYTHON, [path.join(project, 'train.py'), '--progress-seconds', '0', '--json', '--device', 'cpu', '--run-dir', torchDir, ...extraArgs], {
    encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, cwd: project,
  });
  assert.ok(r.status === 0 || r.status === 1, `train.py crashed: ${r.stdout}\n${r.stderr}`);
  const torchEvents = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as TrainerEvent);
  const run = (all: TrainerEvent[], runDir: string): Run => ({
    steps: all.filter((e) => e.type === 'step') as Run['steps'],
    epochs: readJsonLines(nodeRunIo, path.join(runDir, 'metrics.jsonl')) as Run['epochs'],
    report: JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as Run['report'],
    runDir,
  });
  return { seqlab: run(events, seqlabDir), torch: run(torchEvents, torchDir) };
}

function worstRelative(a: number[], b: number[]): number {
  assert.equal(a.length, b.length, `${a.length} values against ${b.length}`);
  return Math.max(0, ...a.map((x, i) => Math.abs(x - b[i]) / Math.max(1e-12, Math.abs(b[i]))));
}

/** What SeqLab's schedule gives at each epoch when fed these validation losses. */
function seqlabLearningRates(spec: SeqModelSpec, validationLosses: (number | undefined)[]): number[] {
  const holder = { lr: spec.training.optimizer.lr } as Optimizer;
  const schedule = createSchedule(holder, spec.training, spec.training.epochs);
  return validationLosses.map((loss) => {
    const lr = holder.lr;
    schedule?.afterEpoch(loss);
    return lr;
  });
}

for (const [kind, schedule] of [
  ['step', { type: 'step', stepSize: 2, gamma: 0.3 }],
  ['cosine', { type: 'cosine', tMax: 4, etaMin: 0.001 }],
  ['plateau', { type: 'plateau', factor: 0.5, patience: 0, threshold: 0.7 }],
] as const) {
  test(`LR schedule ${kind}: train.py's learning rate is SeqLab's at every step, exactly`, async () => {
    assertTorchInstalled();
    const spec = forecastSpec({ schedule });
    const { seqlab, torch } = await trainBoth(spec, { 'series.csv': series });
    assert.equal(torch.report.status, 'completed', torch.report.message);
    // The schedule function itself, fed the PyTorch run's own validation losses, gives its epochs' rates ...
    const expected = seqlabLearningRates(spec, torch.epochs.map((e) => e.validationLoss));
    assert.deepEqual(torch.epochs.map((e) => e.lr), expected);
    assert.deepEqual(torch.steps.map((s) => s.lr), torch.steps.map((s) => expected[s.epoch - 1]), 'every step of an epoch runs at its rate');
    assert.ok(new Set(expected).size >= 2, `the schedule changes the rate: ${expected}`);
    // ... and a SeqLab run of the same spec takes the same steps at the same rates.
    assert.deepEqual(torch.steps.map((s) => s.lr), seqlab.steps.map((s) => s.lr));
  });
}

test('early stopping: train.py stops at SeqLab\'s epoch and evaluates the best checkpoint on the test split as SeqLab does', async () => {
  assertTorchInstalled();
  // minDelta 0.02 on the validation MAE (in the data's units): without it this run goes on to epoch 14 (measured).
  const spec = forecastSpec({ epochs: 30, earlyStopping: { patience: 2, minDelta: 0.02, metric: 'mae' } });
  const { seqlab, torch } = await trainBoth(spec, { 'series.csv': series });
  assert.equal(seqlab.report.status, 'early-stopped', seqlab.report.message);
  assert.equal(torch.report.status, 'early-stopped', torch.report.message);
  assert.ok(seqlab.report.epochs < 30, 'the spec stops before its last epoch');
  assert.equal(torch.report.epochs, seqlab.report.epochs, 'the same epoch');
  assert.equal(torch.report.bestEpoch, seqlab.report.bestEpoch, 'the same best epoch');
  assert.deepEqual(torch.epochs.map((e) => e.best), seqlab.epochs.map((e) => e.best));
  assert.ok(torch.report.bestEpoch < torch.report.epochs, 'the best epoch is not the last one');
  const [a, b] = [torch.report.test!, seqlab.report.test!];
  assert.equal(a.checkpoint, 'best');
  assert.equal(a.epoch, torch.report.bestEpoch, 'the test split is evaluated with the best epoch\'s weights, not the last');
  assert.equal(a.size, b.size);
  const worst = worstRelative([a.loss, a.metrics.mse, a.metrics.rmse, a.metrics.mae], [b.loss, b.metrics.mse, b.metrics.rmse, b.metrics.mae]);
  console.log(`early stopping at epoch ${torch.report.epochs}: test figures differ by at most ${worst.toExponential(2)} (relative)`);
  assert.ok(worst <= TEST_BOUND, `test figures ${JSON.stringify(a)} against SeqLab's ${JSON.stringify(b)}`);
});

/** The epochs a run validated: those whose metrics.jsonl line has a validation loss (training.validateEvery). */
const validatedEpochs = (run: Run) => run.epochs.filter((e) => 'validationLoss' in e).map((e) => e.epoch);

test('validateEvery 3: train.py validates SeqLab\'s epochs, keeps the same best epoch and stops early at the same epoch', async () => {
  assertTorchInstalled();
  const spec = forecastSpec({ epochs: 30, validateEvery: 3, earlyStopping: { patience: 2, minDelta: 0.02, metric: 'mae' } });
  const { seqlab, torch } = await trainBoth(spec, { 'series.csv': series });
  for (const run of [seqlab, torch]) {
    assert.equal(run.report.status, 'early-stopped', run.report.message);
    assert.match(run.report.message, /no improvement of validation MAE for 2 validations \(one every 3 epochs\)/);
    assert.equal(run.epochs.length, run.report.epochs, 'every epoch writes its line');
    for (const line of run.epochs.filter((e) => !('validationLoss' in e))) {
      assert.deepEqual(line.metrics, {}, `epoch ${line.epoch} has no validation figures`);
      assert.equal(line.best, false);
    }
  }
  assert.ok(seqlab.report.epochs < 30, 'the spec stops before its last epoch');
  const expected = Array.from({ length: seqlab.report.epochs / 3 }, (_, i) => 3 * (i + 1));
  assert.deepEqual(validatedEpochs(seqlab), expected, 'every third epoch, and the early stop\'s is one of them');
  assert.deepEqual(validatedEpochs(torch), validatedEpochs(seqlab), 'the same validated epochs');
  assert.equal(torch.report.epochs, seqlab.report.epochs, 'the same early stop');
  assert.equal(torch.report.bestEpoch, seqlab.report.bestEpoch, 'the same best epoch');
  assert.ok(expected.includes(torch.report.bestEpoch) && torch.report.bestEpoch < torch.report.epochs, `best epoch ${torch.report.bestEpoch}: validated, not the last`);
  assert.deepEqual(torch.epochs.map((e) => e.best), seqlab.epochs.map((e) => e.best));
  assert.equal(torch.report.test!.epoch, torch.report.bestEpoch, 'the test split is evaluated with the best validated epoch');
  console.log(`validateEvery 3: validated ${validatedEpochs(torch).join(', ')}; best ${torch.report.bestEpoch}; early stop after ${torch.report.epochs} in both engines`);
});

test('validateEvery 2 with a plateau schedule: train.py\'s rate is SeqLab\'s at every step, changed only after validations', async () => {
  assertTorchInstalled();
  const spec = forecastSpec({ epochs: 7, validateEvery: 2, schedule: { type: 'plateau', factor: 0.5, patience: 0, threshold: 0.7 } });
  const { seqlab, torch } = await trainBoth(spec, { 'series.csv': series });
  assert.equal(torch.report.status, 'completed', torch.report.message);
  assert.deepEqual(validatedEpochs(torch), [2, 4, 6, 7]);
  assert.deepEqual(validatedEpochs(seqlab), [2, 4, 6, 7]);
  assert.deepEqual(torch.steps.map((s) => s.lr), seqlab.steps.map((s) => s.lr));
  // SeqLab's schedule fed the run's own validations, and nothing after an epoch without one, gives its rates ...
  const rates = torch.epochs.map((e) => e.lr);
  assert.deepEqual(rates, seqlabLearningRates(spec, torch.epochs.map((e) => e.validationLoss)));
  // ... which change only after a validated epoch, and do change here.
  const changedAfter = rates.flatMap((lr, i) => (i > 0 && lr !== rates[i - 1] ? [i] : []));
  assert.ok(changedAfter.length > 0, `the rate changes: ${rates}`);
  for (const epoch of changedAfter) assert.ok(validatedEpochs(torch).includes(epoch), `the rate changed after epoch ${epoch}, which was not validated: ${rates}`);
});

test('divergence: a run over training.divergenceFactor ends "diverged" at SeqLab\'s step, and one gone non-finite keeps a finite checkpoint', async () => {
  assertTorchInstalled();
  const exploding = forecastSpec({ optimizer: { type: 'sgd', lr: 3, momentum: 0.9 }, clipGradNorm: undefined, divergenceFactor: 3 });
  const both = await trainBoth(exploding, { 'series.csv': series });
  for (const run of [both.seqlab, both.torch]) assert.equal(run.report.status, 'diverged', run.report.message);
  assert.match(both.torch.report.message, /is over 3 × the initial loss .*training\.divergenceFactor/);
  assert.equal(both.torch.report.steps, both.seqlab.report.steps, 'the same step');
  // A rate that overflows the weights: NaN or infinite values are never written.
  const overflowing = forecastSpec({ optimizer: { type: 'sgd', lr: 1e36 }, clipGradNorm: undefined, divergenceFactor: 1e300 });
  const { seqlab, torch } = await trainBoth(overflowing, { 'series.csv': series });
  for (const run of [seqlab, torch]) assert.equal(run.report.status, 'diverged', run.report.message);
  assert.match(torch.report.message, /became (NaN|-?Infinity)/);
  assert.equal(torch.report.steps, seqlab.report.steps, 'the same step');
  const model = new SequenceModel(overflowing, { ...prepareData(overflowing, path.dirname(torch.runDir), nodeRunIo, path.join(path.dirname(torch.runDir), 's.json')).info }, new Rng(0));
  loadWeights(nodeRunIo, path.join(torch.runDir, 'model.safetensors'), model.namedParameters()); // refuses non-finite weights
});

test('stateful training: train.py carries the hidden state across SeqLab\'s stream batches and tracks its loss', async () => {
  assertTorchInstalled();
  const spec = forecastSpec({ epochs: 3, batchSize: 4, stateful: { enabled: true, detach: true } }, { validation: 0.2 });
  const { seqlab, torch } = await trainBoth(spec, { 'series.csv': series });
  assert.equal(torch.report.status, 'completed', torch.report.message);
  const worst = worstRelative(torch.steps.map((s) => s.loss), seqlab.steps.map((s) => s.loss));
  console.log(`stateful: ${torch.steps.length} steps, worst relative loss difference ${worst.toExponential(2)}`);
  assert.ok(worst <= LOSS_BOUND, `stateful losses differ by ${worst}`);
});

for (const [name, spec, files] of [
  ['language model on plain text', {
    name: 'g', task: { type: 'generate' }, data: { source: 'text', path: 'text.txt', tokenizer: 'char', window: 24 },
    model: { embedding: { dim: 5 }, encoder: { cell: 'lstm', hiddenSize: 7 }, initialState: 'learned' },
    training: { epochs: 2, batchSize: 8, seed: 2, optimizer: { type: 'adam', lr: 0.01 }, tbpttSteps: 5 },
  }, { 'text.txt': text }],
  ['tagger on ragged CoNLL sentences', {
    name: 't', task: { type: 'tag' }, data: { source: 'conll', path: 'tags.conll' },
    model: { embedding: { dim: 5 }, encoder: { cell: 'gru', hiddenSize: 7 } },
    training: { epochs: 2, batchSize: 6, seed: 2, optimizer: { type: 'sgd', lr: 0.2, momentum: 0.5 }, tbpttSteps: 3 },
  }, { 'tags.conll': tags }],
] as [string, SeqModelSpec, Record<string, string>][]) {
  test(`truncated BPTT (${name}): train.py runs each batch in tbpttSteps chunks and tracks SeqLab's loss`, async () => {
    assertTorchInstalled();
    const { seqlab, torch } = await trainBoth(spec, files);
    assert.equal(torch.report.status, 'completed', torch.report.message);
    const worst = worstRelative(torch.steps.map((s) => s.loss), seqlab.steps.map((s) => s.loss));
    console.log(`truncated BPTT, ${name}: ${torch.steps.length} steps, worst relative loss difference ${worst.toExponential(2)}`);
    assert.ok(worst <= LOSS_BOUND, `losses differ by ${worst}`);
  });
}

test('seqlab train --engine pytorch: the test evaluation carries SeqLab\'s baselines on the test split, live and in report.json', async () => {
  assertTorchInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-options-cli-'));
  fs.writeFileSync(path.join(dir, 'series.csv'), series);
  const specPath = path.join(dir, 'f.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify(forecastSpec({ epochs: 2 })));
  let out = '';
  let err = '';
  const code = await main(['train', specPath, '--engine', 'pytorch', '--python', PYTHON, '--device', 'cpu', '--out', path.join(dir, 'run'), '--json'],
    { isTTY: false, stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  assert.equal(code, 0, `${out}\n${err}`);
  const event = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((e) => e.type === 'testEvaluation');
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'run', 'report.json'), 'utf8'));
  const data = prepareData(forecastSpec({ epochs: 2 }), dir, nodeRunIo, specPath);
  const expected = testSplitBaselines(data, 'test');
  for (const test of [event, report.test]) {
    assert.equal(test.checkpoint, 'best');
    assert.ok(Number.isFinite(test.metrics.rmse));
    assert.deepEqual(test.baselines, { ...expected });
  }
  assert.ok(Number.isFinite(expected.persistenceMse));
  fs.rmSync(dir, { recursive: true });
});

test('seq2seq decoding for exact match: train.py decodes greedily and by beam search as SeqLab does (maxLength, beamWidth)', async () => {
  assertTorchInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-options-beam-'));
  const letters = ['a', 'b', 'c', 'd', 'e'];
  const pairs = Array.from({ length: 80 }, (_, i) => {
    const source = Array.from({ length: 2 + (i % 4) }, (_, k) => letters[(i * 3 + k * 2) % letters.length]);
    return `${source.join(' ')}\t${[...source].reverse().join(' ')}`;
  }).join('\n');
  fs.writeFileSync(path.join(dir, 'pairs.tsv'), pairs);
  const spec: SeqModelSpec = {
    name: 'p', task: { type: 'seq2seq' }, data: { source: 'pairs', path: 'pairs.tsv', split: { validation: 0.5 } },
    model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 6 }, decoder: { cell: 'lstm', hiddenSize: 6 } },
    training: { epochs: 1, batchSize: 8, seed: 11, optimizer: { type: 'adam', lr: 0.01 } },
  };
  const data = prepareData(spec, dir, nodeRunIo, path.join(dir, 'p.seqmodel.json'));
  // Weights trained a little by SeqLab, so that outputs end in </s> at different lengths and the beam has choices.
  fs.mkdirSync(path.join(dir, 'run'));
  await train({ spec: { ...spec, training: { ...spec.training, epochs: 12 } }, data, io: nodeRunIo, runDir: path.join(dir, 'run'), emit: () => {} });
  const model = new SequenceModel(spec, data.info, new Rng(0));
  loadWeights(nodeRunIo, path.join(dir, 'run', 'model.safetensors'), model.namedParameters());
  model.setTraining(false);
  const project = path.join(dir, 'export');
  exportPytorch({ spec, data, model, weightsBytes: encodeWeights(model.namedParameters()), outDir: project, io: nodeRunIo, dataFile: path.join(dir, 'pairs.tsv') });
  let batch;
  for (const b of data.validation.batches(data.validation.size, { shuffle: false })) batch = b;
  const decodings = [{ strategy: 'greedy', maxLength: 4 }, { strategy: 'beam', beamWidth: 3, maxLength: 9 }, { strategy: 'beam', beamWidth: 5 }] as const;
  const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(project)})
from model import build_model, load_config
from seqlab_data import collate, open_data
from decoding import decode_batch
config = load_config(${JSON.stringify(path.join(project, 'config.json'))})
model = build_model(config, weights=${JSON.stringify(path.join(project, 'model.safetensors'))}).eval()
split = open_data(config, ${JSON.stringify(project)}).split("validation")
b = collate([split[i] for i in range(len(split))])
print(json.dumps([decode_batch(model, b["input_ids"], b["lengths"], d, b["target_ids"].shape[1] + 5) for d in json.loads(sys.argv[1])]))
`;
  const r = spawnSync(PYTHON, ['-c', script, JSON.stringify(decodings)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  assert.equal(r.status, 0, r.stderr);
  const torchOutputs = JSON.parse(r.stdout) as number[][][];
  decodings.forEach((decoding, i) => {
    const seqlabOutputs = decodeBatch(model, batch!, decoding, (batch!.targetSteps ?? 0) + 5);
    assert.deepEqual(torchOutputs[i], seqlabOutputs, `${JSON.stringify(decoding)}`);
  });
  assert.notDeepEqual(torchOutputs[0], torchOutputs[1], 'the strategies decode differently here');
  assert.ok(new Set(torchOutputs[2].map((tokens) => tokens.length)).size > 2, 'outputs of several lengths (ended by </s>)');
  // train.py's exact-match metric decodes as the spec says: one epoch at learning rate 0 validates these weights.
  const decoding = { strategy: 'beam', beamWidth: 3, maxLength: 9 } as const;
  const beamSpec = { ...spec, training: { ...spec.training, decoding } };
  fs.writeFileSync(path.join(project, 'config.json'), JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(project, 'config.json'), 'utf8')), spec: beamSpec }));
  const run = spawnSync(PYTHON, [path.join(project, 'train.py'), '--epochs', '1', '--lr', '0', '--device', 'cpu', '--run-dir', path.join(dir, 'torch-run')], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, cwd: project });
  assert.equal(run.status, 0, run.stderr);
  const [line] = readJsonLines(nodeRunIo, path.join(dir, 'torch-run', 'metrics.jsonl')) as { metrics: Record<string, number> }[];
  const seqlab = evaluateSplit(model, data.validation, data.info, { batchSize: spec.training.batchSize, decoding });
  assert.equal(line.metrics.exactMatch, seqlab.metrics.exactMatch, 'the same examples match exactly');
  assert.ok(seqlab.metrics.exactMatch > 0 && seqlab.metrics.exactMatch < 1, `a metric that can tell (${seqlab.metrics.exactMatch})`);
  fs.rmSync(dir, { recursive: true });
});

test('what --engine pytorch cannot do as SeqLab does is refused before any run folder, located in the spec (exit 2)', async () => {
  assertTorchInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-options-refused-'));
  fs.writeFileSync(path.join(dir, 'series.csv'), series);
  const specPath = path.join(dir, 'f.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify(forecastSpec({ batchSize: 2 }), null, 2));
  let err = '';
  const code = await main(['train', specPath, '--engine', 'pytorch', '--python', PYTHON, '--nproc', '4', '--out', path.join(dir, 'run')],
    { isTTY: false, stdout: () => {}, stderr: (t) => { err += t; } });
  assert.equal(code, 2, err);
  const line = fs.readFileSync(specPath, 'utf8').split('\n').findIndex((l) => l.includes('"batchSize"')) + 1;
  assert.match(err, new RegExp(`f\\.seqmodel\\.json:${line}:\\d+ error training\\.batchSize 2 is smaller than the 4 processes of --nproc`));
  assert.ok(!fs.existsSync(path.join(dir, 'run')), 'no run folder');
  fs.rmSync(dir, { recursive: true });
});
