// Spec paths a sweep may vary, and the spec each trial trains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { propertyNamesAt, specHasPath, trialSpec } from './specPaths';

test('paths of the spec format are known through $ref and data-source branches; others are not', () => {
  for (const path of ['model.encoder.cell', 'model.encoder.hiddenSize', 'training.optimizer.lr', 'data.window', 'training.batchSize']) {
    assert.ok(specHasPath(path.split('.')), path);
  }
  for (const path of ['model.encoder.hidden', 'training.lr', 'data.windw', 'model.encoder.cell.kind']) assert.ok(!specHasPath(path.split('.')), path);
  assert.ok(propertyNamesAt(['model', 'encoder']).includes('hiddenSize'));
});

test('a trial spec sets each path and the seed, leaving the base untouched', () => {
  const base = { name: 'b', model: { encoder: { cell: 'lstm', hiddenSize: 8 } }, training: { seed: 1, optimizer: { type: 'adam', lr: 0.01 } } };
  const spec = trialSpec(base, { 'model.encoder.cell': 'gru', 'training.optimizer.lr': 0.003 }, 7, 9);
  assert.deepEqual(spec, { name: 'b', model: { encoder: { cell: 'gru', hiddenSize: 8 } }, training: { seed: 7, epochs: 9, optimizer: { type: 'adam', lr: 0.003 } } });
  assert.equal(base.model.encoder.cell, 'lstm');
});
