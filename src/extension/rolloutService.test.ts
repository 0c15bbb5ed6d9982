import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { RolloutAnswer, RolloutCommand, WorkerCommand } from '../train/protocol';
import { RolloutService } from './rolloutService';
import type { WorkerLike } from './runManager';

class FakeWorker extends EventEmitter {
  readonly posted: WorkerCommand[] = [];
  terminated = false;
  env: NodeJS.ProcessEnv = {};
  postMessage(message: WorkerCommand): void {
    this.posted.push(message);
  }
  terminate(): Promise<number> {
    this.terminated = true;
    return Promise.resolve(1);
  }
}

const command = (start: number): RolloutCommand => ({ type: 'rollout', runDir: '/runs/r', specPath: '/s.seqmodel.json', split: 'validation', start, horizon: 12 });
const answer: RolloutAnswer = { type: 'rollout', rollout: { split: 'validation', start: 3, horizon: 1, requestedHorizon: 1, target: 'y', history: [1], truth: [2], predicted: [2.5], fromData: [] } };

function service(): { rollouts: RolloutService; workers: FakeWorker[] } {
  const workers: FakeWorker[] = [];
  const rollouts = new RolloutService('/dist/worker.js', (_path, env) => {
    const worker = new FakeWorker();
    worker.env = env;
    workers.push(worker);
    return worker as unknown as WorkerLike;
  });
  return { rollouts, workers };
}

test('a rollout runs in a one-thread worker of its own, which ends once it has answered', async () => {
  const { rollouts, workers } = service();
  const pending = rollouts.request(command(3));
  assert.equal(workers.length, 1);
  assert.equal(workers[0].env.SEQLAB_THREADS, '1');
  assert.deepEqual(workers[0].posted, [command(3)]);
  workers[0].emit('message', { type: 'step' }); // anything else the worker says is not the answer
  workers[0].emit('message', answer);
  assert.deepEqual(await pending, answer);
  assert.ok(workers[0].terminated);
});

test('a newer request replaces the one still running; a worker that dies answers in words', async () => {
  const { rollouts, workers } = service();
  const first = rollouts.request(command(1));
  const second = rollouts.request(command(2));
  assert.deepEqual(await first, { type: 'rolloutRefused', reason: 'a newer rollout was requested' });
  assert.ok(workers[0].terminated);
  workers[0].emit('message', answer); // too late: the first request has been answered
  workers[1].emit('exit', 1);
  assert.deepEqual(await second, { type: 'rolloutRefused', reason: "the rollout's worker stopped (exit code 1)" });
});
