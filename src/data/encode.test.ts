import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExampleSplit } from './batching';
import { encodeSeries, encodeText } from './encode';
import { ZScore } from './normalize';
import { loadCsvSeries } from './series';
import { loadTextClassification } from './textClassification';
import { UNK_ID, Vocabulary } from './vocabulary';

test('encodeText: new text goes through the training tokeniser (lowercase, words) and vocabulary', () => {
  const rows = ['text,label', ...Array.from({ length: 10 }, (_, i) => `Good film ${i},pos`), 'Bad film,neg'];
  const prepared = loadTextClassification(rows.join('\n'), { source: 'text-classification', path: 's.csv', split: { validation: 0.1 } }, { file: 's.csv', seed: 1 });
  const vocabulary = prepared.info.vocabulary!;
  assert.deepEqual(Array.from(encodeText(prepared.info, 'GOOD film, zebra')), [vocabulary.id('good'), vocabulary.id('film'), UNK_ID, UNK_ID]);
  assert.ok(vocabulary.has('good') && !vocabulary.has(','));
});

test('encodeSeries: raw rows are z-scored with the training statistics of their own columns', () => {
  const csv = ['t,a,b', ...Array.from({ length: 12 }, (_, i) => `${i},${i},${100 - 3 * i}`)].join('\n');
  const prepared = loadCsvSeries(csv, { file: 'x.csv', window: 3, horizon: 1, inputColumns: ['b', 'a'], targetColumns: ['a'], normalize: 'zscore', split: { validation: 0.2 } });
  // Worked by hand: the training windows cover rows 0–9 (the last 20% of windows is validation), so the z-score
  // of a = i has mean 4.5 and population std √8.25, that of b = 100 − 3i mean 86.5 and std 3·√8.25.
  const s = Math.sqrt(8.25);
  assert.deepEqual([...prepared.info.normalizer!.mean, ...prepared.info.normalizer!.std], [86.5, 4.5, 3 * s, s]);
  const encoded = encodeSeries(prepared.info, [[97, 1], [94, 2]]);
  const expected = [(97 - 86.5) / (3 * s), (1 - 4.5) / s, (94 - 86.5) / (3 * s), (2 - 4.5) / s]; // ±1.2185, ±0.8704
  encoded.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `encoded[${i}] = ${v}, expected ${expected[i]}`));
  // Same numbers as the training windows hold for those rows.
  assert.deepEqual(Array.from(encoded.subarray(0, 2)), Array.from((prepared.train as ExampleSplit).example(0).inputs!.subarray(2, 4)));
  assert.throws(() => encodeSeries(prepared.info, [[1]]), /step 0 has 1 values, expected 2 \(b, a\)/);
});

test('vocabulary and z-score survive a JSON round trip (saved with a run)', () => {
  const vocabulary = Vocabulary.build([['x', 'y', 'x']]);
  assert.deepEqual(Vocabulary.fromJSON(JSON.parse(JSON.stringify(vocabulary))).tokens, vocabulary.tokens);
  const zscore = ZScore.fit(Float64Array.of(1, 10, 3, 30), 2, 2);
  const restored = ZScore.fromJSON(JSON.parse(JSON.stringify(zscore)));
  assert.deepEqual([...restored.mean, ...restored.std], [2, 20, 1, 10]);
});
