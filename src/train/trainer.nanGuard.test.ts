import { test } from 'node:test';
import assert from 'node:assert/strict';
import { train } from './trainer';
import { memoryRunIo } from './runIo';
import { decodeSafetensors } from '../nn/safetensors';
import type { Batch, PreparedData } from '../data/types';
import { prepareSynthetic, recorder, steppingClock, tinyAddingSpec } from './testing/tinyRuns';

/** The same data, except that the `poisonAt`-th training batch (shuffled passes, over all epochs) carries a NaN input. */
function poisoned(data: PreparedData, poisonAt: number): PreparedData {
  let served = 0;
  const train = {
    size: data.train.size,
    describe: (i: number) => data.train.describe(i),
    *batches(batchSize: number, options: Parameters<PreparedData['train']['batches']>[1]): Iterable<Batch> {
      for (const batch of data.train.batches(batchSize, options)) {
        if (options.shuffle && ++served === poisonAt) batch.inputs![0] = NaN;
        yield batch;
      }
    },
  };
  return { ...data, train };
}

test('a NaN loss stops the run with a clear message and keeps the last good checkpoint', async () => {
  const spec = tinyAddingSpec({ epochs: 4 });
  const io = memoryRunIo();
  const r = recorder();
  let checkpointAfterEpoch1: Uint8Array | undefined;
  const emit = (e: Parameters<typeof r.emit>[0]) => {
    r.emit(e);
    if (e.type === 'epoch' && e.epoch === 1) checkpointAfterEpoch1 = io.files.get('/run/model.safetensors')!.slice();
  };
  // 60 training examples in full batches of 16 → 3 steps per epoch; the 4th batch is epoch 2's first step.
  const result = await train({ spec, data: poisoned(prepareSynthetic(spec), 4), io, runDir: '/run', emit, now: steppingClock() });

  assert.equal(result.status, 'diverged');
  assert.match(result.message, /^Diverged at step 4, in epoch 2: loss became NaN; the learning rate 0\.01 is likely too high \(lower training\.optimizer\.lr\); best epoch 1 \(validation loss [\d.]+\); the last checkpoint \(epoch 1, step 3\) is kept at \/run\/model\.safetensors\.$/);
  assert.equal(r.of('epoch').length, 1, 'no epoch completes after the NaN');
  assert.ok(r.of('log').some((l) => l.level === 'error' && l.message === result.message));
  assert.deepEqual(io.files.get('/run/model.safetensors'), checkpointAfterEpoch1, 'model.safetensors is still the epoch-1 checkpoint');
  for (const [name, t] of Object.entries(decodeSafetensors(io.files.get('/run/model.safetensors')!).tensors)) {
    assert.ok(t.data.every(Number.isFinite), `${name} is finite`);
  }
  const report = JSON.parse(io.readTextFile('/run/report.json'));
  assert.equal(report.status, 'diverged');
  assert.equal(report.lastCheckpoint, '/run/model.safetensors');
});

test('a run that diverges in its first epoch still leaves the initial weights as its checkpoint', async () => {
  const spec = tinyAddingSpec();
  const io = memoryRunIo();
  const result = await train({ spec, data: poisoned(prepareSynthetic(spec), 1), io, runDir: '/run', emit: () => {}, now: steppingClock() });
  assert.equal(result.status, 'diverged');
  assert.match(result.message, /^Diverged at step 1, in epoch 1: loss became NaN; .*; the untrained weights are kept at \/run\/model\.safetensors\.$/);
  assert.ok(io.files.has('/run/model.safetensors'));
});
