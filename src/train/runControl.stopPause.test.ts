import { test } from 'node:test';
import assert from 'node:assert/strict';
import { train } from './trainer';
import { memoryRunIo } from './runIo';
import { RunControl } from './runControl';
import { runTrainingCommand } from './worker';
import type { TrainerEvent } from './protocol';
import { prepareSynthetic, steppingClock, tinyAddingSpec } from './testing/tinyRuns';

test('pause holds the trainer before the next step, resume continues, stop ends the run within one step', async () => {
  const spec = tinyAddingSpec({ epochs: 50 });
  const control = new RunControl();
  const steps: number[] = [];
  let stepsWhenPaused = -1;
  const run = train({
    spec, data: prepareSynthetic(spec), io: memoryRunIo(), runDir: '/run', control, now: steppingClock(),
    emit: (e) => {
      if (e.type !== 'step') return;
      steps.push(e.step);
      if (e.step === 2) {
        control.pause();
        stepsWhenPaused = steps.length;
      }
    },
  });
  // Let the event loop turn many times: a paused trainer must not take a single step.
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(control.isPaused);
  assert.equal(steps.length, stepsWhenPaused, 'no step while paused');
  control.resume();
  while (steps.length < 5) await new Promise((resolve) => setImmediate(resolve));
  control.stop();
  const stepsAtStop = steps.length;
  const result = await run;
  assert.equal(result.status, 'stopped');
  assert.ok(steps.length <= stepsAtStop + 1, `stopped within one step (${stepsAtStop} → ${steps.length})`);
  // Stopped inside an epoch: that epoch and the step, said once; the checkpoint is the stop's own.
  assert.match(result.message, /^Stopped at step (\d+), in epoch (\d+) \(\d+ of its \d+ steps\)(; best epoch \d+ \(validation loss [\d.e+-]+\))?; its checkpoint is kept at \/run\/model\.safetensors\.$/);
  assert.doesNotMatch(result.message, /0 epochs/);
});

test('stop while paused ends the run', async () => {
  const spec = tinyAddingSpec({ epochs: 50 });
  const control = new RunControl();
  control.pause();
  const run = train({ spec, data: prepareSynthetic(spec), io: memoryRunIo(), runDir: '/run', control, emit: () => {}, now: steppingClock() });
  await new Promise((resolve) => setImmediate(resolve));
  control.stop();
  const result = await run;
  assert.equal(result.status, 'stopped');
  assert.equal(result.steps, 0);
  assert.equal(result.message, 'Stopped before the first step; the untrained weights are kept at /run/model.safetensors.');
});

test('the worker turns an exception into a log event and runFinished{status: failed}', async () => {
  const events: TrainerEvent[] = [];
  const result = await runTrainingCommand({ type: 'start', specPath: '/nowhere/x.seqmodel.json', specText: '{ "name": ' }, new RunControl(), (e) => events.push(e));
  assert.equal(result.status, 'failed');
  assert.deepEqual(events.map((e) => e.type), ['log', 'runFinished']);
  assert.equal(events[0].type === 'log' && events[0].level, 'error');
});
