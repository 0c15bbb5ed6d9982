// ASHA with training.validateEvery: every rung's epoch is validated, so the sweep reads each trial's metric at
// its rung (not an older validation's, not none) and promotes by it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeRunIo } from '../runIo';
import { tinyAddingSpec } from '../testing/tinyRuns';
import { analyzeSweep } from './sweepFile';
import { planTrials } from './trialPlan';
import { createSweepFolder, runSweep } from './sweepRunner';
import { inProcessLauncher } from './trialLaunchers';

interface Line { epoch: number; validationLoss?: number }

test('ASHA rungs of 1, 2 and 4 epochs with validateEvery 3: each rung epoch is validated and ranks the trials', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-sweep-validate-every-'));
  const specPath = path.join(dir, 'adding.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify(tinyAddingSpec({ epochs: 4, validateEvery: 3 }), null, 2));
  const analysis = analyzeSweep(JSON.stringify({
    spec: 'adding.seqmodel.json', method: 'asha', trials: 4, samplerSeed: 3,
    parameters: { 'training.optimizer.lr': { min: 0.0005, max: 0.05, distribution: 'log-uniform' } },
    asha: { reductionFactor: 2, minEpochs: 1, maxEpochs: 4 },
  }), { sweepPath: path.join(dir, 'tiny.seqsweep.json'), readSpec: (p) => fs.readFileSync(p, 'utf8') });
  assert.deepEqual(analysis.diagnostics, []);
  const sweep = analysis.sweep!;
  const sweepDir = createSweepFolder(nodeRunIo, sweep, planTrials(sweep), new Date(Date.UTC(2026, 11, 5, 13, 0, 0)));
  const outcome = await runSweep({ dir: sweepDir, sweep, baseSpecText: analysis.baseSpecText!, io: nodeRunIo, launcher: inProcessLauncher(), parallel: 1 });
  const linesOf = (runDir: string) => fs.readFileSync(path.join(sweepDir, runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
  const rungEpochs = [1, 2, 4];
  for (const trial of outcome.state.trials) {
    const lines = linesOf(trial.runDir);
    const validated = lines.filter((l) => l.validationLoss !== undefined).map((l) => l.epoch);
    // Trained to its rung's budget: each rung epoch reached is validated (3 too, by the cadence), nothing else.
    const reached = lines.length;
    assert.deepEqual(validated, [1, 2, 3, 4].filter((e) => e <= reached && (rungEpochs.includes(e) || e % 3 === 0)), `${trial.id}: ${JSON.stringify(lines)}`);
    assert.equal(trial.metric, Math.min(...validated.map((e) => lines[e - 1].validationLoss!)), `${trial.id}: the best validation it had`);
  }
  // Promotion by the metric at rung 0 (epoch 1): the 2 promoted trials are the 2 best of the 4 there.
  const atEpoch1 = (runDir: string) => linesOf(runDir)[0].validationLoss!;
  const promoted = outcome.state.trials.filter((t) => t.rung >= 1).map((t) => atEpoch1(t.runDir)).sort((a, b) => a - b);
  const all = outcome.state.trials.map((t) => atEpoch1(t.runDir)).sort((a, b) => a - b);
  assert.deepEqual(promoted, all.slice(0, 2));
  fs.rmSync(dir, { recursive: true });
});
