import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_FILES, writeJson, writeJsonLines } from '../train/runFolder';
import { nodeRunIo } from '../train/runIo';
import { loadRunHistory } from './runHistory';

test('a finished run folder replays as runStarted, one epoch per metrics line, then runFinished', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'seqlab-history-'));
  try {
    writeJson(nodeRunIo, join(runDir, RUN_FILES.spec), { name: 'forecaster', task: { type: 'forecast' } });
    writeJsonLines(nodeRunIo, join(runDir, RUN_FILES.metrics), [
      { epoch: 1, step: 10, trainLoss: 0.9, validationLoss: 0.8, metrics: { rmse: 40 }, best: true, lr: 0.01, seconds: 1 },
      { epoch: 2, step: 20, trainLoss: 0.5, validationLoss: 0.6, metrics: { rmse: 30 }, best: true, lr: 0.01, seconds: 1 },
    ]);
    writeJson(nodeRunIo, join(runDir, RUN_FILES.report), {
      status: 'completed', message: 'done', epochs: 2, steps: 20, bestValidationLoss: 0.6, bestEpoch: 2,
      finalMetrics: { rmse: 30 }, seconds: 2, runDir, specName: 'forecaster', task: 'forecast', parameterCount: 4417,
    });
    const history = loadRunHistory(runDir);
    assert.deepEqual(history.map((event) => event.type), ['runStarted', 'epoch', 'epoch', 'runFinished']);
    const started = history[0];
    assert.ok(started.type === 'runStarted');
    assert.equal(started.specName, 'forecaster');
    assert.equal(started.parameterCount, 4417);
    assert.deepEqual(started.metricNames, ['rmse']);
    const lastEpoch = history[2];
    assert.ok(lastEpoch.type === 'epoch');
    assert.equal(lastEpoch.validationLoss, 0.6);
    const finished = history[3];
    assert.ok(finished.type === 'runFinished');
    assert.equal(finished.status, 'completed');
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});

test("report.json's test block replays as a testEvaluation event before runFinished, apart from it", () => {
  const runDir = mkdtempSync(join(tmpdir(), 'seqlab-history-'));
  try {
    writeJson(nodeRunIo, join(runDir, RUN_FILES.spec), { name: 'sentiment', task: { type: 'classify' } });
    writeJsonLines(nodeRunIo, join(runDir, RUN_FILES.metrics), [
      { epoch: 1, step: 10, trainLoss: 0.9, validationLoss: 0.8, metrics: { accuracy: 0.6 }, best: true, lr: 0.01, seconds: 1 },
    ]);
    writeJson(nodeRunIo, join(runDir, RUN_FILES.report), {
      status: 'completed', message: 'done', epochs: 1, steps: 10, bestValidationLoss: 0.8, bestEpoch: 1, finalMetrics: { accuracy: 0.6 },
      seconds: 2, runDir, specName: 'sentiment', task: 'classify', parameterCount: 100,
      test: { checkpoint: 'best', checkpointFile: join(runDir, RUN_FILES.best), epoch: 1, size: 40, loss: 0.7, metrics: { accuracy: 0.65, f1: NaN }, baselines: { majorityAccuracy: 0.5 } },
    });
    const history = loadRunHistory(runDir);
    assert.deepEqual(history.map((event) => event.type), ['runStarted', 'epoch', 'testEvaluation', 'runFinished']);
    const testEvent = history[2];
    assert.ok(testEvent.type === 'testEvaluation');
    assert.equal(testEvent.checkpoint, 'best');
    assert.equal(testEvent.epoch, 1);
    assert.equal(testEvent.size, 40);
    assert.equal(testEvent.metrics.accuracy, 0.65);
    assert.ok(Number.isNaN(testEvent.metrics.f1), 'NaN, written as a string, reads back as NaN');
    assert.deepEqual(testEvent.baselines, { majorityAccuracy: 0.5 });
    assert.ok(!('test' in history[3]), 'the runFinished event does not carry the test block');
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});

test('a run that has not finished an epoch replays as runStarted alone', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'seqlab-history-'));
  try {
    writeJson(nodeRunIo, join(runDir, RUN_FILES.spec), { name: 'adding', task: { type: 'regress' } });
    const history = loadRunHistory(runDir);
    assert.deepEqual(history.map((event) => event.type), ['runStarted']);
    assert.ok(history[0].type === 'runStarted' && history[0].task === 'regress');
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});
