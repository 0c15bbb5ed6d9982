// A PyTorch run feeds the gate, gradient-flow and predictions panels as a SeqLab run does: train.py, from the
// exported initial weights on the same batches, writes after each epoch the same `gradFlow`, `gates` and
// `predictions` events as SeqLab's trainer — same order, same fields, same labels and counts, and figures equal
// within BOUND (relative to max(1, |value|)), texts equal. The two runs' weights agree to about 1e-6 after a few
// steps (see trainLoss.parity.test.ts), so the records differ by that much, not by their meaning. Every task kind:
// forecast, classify, tag, regress-per-step, generate (sampled at a temperature with SeqLab's generator, seeded as
// its trainer seeds it, and greedy) and seq2seq (greedy to SeqLab's default length, and beam search). Sampled text is
// compared token for token: one uniform draw per token from the same generator picks the same token unless the two
// engines' cumulative probabilities straddle the draw, which a 1e-6 difference makes vanishingly rare. Measured
// (5 Dec): largest difference 1.1e-6 (seq2seq, 28 steps at lr 0.02), 4.8e-7 (tagger), 3.5e-7 (generate), 2.4e-7
// (regress-per-step); 1.2e-7 under torchrun with 2 processes. Each new kind also shows what it must mean (see Meaning).
// Every record PyTorch wrote passes the host's check of records from another process (validatePanelRecord).
// Runs Debian's torch at /usr/bin/python3, which `npm test` installs when missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TrainerEvent } from '../../train/protocol';
import { validatePanelRecord } from '../../train/protocolValidate';
import { freePort, pytorchCommand } from '../pytorchEngine';
import { PYTHON, assertTorchInstalled } from '../testing/torchInstalled';
import { type EngineCase, printedEvents, seqlabRunAndExport } from '../testing/seqlabAndPytorch';

const EPOCHS = 2;
const BOUND = 1e-5;
const PANEL_EVENTS = new Set(['gradFlow', 'gates', 'predictions']);

const series = ['t,a,b', ...Array.from({ length: 90 }, (_, i) => `${i},${(Math.sin(i / 7) * 4 + i * 0.05).toFixed(4)},${(Math.cos(i / 3) + (i % 5) * 0.2).toFixed(4)}`)].join('\n');
const words = ['fine', 'bad', 'good', 'dull', 'great', 'plot', 'cast', 'slow', 'odd'];
const texts = ['text,label', ...Array.from({ length: 60 }, (_, i) => `${Array.from({ length: 2 + (i % 6) }, (_, k) => words[(i * 3 + k * 5) % words.length]).join(' ')},${['pos', 'neg', 'mixed'][i % 3]}`)].join('\n');
const conll = Array.from({ length: 40 }, (_, i) => Array.from({ length: 2 + (i % 5) }, (_, k) => `${words[(i + k * 2) % words.length]} ${k % 3 === 0 ? 'B-X' : k % 3 === 1 ? 'I-X' : 'O'}`).join('\n')).join('\n\n') + '\n';
const story = Array.from({ length: 240 }, (_, i) => words[(i * 7 + (i >> 2)) % words.length]).join(' ');
const letters = ['a', 'b', 'c', 'd', 'e'];
const pairs = Array.from({ length: 60 }, (_, i) => {
  const source = Array.from({ length: 2 + (i % 4) }, (_, k) => letters[(i * 3 + k * 2) % letters.length]);
  return `${source.join(' ')}\t${[...source].reverse().join(' ')}`;
}).join('\n');
const noisy = ['noisy,clean', ...Array.from({ length: 80 }, (_, i) => {
  const clean = Math.sin(i / 5) * 3 + 1;
  return `${(clean + Math.sin(i * 12.9898) * 0.7).toFixed(4)},${clean.toFixed(4)}`;
})].join('\n');
const training = (seed: number) => ({ epochs: EPOCHS, batchSize: 8, seed, optimizer: { type: 'adam' as const, lr: 0.01 }, clipGradNorm: 1 });

type Sample = Record<string, unknown> & { kind: string };
type PredictionsRecord = { samples: Sample[]; series?: { truth: number[]; perStep?: boolean } };
/** What a case's predictions must show beyond equality with SeqLab's (so that equal records cannot both be empty). */
type Meaning = (records: PredictionsRecord[], validationSize: number) => void;

const sampledTexts: Meaning = (records) => {
  for (const { samples } of records) {
    assert.deepEqual(samples.map((s) => s.kind), ['generate', 'generate']);
    assert.ok(samples.every((s) => (s.text as string).length > 0), 'text was sampled');
    assert.notEqual(samples[0].text, samples[1].text, 'two draws of one generator differ');
  }
};
const greedyTexts: Meaning = (records) => {
  for (const { samples } of records) {
    assert.ok((samples[0].text as string).split(' ').length > 5, 'words were generated');
    assert.equal(samples[0].text, samples[1].text, 'temperature 0 is the argmax: both texts are one');
  }
};
const reversedPairs = (outputSteps: (output: string) => boolean): Meaning => (records) => {
  for (const { samples } of records) {
    assert.ok(samples.length > 0 && samples.every((s) => s.kind === 'seq2seq' && s.target === [...(s.source as string)].reverse().join('')), 'source and reference as the pairs file has them');
    assert.ok(samples.some((s) => outputSteps(s.output as string)), `decoded outputs: ${samples.map((s) => JSON.stringify(s.output))}`);
  }
};
const perStepWindows: Meaning = (records, validationSize) => {
  for (const { samples, series } of records) {
    assert.ok(samples.length > 1 && samples.every((s) => s.kind === 'steps' && s.target === 'clean' && (s.truth as number[]).length === 8));
    // Windows advance one row at a time: the next window's truth is this one's, one row on.
    assert.deepEqual((samples[1].truth as number[]).slice(0, 7), (samples[0].truth as number[]).slice(1));
    assert.ok(series?.perStep === true && series.truth.length === validationSize, 'a per-step series of every validation window');
    assert.deepEqual(series.truth.slice(0, samples.length), samples.map((s) => (s.truth as number[])[7]), 'each window\'s last step in the series');
  }
};

const cases: Record<string, EngineCase & { meaning?: Meaning }> = {
  'forecast: 2-layer LSTM, two columns, horizon 2': {
    spec: { name: 'f', task: { type: 'forecast', horizon: 2 }, data: { source: 'csv', path: 'series.csv', columns: ['a', 'b'], target: ['a'], window: 6, split: { validation: 0.2 } },
      model: { encoder: { cell: 'lstm', hiddenSize: 5, numLayers: 2 } }, training: training(3) },
    file: 'series.csv', text: series,
  },
  'forecast: tanh RNN, last-value windows': {
    spec: { name: 'r', task: { type: 'forecast' }, data: { source: 'csv', path: 'series.csv', columns: ['a'], window: 5, normalize: 'last-value', split: { validation: 0.3 } },
      model: { encoder: { cell: 'rnn', hiddenSize: 4 } }, training: training(4) },
    file: 'series.csv', text: series,
  },
  'classify: packed bidirectional GRU on ragged texts, three labels': {
    spec: { name: 'c', task: { type: 'classify' }, data: { source: 'text-classification', path: 'texts.csv', split: { validation: 0.3 } },
      model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 5, bidirectional: true } }, training: training(5) },
    file: 'texts.csv', text: texts,
  },
  'tag: 2 LSTM layers with layer norm (one module per layer), projSize': {
    spec: { name: 't', task: { type: 'tag' }, data: { source: 'conll', path: 'tags.conll', split: { validation: 0.25 } },
      model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 5, projSize: 3, numLayers: 2, layerNorm: true } }, training: training(6) },
    file: 'tags.conll', text: conll,
  },
  'generate: char LSTM language model, learned initial state, sampled at temperature 0.8 (SeqLab\'s generator, same seed)': {
    spec: { name: 'g', task: { type: 'generate' }, data: { source: 'text', path: 'story.txt', tokenizer: 'char', window: 16 },
      model: { embedding: { dim: 5 }, encoder: { cell: 'lstm', hiddenSize: 7 }, initialState: 'learned' },
      training: { ...training(7), decoding: { maxLength: 60 } } },
    file: 'story.txt', text: story, meaning: sampledTexts,
  },
  'generate: word GRU language model, 2 layers, greedy (temperature 0)': {
    spec: { name: 'w', task: { type: 'generate' }, data: { source: 'text', path: 'story.txt', tokenizer: 'word', window: 6 },
      model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 6, numLayers: 2 } },
      training: { ...training(8), decoding: { temperature: 0, maxLength: 30 } } },
    file: 'story.txt', text: story, meaning: greedyTexts,
  },
  'seq2seq: LSTM encoder-decoder, greedy to the default length (the longest target + 5)': {
    spec: { name: 's', task: { type: 'seq2seq' }, data: { source: 'pairs', path: 'pairs.tsv', split: { validation: 0.3 } },
      model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 6 }, decoder: { cell: 'lstm', hiddenSize: 6 } }, training: { ...training(9), batchSize: 3, optimizer: { type: 'adam', lr: 0.02 } } },
    // The longest target is 9 characters and </s>: a decoder that has not learnt to stop runs 10 + 5 steps (SeqLab
    // pads every batch to that target length), not the sample batch's own longest target + 5.
    file: 'pairs.tsv', text: pairs, meaning: reversedPairs((output) => output.length === 15),
  },
  'seq2seq: bidirectional GRU encoder, beam search (width 3, maxLength 7)': {
    spec: { name: 'b', task: { type: 'seq2seq' }, data: { source: 'pairs', path: 'pairs.tsv', split: { validation: 0.3 } },
      model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 5, bidirectional: true }, decoder: { cell: 'gru', hiddenSize: 10 } },
      training: { ...training(10), decoding: { strategy: 'beam', beamWidth: 3, maxLength: 7 } } },
    file: 'pairs.tsv', text: pairs, meaning: reversedPairs((output) => output.length > 0 && output.length <= 7),
  },
  'regress-per-step: bidirectional GRU, the clean signal at every step of a noisy one': {
    spec: { name: 'p', task: { type: 'regress-per-step' }, data: { source: 'csv', path: 'noisy.csv', columns: ['noisy'], target: ['clean'], window: 8, split: { validation: 0.25 } },
      model: { encoder: { cell: 'gru', hiddenSize: 6, bidirectional: true } }, training: training(11) },
    file: 'noisy.csv', text: noisy, meaning: perStepWindows,
  },
};

/** The panel events as JSON sees them (a gate's Float32Array becomes an array). */
function asJson(events: TrainerEvent[]): Record<string, unknown>[] {
  return events.filter((e) => PANEL_EVENTS.has(e.type)).map((e) => JSON.parse(JSON.stringify(e, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v))));
}

/** Walks both values together: the same shape, strings and booleans equal, numbers within BOUND; returns the worst difference. */
function compare(seqlab: unknown, pytorch: unknown, where: string): number {
  if (typeof seqlab === 'number') {
    assert.equal(typeof pytorch, 'number', `${where}: a number in SeqLab, ${JSON.stringify(pytorch)} in PyTorch`);
    const difference = Math.abs(seqlab - (pytorch as number)) / Math.max(1, Math.abs(seqlab));
    assert.ok(difference <= BOUND, `${where}: ${pytorch} in PyTorch, ${seqlab} in SeqLab`);
    return difference;
  }
  if (Array.isArray(seqlab)) {
    assert.ok(Array.isArray(pytorch) && pytorch.length === seqlab.length, `${where}: ${seqlab.length} items in SeqLab, ${Array.isArray(pytorch) ? pytorch.length : 'none'} in PyTorch`);
    return seqlab.reduce((worst: number, v, i) => Math.max(worst, compare(v, (pytorch as unknown[])[i], `${where}[${i}]`)), 0);
  }
  if (typeof seqlab === 'object' && seqlab !== null) {
    assert.ok(typeof pytorch === 'object' && pytorch !== null, `${where}: an object in SeqLab`);
    assert.deepEqual(Object.keys(pytorch as object).sort(), Object.keys(seqlab).sort(), `${where}: the same fields`);
    return Object.entries(seqlab).reduce((worst, [k, v]) => Math.max(worst, compare(v, (pytorch as Record<string, unknown>)[k], `${where}.${k}`)), 0);
  }
  assert.equal(pytorch, seqlab, where);
  return 0;
}

/** Asserts the PyTorch run's panel records are SeqLab's; returns the largest relative difference. */
function assertSameRecords(name: string, seqlabEvents: TrainerEvent[], torchEvents: TrainerEvent[]): number {
  const want = asJson(seqlabEvents);
  const got = asJson(torchEvents);
  const label = (e: Record<string, unknown>) => `${e.type} ${e.epoch}${e.layer !== undefined ? ` layer ${e.layer}` : ''}`;
  assert.deepEqual(got.map(label), want.map(label), `${name}: the same records after each epoch`);
  assert.equal(want.filter((e) => e.type === 'predictions').length, EPOCHS, `${name}: predictions every epoch`);
  for (const record of got) {
    const checked = validatePanelRecord(record);
    assert.ok(checked.ok, `${name}: ${checked.ok ? '' : checked.reason}`);
  }
  for (const flow of got.filter((e) => e.type === 'gradFlow') as unknown as { norms: number[][] }[]) {
    assert.ok(flow.norms.every((row) => row.length > 0 && row.every((norm) => norm > 0)), `${name}: a gradient reaches every step`);
  }
  return compare(want, got, name);
}

test(`train.py writes SeqLab's gradFlow, gates and predictions events after every epoch (figures within ${BOUND})`, async () => {
  assertTorchInstalled();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-panel-records-'));
  for (const [name, example] of Object.entries(cases)) {
    const dir = path.join(root, example.spec.name);
    const { events, project, validationSize } = await seqlabRunAndExport(dir, example);
    const r = spawnSync(PYTHON, [path.join(project, 'train.py'), '--progress-seconds', '0', '--json', '--device', 'cpu', '--run-dir', path.join(dir, 'torch-run')], {
      encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, cwd: project,
    });
    assert.equal(r.status, 0, `${name}: ${r.stdout}\n${r.stderr}`);
    const torchEvents = printedEvents(r.stdout);
    const worst = assertSameRecords(name, events, torchEvents);
    example.meaning?.(asJson(torchEvents).filter((e) => e.type === 'predictions') as unknown as PredictionsRecord[], validationSize);
    console.log(`${name}: largest relative difference ${worst.toExponential(2)}`);
  }
  fs.rmSync(root, { recursive: true });
});

test('under torchrun with 2 processes the gradient flow is still that of the whole batch\'s loss', async () => {
  assertTorchInstalled();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-panel-records-ddp-'));
  const [name, example] = Object.entries(cases)[2]; // ragged texts: the two halves of a batch differ in length
  const { events, project } = await seqlabRunAndExport(path.join(root, 'case'), example);
  const [command, ...args] = pytorchCommand({ python: PYTHON, projectDir: project, runDir: path.join(root, 'torch-run'), nproc: 2, port: await freePort(), device: 'cpu', overrides: {} });
  const r = spawnSync(command, [...args, '--progress-seconds', '0'], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, cwd: project });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const worst = assertSameRecords(`${name}, 2 processes`, events, printedEvents(r.stdout));
  console.log(`${name}, 2 processes: largest relative difference ${worst.toExponential(2)}`);
  fs.rmSync(root, { recursive: true });
});
