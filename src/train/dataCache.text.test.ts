import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareData } from '../data';
import type { DataIo } from '../data/types';
import type { SeqModelSpec } from '../modelSpec/types';
import { assertSameData, cacheFolders, ioWithThreshold, shuffledBatches, trainedRun } from './testing/cachedData';

const inMemory = ioWithThreshold(Infinity);
const cached = ioWithThreshold(0);

function workspace(text: string, data: Partial<Extract<SeqModelSpec['data'], { source: 'text' }>> = {}): { dir: string; spec: SeqModelSpec } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-cache-text-'));
  fs.writeFileSync(path.join(dir, 'corpus.txt'), text);
  const spec: SeqModelSpec = {
    name: 'cached-text',
    task: { type: 'generate' },
    data: { source: 'text', path: 'corpus.txt', tokenizer: 'char', window: 16, split: { validation: 0.15, test: 0.1 }, ...data },
    model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 6 } },
    training: { epochs: 2, batchSize: 8, seed: 2, optimizer: { type: 'adam', lr: 0.01 }, loss: 'cross-entropy', clipGradNorm: 1 },
  };
  return { dir, spec };
}

const prepare = (spec: SeqModelSpec, dir: string, io: DataIo) => prepareData(spec, dir, io, path.join(dir, 'cached-text.seqmodel.json'));
const shakespeare = 'Before we proceed any further, hear me speak.\r\nSpeak, speak.\nYou are all resolved rather to die than to famish? Ünïcödé 😀 done.\n'.repeat(12);

test('a character text read back from the cache equals the in-memory stream: vocabulary, every window, seeded batches', () => {
  const { dir, spec } = workspace(shakespeare);
  const expected = prepare(spec, dir, inMemory);
  const actual = prepare(spec, dir, cached);
  assert.equal(actual.info.cache?.built, true);
  assertSameData(actual, expected);
  assert.deepEqual(shuffledBatches(actual, 8, 5), shuffledBatches(expected, 8, 5));
  const [folder] = cacheFolders(dir);
  const header = JSON.parse(fs.readFileSync(path.join(dir, '.seqlab/cache', folder, 'header.json'), 'utf8'));
  assert.equal(header.files['ids.bin'].dtype, 'uint8', 'a character vocabulary is stored a byte per token');
  assert.deepEqual(fs.readdirSync(path.join(dir, '.seqlab/cache', folder)).sort(), ['header.json', 'ids.bin']);
  assert.equal(prepare(spec, dir, cached).info.cache?.built, false);
});

test('a word text with more distinct tokens than 16 bits hold: provisional ids widen, final ids are int32, the same as in memory', () => {
  const words: string[] = [];
  for (let i = 0; i < 70_000; i++) words.push(`w${i.toString(36)}`);
  for (let i = 0; i < 2_000; i++) words.push('the');
  const { dir, spec } = workspace(`${words.join(' ')}\n`, { tokenizer: 'word', window: 32, split: { validation: 0.05 } });
  const expected = prepare(spec, dir, inMemory);
  const actual = prepare(spec, dir, cached);
  assert.ok(expected.info.vocabulary!.size > 0x10000);
  assertSameData(actual, expected);
  const header = JSON.parse(fs.readFileSync(path.join(dir, '.seqlab/cache', cacheFolders(dir)[0], 'header.json'), 'utf8'));
  assert.equal(header.files['ids.bin'].dtype, 'int32');
});

test('a generator trained through the cache equals the one trained in memory, step for step', async () => {
  const { dir, spec } = workspace(shakespeare);
  const run = (io: DataIo) => trainedRun(spec, prepare(spec, dir, io));
  const expected = await run(inMemory);
  assert.ok(expected.losses.length > 10);
  assert.deepEqual(await run(cached), expected);
});

test('the text cache follows the data section: another window or tokenizer is another folder', () => {
  const { dir, spec } = workspace(shakespeare);
  prepare(spec, dir, cached);
  const other = structuredClone(spec);
  Object.assign(other.data, { window: 20 });
  assert.equal(prepare(other, dir, cached).info.cache?.built, true);
  assertSameData(prepare(other, dir, cached), prepare(other, dir, inMemory));
  assert.equal(cacheFolders(dir).length, 2);
});
