// kill -9 of a real `seqlab sweep` process (two trials training in worker threads) at seeded moments, then
// `--resume`: finished trials are kept, interrupted ones continue from their checkpoints, every epoch of every
// trial is in its metrics once, and each trial ends with the very weights of a sweep never killed.
// Runs the built CLI (dist/cli.js and dist/sweepWorker.js, which `npm test` builds) on the reference kernels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../tensor';
import { assertEveryFileParses, runOutcome } from '../train/testing/runFolderChecks';
import { readSweepFolder } from '../train/sweeps/sweepFolder';
import { nodeRunIo } from '../train/runIo';
import { runBuiltCli, type CliChild } from './testing/builtCli';

const SPEC = {
  name: 'killed',
  task: { type: 'regress' },
  data: { source: 'synthetic', generator: 'adding', samples: 160, length: 10, seed: 5, split: { validation: 0.2 } },
  model: { encoder: { cell: 'lstm', hiddenSize: 8 } },
  training: { epochs: 4, batchSize: 16, seed: 2, optimizer: { type: 'adam', lr: 0.01 }, clipGradNorm: 1 },
};
const SWEEP = { spec: 'killed.seqmodel.json', parameters: { 'model.encoder.cell': { values: ['rnn', 'lstm', 'gru'] } }, seeds: 2 };

/** `seqlab sweep ARGS --json --parallel 2`, killed `afterMs` after the `afterEpochs`-th epoch of any trial. */
function seqlab(args: string[], kill?: { afterEpochs: number; afterMs: number }): Promise<CliChild> {
  const moment = kill && { when: (out: string) => (out.match(/"type":"trialEpoch"/g) ?? []).length >= kill.afterEpochs, afterMs: kill.afterMs };
  return runBuiltCli(['sweep', ...args, '--json', '--parallel', '2'], moment);
}

function sweepFolderOf(dir: string): string {
  const sweeps = path.join(dir, '.seqlab', 'sweeps');
  const [name] = fs.readdirSync(sweeps);
  return path.join(sweeps, name);
}

function writeSweep(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'killed.seqmodel.json'), JSON.stringify(SPEC, null, 2));
  fs.writeFileSync(path.join(dir, 'cells.seqsweep.json'), JSON.stringify(SWEEP, null, 2));
  return path.join(dir, 'cells.seqsweep.json');
}

test('kill -9 of a sweep at seeded moments, then --resume: every trial once, the same weights as never killed', async () => {
  assert.ok(fs.existsSync(path.join(__dirname, '../../dist/sweepWorker.js')), 'dist/sweepWorker.js is missing: npm run build (npm test builds it)');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-sweep-kill-'));
  const straightFile = writeSweep(path.join(root, 'straight'));
  const straight = await seqlab([straightFile]);
  assert.equal(straight.code, 0, straight.stderr);
  const straightDir = sweepFolderOf(path.join(root, 'straight'));
  const expected = readSweepFolder(straightDir, nodeRunIo).state.trials;
  assert.equal(expected.length, 6);
  assert.ok(expected.every((t) => t.status === 'completed' && t.metric !== null));

  const rng = new Rng(20261205);
  let killedMidSweep = 0;
  for (let k = 0; k < 2; k++) {
    const file = writeSweep(path.join(root, `killed-${k}`));
    const moment = { afterEpochs: 2 + rng.int(12), afterMs: rng.int(60) };
    const what = `killed ${moment.afterMs} ms after ${moment.afterEpochs} epochs`;
    const killed = await seqlab([file], moment);
    if (killed.signal === 'SIGKILL') killedMidSweep++;
    const dir = sweepFolderOf(path.join(root, `killed-${k}`));
    for (const trial of fs.existsSync(path.join(dir, 'trials')) ? fs.readdirSync(path.join(dir, 'trials')) : []) assertEveryFileParses(path.join(dir, 'trials', trial));
    const before = readSweepFolder(dir, nodeRunIo);
    assert.deepEqual(before.problems, [], `${what}: state.json is whole`);
    const resumed = await seqlab([file, '--resume', dir]);
    assert.equal(resumed.code, 0, `${what}: ${resumed.stderr}`);
    const after = readSweepFolder(dir, nodeRunIo).state.trials;
    for (const [i, trial] of after.entries()) {
      assert.equal(trial.status, 'completed', `${what}: ${trial.id}`);
      assert.equal(trial.metric, expected[i].metric, `${what}: ${trial.id}'s metric`);
      const outcome = runOutcome(path.join(dir, trial.runDir));
      const reference = runOutcome(path.join(straightDir, expected[i].runDir));
      assert.deepEqual(outcome.metrics.map((m) => (m as { epoch: number }).epoch), [1, 2, 3, 4], `${what}: ${trial.id}'s epochs, each once`);
      assert.ok(Buffer.compare(outcome.checkpoint, reference.checkpoint) === 0, `${what}: ${trial.id}'s checkpoint differs from the straight sweep's`);
    }
    // Trials finished before the kill were not trained again: their report was written once, by the first process.
    const rerun = (resumed.stdout.match(/"type":"trial","id":"t\d+"[^\n]*"status":"running"/g) ?? []).length;
    const finishedBefore = before.state.trials.filter((t) => t.status === 'completed').length;
    assert.equal(rerun, 6 - finishedBefore, `${what}: only unfinished trials run again`);
  }
  assert.ok(killedMidSweep >= 1, `only ${killedMidSweep} of 2 sweeps were still running when killed: make the sweep longer`);
  fs.rmSync(root, { recursive: true });
});
