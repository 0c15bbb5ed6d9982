// The bundled sweep examples (examples/sweeps/*.seqsweep.json) analyse without a diagnostic and every trial's
// spec passes the spec analysis (what the editor shows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sweepFileDiagnostics } from './trialPlan';

const dir = path.join(new URL('.', import.meta.url).pathname, '..', '..', '..', 'examples', 'sweeps');

test('every bundled sweep analyses cleanly and all its trials are valid specs', () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.seqsweep.json'));
  assert.ok(files.length >= 2, `${files.length} sweeps in ${dir}`);
  for (const file of files) {
    const sweepPath = path.join(dir, file);
    assert.deepEqual(sweepFileDiagnostics(fs.readFileSync(sweepPath, 'utf8'), sweepPath, (p) => fs.readFileSync(p, 'utf8')), [], file);
  }
});
