import { test } from 'node:test';
import assert from 'node:assert/strict';
import { train } from './trainer';
import { memoryRunIo } from './runIo';
import { readJsonLines } from './runFolder';
import { prepareSynthetic, recorder, steppingClock, tinyAddingSpec } from './testing/tinyRuns';

const withoutTimes = (lines: unknown[]) => lines.map((l) => ({ ...(l as Record<string, unknown>), seconds: undefined }));

test('a run resumed from its folder continues exactly as an uninterrupted run', async () => {
  // Adam moments, a plateau schedule and early-stopping counters all have to come back for this to hold.
  const spec = tinyAddingSpec({ epochs: 5, schedule: { type: 'plateau', factor: 0.5, patience: 0 }, earlyStopping: { patience: 10 } });

  const straight = memoryRunIo();
  await train({ spec, data: prepareSynthetic(spec), io: straight, runDir: '/run', emit: () => {}, now: steppingClock() });

  const interrupted = memoryRunIo();
  const first = await train({ spec, data: prepareSynthetic(spec), io: interrupted, runDir: '/run', emit: () => {}, now: steppingClock(), overrides: { epochs: 2 } });
  assert.equal(first.epochs, 2);
  const r = recorder();
  const resumed = await train({ spec, data: prepareSynthetic(spec), io: interrupted, runDir: '/run', emit: r.emit, now: steppingClock(), resume: true });

  assert.equal(resumed.status, 'completed');
  assert.deepEqual(r.of('epoch').map((e) => e.epoch), [3, 4, 5], 'the resumed run trains only the remaining epochs');
  assert.deepEqual(withoutTimes(readJsonLines(interrupted, '/run/metrics.jsonl')), withoutTimes(readJsonLines(straight, '/run/metrics.jsonl')));
  assert.deepEqual(interrupted.files.get('/run/model.safetensors'), straight.files.get('/run/model.safetensors'));
  assert.deepEqual(interrupted.files.get('/run/best.safetensors'), straight.files.get('/run/best.safetensors'));
  assert.deepEqual(interrupted.files.get('/run/optimizer.safetensors'), straight.files.get('/run/optimizer.safetensors'));
});

test('a run folder holds the spec, metrics, last and best weights, optimizer state and report', async () => {
  const spec = tinyAddingSpec({ epochs: 2 });
  const io = memoryRunIo();
  await train({ spec, data: prepareSynthetic(spec), io, runDir: '/run', emit: () => {}, now: steppingClock() });
  for (const name of ['spec.json', 'metrics.jsonl', 'model.safetensors', 'best.safetensors', 'optimizer.safetensors', 'trainer-state.json', 'report.json']) {
    assert.ok(io.files.has(`/run/${name}`), `${name} written`);
  }
  assert.equal(readJsonLines(io, '/run/metrics.jsonl').length, 2);
  assert.deepEqual(JSON.parse(io.readTextFile('/run/spec.json')), spec);
  const report = JSON.parse(io.readTextFile('/run/report.json'));
  assert.equal(report.status, 'completed');
  assert.equal(report.epochs, 2);
});
