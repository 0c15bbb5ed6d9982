// training.validateEvery: which epochs the trainer validates, what an epoch without validation records, and how
// early stopping, the plateau schedule and the best checkpoint count validations (validationCadence.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { train } from './trainer';
import { memoryRunIo } from './runIo';
import { readJsonLines, RUN_FILES } from './runFolder';
import { readSafetensorsFile } from './weightsFile';
import { validatesEpoch } from './validationCadence';
import { prepareSynthetic, recorder, steppingClock, tinyAddingSpec } from './testing/tinyRuns';
import type { SeqModelSpec } from '../modelSpec/types';

interface Line { epoch: number; trainLoss: number; validationLoss?: number; metrics: Record<string, number>; best: boolean; lr: number }

async function run(spec: SeqModelSpec, extra: { validateAtEpoch?: number; overrides?: { epochs?: number; maxSteps?: number } } = {}) {
  const io = memoryRunIo();
  const r = recorder();
  const result = await train({ spec, data: prepareSynthetic(spec), io, runDir: '/run', emit: r.emit, now: steppingClock(), ...extra });
  const lines = readJsonLines(io, '/run/metrics.jsonl') as Line[];
  const validated = lines.filter((l) => l.validationLoss !== undefined).map((l) => l.epoch);
  return { io, r, result, lines, validated };
}

test('the cadence: epochs N, 2N, … and always the epoch a run ends with', () => {
  const validated = (every: number, epochs: number) => Array.from({ length: epochs }, (_, i) => i + 1).filter((e) => validatesEpoch(e, every, e === epochs));
  assert.deepEqual(validated(3, 7), [3, 6, 7]);
  assert.deepEqual(validated(3, 6), [3, 6]);
  assert.deepEqual(validated(1, 4), [1, 2, 3, 4]);
  assert.deepEqual(validated(10, 4), [4], 'more than the epochs: only the last');
  assert.deepEqual(validated(2, 1), [1]);
});

test('validateEvery 3 over 7 epochs validates epochs 3, 6 and 7; the others record no validation figures', async () => {
  const every3 = await run(tinyAddingSpec({ epochs: 7, validateEvery: 3 }));
  const every1 = await run(tinyAddingSpec({ epochs: 7 }));
  assert.equal(every3.result.status, 'completed');
  assert.deepEqual(every3.validated, [3, 6, 7]);
  assert.equal(every3.lines.length, 7, 'every epoch writes its line');
  for (const line of every3.lines.filter((l) => !every3.validated.includes(l.epoch))) {
    assert.ok(!('validationLoss' in line), `epoch ${line.epoch} has no validation loss: ${JSON.stringify(line)}`);
    assert.deepEqual(line.metrics, {}, `epoch ${line.epoch} has no validation metrics`);
    assert.equal(line.best, false);
  }
  // Skipping validation changes nothing in training: the same train losses, and the validated epochs' figures
  // are exactly those of the run that validates every epoch.
  assert.deepEqual(every3.lines.map((l) => l.trainLoss), every1.lines.map((l) => l.trainLoss));
  for (const epoch of every3.validated) {
    const [a, b] = [every3.lines[epoch - 1], every1.lines[epoch - 1]];
    assert.equal(a.validationLoss, b.validationLoss);
    assert.deepEqual(a.metrics, b.metrics);
  }
  // The live events say the same, and the panels' validation records come only from validated epochs.
  assert.deepEqual(every3.r.of('epoch').filter((e) => e.validationLoss !== undefined).map((e) => e.epoch), [3, 6, 7]);
  assert.deepEqual(every3.r.of('predictions').map((e) => e.epoch), [3, 6, 7]);
  assert.deepEqual(every3.r.of('gradFlow').map((e) => e.epoch), [1, 2, 3, 4, 5, 6, 7], 'training records stay per epoch');
  assert.deepEqual(every3.result.finalMetrics, every3.lines[6].metrics, 'the final metrics are the last validation\'s');
});

test('the best epoch and best.safetensors are chosen among validated epochs only', async () => {
  // lr 0.03: validated every epoch, this run is best at epoch 4 (measured), an epoch validateEvery 3 never validates.
  const every3 = await run(tinyAddingSpec({ epochs: 7, validateEvery: 3, optimizer: { type: 'adam', lr: 0.03 } }));
  const every1 = await run(tinyAddingSpec({ epochs: 7, optimizer: { type: 'adam', lr: 0.03 } }));
  assert.ok(!every3.validated.includes(every1.result.bestEpoch), `every-epoch best ${every1.result.bestEpoch}`);
  const lossAt = (epoch: number) => every1.lines[epoch - 1].validationLoss!;
  const expected = every3.validated.reduce((best, epoch) => (lossAt(epoch) < lossAt(best) ? epoch : best));
  assert.equal(every3.result.bestEpoch, expected);
  assert.equal(every3.result.bestValidationLoss, lossAt(expected));
  assert.equal(readSafetensorsFile(every3.io, `/run/${RUN_FILES.best}`).metadata.epoch, String(expected));
  const report = JSON.parse(every3.io.readTextFile(`/run/${RUN_FILES.report}`)) as { bestEpoch: number };
  assert.equal(report.bestEpoch, expected);
  assert.deepEqual(every3.lines.filter((l) => l.best).map((l) => l.epoch).at(-1), expected);
});

test('early stopping counts validations, not epochs, and says so', async () => {
  // A learning rate of zero: nothing improves after the first validation (epoch 2).
  const { result, validated } = await run(tinyAddingSpec({ epochs: 20, validateEvery: 2, optimizer: { type: 'sgd', lr: 0 }, earlyStopping: { patience: 2 } }));
  assert.equal(result.status, 'early-stopped');
  assert.equal(result.epochs, 6, 'two validations (epochs 4 and 6) without improvement after epoch 2');
  assert.deepEqual(validated, [2, 4, 6]);
  assert.equal(result.bestEpoch, 2);
  assert.match(result.message, /no improvement of validation loss for 2 validations \(one every 2 epochs\); best epoch 2 /);
});

test('a plateau schedule counts validations: the rate changes only after a validated epoch', async () => {
  // threshold 0.7: no validation after the first improves enough; patience 0: each such validation halves the rate.
  const schedule = { type: 'plateau' as const, factor: 0.5, patience: 0, threshold: 0.7 };
  const { lines } = await run(tinyAddingSpec({ epochs: 6, validateEvery: 2, schedule }));
  // Validations at 2 (the first: the best so far), 4 (halves) and 6 (halves after the last epoch).
  assert.deepEqual(lines.map((l) => l.lr), [0.01, 0.01, 0.01, 0.01, 0.005, 0.005]);
});

test('maxSteps ending mid-run, and an ASHA rung, are validated whatever validateEvery says', async () => {
  // 3 steps per epoch: maxSteps 7 ends one step into epoch 3.
  const cut = await run(tinyAddingSpec({ epochs: 10, validateEvery: 4, maxSteps: 7 }));
  assert.equal(cut.r.of('runStarted')[0].stepsPerEpoch, 3);
  assert.equal(cut.result.epochs, 3);
  assert.deepEqual(cut.validated, [3]);
  assert.equal(cut.result.bestEpoch, 3);
  const rung = await run(tinyAddingSpec({ epochs: 10, validateEvery: 4 }), { validateAtEpoch: 2, overrides: { epochs: 5 } });
  assert.deepEqual(rung.validated, [2, 4, 5]);
});
