// Reading a sweep folder as the Runs view and `seqlab runs` do: whole files, damaged ones, a state being rewritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryRunIo } from '../runIo';
import { type ResolvedSweep, type SweepState, configKey, listSweepFolders, readSweepFolder, sweepFolderName, writeSweepState } from './sweepFolder';

const SWEEP: ResolvedSweep = {
  name: 'cells', sweepFile: '/w/cells.seqsweep.json', baseSpec: '/w/adding.seqmodel.json', method: 'grid',
  metric: { name: 'loss', direction: 'minimize' }, parameters: { 'model.encoder.cell': { values: ['rnn', 'lstm'] } },
  seeds: [1, 2], trials: 2, samplerSeed: 0, maxConcurrent: 2,
};

const STATE: SweepState = {
  version: 1,
  trials: [
    { id: 't000', params: { 'model.encoder.cell': 'rnn' }, seed: 1, configKey: configKey({ 'model.encoder.cell': 'rnn' }), status: 'completed', runDir: 'trials/t000', rung: 0, metric: 0.17 },
    { id: 't001', params: { 'model.encoder.cell': 'lstm' }, seed: 1, configKey: configKey({ 'model.encoder.cell': 'lstm' }), status: 'running', runDir: 'trials/t001', rung: 0, metric: null },
  ],
};

function folderWith(files: Record<string, string>) {
  const io = memoryRunIo();
  for (const [name, text] of Object.entries(files)) io.writeFileAtomic(`/w/.seqlab/sweeps/cells-20261205-130000/${name}`, text);
  return io;
}

test('a healthy sweep folder reads back as written, without problems', () => {
  const io = folderWith({ 'sweep.json': JSON.stringify(SWEEP) });
  writeSweepState(io, '/w/.seqlab/sweeps/cells-20261205-130000', STATE);
  const folder = readSweepFolder('/w/.seqlab/sweeps/cells-20261205-130000', io);
  assert.deepEqual(folder.problems, []);
  assert.deepEqual(folder.sweep, SWEEP);
  assert.deepEqual(folder.state, STATE);
});

test('a damaged state.json is a problem in words and no trials, never an exception', () => {
  const io = folderWith({ 'sweep.json': JSON.stringify(SWEEP), 'state.json': '{"version":1,"trials":[{"id"' });
  const folder = readSweepFolder('/w/.seqlab/sweeps/cells-20261205-130000', io);
  assert.equal(folder.state.trials.length, 0);
  assert.equal(folder.problems.length, 1);
  assert.match(folder.problems[0], /state\.json: cannot be read/);
  assert.ok(folder.sweep, 'sweep.json is still read');
});

test('a state caught half-written is read again and the whole state comes back', () => {
  const io = folderWith({ 'sweep.json': JSON.stringify(SWEEP) });
  const whole = JSON.stringify(STATE);
  let reads = 0;
  const racing = { ...io, readTextFile: (file: string) => (!file.endsWith('state.json') ? io.readTextFile(file) : reads++ === 0 ? whole.slice(0, 40) : whole) };
  racing.exists = (file: string) => file.endsWith('state.json') || io.exists(file);
  const folder = readSweepFolder('/w/.seqlab/sweeps/cells-20261205-130000', racing);
  assert.deepEqual(folder.problems, []);
  assert.equal(folder.state.trials.length, 2);
});

test('malformed trials are left out and said; missing sweep.json is said', () => {
  const bad = { ...STATE, trials: [STATE.trials[0], { ...STATE.trials[1], status: 'exploded' }, { id: 't002' }] };
  const io = folderWith({ 'state.json': JSON.stringify(bad) });
  const folder = readSweepFolder('/w/.seqlab/sweeps/cells-20261205-130000', io);
  assert.deepEqual(folder.state.trials.map((t) => t.id), ['t000']);
  assert.equal(folder.sweep, undefined);
  assert.deepEqual(folder.problems.map((p) => p.replace(/^.*\//, '')), ['sweep.json: missing', 'state.json: trial 2 is malformed and is left out', 'state.json: trial 3 is malformed and is left out']);
});

test('configKey ignores parameter order and tells values of different types apart', () => {
  assert.equal(configKey({ a: 1, b: 'x' }), configKey({ b: 'x', a: 1 }));
  assert.notEqual(configKey({ a: 1 }), configKey({ a: '1' }));
  assert.notEqual(configKey({ a: 1, b: 2 }), configKey({ a: 2, b: 1 }));
});

test('sweep folders are listed newest first and only when they hold a sweep.json', () => {
  const io = memoryRunIo();
  for (const name of [sweepFolderName('cells', new Date(Date.UTC(2026, 11, 5, 13, 0, 0))), sweepFolderName('cells', new Date(Date.UTC(2026, 11, 5, 14, 0, 0)))]) {
    io.writeFileAtomic(`/w/.seqlab/sweeps/${name}/sweep.json`, JSON.stringify(SWEEP));
  }
  io.writeFileAtomic('/w/.seqlab/sweeps/stray/notes.txt', 'x');
  assert.deepEqual(listSweepFolders('/w/.seqlab/sweeps', io), ['/w/.seqlab/sweeps/cells-20261205-140000', '/w/.seqlab/sweeps/cells-20261205-130000']);
});
