// kill -9 of a real `seqlab train` process at random moments (seeded, so the moments are the same every run):
// every file left parses, and `seqlab train --resume` ends with the uninterrupted run's weights, bit for bit.
// Runs the built CLI (dist/cli.js, which `npm test` builds before the unit tests) on the reference kernels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../tensor';
import { assertEveryFileParses, assertSameOutcome, runOutcome } from '../train/testing/runFolderChecks';
import { runBuiltCli, type CliChild } from './testing/builtCli';

const SPEC = {
  name: 'killed',
  task: { type: 'regress' },
  data: { source: 'synthetic', generator: 'adding', samples: 200, length: 10, seed: 5, split: { validation: 0.2 } },
  model: { encoder: { cell: 'lstm', hiddenSize: 8, dropout: 0.1, numLayers: 2 } },
  training: { epochs: 6, batchSize: 16, seed: 2, optimizer: { type: 'adam', lr: 0.01 }, clipGradNorm: 1 },
};

/** `seqlab train ARGS --json`, killed `afterMs` after the run reports epoch `afterEpoch`. */
function seqlab(args: string[], kill?: { afterEpoch: number; afterMs: number }): Promise<CliChild> {
  const moment = kill && { when: (out: string) => out.includes(`"type":"epoch","epoch":${kill.afterEpoch},`), afterMs: kill.afterMs };
  return runBuiltCli(['train', ...args, '--json'], moment);
}

test('kill -9 at random moments of a real training process, then --resume: the same weights as never killed', async () => {
  assert.ok(fs.existsSync(path.join(__dirname, '../../dist/cli.js')), 'dist/cli.js is missing: npm run build (npm test builds it)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-kill-'));
  const specPath = path.join(dir, 'killed.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify(SPEC, null, 2));
  const straight = await seqlab([specPath, '--out', path.join(dir, 'straight')]);
  assert.equal(straight.code, 0, straight.stderr);
  const expected = runOutcome(path.join(dir, 'straight'));

  const rng = new Rng(20261205);
  let killedMidRun = 0;
  for (let k = 0; k < 2; k++) {
    const runDir = path.join(dir, `killed-${k}`);
    const moment = { afterEpoch: 1 + rng.int(3), afterMs: rng.int(40) };
    const delay = `${moment.afterMs} ms after epoch ${moment.afterEpoch}`;
    const killed = await seqlab([specPath, '--out', runDir], moment);
    if (killed.signal === 'SIGKILL') killedMidRun++;
    assertEveryFileParses(runDir);
    const resumed = await seqlab([specPath, '--resume', runDir]);
    assert.equal(resumed.code, 0, `killed ${delay}: ${resumed.stderr}`);
    assertSameOutcome(runDir, expected, `killed ${delay}`);
  }
  assert.ok(killedMidRun >= 1, `only ${killedMidRun} of 2 runs were still training when killed: make the run longer`);
  fs.rmSync(dir, { recursive: true });
});
