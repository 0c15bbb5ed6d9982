import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareData } from '../data';
import type { ExampleSplit } from '../data/batching';
import type { DataIo, PreparedData } from '../data/types';
import type { SeqModelSpec } from '../modelSpec/types';
import { assertSameData, cacheFolders, crashingIo, ioWithThreshold, shuffledBatches, trainedRun } from './testing/cachedData';

const inMemory = ioWithThreshold(Infinity);
const cached = ioWithThreshold(0);

function workspace(rows = 400): { dir: string; csv: string; spec: SeqModelSpec } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-cache-'));
  const csv = path.join(dir, 'series.csv');
  const lines = ['time,load,temperature'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(100 + 10 * Math.sin(i / 7) + i * 0.05).toFixed(3)},${(15 + 5 * Math.cos(i / 11)).toFixed(2)}`);
  fs.writeFileSync(csv, `${lines.join('\n')}\n`);
  const spec: SeqModelSpec = {
    name: 'cached',
    task: { type: 'forecast', horizon: 2 },
    data: { source: 'csv', path: 'series.csv', columns: ['load', 'temperature'], target: ['load'], window: 12, normalize: 'zscore', split: { validation: 0.15, test: 0.1 } },
    model: { encoder: { cell: 'lstm', hiddenSize: 5 }, readout: 'hN' },
    training: { epochs: 2, batchSize: 8, seed: 4, optimizer: { type: 'adam', lr: 0.01 }, loss: 'mse', clipGradNorm: 1 },
  };
  return { dir, csv, spec };
}

const prepare = (spec: SeqModelSpec, dir: string, io: DataIo) => prepareData(spec, dir, io, path.join(dir, 'cached.seqmodel.json'));

test('a series read back from the cache equals the in-memory store: every window of every split, the statistics, the normaliser', () => {
  for (const normalize of ['zscore', 'last-value', 'none'] as const) {
    const { dir, spec } = workspace();
    Object.assign(spec.data, { normalize });
    const expected = prepare(spec, dir, inMemory);
    const actual = prepare(spec, dir, cached);
    assert.equal(expected.info.cache, undefined);
    assert.equal(actual.info.cache?.built, true, normalize);
    assertSameData(actual, expected);
    // Window boundaries: the first and last window of the training split start at rows 0 and train-1.
    const train = actual.train as ExampleSplit;
    assert.equal(train.example(0).inputs!.length, 12 * 2);
    assert.deepEqual(cacheFolders(dir).length, 1);
    assert.ok(fs.readdirSync(path.join(dir, '.seqlab/cache', cacheFolders(dir)[0])).sort().join() === 'header.json,table.f32');
    // A finished run releases the cache file (workers share the extension host's descriptors).
    actual.close!();
    assert.throws(() => train.example(0), /EBADF|bad file descriptor/i);
  }
});

test('seeded shuffled batches through the cache are bitwise those of the in-memory path, and another seed shuffles otherwise', () => {
  const { dir, spec } = workspace();
  const batchesOf = (data: PreparedData, seed: number) => shuffledBatches(data, 8, seed);
  const expected = batchesOf(prepare(spec, dir, inMemory), 7);
  const actual = batchesOf(prepare(spec, dir, cached), 7);
  assert.deepEqual(actual, expected);
  const order = actual[0][0];
  assert.notDeepEqual(order, [...order].sort((a, b) => a - b), 'a real shuffle over windows, not file order');
  assert.notDeepEqual(batchesOf(prepare(spec, dir, cached), 8)[0][0], order);
});

test('the cache is reused, and rebuilt when the file’s size, mtime or path or the spec’s data section change', () => {
  const { dir, csv, spec } = workspace();
  const first = prepare(spec, dir, cached);
  assert.equal(first.info.cache?.built, true);
  assert.equal(prepare(spec, dir, cached).info.cache?.built, false);
  const [original] = cacheFolders(dir);

  // mtime: the same bytes, touched; the outdated folder of that file is removed.
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(csv, later, later);
  const touched = prepare(spec, dir, cached);
  assert.equal(touched.info.cache?.built, true);
  assert.equal(cacheFolders(dir).length, 1);
  assert.notEqual(cacheFolders(dir)[0], original);

  // size: one more row changes the data, and the cache follows it.
  fs.appendFileSync(csv, '400,1000,20\n');
  fs.utimesSync(csv, later, later);
  const grown = prepare(spec, dir, cached);
  assert.equal(grown.info.cache?.built, true);
  assert.equal(grown.info.stats!.rows, 401);
  assertSameData(grown, prepare(spec, dir, inMemory));

  // the data section: another window keys another folder (the first stays: two specs may share a file).
  const wider = structuredClone(spec);
  Object.assign(wider.data, { window: 10 });
  assert.equal(prepare(wider, dir, cached).info.cache?.built, true);
  assert.equal(cacheFolders(dir).length, 2);
  assert.equal(prepare(spec, dir, cached).info.cache?.built, false);
  assertSameData(prepare(wider, dir, cached), prepare(wider, dir, inMemory));

  // the path: the same file under another name is another data file.
  fs.copyFileSync(csv, path.join(dir, 'copy.csv'));
  fs.utimesSync(path.join(dir, 'copy.csv'), later, later);
  const copied = structuredClone(spec);
  Object.assign(copied.data, { path: 'copy.csv' });
  assert.equal(prepare(copied, dir, cached).info.cache?.built, true);
  assert.equal(cacheFolders(dir).length, 3);
});

test('a build that fails or is killed half-way leaves no usable cache; a damaged cache is rebuilt', () => {
  const { dir, spec } = workspace();
  // Crash while the table is written: after 64 bytes the disk "fails".
  const crashing = crashingIo('table.f32', 64);
  assert.throws(() => prepare(spec, dir, crashing), /simulated crash/);
  assert.deepEqual(cacheFolders(dir), [], 'the failed build removed its temporary folder and made no other');

  // A kill cannot clean up: a half-written temporary folder stays, and is never read.
  const good = prepare(spec, dir, cached);
  const [name] = cacheFolders(dir);
  const root = path.join(dir, '.seqlab/cache');
  fs.rmSync(path.join(root, name), { recursive: true });
  const killed = path.join(root, `.${name}.${Date.now()}-killed.tmp`);
  fs.mkdirSync(killed);
  fs.writeFileSync(path.join(killed, 'table.f32'), new Uint8Array(10));
  const rebuilt = prepare(spec, dir, cached);
  assert.equal(rebuilt.info.cache?.built, true);
  assertSameData(rebuilt, good);

  // A complete folder whose table was cut afterwards does not match its header: rebuilt, not read.
  fs.truncateSync(path.join(root, name, 'table.f32'), 100);
  const repaired = prepare(spec, dir, cached);
  assert.equal(repaired.info.cache?.built, true);
  assertSameData(repaired, good);
  assert.equal(fs.statSync(path.join(root, name, 'table.f32')).size, rebuilt.info.stats!.rows * 2 * 4);
});

test('a run trained through the cache equals the run trained in memory, step for step', async () => {
  const { dir, spec } = workspace();
  const run = (io: DataIo) => trainedRun(spec, prepare(spec, dir, io));
  const expected = await run(inMemory);
  const actual = await run(cached);
  assert.ok(expected.losses.length > 10);
  assert.deepEqual(actual, expected);
});

test('a data error found while the cache is built is the loader’s own, at its line, and leaves no folder', () => {
  const { dir, csv, spec } = workspace();
  fs.appendFileSync(csv, '400,oops,3\n');
  assert.throws(() => prepare(spec, dir, cached), (error: Error) => error.message === `${csv}:402:5: "oops" is not a number in column "load"`);
  assert.deepEqual(cacheFolders(dir), []);
});
