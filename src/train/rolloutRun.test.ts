import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeRunIo } from './runIo';
import { loadSpec } from './session';
import { train } from './trainer';
import { rolloutOfRun } from './rolloutRun';
import { recorder, steppingClock } from './testing/tinyRuns';

test('a run folder\'s rollout starts from the one-step-ahead prediction its best epoch showed for that window', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seqlab-rollout-'));
  try {
    const rows = Array.from({ length: 80 }, (_, t) => (20 + 4 * Math.sin(t / 3) + t / 10).toFixed(3));
    writeFileSync(join(dir, 'series.csv'), ['y', ...rows].join('\n'));
    const specPath = join(dir, 'series.seqmodel.json');
    const specText = JSON.stringify({
      name: 'series', task: { type: 'forecast' },
      data: { source: 'csv', path: 'series.csv', columns: ['y'], window: 6, normalize: 'last-value', split: { validation: 0.25 } },
      model: { encoder: { cell: 'gru', hiddenSize: 4 } },
      training: { epochs: 2, batchSize: 8, seed: 3, optimizer: { type: 'adam', lr: 0.01 } },
    });
    writeFileSync(specPath, specText);
    const { spec, data } = loadSpec(specPath, specText, nodeRunIo);
    const runDir = join(dir, 'run');
    mkdirSync(runDir);
    const r = recorder();
    const finished = await train({ spec, data, io: nodeRunIo, runDir, emit: r.emit, now: steppingClock() });
    const best = r.of('predictions').find((p) => p.epoch === finished.bestEpoch)!;
    const start = 5;
    const rollout = rolloutOfRun({ runDir, specPath, split: 'validation', start, horizon: 8 }, nodeRunIo);
    assert.equal(rollout.weights?.file, join(runDir, 'best.safetensors'));
    assert.equal(rollout.weights?.epoch, finished.bestEpoch);
    assert.equal(rollout.predicted.length, 8);
    assert.ok(Math.abs(rollout.predicted[0] - best.series!.predicted[start]) <= 1e-5 * Math.abs(best.series!.predicted[start]), `${rollout.predicted[0]} vs ${best.series!.predicted[start]}`);
    assert.deepEqual(rollout.truth.slice(0, 3), best.series!.truth.slice(start, start + 3));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder without weights or without spec.json is refused in words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seqlab-rollout-'));
  try {
    assert.throws(() => rolloutOfRun({ runDir: dir, specPath: join(dir, 's.seqmodel.json'), split: 'validation', start: 0, horizon: 3 }, nodeRunIo), /not a run folder/);
    writeFileSync(join(dir, 'spec.json'), '{}');
    assert.throws(() => rolloutOfRun({ runDir: dir, specPath: join(dir, 's.seqmodel.json'), split: 'validation', start: 0, horizon: 3 }, nodeRunIo), /no weights yet/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
