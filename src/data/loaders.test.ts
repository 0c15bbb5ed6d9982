import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeqModelSpec } from '../modelSpec/types';
import { baselines } from './baselines';
import type { ExampleSplit } from './batching';
import { prepareData, resolveDataPath } from './prepare';
import { DataError, type PreparedData } from './types';
import { BOS_ID, EOS_ID, UNK_ID } from './vocabulary';

/** A spec around a data section, with the rest filled in minimally. */
function specWith(task: SeqModelSpec['task'], data: SeqModelSpec['data']): SeqModelSpec {
  return {
    name: 'test',
    task,
    data,
    model: { encoder: { cell: 'lstm', hiddenSize: 4 } },
    training: { epochs: 1, batchSize: 2, seed: 5, optimizer: { type: 'adam', lr: 0.01 } },
  };
}
function prepareFrom(files: Record<string, string>, spec: SeqModelSpec): PreparedData {
  return prepareData(spec, '/ws/examples', {
    readTextFile: (path) => {
      if (!(path in files)) throw new Error(`ENOENT: ${path}`);
      return files[path];
    },
  });
}
const examplesOf = (prepared: PreparedData) => [
  ...(prepared.train as ExampleSplit).examples(),
  ...(prepared.validation as ExampleSplit).examples(),
];

test('text classification (CSV): quoted texts, labels in id order, vocabulary from the training split only', () => {
  const rows = ['text,label', '"great, truly great",pos', 'awful film,neg', ...Array.from({ length: 18 }, (_, i) => `film ${i % 2 ? 'good' : 'bad'} w${i},${i % 2 ? 'pos' : 'neg'}`)];
  const prepared = prepareFrom(
    { '/ws/examples/data/s.csv': rows.join('\r\n') },
    specWith({ type: 'classify', labels: ['neg', 'pos'] }, { source: 'text-classification', path: 'data/s.csv', split: { validation: 0.25 } }),
  );
  const { info } = prepared;
  assert.equal(info.kind, 'tokens');
  assert.deepEqual(info.labels, ['neg', 'pos']);
  assert.equal(info.outputSize, 2);
  assert.equal(info.trainSize + info.validationSize, 20);
  const vocabulary = info.vocabulary!;
  const trainWords = new Set([...(prepared.train as ExampleSplit).examples()].flatMap((e) => Array.from(e.inputIds!, (id) => vocabulary.token(id))));
  // Each "wN" appears once: those in validation must be unknown to the vocabulary.
  for (let index = 0; index < prepared.validation.size; index++) {
    const described = prepared.validation.describe(index);
    const unique = described.input.split(' ').find((word) => /^w\d+$/.test(word) || word === '<unk>');
    if (unique) assert.equal(unique, '<unk>');
  }
  assert.ok(!trainWords.has('<unk>'));
  assert.ok(examplesOf(prepared).some((e) => Array.from(e.inputIds!).includes(UNK_ID)));
  // 10 neg and 10 pos split 15/5: the seeded split leaves 8 neg / 7 pos for training (majority neg) and 2 neg /
  // 3 pos for validation, so always answering neg is right on 2 of 5.
  const labelCounts = (split: unknown) => [0, 1].map((c) => [...(split as ExampleSplit).examples()].filter((e) => e.targetClass === c).length);
  assert.deepEqual([labelCounts(prepared.train), labelCounts(prepared.validation)], [[8, 7], [2, 3]]);
  assert.equal(baselines(prepared).majorityAccuracy, 2 / 5);
});

test('text classification (JSONL): a broken line and an unknown label are reported with line and column', () => {
  const spec = specWith({ type: 'classify', labels: ['neg', 'pos'] }, { source: 'text-classification', path: 'd.jsonl' });
  assert.throws(
    () => prepareFrom({ '/ws/examples/d.jsonl': '{"text":"ok","label":"pos"}\n\n{"text":"x","label":"meh"}\n' }, spec),
    (error: unknown) => error instanceof DataError && error.message === '/ws/examples/d.jsonl:3:21: label "meh" is not one of the task\'s labels (neg, pos)',
  );
  assert.throws(() => prepareFrom({ '/ws/examples/d.jsonl': '{"text":"ok","label":"pos"}\n{"text": oops}\n' }, spec), /d\.jsonl:2:\d+: invalid JSON/);
  assert.throws(() => prepareFrom({}, spec), /\/ws\/examples\/d\.jsonl:1:1: cannot read the data file: ENOENT/);
});

test('CoNLL: token and tag per line, blank lines between sentences, extra columns and -DOCSTART- ignored', () => {
  const text = '-DOCSTART- O\n\nthe DT\nwatch NN\n\n\nthey PRP\nwatch VB\nit PRP\n\r\nI PRP x VB\n';
  const prepared = prepareFrom({ '/ws/examples/t.conll': text }, specWith({ type: 'tag' }, { source: 'conll', path: 't.conll', split: { validation: 0.34 } }));
  assert.deepEqual(prepared.info.labels, ['DT', 'NN', 'PRP', 'VB']);
  const sentences = examplesOf(prepared).map((e) => Array.from(e.targetIds!, (id) => prepared.info.labels![id]).join(' ')).sort();
  assert.deepEqual(sentences, ['DT NN', 'PRP VB PRP', 'VB']);
  assert.throws(
    () => prepareFrom({ '/ws/examples/t.conll': 'a X\nb\n' }, specWith({ type: 'tag' }, { source: 'conll', path: 't.conll' })),
    /t\.conll:2:2: expected "token tag" on each line/,
  );
});

test('pairs: decoder input is <s> + target, target ends in </s>, and a line without a tab is an error', () => {
  const prepared = prepareFrom(
    { '/ws/examples/p.tsv': 'abc\tcba\nxy\tyx\nq\tq\n' },
    specWith({ type: 'seq2seq' }, { source: 'pairs', path: 'p.tsv', sharedVocabulary: true, split: { validation: 0.34 } }),
  );
  const example = examplesOf(prepared).find((e) => e.length === 3)!;
  const vocabulary = prepared.info.targetVocabulary!;
  assert.equal(prepared.info.vocabulary, vocabulary);
  assert.deepEqual(Array.from(example.targetIds!, (id) => (id === EOS_ID ? '</s>' : vocabulary.token(id))), ['c', 'b', 'a', '</s>']);
  assert.equal(example.decoderInputIds![0], BOS_ID);
  assert.deepEqual(Array.from(example.decoderInputIds!.subarray(1)), Array.from(example.targetIds!.subarray(0, 3)));
  assert.throws(
    () => prepareFrom({ '/ws/examples/p.tsv': 'a\tb\nno tab here\n' }, specWith({ type: 'seq2seq' }, { source: 'pairs', path: 'p.tsv' })),
    /p\.tsv:2:1: expected "source<TAB>target"/,
  );
});

test('plain text: windows of `window` tokens, inputs <s> + the targets shifted right; held-out text comes after training text', () => {
  const text = 'abcdefghij'.repeat(10); // 100 chars
  const prepared = prepareFrom({ '/ws/examples/t.txt': text }, specWith({ type: 'generate' }, { source: 'text', path: 't.txt', window: 8, split: { validation: 0.2 } }));
  const train = prepared.train as ExampleSplit;
  const vocabulary = prepared.info.vocabulary!;
  const second = train.example(1);
  assert.equal(Array.from(second.inputIds!, (id) => vocabulary.token(id)).join(''), '<s>efghija');
  assert.equal(Array.from(second.targetIds!, (id) => vocabulary.token(id)).join(''), 'efghijab');
  assert.equal(train.size, 19); // 80 training chars, stride 4: starts 0..72
  assert.equal(prepared.validation.size, 2); // 20 chars, stride 8: starts 80 and 88
  assert.equal(prepared.validation.describe(1).target, 'ijabcdef'); // chars 88..95
  assert.equal(baselines(prepared).uniformPerplexity, vocabulary.size);
});

test('prepareData: a data source that cannot feed the task is refused', () => {
  assert.throws(() => prepareFrom({}, specWith({ type: 'classify' }, { source: 'conll', path: 'x' })), /data "conll" suits task "tag", not "classify"/);
});

test('resolveDataPath: spec-relative paths are joined and normalised; absolute paths pass through', () => {
  assert.equal(resolveDataPath('/ws/examples', 'data/a.csv'), '/ws/examples/data/a.csv');
  assert.equal(resolveDataPath('/ws/examples/', './../data/a.csv'), '/ws/data/a.csv');
  assert.equal(resolveDataPath('/ws/examples', '/abs/a.csv'), '/abs/a.csv');
  assert.equal(resolveDataPath('examples', 'data/a.csv'), 'examples/data/a.csv');
  assert.equal(resolveDataPath('C:\\ws', 'data\\a.csv'), 'C:/ws/data/a.csv');
});
