// What the fault tests check in a run folder on disk after a crash, a kill or a failed write.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSafetensors } from '../../nn/safetensors';
import { readJsonLines } from '../runFolder';
import { nodeRunIo } from '../runIo';

/** Every run file that exists parses; a temporary file of an interrupted write is the only other file allowed. */
export function assertEveryFileParses(runDir: string): void {
  for (const name of fs.readdirSync(runDir)) {
    const file = path.join(runDir, name);
    if (/^\..*\.tmp$/.test(name)) continue; // the write a crash interrupted: never read by anything
    if (name.endsWith('.safetensors')) decodeSafetensors(new Uint8Array(fs.readFileSync(file)));
    else if (name.endsWith('.jsonl')) readJsonLines(nodeRunIo, file);
    else if (name.endsWith('.json')) JSON.parse(fs.readFileSync(file, 'utf8'));
    else assert.fail(`unexpected file ${name} in the run folder`);
  }
}

/** What a finished run leaves that must not depend on interruptions: checkpoint, best, metrics without timings. */
export function runOutcome(runDir: string): { checkpoint: Buffer; best: Buffer; metrics: unknown[] } {
  return {
    checkpoint: fs.readFileSync(path.join(runDir, 'model.safetensors')),
    best: fs.readFileSync(path.join(runDir, 'best.safetensors')),
    metrics: readJsonLines(nodeRunIo, path.join(runDir, 'metrics.jsonl')).map((l) => ({ ...(l as object), seconds: undefined })),
  };
}

/** The resumed run ended exactly where the uninterrupted one did. */
export function assertSameOutcome(runDir: string, expected: ReturnType<typeof runOutcome>, what: string): void {
  const actual = runOutcome(runDir);
  assert.ok(Buffer.compare(actual.checkpoint, expected.checkpoint) === 0, `${what}: the checkpoint differs from the uninterrupted run's`);
  assert.ok(Buffer.compare(actual.best, expected.best) === 0, `${what}: best.safetensors differs`);
  assert.deepEqual(actual.metrics, expected.metrics, `${what}: metrics differ`);
}
