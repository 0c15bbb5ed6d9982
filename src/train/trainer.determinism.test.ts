import { test } from 'node:test';
import assert from 'node:assert/strict';
import { train } from './trainer';
import { memoryRunIo } from './runIo';
import { prepareSynthetic, recorder, steppingClock, tinyAddingSpec } from './testing/tinyRuns';

async function lossSequence(seed: number): Promise<number[]> {
  const spec = tinyAddingSpec({ seed });
  const r = recorder();
  await train({ spec, data: prepareSynthetic(spec), io: memoryRunIo(), runDir: '/run', emit: r.emit, now: steppingClock() });
  return r.of('step').map((s) => s.loss);
}

test('the same seed gives the same loss at every step', async () => {
  const first = await lossSequence(11);
  const second = await lossSequence(11);
  assert.ok(first.length >= 9, `expected a step event per step, got ${first.length}`);
  assert.deepEqual(second, first);
});

test('another seed gives another loss sequence', async () => {
  assert.notDeepEqual(await lossSequence(12), await lossSequence(11));
});

test('training lowers the loss, and clipping records the pre-clip and post-clip norms', async () => {
  const spec = tinyAddingSpec({ epochs: 6, clipGradNorm: 0.05 });
  const r = recorder();
  const result = await train({ spec, data: prepareSynthetic(spec), io: memoryRunIo(), runDir: '/run', emit: r.emit, now: steppingClock() });
  assert.equal(result.status, 'completed');
  const epochs = r.of('epoch');
  assert.equal(epochs.length, 6);
  assert.ok(epochs[5].trainLoss < epochs[0].trainLoss, `train loss ${epochs[0].trainLoss} → ${epochs[5].trainLoss}`);
  for (const s of r.of('step')) {
    assert.ok(s.gradNormBefore > 0.05, 'these gradients are all larger than the clip norm');
    assert.ok(Math.abs(s.gradNormAfter - 0.05) < 1e-4, `post-clip norm ${s.gradNormAfter}`);
  }
  assert.deepEqual(Object.keys(epochs[0].metrics).sort(), ['mae', 'mse', 'rmse']);
});
