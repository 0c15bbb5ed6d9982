import { test } from 'node:test';
import assert from 'node:assert/strict';
import { train } from './trainer';
import { memoryRunIo } from './runIo';
import { prepareSynthetic, recorder, steppingClock, tinyAddingSpec } from './testing/tinyRuns';

test('early stopping ends the run after `patience` epochs without improvement and keeps the best epoch', async () => {
  // A learning rate of zero: the validation loss never improves after epoch 1.
  const spec = tinyAddingSpec({ epochs: 10, optimizer: { type: 'sgd', lr: 0 }, earlyStopping: { patience: 2 } });
  const r = recorder();
  const io = memoryRunIo();
  const result = await train({ spec, data: prepareSynthetic(spec), io, runDir: '/run', emit: r.emit, now: steppingClock() });
  assert.equal(result.status, 'early-stopped');
  assert.equal(result.epochs, 3);
  assert.equal(result.bestEpoch, 1);
  assert.deepEqual(r.of('epoch').map((e) => e.best), [true, false, false]);
  assert.match(result.message, /^Stopped early after 3 epochs \(9 steps\): no improvement of validation loss for 2 epochs; best epoch 1 \(validation loss [\d.]+\)\.$/);
});

test('early stopping on a metric the task does not report falls back to the validation loss', async () => {
  const spec = tinyAddingSpec({ epochs: 10, optimizer: { type: 'sgd', lr: 0 }, earlyStopping: { patience: 1, metric: 'accuracy' } });
  spec.task = { type: 'regress' };
  const result = await train({ spec, data: prepareSynthetic(spec), io: memoryRunIo(), runDir: '/run', emit: () => {}, now: steppingClock() });
  // 'accuracy' does not exist for regression: the trainer falls back to the validation loss.
  assert.equal(result.status, 'early-stopped');
  assert.equal(result.epochs, 2);
});
