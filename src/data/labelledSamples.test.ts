// The setup text classification and CoNLL share (labelledSamples.ts), checked against a plain reference: samples in
// the order of a seeded shuffle of the file's, split by the fractions, the vocabulary built from the training
// samples' tokens alone, labels sorted (or the task's order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExampleSplit } from './batching';
import { loadConll } from './conll';
import { seededPermutation, splitCounts } from './splits';
import { loadTextClassification } from './textClassification';
import { DataError, type PreparedData } from './types';
import { Vocabulary } from './vocabulary';

const words = 'the a cat dog sat ran far near big small red blue'.split(' ');
/** 23 samples of 1–5 words (deterministic), each with one of three labels. */
const samples = Array.from({ length: 23 }, (_, i) => ({
  tokens: Array.from({ length: 1 + (i % 5) }, (_, k) => words[(i * 7 + k * 3) % words.length]),
  labels: Array.from({ length: 1 + (i % 5) }, (_, k) => ['B', 'C', 'A'][(i + k) % 3]),
}));
const split = { validation: 0.2, test: 0.15 };

function expectSameAsReference(prepared: PreparedData, seed: number, labelOf: (sample: (typeof samples)[number]) => string[], labels: string[]): void {
  const order = seededPermutation(samples.length, seed);
  const counts = splitCounts(samples.length, split, 'samples');
  const vocabulary = Vocabulary.build(Array.from(order.subarray(0, counts.train), (i) => samples[i].tokens));
  assert.deepEqual(prepared.info.vocabulary!.tokens, vocabulary.tokens);
  assert.deepEqual(prepared.info.labels, labels);
  const ranges = [[prepared.train, 0], [prepared.validation, counts.train], [prepared.test!, counts.train + counts.validation]] as const;
  assert.deepEqual(ranges.map(([s]) => s.size), [counts.train, counts.validation, counts.test]);
  for (const [store, start] of ranges) {
    [...(store as ExampleSplit).examples()].forEach((example, k) => {
      const sample = samples[order[start + k]];
      assert.deepEqual(Array.from(example.inputIds!), sample.tokens.map((t) => vocabulary.id(t)));
      const expected = labelOf(sample).map((l) => labels.indexOf(l));
      assert.deepEqual(example.targetClass !== undefined ? [example.targetClass] : Array.from(example.targetIds!), expected);
    });
  }
}

test('text classification: seeded order, split sizes, training vocabulary and label ids as the plain reference', () => {
  const csv = ['text,label', ...samples.map((s) => `${s.tokens.join(' ')},${s.labels[0]}`)].join('\n');
  for (const seed of [1, 7]) {
    const prepared = loadTextClassification(csv, { source: 'text-classification', path: 's.csv', split }, { file: 's.csv', seed });
    expectSameAsReference(prepared, seed, (s) => [s.labels[0]], ['A', 'B', 'C']);
  }
  const ordered = loadTextClassification(csv, { source: 'text-classification', path: 's.csv', split }, { file: 's.csv', seed: 3, labels: ['C', 'A', 'B'] });
  expectSameAsReference(ordered, 3, (s) => [s.labels[0]], ['C', 'A', 'B']);
});

test('CoNLL: seeded order, split sizes, training vocabulary and tag ids as the plain reference', () => {
  const conll = samples.map((s) => s.tokens.map((t, k) => `${t} ${s.labels[k]}`).join('\n')).join('\n\n');
  for (const seed of [1, 7]) expectSameAsReference(loadConll(conll, { source: 'conll', path: 't.conll', split }, { file: 't.conll', seed }), seed, (s) => s.labels, ['A', 'B', 'C']);
});

test('labelled samples: fewer than two samples and a label the task does not name are refused where they are', () => {
  assert.throws(() => loadConll('a X\nb Y\n', { source: 'conll', path: 't.conll' }, { file: 't.conll', seed: 1 }), /t\.conll:1:1: need at least 2 sentences, found 1/);
  assert.throws(() => loadTextClassification('text,label\nhi,A\n', { source: 'text-classification', path: 's.csv' }, { file: 's.csv', seed: 1 }), /s\.csv:1:1: need at least 2 labelled examples, found 1/);
  assert.throws(
    () => loadConll('a X\n\nb Y\nc Z\n', { source: 'conll', path: 't.conll' }, { file: 't.conll', seed: 1, labels: ['X', 'Y'] }),
    (error: unknown) => error instanceof DataError && error.message === 't.conll:4:3: tag "Z" is not one of the task\'s labels (X, Y)',
  );
});
