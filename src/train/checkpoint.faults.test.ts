// Faults at every point of a run's writes: a crash before the write, before the rename and after the rename of
// each file, a full disk, a read-only folder. After each: every run file parses, and --resume either continues
// bit for bit to the uninterrupted run's end or refuses with a FileError (exit 2) — it never starts over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { train } from './trainer';
import { nodeRunIo } from './runIo';
import { FileError } from './fileErrors';
import { decodeSafetensors } from '../nn/safetensors';
import { assertEveryFileParses, assertSameOutcome, runOutcome } from './testing/runFolderChecks';
import { prepareSynthetic, steppingClock, tinyAddingSpec } from './testing/tinyRuns';
import { SimulatedCrash, faultyRunIo, osError, type FaultPoint } from './testing/faultyRunIo';
import type { RunIo } from './runIo';

const spec = tinyAddingSpec({ epochs: 2 });

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-faults-'));
}

/** A run in `runDir` (created here for a new run, as the CLI's newRunDirectory does). */
function run(io: RunIo, runDir: string, resume = false) {
  if (!resume) fs.mkdirSync(runDir, { recursive: true });
  return train({ spec, data: prepareSynthetic(spec), io, runDir, emit: () => {}, now: steppingClock(), resume });
}

/** After a fault: resume must finish exactly like the uninterrupted run, or refuse naming a file. */
async function assertResumesExactlyOrRefuses(runDir: string, expected: ReturnType<typeof runOutcome>, what: string): Promise<'continued' | 'refused'> {
  assertEveryFileParses(runDir);
  let result;
  try {
    result = await run(nodeRunIo, runDir, true);
  } catch (error) {
    assert.ok(error instanceof FileError, `${what}: resume threw ${(error as Error).message}`);
    return 'refused';
  }
  assert.equal(result.status, 'completed', `${what}: ${result.message}`);
  assertSameOutcome(runDir, expected, what);
  return 'continued';
}

test('a crash before any stage of any write of a run: resume continues bit for bit or refuses', async () => {
  const root = scratch();
  const straightDir = path.join(root, 'straight');
  const recording = faultyRunIo();
  await run(recording, straightDir);
  const expected = runOutcome(straightDir);
  // Before a write, before its rename (the data is complete in the temporary file), after the rename: in process the
  // other stages (open, fsync) leave the same files behind as these. 9 files: spec.json, the first checkpoint,
  // 2 × (best, metrics, checkpoint), report.json.
  const points = recording.points.filter((p) => p.stage === 'write' || p.stage === 'rename' || p.stage === 'fsyncFolder');
  assert.equal(points.length, 9 * 3);
  const outcomes: Record<string, number> = { continued: 0, refused: 0 };
  for (const at of points) {
    const runDir = path.join(root, `crash-${at.index}`);
    const crashing = faultyRunIo((p: FaultPoint) => {
      if (p.index === at.index) throw new SimulatedCrash(p);
    });
    await assert.rejects(run(crashing, runDir), (e: Error) => e instanceof SimulatedCrash || e.message.includes('simulated crash'));
    const what = `crash before ${at.stage} of ${path.basename(at.file)} (#${at.index})`;
    const verdict = await assertResumesExactlyOrRefuses(runDir, expected, what);
    outcomes[verdict]++;
    // Refusing is right only while no checkpoint was ever committed (the first one is renamed after point 8).
    if (verdict === 'refused') assert.ok(at.index <= 8, `${what}: refused although a checkpoint had been committed`);
  }
  assert.deepEqual(outcomes, { continued: 27 - 5, refused: 5 });
  fs.rmSync(root, { recursive: true });
});

test('a full disk mid-run stops it as failed naming the file; the previous checkpoint stays valid and resumes', async () => {
  const root = scratch();
  await run(nodeRunIo, path.join(root, 'straight'));
  const expected = runOutcome(path.join(root, 'straight'));
  // The files of epoch 2 in order: best (if it improved), metrics, checkpoint; fail each one's write in turn.
  for (const target of ['metrics.jsonl', 'model.safetensors']) {
    const runDir = path.join(root, `full-${target}`);
    let epochTwo = false;
    const io = faultyRunIo((p) => {
      if (p.file.endsWith('metrics.jsonl') && p.stage === 'open') epochTwo ||= fs.existsSync(p.file);
      if (epochTwo && p.file.endsWith(target) && p.stage === 'write') throw osError('ENOSPC');
    });
    const result = await run(io, runDir);
    assert.equal(result.status, 'failed');
    assert.match(result.message, new RegExp(`^Failed at step 6, in epoch 2: ${path.join(runDir, target)}: the disk is full: cannot write it; best epoch \\d \\(validation loss [\\d.]+\\); the last checkpoint \\(epoch 1, step 3\\) is kept at ${path.join(runDir, 'model.safetensors')}\\.$`));
    const { metadata } = decodeSafetensors(new Uint8Array(fs.readFileSync(path.join(runDir, 'model.safetensors'))));
    assert.equal(metadata.step, '3', 'the checkpoint on disk is still the one of epoch 1');
    assert.equal(await assertResumesExactlyOrRefuses(runDir, expected, `disk full at ${target}`), 'continued');
  }
  fs.rmSync(root, { recursive: true });
});

test('a read-only run folder: a new run is refused before training, a resume too, and nothing changes', async () => {
  const root = scratch();
  const readOnly = faultyRunIo(() => {
    throw osError('EROFS');
  });
  const fresh = path.join(root, 'fresh');
  await assert.rejects(run(readOnly, fresh), (e: Error) => e instanceof FileError
    && e.message === `${fresh}: the run folder cannot be written: ${path.join(fresh, 'spec.json')}: the file system is read-only: cannot write it`);
  assert.deepEqual(fs.readdirSync(fresh), []);

  const runDir = path.join(root, 'run');
  fs.mkdirSync(runDir);
  await train({ spec, data: prepareSynthetic(spec), io: nodeRunIo, runDir, emit: () => {}, now: steppingClock(), overrides: { epochs: 1 } });
  const before = fs.readdirSync(runDir).map((name) => [name, fs.readFileSync(path.join(runDir, name))]);
  await assert.rejects(run(readOnly, runDir, true), (e: Error) => e instanceof FileError && /cannot be written: .*the file system is read-only: cannot write it$/.test(e.message));
  assert.deepEqual(fs.readdirSync(runDir).map((name) => [name, fs.readFileSync(path.join(runDir, name))]), before);
  assertEveryFileParses(runDir);
  fs.rmSync(root, { recursive: true });
});
