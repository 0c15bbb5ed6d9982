import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { baselines, prepareData } from '../data';
import type { ExampleSplit } from '../data/batching';
import type { DataIo, PreparedData } from '../data/types';
import type { SeqModelSpec } from '../modelSpec/types';
import { Rng } from '../tensor/rng';
import { assertChunksInOrder, assertSameData, cacheFolders, crashingIo, ioWithThreshold, shuffledBatches, trainedRun } from './testing/cachedData';

const inMemory = ioWithThreshold(Infinity);
const cached = ioWithThreshold(0);

/** Deterministic words: `count` distinct ones, drawn with a skew so some are frequent and some rare. */
function wordsFrom(seed: number, count: number): () => string {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return () => `w${Math.floor(count * next() ** 2).toString(36)}`;
}

const training = { epochs: 2, batchSize: 8, seed: 3, optimizer: { type: 'adam', lr: 0.01 }, loss: 'cross-entropy', clipGradNorm: 1 } as SeqModelSpec['training'];

type Kind = 'jsonl' | 'csv' | 'conll' | 'pairs' | 'shared-pairs';

/** A workspace holding a data file of `kind` and a spec over it (word vocabularies above 255: 16-bit ids). */
function workspace(kind: Kind, rows = 120): { dir: string; file: string; spec: SeqModelSpec } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `seqlab-cache-${kind}-`));
  const word = wordsFrom(rows, 1000);
  const sentence = (i: number) => Array.from({ length: 2 + ((i * 7) % 9) }, word);
  const lines: string[] = [];
  let spec: SeqModelSpec;
  let name: string;
  if (kind === 'jsonl' || kind === 'csv') {
    const labels = ['neg', 'neu', 'pos'];
    name = kind === 'jsonl' ? 'reviews.jsonl' : 'reviews.csv';
    if (kind === 'csv') lines.push('id,text,label');
    for (let i = 0; i < rows; i++) {
      const text = `${sentence(i).join(' ')}${i % 5 === 0 ? ', "quoted"' : ''}.`;
      const label = labels[(i * 5) % 3];
      lines.push(kind === 'jsonl' ? JSON.stringify({ text, label }) : `${i},"${text.replace(/"/g, '""')}",${label}`);
    }
    spec = {
      name: 'ragged',
      task: { type: 'classify' },
      data: { source: 'text-classification', path: name, tokenizer: 'word', split: { validation: 0.15, test: 0.1 }, bucketByLength: true },
      model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 5, packed: true }, readout: 'hN' },
      training,
    };
  } else if (kind === 'conll') {
    name = 'tagged.conll';
    lines.push('-DOCSTART- O', '');
    for (let i = 0; i < rows; i++) {
      for (const w of sentence(i)) lines.push(`${w}\tNN\t${w.length % 3 === 0 ? 'B-X' : w.length % 3 === 1 ? 'I-X' : 'O'}`);
      lines.push('');
    }
    spec = {
      name: 'ragged',
      task: { type: 'tag' },
      data: { source: 'conll', path: name, split: { validation: 0.15, test: 0.1 }, bucketByLength: true },
      model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 5, bidirectional: true, packed: true } },
      training,
    };
  } else {
    name = 'pairs.tsv';
    for (let i = 0; i < rows; i++) {
      const source = sentence(i);
      lines.push(`${source.join(' ')}\t${[...source].reverse().slice(0, 1 + (i % 4)).map((w) => w.toUpperCase()).join(' ')}`);
    }
    spec = {
      name: 'ragged',
      task: { type: 'seq2seq' },
      data: { source: 'pairs', path: name, tokenizer: 'word', lowercase: false, sharedVocabulary: kind === 'shared-pairs', split: { validation: 0.15, test: 0.1 }, bucketByLength: true },
      model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 5 }, decoder: { cell: 'lstm', hiddenSize: 5 } },
      training: { ...training, teacherForcing: { start: 1, end: 0.5, decay: 'linear' } },
    };
  }
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return { dir, file, spec };
}

const prepare = (spec: SeqModelSpec, dir: string, io: DataIo) => prepareData(spec, dir, io, path.join(dir, 'ragged.seqmodel.json'));
const headerOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, '.seqlab/cache', cacheFolders(dir)[0], 'header.json'), 'utf8'));

const FILES: Record<Kind, string[]> = {
  jsonl: ['header.json', 'ids.bin', 'labels.bin', 'offsets.f64'],
  csv: ['header.json', 'ids.bin', 'labels.bin', 'offsets.f64'],
  conll: ['header.json', 'ids.bin', 'offsets.f64', 'tags.bin'],
  pairs: ['header.json', 'ids.bin', 'offsets.f64', 'target-ids.bin', 'target-offsets.f64'],
  'shared-pairs': ['header.json', 'ids.bin', 'offsets.f64', 'target-ids.bin', 'target-offsets.f64'],
};

test('ragged data read back from the cache equals the in-memory stores: info, every example of every split, narrow ids, vocabularies in the header', () => {
  for (const kind of Object.keys(FILES) as Kind[]) {
    const { dir, spec } = workspace(kind);
    const expected = prepare(spec, dir, inMemory);
    const actual = prepare(spec, dir, cached);
    assert.equal(expected.info.cache, undefined);
    assert.equal(actual.info.cache?.built, true, kind);
    assertSameData(actual, expected);
    assert.ok(expected.info.vocabulary!.size > 256, `${kind}: a vocabulary that needs 16-bit ids`);
    const [folder] = cacheFolders(dir);
    assert.deepEqual(fs.readdirSync(path.join(dir, '.seqlab/cache', folder)).sort(), FILES[kind], kind);
    const header = headerOf(dir);
    assert.equal(header.files['ids.bin'].dtype, 'uint16', kind);
    assert.equal(header.files['offsets.f64'].shape[0], expected.info.trainSize + expected.info.validationSize + expected.info.testSize + 1);
    assert.deepEqual(header.payload.vocabulary, expected.info.vocabulary!.tokens, kind);
    if (expected.info.labels) {
      assert.deepEqual(header.payload.labels, expected.info.labels, kind);
      assert.equal(header.files[kind === 'conll' ? 'tags.bin' : 'labels.bin'].dtype, 'uint8', kind);
    }
    if (kind === 'pairs') assert.deepEqual(header.payload.targetVocabulary, expected.info.targetVocabulary!.tokens);
    if (kind === 'shared-pairs') assert.equal(header.payload.targetVocabulary, undefined);
    const reused = prepare(spec, dir, cached);
    assert.equal(reused.info.cache?.built, false, kind);
    assertSameData(reused, expected);
    // A finished run releases its cache files.
    reused.close!();
    assert.throws(() => [...reused.train.batches(4, { shuffle: false })], /EBADF|bad file descriptor/i);
    actual.close!();
  }
});

test('a ragged split on disk read in chunks is every example in order, and the baselines are those in memory', () => {
  for (const kind of ['jsonl', 'conll', 'pairs'] as const) {
    const { dir, spec } = workspace(kind);
    const expected = prepare(spec, dir, inMemory);
    const actual = prepare(spec, dir, cached);
    for (const split of ['validation', 'test'] as const) assert.deepEqual(baselines(actual, split), baselines(expected, split), `${kind} ${split}`);
    assertChunksInOrder((actual.train as ExampleSplit).store, [50, 333], kind);
    actual.close!();
  }
});

test('seeded shuffled (and length-bucketed) batches through the cache are bitwise those made in memory; another seed shuffles otherwise', () => {
  for (const kind of ['jsonl', 'conll', 'pairs'] as const) {
    const { dir, spec } = workspace(kind);
    const expected = prepare(spec, dir, inMemory);
    const actual = prepare(spec, dir, cached);
    const first = shuffledBatches(actual, 8, 7);
    assert.deepEqual(first, shuffledBatches(expected, 8, 7), kind);
    const order = first[0][0];
    assert.notDeepEqual(order, [...order].sort((a, b) => a - b), `${kind}: a real shuffle of examples`);
    assert.notDeepEqual(shuffledBatches(actual, 8, 8)[0][0], order, kind);
    const bucketed = (data: PreparedData) => [...data.train.batches(8, { shuffle: true, rng: new Rng(5), bucketByLength: true })].map((b) => [...b.indices.subarray(0, b.size), ...b.inputIds!, ...b.targetIds!]);
    assert.deepEqual(bucketed(actual), bucketed(expected), kind);
  }
});

test('the ragged cache is reused, and rebuilt when the file’s size or mtime, the data section, the seed or the task’s labels change', () => {
  const { dir, file, spec } = workspace('jsonl');
  assert.equal(prepare(spec, dir, cached).info.cache?.built, true);
  assert.equal(prepare(spec, dir, cached).info.cache?.built, false);
  const [original] = cacheFolders(dir);

  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(file, later, later);
  assert.equal(prepare(spec, dir, cached).info.cache?.built, true);
  assert.equal(cacheFolders(dir).length, 1, 'the folder of the outdated file is removed');
  assert.notEqual(cacheFolders(dir)[0], original);

  fs.appendFileSync(file, `${JSON.stringify({ text: 'one more review', label: 'pos' })}\n`);
  fs.utimesSync(file, later, later);
  const grown = prepare(spec, dir, cached);
  assert.equal(grown.info.cache?.built, true);
  assertSameData(grown, prepare(spec, dir, inMemory));

  const variants: ((s: SeqModelSpec) => void)[] = [
    (s) => Object.assign(s.data, { minFrequency: 2 }),
    (s) => Object.assign(s.training, { seed: 4 }),
    (s) => Object.assign(s.task, { labels: ['pos', 'neu', 'neg'] }),
  ];
  for (const [n, change] of variants.entries()) {
    const other = structuredClone(spec);
    change(other);
    assert.equal(prepare(other, dir, cached).info.cache?.built, true);
    assert.equal(cacheFolders(dir).length, 2 + n);
    assertSameData(prepare(other, dir, cached), prepare(other, dir, inMemory));
  }
  assert.equal(prepare(spec, dir, cached).info.cache?.built, false);
});

test('a ragged build that fails half-way leaves no folder; a cut cache file is rebuilt, not read', () => {
  const { dir, spec } = workspace('pairs');
  const crashing = crashingIo('target-ids.bin', 16);
  assert.throws(() => prepare(spec, dir, crashing), /simulated crash/);
  assert.deepEqual(cacheFolders(dir), [], 'the failed build removed its temporary folder and its staged ids');

  prepare(spec, dir, cached);
  const expected = prepare(spec, dir, inMemory);
  const root = path.join(dir, '.seqlab/cache');
  const [name] = cacheFolders(dir);
  for (const file of ['target-ids.bin', 'offsets.f64']) {
    const size = fs.statSync(path.join(root, name, file)).size;
    fs.truncateSync(path.join(root, name, file), size - 2);
    const repaired = prepare(spec, dir, cached);
    assert.equal(repaired.info.cache?.built, true, file);
    assertSameData(repaired, expected);
    assert.equal(fs.statSync(path.join(root, name, file)).size, size);
  }
});

test('a cache file cut while a run reads it is an error naming the file, not wrong numbers', () => {
  const { dir, spec } = workspace('conll');
  const data = prepare(spec, dir, cached);
  const [name] = cacheFolders(dir);
  const tags = path.join(dir, '.seqlab/cache', name, 'tags.bin');
  fs.truncateSync(tags, 0);
  assert.throws(() => [...data.train.batches(8, { shuffle: false })], (error: Error) => error.message.startsWith(`${tags}: the cache file ends at byte`));
  data.close!();
});

for (const kind of ['jsonl', 'conll', 'pairs'] as const) {
  test(`a ${kind === 'jsonl' ? 'classifier' : kind === 'conll' ? 'tagger' : 'seq2seq model'} trained through the cache equals the one trained in memory, step for step`, async () => {
    const { dir, spec } = workspace(kind);
    const run = (io: DataIo) => trainedRun(spec, prepare(spec, dir, io));
    const expected = await run(inMemory);
    assert.ok(expected.losses.length > 10);
    assert.deepEqual(await run(cached), expected);
  });
}

test('a data error found while a ragged cache is built is the loader’s own, at its line and column, and leaves no folder', () => {
  const cases: [Kind, string, RegExp][] = [
    ['jsonl', '{"text": "fine", "label": "pos"}\n{"text": "broken", "label": }\n', /:\d+:\d+: invalid JSON/],
    ['conll', 'lonely\n', /:\d+:7: expected "token tag" on each line/],
    ['pairs', 'no tab here\n', /:\d+:1: expected "source<TAB>target"/],
  ];
  for (const [kind, bad, expected] of cases) {
    const { dir, file, spec } = workspace(kind);
    fs.appendFileSync(file, bad);
    const message = (io: DataIo) => {
      try {
        prepare(spec, dir, io);
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    const inMemoryMessage = message(inMemory);
    assert.match(inMemoryMessage, expected, kind);
    assert.ok(inMemoryMessage.startsWith(`${file}:`), inMemoryMessage);
    assert.equal(message(cached), inMemoryMessage, kind);
    assert.deepEqual(cacheFolders(dir), [], kind);
  }
});
