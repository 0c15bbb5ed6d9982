import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeRunFolder, listRunFolders } from './runFolders';

function makeWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'seqlab-runs-'));
  const runs = join(root, '.seqlab', 'runs');
  const addRun = (name: string, spec: object | string | undefined, report?: object | string) => {
    mkdirSync(join(runs, name), { recursive: true });
    if (spec !== undefined) writeFileSync(join(runs, name, 'spec.json'), typeof spec === 'string' ? spec : JSON.stringify(spec));
    if (report !== undefined) writeFileSync(join(runs, name, 'report.json'), typeof report === 'string' ? report : JSON.stringify(report));
  };
  addRun('forecaster-20260101-090000', { name: 'forecaster' }, { status: 'completed', bestValidationLoss: 0.0123456, epochs: 20 });
  addRun('adding-20260102-120000', { name: 'adding' }, { status: 'stopped', bestValidationLoss: 0.16, epochs: 1 });
  addRun('classifier-20251231-235959', { name: 'classifier' }); // still running: no report yet
  addRun('broken-20260103-000000', '{ not json', '{ nor this');
  addRun('no-spec-20260104-000000', undefined);
  writeFileSync(join(runs, 'stray-file.txt'), 'not a run');
  return root;
}

test('run folders are listed newest first with the figures of their reports', () => {
  const root = makeWorkspace();
  try {
    const runs = listRunFolders([root, join(root, 'missing-folder')]);
    assert.deepEqual(runs.map((run) => run.name), [
      'broken-20260103-000000',
      'adding-20260102-120000',
      'forecaster-20260101-090000',
      'classifier-20251231-235959',
    ]);
    const forecaster = runs.find((run) => run.specName === 'forecaster');
    assert.equal(forecaster?.status, 'completed');
    assert.equal(forecaster?.bestValidationLoss, 0.0123456);
    assert.equal(forecaster?.runDir, join(root, '.seqlab', 'runs', 'forecaster-20260101-090000'));
    assert.equal(forecaster?.startedAt.getFullYear(), 2026);
    assert.equal(forecaster?.startedAt.getUTCHours(), 9);
    const broken = runs[0];
    assert.equal(broken.specName, undefined);
    assert.equal(broken.status, undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a workspace without runs lists nothing', () => {
  const root = mkdtempSync(join(tmpdir(), 'seqlab-empty-'));
  try {
    assert.deepEqual(listRunFolders([root]), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the quick-pick description names spec, status, best loss and epochs', () => {
  assert.equal(
    describeRunFolder({ name: 'f-1', runDir: '/r', startedAt: new Date(0), specName: 'forecaster', status: 'completed', bestValidationLoss: 0.0123456, epochs: 20 }),
    'forecaster · completed · best val loss 0.01235 · 20 epochs',
  );
  assert.equal(describeRunFolder({ name: 'f-1', runDir: '/r', startedAt: new Date(0) }), 'f-1 · no report');
  // The report's status word is shown as the status bar and the Runs view say it, not raw.
  assert.equal(
    describeRunFolder({ name: 'f-2', runDir: '/r', startedAt: new Date(0), specName: 'forecaster', status: 'early-stopped', epochs: 7 }),
    'forecaster · stopped early · 7 epochs',
  );
});
