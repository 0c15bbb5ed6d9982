import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeqModelSpec } from '../modelSpec/types';
import { readPredictInputs, predictInputFormat } from './predictInputs';

const base = { name: 'p', model: { encoder: { cell: 'lstm' as const, hiddenSize: 4 } }, training: { epochs: 1, batchSize: 2, optimizer: { type: 'adam' as const, lr: 0.01 } } };
const forecastSpec: SeqModelSpec = { ...base, task: { type: 'forecast' }, data: { source: 'csv', path: 'd.csv', columns: ['load', 'temp'], window: 3 } };
const classifySpec: SeqModelSpec = { ...base, task: { type: 'classify' }, data: { source: 'text-classification', path: 'd.csv', textField: 'review' } };
const tagSpec: SeqModelSpec = { ...base, task: { type: 'tag' }, data: { source: 'conll', path: 'd.conll' } };
const pairsSpec: SeqModelSpec = { ...base, task: { type: 'seq2seq' }, data: { source: 'pairs', path: 'd.tsv' } };
const generateSpec: SeqModelSpec = { ...base, task: { type: 'generate' }, data: { source: 'text', path: 'd.txt', window: 8 } };
const sineSpec: SeqModelSpec = { ...base, task: { type: 'forecast' }, data: { source: 'synthetic', generator: 'sine', samples: 10, length: 5 } };

test('a CSV series becomes every window of data.window rows of the spec columns, in header order, located at its first row', () => {
  const csv = 'time,temp,load\n0,10,1\n1,11,2\n2,12,3\n3,13,4\n';
  const inputs = readPredictInputs(forecastSpec, csv, 'h.csv');
  assert.deepEqual(inputs.map((i) => i.value), [[[1, 10], [2, 11], [3, 12]], [[2, 11], [3, 12], [4, 13]]]);
  assert.deepEqual(inputs.map((i) => i.line), [2, 3]);
  const short = readPredictInputs(forecastSpec, 'load,temp\n5,6\n', 'h.csv');
  assert.deepEqual(short.map((i) => i.value), [[[5, 6]]]);
});

test('bad series cells and missing columns name file:line:col', () => {
  assert.throws(() => readPredictInputs(forecastSpec, 'load,temp\n1,2\n3,x\n', 'h.csv'), /^DataError: h\.csv:3:3: "x" is not a number in column "temp"/);
  assert.throws(() => readPredictInputs(forecastSpec, 'load\n1\n', 'h.csv'), /h\.csv:1:1: no column "temp"/);
});

test('text classification reads the text column of a CSV or the text field of JSONL lines', () => {
  const csv = 'label,review\npositive,"great, really"\n,awful\n';
  const fromCsv = readPredictInputs(classifySpec, csv, 'r.csv');
  assert.deepEqual(fromCsv.map((i) => [i.value, i.line, i.column]), [['great, really', 2, 10], ['awful', 3, 2]]);
  const jsonl = '{"review": "fine"}\n\n{"review": "bad", "label": "negative"}\n';
  assert.deepEqual(readPredictInputs(classifySpec, jsonl, 'r.jsonl').map((i) => [i.value, i.line]), [['fine', 1], ['bad', 3]]);
  assert.throws(() => readPredictInputs(classifySpec, '{"review": "ok"}\n{"review": 3}\n', 'r.jsonl'), /r\.jsonl:2:1: expected a JSON object with a string field "review"/);
  assert.throws(() => readPredictInputs(classifySpec, '{"review": "ok"}\n{"review" "x"}\n', 'r.jsonl'), /r\.jsonl:2:\d+: invalid JSON/);
});

test('CoNLL sentences (tags ignored), TSV sources, and a plain-text prompt', () => {
  const conll = '-DOCSTART- O\n\nThe DET\ncat NOUN\n\n\nsat\ndown\n';
  assert.deepEqual(readPredictInputs(tagSpec, conll, 's.conll').map((i) => [i.value, i.line]), [[['The', 'cat'], 3], [['sat', 'down'], 7]]);
  assert.deepEqual(readPredictInputs(pairsSpec, 'abc\tcba\n\nxy\n', 'p.tsv').map((i) => [i.value, i.line]), [['abc', 1], ['xy', 3]]);
  assert.deepEqual(readPredictInputs(generateSpec, 'ROMEO:\n', 'prompt.txt').map((i) => i.value), ['ROMEO:']);
  assert.deepEqual(readPredictInputs(generateSpec, '', 'prompt.txt').map((i) => i.value), ['']);
});

test('JSON arrays keep each element\'s place; malformed JSON and synthetic specs without a file format are errors with places', () => {
  const json = '[\n  [[1], [2]],\n  "x"\n]';
  assert.deepEqual(readPredictInputs(forecastSpec, json, 'in.json').map((i) => [i.value, i.line, i.column]), [[[[1], [2]], 2, 3], ['x', 3, 3]]);
  assert.throws(() => readPredictInputs(forecastSpec, '[1,\n 2,,]', 'in.json'), /in\.json:2:\d+: invalid JSON/);
  assert.throws(() => readPredictInputs(forecastSpec, '{"a": 1}', 'in.json'), /in\.json:1:1: expected a JSON array/);
  assert.equal(predictInputFormat(sineSpec, 'x.csv'), 'csv-columns');
  assert.deepEqual(readPredictInputs(sineSpec, 'a\n0.5\n0.25\n', 'x.csv').map((i) => i.value), [[[0.5], [0.25]]]);
  assert.throws(() => readPredictInputs(sineSpec, '1 2 3', 'x.txt'), /x\.txt:1:1: the synthetic sine spec reads predict inputs from a \.json array or a \.csv/);
});
