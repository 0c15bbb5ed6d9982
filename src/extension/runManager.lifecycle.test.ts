import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TrainingRunManager, type TrainingRun } from './runManager';
import type { RunFinished, StartTraining, StepProgress, TrainerEvent, TrainerLog } from '../train/protocol';

const fakeWorkerPath = fileURLToPath(new URL('./fixtures/fakeTrainingWorker.mjs', import.meta.url));

// Every wait below is for an event; the timeout only keeps a lost event from hanging the suite.
const hangGuard = { timeout: 120_000 };

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

function nextEvent(manager: TrainingRunManager, run: TrainingRun, type: TrainerEvent['type'], where: (event: TrainerEvent) => boolean = () => true): Promise<TrainerEvent> {
  return new Promise((resolve) => {
    const subscription = manager.onEvent((eventRun, event) => {
      if (eventRun === run && event.type === type && where(event)) {
        subscription.dispose();
        resolve(event);
      }
    });
  });
}

test('a run streams its events in order and keeps them for replay', hangGuard, async () => {
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

test('a thrown exception in the worker becomes a failed run with the error message', hangGuard, async () => {
  const { manager, logLines } = makeManager();
  const run = manager.start(startCommand({ mode: 'crash' }));
  const final = await finished(manager, run);
  assert.equal(final.status, 'failed');
  assert.match(final.message, /crashed: boom in the trainer/);
  assert.ok(logLines.some((line) => line.includes('boom in the trainer')));
  manager.dispose();
});

test('a worker that exits without finishing becomes a failed run naming the exit code', hangGuard, async () => {
  const { manager } = makeManager();
  const run = manager.start(startCommand({ mode: 'exit' }));
  const final = await finished(manager, run);
  assert.equal(final.status, 'failed');
  assert.match(final.message, /exit code 3/);
  manager.dispose();
});

test('stop reaches the worker, which ends within a step; every step event arrives before runFinished', hangGuard, async () => {
  const { manager } = makeManager();
  const run = manager.start(startCommand({ mode: 'train' }));
  await nextEvent(manager, run, 'step');
  manager.stop(run.id);
  const final = await finished(manager, run);
  assert.equal(final.status, 'stopped');
  const seenAt = Number(/stop seen after step (\d+)/.exec(final.message)?.[1]);
  assert.ok(final.steps <= seenAt + 1, `ran ${final.steps - seenAt} steps after the stop arrived`);
  assert.equal(run.latestStep?.step, final.steps);
  manager.dispose();
});

test('a worker that ignores stop is terminated after the grace period', hangGuard, async () => {
  const { manager } = makeManager(2, 150);
  const run = manager.start(startCommand({ mode: 'ignoreStop' }));
  await nextEvent(manager, run, 'step');
  manager.stop(run.id);
  const final = await finished(manager, run);
  assert.equal(final.status, 'stopped');
  assert.match(final.message, /terminated/);
  manager.dispose();
});

test('pause holds the step count still and resume continues with the next step', hangGuard, async () => {
  const { manager } = makeManager();
  const run = manager.start(startCommand({ mode: 'train' }));
  await nextEvent(manager, run, 'step');
  const pausedLog = nextEvent(manager, run, 'log', (event) => event.type === 'log' && event.message.startsWith('fake worker: paused'));
  manager.pause(run.id);
  assert.equal(run.state, 'paused');
  const pausedAt = Number(/after step (\d+)/.exec((await pausedLog as TrainerLog).message)?.[1]);
  assert.equal(run.latestStep?.step, pausedAt, 'the steps before the pause all arrived');
  const nextStep = nextEvent(manager, run, 'step');
  manager.resume(run.id);
  assert.equal(run.state, 'running');
  // Steps are numbered one by one: the first after the resume being pausedAt + 1 means none ran while paused.
  assert.equal((await nextStep as StepProgress).step, pausedAt + 1);
  manager.stop(run.id);
  await finished(manager, run);
  manager.dispose();
});

test('runs beyond maxConcurrentRuns wait in a queue and start when a slot frees', hangGuard, async () => {
  const { manager } = makeManager(1);
  const first = manager.start(startCommand({ mode: 'train' }));
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

test('stopping a queued run finishes it without starting a worker', hangGuard, async () => {
  const { manager } = makeManager(1);
  const first = manager.start(startCommand({ mode: 'train' }));
  const second = manager.start(startCommand({ mode: 'train', steps: 2 }));
  manager.stop(second.id);
  assert.equal(second.state, 'finished');
  assert.equal(second.finished?.status, 'stopped');
  assert.equal(second.worker, undefined);
  manager.stop(first.id);
  await finished(manager, first);
  manager.dispose();
});

/** The environment a one-step run's worker is started with, under these settings of the manager. */
async function workerEnvWith(settings: { dataCacheThresholdMB?: () => number | null; threadsPerRun?: () => number }): Promise<NodeJS.ProcessEnv | undefined> {
  let env: NodeJS.ProcessEnv | undefined;
  const manager = new TrainingRunManager({
    workerScriptPath: fakeWorkerPath,
    maxConcurrentRuns: () => 2,
    ...settings,
    log: () => {},
    createWorker: (path, workerEnv) => { env = workerEnv; return new Worker(path, { env: workerEnv }); },
  });
  const run = manager.start(startCommand({ mode: 'train', steps: 1 }));
  await finished(manager, run);
  manager.dispose();
  return env;
}

test('seqlab.dataCacheThresholdMB reaches the worker as SEQLAB_CACHE_THRESHOLD_MB; null leaves the default', hangGuard, async () => {
  for (const threshold of [0, 512, null]) {
    const env = await workerEnvWith({ dataCacheThresholdMB: () => threshold });
    assert.equal(env?.SEQLAB_CACHE_THRESHOLD_MB, threshold === null ? process.env.SEQLAB_CACHE_THRESHOLD_MB : String(threshold));
  }
});

test('seqlab.threadsPerRun = 1 starts the worker with SEQLAB_THREADS=1; 2 leaves the choice to the worker', hangGuard, async () => {
  for (const threads of [1, 2]) {
    const env = await workerEnvWith({ threadsPerRun: () => threads });
    assert.equal(env?.SEQLAB_THREADS, threads === 1 ? '1' : process.env.SEQLAB_THREADS);
  }
});
