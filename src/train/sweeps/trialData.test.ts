// Trials that share task, data and seed share the prepared data: the file is read once per data set, and every
// trial still trains bitwise as a run of its own spec on freshly loaded data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type RunIo, nodeRunIo } from '../runIo';
import { RunControl } from '../runControl';
import { runOutcome } from '../testing/runFolderChecks';
import { analyzeSweep } from './sweepFile';
import { planTrials, trialSpecText } from './trialPlan';
import { createSweepFolder, runSweep } from './sweepRunner';
import { inProcessLauncher } from './trialLaunchers';
import { dataKey } from './trialData';
import { runTrial } from './trialRun';

const SENTIMENT = path.join(__dirname, '../../../examples/data/sentiment.csv');

/** Text classification: variable lengths (padding into reused buffers), a split shuffled by the training seed. */
const SPEC = {
  name: 'sentiment-tiny',
  task: { type: 'classify', labels: ['negative', 'positive'] },
  data: { source: 'text-classification', path: SENTIMENT, format: 'csv', split: { validation: 0.2 }, bucketByLength: true },
  model: { embedding: { dim: 6 }, encoder: { cell: 'gru', hiddenSize: 6, packed: true }, readout: 'hN' },
  training: { epochs: 2, batchSize: 64, seed: 1, optimizer: { type: 'adam', lr: 0.01 }, loss: 'cross-entropy' },
};

/** nodeRunIo counting the times the data file is opened. */
function countingIo(): { io: RunIo; opens: () => number } {
  let opens = 0;
  return {
    io: { ...nodeRunIo, openFile: (file) => { if (path.resolve(file) === SENTIMENT) opens++; return nodeRunIo.openFile!(file); } },
    opens: () => opens,
  };
}

test('the data key follows the task, the data section, the seed and the spec path, nothing else', () => {
  const key = (spec: object, specPath = '/a/s.seqmodel.json') => dataKey(specPath, JSON.stringify(spec));
  const other = { ...SPEC, model: { ...SPEC.model, encoder: { cell: 'lstm', hiddenSize: 32 } }, training: { ...SPEC.training, epochs: 9, optimizer: { type: 'sgd', lr: 0.1 } } };
  assert.equal(key(other), key(SPEC));
  assert.notEqual(key({ ...SPEC, training: { ...SPEC.training, seed: 2 } }), key(SPEC));
  assert.notEqual(key({ ...SPEC, data: { ...SPEC.data, split: { validation: 0.3 } } }), key(SPEC));
  assert.notEqual(key({ ...SPEC, task: { type: 'classify', labels: ['positive', 'negative'] } }), key(SPEC));
  assert.notEqual(key(SPEC, '/b/s.seqmodel.json'), key(SPEC));
  assert.equal(dataKey('/a/s.seqmodel.json', '{ not json'), undefined);
});

test('trials with the same data read the file once per seed, and train bitwise as runs on fresh data', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-trial-data-'));
  const specPath = path.join(dir, 'sentiment.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify(SPEC, null, 2));
  const analysis = analyzeSweep(JSON.stringify({ spec: 'sentiment.seqmodel.json', parameters: { 'model.encoder.hiddenSize': { values: [4, 8] } }, seeds: 2, metric: { name: 'accuracy' } }), {
    sweepPath: path.join(dir, 'tiny.seqsweep.json'), readSpec: (p) => fs.readFileSync(p, 'utf8'),
  });
  assert.deepEqual(analysis.diagnostics, []);
  const sweep = analysis.sweep!;
  const sweepDir = createSweepFolder(nodeRunIo, sweep, planTrials(sweep), new Date());

  // What one trial costs in opens of the data file when it loads the data itself.
  const single = countingIo();
  const first = planTrials(sweep)[0];
  await runTrial({ type: 'trial', specPath, specText: trialSpecText(sweep, analysis.baseSpecText!, first), runDir: path.join(dir, 'single'), resume: false }, new RunControl(), () => {}, single.io);
  assert.ok(single.opens() > 0);

  const counted = countingIo();
  const outcome = await runSweep({ dir: sweepDir, sweep, baseSpecText: analysis.baseSpecText!, io: counted.io, launcher: inProcessLauncher(counted.io), parallel: 1 });
  assert.ok(outcome.finished);
  assert.equal(outcome.state.trials.length, 4);
  assert.equal(counted.opens(), 2 * single.opens(), 'four trials, two seeds: the data loaded twice');

  for (const trial of outcome.state.trials) {
    const fresh = path.join(dir, `fresh-${trial.id}`);
    const result = await runTrial({ type: 'trial', specPath, specText: trialSpecText(sweep, analysis.baseSpecText!, trial), runDir: fresh, resume: false }, new RunControl(), () => {});
    assert.equal(result.finished.status, 'completed');
    const inSweep = runOutcome(path.join(sweepDir, trial.runDir));
    const alone = runOutcome(fresh);
    assert.deepEqual(inSweep.metrics.map((m) => ({ ...(m as object), seconds: 0, samplesPerSecond: 0 })), alone.metrics.map((m) => ({ ...(m as object), seconds: 0, samplesPerSecond: 0 })), `${trial.id}: metrics`);
    assert.ok(Buffer.compare(inSweep.checkpoint, alone.checkpoint) === 0, `${trial.id}: the checkpoint differs from a run on fresh data`);
  }
  fs.rmSync(dir, { recursive: true });
});
