import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeqModelSpec } from '../modelSpec/types';
import { Rng } from '../tensor/rng';
import { baselines } from './baselines';
import { prepareData } from './prepare';
import type { DataIo, PreparedData } from './types';

/** The same file two ways: whole (`readTextFile`) and in reads of 3 bytes (chunks cut inside characters and lines). */
function ios(text: string): { whole: DataIo; chunked: DataIo } {
  const bytes = new TextEncoder().encode(text);
  return {
    whole: { readTextFile: () => text },
    chunked: {
      readTextFile: () => {
        throw new Error('the chunked path must be used');
      },
      openFile: () => ({
        size: bytes.length,
        read: (position, target) => {
          const n = Math.max(0, Math.min(3, target.length, bytes.length - position));
          target.set(bytes.subarray(position, position + n));
          return n;
        },
        close: () => {},
      }),
    },
  };
}

/** Everything a consumer can see of prepared data: sizes, vocabularies, every batch of every split, descriptions, baselines. */
function observe(prepared: PreparedData): unknown {
  const { info } = prepared;
  const splits = [prepared.train, prepared.validation, prepared.test].map((split) => {
    if (!split) return undefined;
    const batches: unknown[] = [];
    for (const batch of split.batches(3, { shuffle: true, rng: new Rng(2), bucketByLength: true })) {
      batches.push(Object.fromEntries(Object.entries(batch).map(([key, value]) => [key, ArrayBuffer.isView(value) ? Array.from(value as Int32Array) : value])));
    }
    return { batches, described: Array.from({ length: split.size }, (_, i) => split.describe(i)) };
  });
  return {
    sizes: [info.trainSize, info.validationSize, info.testSize, info.maxLength, info.inputSize, info.outputSize],
    vocabulary: info.vocabulary?.tokens,
    targetVocabulary: info.targetVocabulary?.tokens,
    labels: info.labels,
    normalizer: info.normalizer?.toJSON(),
    splits,
    baselines: baselines(prepared),
  };
}

function spec(task: SeqModelSpec['task'], data: SeqModelSpec['data']): SeqModelSpec {
  return { name: 't', task, data, model: { encoder: { cell: 'gru', hiddenSize: 4 } }, training: { epochs: 1, batchSize: 2, seed: 3, optimizer: { type: 'adam', lr: 0.01 } } };
}

const cases: [string, SeqModelSpec, string][] = [
  ['csv series', spec({ type: 'forecast', horizon: 2 }, { source: 'csv', path: 'x.csv', columns: ['a', 'b'], target: ['b'], window: 3, split: { validation: 0.2, test: 0.2 } }),
    '\uFEFFt,a,b\r\n' + Array.from({ length: 30 }, (_, i) => `"day\n${i}",${i * 1.5},${(i * i) % 7}`).join('\r\n') + '\r\n'],
  ['text classification (CSV)', spec({ type: 'classify' }, { source: 'text-classification', path: 'x.csv', format: 'csv', tokenizer: 'word', split: { validation: 0.3 } }),
    'text,label\n' + Array.from({ length: 20 }, (_, i) => `"naïve, ""${i % 3 ? 'bön' : 'ça'}"" film ${i % 4}",${i % 2 ? 'pos' : 'neg'}`).join('\n')],
  ['text classification (JSONL)', spec({ type: 'classify' }, { source: 'text-classification', path: 'x.jsonl', format: 'jsonl', tokenizer: 'char', split: { validation: 0.3 } }),
    Array.from({ length: 20 }, (_, i) => JSON.stringify({ text: `日本 ${i % 5} é😀`, label: i % 3 })).join('\r\n')],
  ['conll', spec({ type: 'tag' }, { source: 'conll', path: 'x.conll', split: { validation: 0.3 } }),
    '-DOCSTART- O\n\n' + Array.from({ length: 12 }, (_, i) => `Zürich B-LOC\nist O\nschön${i % 3} O\n`).join('\n')],
  ['pairs', spec({ type: 'seq2seq' }, { source: 'pairs', path: 'x.tsv', tokenizer: 'char', sharedVocabulary: true, split: { validation: 0.3 } } as SeqModelSpec['data']),
    Array.from({ length: 15 }, (_, i) => `ab${'çé'.repeat(i % 3)}\t${'éç'.repeat(i % 3)}ba`).join('\r\n')],
  ['plain text', spec({ type: 'generate' }, { source: 'text', path: 'x.txt', window: 5, split: { validation: 0.2, test: 0.1 } }),
    'Ünïcode 😀 text,\r\nacross lines\rand more lines of text ' .repeat(6)],
];

for (const [name, theSpec, text] of cases) {
  test(`streamed loading (${name}): reads of 3 bytes give exactly what one piece gives`, () => {
    const { whole, chunked } = ios(text);
    const a = observe(prepareData(theSpec, '/d', whole, '/d/t.seqmodel.json'));
    const b = observe(prepareData(theSpec, '/d', chunked, '/d/t.seqmodel.json'));
    assert.deepEqual(b, a);
  });
}
