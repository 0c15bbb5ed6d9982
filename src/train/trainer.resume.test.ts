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
});

test('a run folder holds the spec, metrics, the checkpoint, the best weights and the report', async () => {
  const spec = tinyAddingSpec({ epochs: 2 });
  const io = memoryRunIo();
  await train({ spec, data: prepareSynthetic(spec), io, runDir: '/run', emit: () => {}, now: steppingClock() });
  assert.deepEqual([...io.files.keys()].sort(), ['/run/best.safetensors', '/run/metrics.jsonl', '/run/model.safetensors', '/run/report.json', '/run/spec.json']);
  assert.equal(readJsonLines(io, '/run/metrics.jsonl').length, 2);
  assert.deepEqual(JSON.parse(io.readTextFile('/run/spec.json')), spec);
  const report = JSON.parse(io.readTextFile('/run/report.json'));
  assert.equal(report.status, 'completed');
  assert.equal(report.epochs, 2);
});

/** Stops the run before its step `at + 1`, as Ctrl-C or the Stop button would between two steps. */
function stopBefore(at: number) {
  let checks = 0;
  return { shouldStop: () => ++checks > at, waitIfPaused: async () => {} };
}

test('a run stopped mid-epoch resumes inside that epoch and ends bit for bit where an uninterrupted run ends', async () => {
  // Dropout in the encoder and the head: their generators live across epochs, so their states must come back too.
  const spec = tinyAddingSpec({ epochs: 3, schedule: { type: 'plateau', factor: 0.5, patience: 0 }, earlyStopping: { patience: 10 } });
  spec.model = { encoder: { cell: 'gru', hiddenSize: 6, numLayers: 2, dropout: 0.3 }, head: { hidden: [5], dropout: 0.2 } };
  const straight = memoryRunIo();
  const whole = await train({ spec, data: prepareSynthetic(spec), io: straight, runDir: '/run', emit: () => {}, now: steppingClock() });
  assert.equal(whole.steps, 9);
  // 3 steps per epoch: stop inside epochs 1, 2 and 3, and at an epoch boundary.
  for (const at of [1, 3, 4, 8]) {
    const io = memoryRunIo();
    const first = await train({ spec, data: prepareSynthetic(spec), io, runDir: '/run', emit: () => {}, now: steppingClock(), control: stopBefore(at) });
    assert.equal(first.status, 'stopped');
    assert.equal(first.steps, at);
    const resumed = await train({ spec, data: prepareSynthetic(spec), io, runDir: '/run', emit: () => {}, now: steppingClock(), resume: true });
    assert.equal(resumed.status, 'completed', `stopped after step ${at}`);
    assert.equal(resumed.steps, 9);
    assert.deepEqual(io.files.get('/run/model.safetensors'), straight.files.get('/run/model.safetensors'), `checkpoint after resuming from step ${at}`);
    assert.deepEqual(io.files.get('/run/best.safetensors'), straight.files.get('/run/best.safetensors'), `best after resuming from step ${at}`);
    assert.deepEqual(withoutTimes(readJsonLines(io, '/run/metrics.jsonl')), withoutTimes(readJsonLines(straight, '/run/metrics.jsonl')));
  }
});

test('metric lines past the checkpoint (a crash after writing them) are replayed, not duplicated', async () => {
  const spec = tinyAddingSpec({ epochs: 3 });
  const straight = memoryRunIo();
  await train({ spec, data: prepareSynthetic(spec), io: straight, runDir: '/run', emit: () => {}, now: steppingClock() });
  const io = memoryRunIo();
  await train({ spec, data: prepareSynthetic(spec), io, runDir: '/run', emit: () => {}, now: steppingClock(), overrides: { epochs: 1 } });
  const checkpointOfEpoch1 = io.files.get('/run/model.safetensors')!;
  await train({ spec, data: prepareSynthetic(spec), io, runDir: '/run', emit: () => {}, now: steppingClock(), resume: true, overrides: { epochs: 2 } });
  io.files.set('/run/model.safetensors', checkpointOfEpoch1); // as if the process died between metrics and checkpoint
  assert.equal(readJsonLines(io, '/run/metrics.jsonl').length, 2);
  await train({ spec, data: prepareSynthetic(spec), io, runDir: '/run', emit: () => {}, now: steppingClock(), resume: true });
  assert.deepEqual(withoutTimes(readJsonLines(io, '/run/metrics.jsonl')), withoutTimes(readJsonLines(straight, '/run/metrics.jsonl')));
  assert.deepEqual(io.files.get('/run/model.safetensors'), straight.files.get('/run/model.safetensors'));
});
