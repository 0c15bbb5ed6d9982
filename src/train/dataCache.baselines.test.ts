import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { baselines, prepareData } from '../data';
import type { ExampleSplit } from '../data/batching';
import type { SeqModelSpec } from '../modelSpec/types';
import { assertChunksInOrder, ioWithThreshold } from './testing/cachedData';

const specs: [string, string, SeqModelSpec['task'], SeqModelSpec['data']][] = [
  ['series, z-scored', 'series.csv', { type: 'forecast', horizon: 3 }, { source: 'csv', path: 'series.csv', columns: ['load', 'temperature'], target: ['load'], window: 12, normalize: 'zscore', split: { validation: 0.15, test: 0.1 } }],
  ['series, last value', 'series.csv', { type: 'forecast', horizon: 1 }, { source: 'csv', path: 'series.csv', columns: ['load', 'temperature'], target: ['load', 'temperature'], window: 5, normalize: 'last-value', split: { validation: 0.2, test: 0.1 } }],
  ['text, characters', 'corpus.txt', { type: 'generate' }, { source: 'text', path: 'corpus.txt', tokenizer: 'char', window: 16, split: { validation: 0.15, test: 0.1 } }],
  ['text, words', 'corpus.txt', { type: 'generate' }, { source: 'text', path: 'corpus.txt', tokenizer: 'word', window: 7, split: { validation: 0.2 } }],
];

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-cache-baselines-'));
  const rows = ['load,temperature'];
  for (let i = 0; i < 1_500; i++) rows.push(`${(100 + 10 * Math.sin(i / 7) + i * 0.05).toFixed(3)},${(15 + 5 * Math.cos(i / 11) + (i % 13) / 10).toFixed(2)}`);
  fs.writeFileSync(path.join(dir, 'series.csv'), `${rows.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'corpus.txt'), 'Before we proceed any further, hear me speak.\nSpeak, speak.\nYou are all resolved rather to die than to famish? Ünïcödé 😀\n'.repeat(40));
  return dir;
}

for (const [what, , task, data] of specs) {
  test(`through the disk cache (${what}): a split read in chunks is every window in order, and the baselines are those in memory`, () => {
    const dir = workspace();
    const spec: SeqModelSpec = { name: 'c', task, data, model: { encoder: { cell: 'gru', hiddenSize: 4 } }, training: { epochs: 1, batchSize: 4, seed: 1, optimizer: { type: 'adam', lr: 0.01 } } };
    const prepare = (threshold: number) => prepareData(spec, dir, ioWithThreshold(threshold), path.join(dir, 'c.seqmodel.json'));
    const inMemory = prepare(Infinity);
    const cached = prepare(0);
    assert.ok(cached.info.cache, 'read through the cache');
    for (const split of ['validation', 'test'] as const) assert.deepEqual(baselines(cached, split), baselines(inMemory, split), split);
    for (const name of ['train', 'validation'] as const) assertChunksInOrder((cached[name] as ExampleSplit).store, [100, 1_000, 7_777], name);
    cached.close?.();
  });
}
