import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomicSync } from './runIo';

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-atomic-'));
}

test('an atomic write replaces the whole file and leaves no temporary file behind', () => {
  const dir = scratch();
  const target = path.join(dir, 'report.json');
  writeFileAtomicSync(target, 'first version, longer than the second');
  writeFileAtomicSync(target, new TextEncoder().encode('second'));
  assert.equal(fs.readFileSync(target, 'utf8'), 'second');
  assert.deepEqual(fs.readdirSync(dir), ['report.json']);
  fs.rmSync(dir, { recursive: true });
});

test('when the rename fails, the old file is intact and the temporary file is removed', (t) => {
  const dir = scratch();
  const target = path.join(dir, 'model.safetensors');
  writeFileAtomicSync(target, 'good checkpoint');
  let sawTemporaryInSameDirectory = false;
  t.mock.method(fs, 'renameSync', (from: string) => {
    sawTemporaryInSameDirectory = path.dirname(from) === dir && fs.readFileSync(from, 'utf8') === 'half-written?';
    throw new Error('disk full');
  });
  assert.throws(() => writeFileAtomicSync(target, 'half-written?'), /disk full/);
  t.mock.restoreAll();
  assert.ok(sawTemporaryInSameDirectory, 'the new contents were complete in a temporary file beside the target');
  assert.equal(fs.readFileSync(target, 'utf8'), 'good checkpoint');
  assert.deepEqual(fs.readdirSync(dir), ['model.safetensors']);
  fs.rmSync(dir, { recursive: true });
});
