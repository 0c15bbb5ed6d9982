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
