import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TrainingRunManager, type TrainingRun } from './runManager';
import type { RunFinished, StartTraining, TrainerEvent } from '../train/protocol';

const fakeWorkerPath = fileURLToPath(new URL('./fixtures/fakeTrainingWorker.mjs', import.meta.url));

function startCommand(behaviour: object): StartTraining {
  return { type: 'start', specPath: '/tmp/fake.seqmodel.json', specText: JSON.stringify(behaviour) };
}

function makeManager(maxConcurrentRuns = 2, stopTimeoutMs = 2000) {
  const logLines: string[] = [];
  const manager = new TrainingRunManager({
    workerScriptPath: fakeWorkerPath,
    maxConcurrentRuns: () => maxConcurrentRuns,
    log: (line) => logLines.push(line),
    stopTimeoutMs,
  });
  return { manager, logLines };
}

function finished(manager: TrainingRunManager, run: TrainingRun): Promise<RunFinished> {
  return new Promise((resolve) => {
    if (run.finished) return resolve(run.finished);
    const subscription = manager.onEvent((eventRun, event) => {
      if (eventRun === run && event.type === 'runFinished') {
        subscription.dispose();
        resolve(event);
      }
    });
  });
}

function nextEvent(manager: TrainingRunManager, run: TrainingRun, type: TrainerEvent['type']): Promise<TrainerEvent> {
  return new Promise((resolve) => {
    const subscription = manager.onEvent((eventRun, event) => {
      if (eventRun === run && event.type === type) {
        subscription.dispose();
        resolve(event);
      }
    });
  });
}

test('a run streams its events in order and keeps them for replay', async () => {
  const { manager } = makeManager();
  const run = manager.start(startCommand({ mode: 'train', steps: 4 }));
  const final = await finished(manager, run);
  assert.equal(final.status, 'completed');
  assert.deepEqual(run.events.map((event) => event.type), ['runStarted', 'step', 'step', 'step', 'step', 'runFinished']);
  assert.equal(run.state, 'finished');
  assert.equal(run.runDir, '/tmp/fake-run');
  assert.equal(run.latestStep?.step, 4);
  manager.dispose();
});

test('a thrown exception in the worker becomes a failed run with the error message', async () => {
  const { manager, logLines } = makeManager();
  const run = manager.start(startCommand({ mode: 'crash' }));
  const final = await finished(manager, run);
  assert.equal(final.status, 'failed');
  assert.match(final.message, /crashed: boom in the trainer/);
  assert.ok(logLines.some((line) => line.includes('boom in the trainer')));
  manager.dispose();
});

test('a worker that exits without finishing becomes a failed run naming the exit code', async () => {
  const { manager } = makeManager();
  const run = manager.start(startCommand({ mode: 'exit' }));
  const final = await finished(manager, run);
  assert.equal(final.status, 'failed');
  assert.match(final.message, /exit code 3/);
  manager.dispose();
});

test('stop ends a running run within a step or two', async () => {
  const { manager } = makeManager();
  const run = manager.start(startCommand({ mode: 'train', steps: 100_000 }));
  await nextEvent(manager, run, 'step');
  const stepsBeforeStop = run.latestStep?.step ?? 0;
  manager.stop(run.id);
  const final = await finished(manager, run);
  assert.equal(final.status, 'stopped');
  assert.ok(final.steps <= stepsBeforeStop + 2, `ran ${final.steps - stepsBeforeStop} steps after stop`);
  manager.dispose();
});

test('a worker that ignores stop is terminated after the grace period', async () => {
  const { manager } = makeManager(2, 150);
  const run = manager.start(startCommand({ mode: 'ignoreStop', steps: 100_000 }));
  await nextEvent(manager, run, 'step');
  manager.stop(run.id);
  const final = await finished(manager, run);
  assert.equal(final.status, 'stopped');
  assert.match(final.message, /terminated/);
  manager.dispose();
});

test('pause holds the step count still and resume continues', async () => {
  const { manager } = makeManager();
  const run = manager.start(startCommand({ mode: 'train', steps: 100_000 }));
  await nextEvent(manager, run, 'step');
  manager.pause(run.id);
  assert.equal(run.state, 'paused');
  await new Promise((resolve) => setTimeout(resolve, 60));
  const stepWhilePaused = run.latestStep?.step;
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(run.latestStep?.step, stepWhilePaused, 'steps advanced while paused');
  manager.resume(run.id);
  await nextEvent(manager, run, 'step');
  assert.ok((run.latestStep?.step ?? 0) > (stepWhilePaused ?? 0));
  manager.stop(run.id);
  await finished(manager, run);
  manager.dispose();
});

test('runs beyond maxConcurrentRuns wait in a queue and start when a slot frees', async () => {
  const { manager } = makeManager(1);
  const first = manager.start(startCommand({ mode: 'train', steps: 100_000 }));
  const second = manager.start(startCommand({ mode: 'train', steps: 2 }));
  assert.equal(first.state, 'running');
  assert.equal(second.state, 'queued');
  assert.deepEqual(manager.activeRuns().map((run) => run.id), [second.id, first.id]);
  manager.stop(first.id);
  await finished(manager, first);
  assert.notEqual(second.state, 'queued');
  const secondFinal = await finished(manager, second);
  assert.equal(secondFinal.status, 'completed');
  manager.dispose();
});

test('stopping a queued run finishes it without starting a worker', async () => {
  const { manager } = makeManager(1);
  const first = manager.start(startCommand({ mode: 'train', steps: 100_000 }));
  const second = manager.start(startCommand({ mode: 'train', steps: 2 }));
  manager.stop(second.id);
  assert.equal(second.state, 'finished');
  assert.equal(second.finished?.status, 'stopped');
  assert.equal(second.worker, undefined);
  manager.stop(first.id);
  await finished(manager, first);
  manager.dispose();
});

test('seqlab.threadsPerRun = 1 starts the worker with SEQLAB_THREADS=1; 2 leaves the choice to the worker', async () => {
  for (const threads of [1, 2]) {
    let env: NodeJS.ProcessEnv | undefined;
    const manager = new TrainingRunManager({
      workerScriptPath: fakeWorkerPath,
      maxConcurrentRuns: () => 2,
      threadsPerRun: () => threads,
      log: () => {},
      createWorker: (path, workerEnv) => { env = workerEnv; return new Worker(path, { env: workerEnv }); },
    });
    const run = manager.start(startCommand({ mode: 'train', steps: 1 }));
    await finished(manager, run);
    assert.equal(env?.SEQLAB_THREADS, threads === 1 ? '1' : process.env.SEQLAB_THREADS);
    manager.dispose();
  }
});
