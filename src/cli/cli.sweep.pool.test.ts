// `seqlab sweep` trains its trials in a pool of worker threads that keep the data between trials: each trial
// still ends with exactly the weights and metrics of `seqlab train` of its own spec in a process of its own.
// Runs the built CLI (dist/cli.js and dist/sweepWorker.js, which `npm test` builds) on the reference kernels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runOutcome } from '../train/testing/runFolderChecks';
import { readSweepFolder } from '../train/sweeps/sweepFolder';
import { trialSpecText } from '../train/sweeps/trialPlan';
import { nodeRunIo } from '../train/runIo';
import { runBuiltCli } from './testing/builtCli';

const SENTIMENT = path.join(__dirname, '../../examples/data/sentiment.csv');

// Variable-length texts (padding into buffers a kept data set reuses), a split shuffled by the training seed.
const SPEC = {
  name: 'pooled',
  task: { type: 'classify', labels: ['negative', 'positive'] },
  data: { source: 'text-classification', path: SENTIMENT, format: 'csv', split: { validation: 0.2 }, bucketByLength: true },
  model: { embedding: { dim: 6 }, encoder: { cell: 'lstm', hiddenSize: 6, packed: true }, readout: 'hN' },
  training: { epochs: 2, batchSize: 64, seed: 1, optimizer: { type: 'adam', lr: 0.01 }, loss: 'cross-entropy' },
};
// Six trials on two workers: each worker trains three, most of them on data it kept from its previous trial.
const SWEEP = { spec: 'pooled.seqmodel.json', parameters: { 'model.encoder.hiddenSize': { values: [4, 6, 8] } }, seeds: 2, metric: { name: 'accuracy' } };

const normalised = (metrics: unknown[]) => metrics.map((m) => ({ ...(m as object), seconds: 0, samplesPerSecond: 0 }));

test('trials of a sweep on two pooled workers end bitwise as seqlab train of each trial spec', async () => {
  assert.ok(fs.existsSync(path.join(__dirname, '../../dist/sweepWorker.js')), 'dist/sweepWorker.js is missing: npm run build (npm test builds it)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-sweep-pool-'));
  fs.writeFileSync(path.join(dir, 'pooled.seqmodel.json'), JSON.stringify(SPEC, null, 2));
  fs.writeFileSync(path.join(dir, 'pooled.seqsweep.json'), JSON.stringify(SWEEP, null, 2));
  const swept = await runBuiltCli(['sweep', path.join(dir, 'pooled.seqsweep.json'), '--parallel', '2', '--threads-per-run', '1', '--json']);
  assert.equal(swept.code, 0, swept.stderr);
  // The last line comes after the pool's workers were closed: the process waited for them.
  const last = JSON.parse(swept.stdout.trim().split('\n').pop()!) as { type: string; complete: boolean };
  assert.deepEqual([last.type, last.complete], ['sweepFinished', true]);
  const sweepDir = path.join(dir, '.seqlab', 'sweeps', fs.readdirSync(path.join(dir, '.seqlab', 'sweeps'))[0]);
  const folder = readSweepFolder(sweepDir, nodeRunIo);
  assert.equal(folder.state.trials.length, 6);
  const baseSpecText = fs.readFileSync(path.join(sweepDir, 'base.seqmodel.json'), 'utf8');
  for (const trial of folder.state.trials) {
    assert.equal(trial.status, 'completed', trial.id);
    const specFile = path.join(dir, `${trial.id}.seqmodel.json`);
    fs.writeFileSync(specFile, trialSpecText(folder.sweep!, baseSpecText, trial));
    const alone = path.join(dir, `alone-${trial.id}`);
    const trained = await runBuiltCli(['train', specFile, '--out', alone, '--json']);
    assert.equal(trained.code, 0, trained.stderr);
    const inSweep = runOutcome(path.join(sweepDir, trial.runDir));
    const reference = runOutcome(alone);
    assert.deepEqual(normalised(inSweep.metrics), normalised(reference.metrics), `${trial.id}: metrics`);
    assert.ok(Buffer.compare(inSweep.checkpoint, reference.checkpoint) === 0, `${trial.id}: the checkpoint differs from seqlab train's`);
    assert.ok(Buffer.compare(inSweep.best, reference.best) === 0, `${trial.id}: the best weights differ from seqlab train's`);
  }
  fs.rmSync(dir, { recursive: true });
});
