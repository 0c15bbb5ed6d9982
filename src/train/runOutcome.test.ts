import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOutcomeSentence, type RunOutcomeFacts } from './runOutcome';

const base: RunOutcomeFacts = { status: 'completed', epochs: 20, steps: 600, stepsPerEpoch: 30, bestValidationLoss: 0.15462, bestEpoch: 16 };
const file = '/run/model.safetensors';

/** One sentence: one full stop, at the end, and no figure said twice. */
function assertOneSentence(sentence: string): void {
  assert.equal(sentence.match(/\.(\s|$)/g)?.length, 1, sentence);
  assert.ok(sentence.endsWith('.'), sentence);
  assert.ok((sentence.match(/validation loss/g)?.length ?? 0) <= 1, sentence);
  const clauses = sentence.slice(0, -1).split('; ');
  assert.equal(new Set(clauses).size, clauses.length, sentence);
}

test('completed: the epochs and steps once, the best epoch once', () => {
  const sentence = runOutcomeSentence(base);
  assert.equal(sentence, 'Completed 20 epochs (600 steps); best epoch 16 (validation loss 0.1546).');
  assertOneSentence(sentence);
  assert.equal(runOutcomeSentence({ ...base, epochs: 1, steps: 1, bestValidationLoss: Infinity, bestEpoch: 0 }), 'Completed 1 epoch (1 step).', 'no validation split: no best epoch');
});

test('early-stopped: why, with the metric as people write it, and the best epoch', () => {
  const sentence = runOutcomeSentence({ ...base, status: 'early-stopped', epochs: 9, steps: 270, bestEpoch: 6, reason: 'no improvement of validation token accuracy for 3 epochs' });
  assert.equal(sentence, 'Stopped early after 9 epochs (270 steps): no improvement of validation token accuracy for 3 epochs; best epoch 6 (validation loss 0.1546).');
  assertOneSentence(sentence);
});

test('stopped by the user mid-epoch: the epoch it was in and how far, never "after 0 epochs"', () => {
  const sentence = runOutcomeSentence({
    ...base, status: 'stopped', epochs: 0, steps: 23, stepInEpoch: 23, bestValidationLoss: Infinity, bestEpoch: 0,
    checkpoint: { file, epoch: 1, step: 23, partial: true },
  });
  assert.equal(sentence, `Stopped at step 23, in epoch 1 (23 of its 30 steps); its checkpoint is kept at ${file}.`);
  assert.doesNotMatch(sentence, /0 epochs|epoch 0/);
  assertOneSentence(sentence);
  const later = runOutcomeSentence({ ...base, status: 'stopped', epochs: 2, steps: 63, stepInEpoch: 3, bestEpoch: 2, checkpoint: { file, epoch: 3, step: 63, partial: true } });
  assert.equal(later, `Stopped at step 63, in epoch 3 (3 of its 30 steps); best epoch 2 (validation loss 0.1546); its checkpoint is kept at ${file}.`);
});

test('stopped at an epoch boundary, and before the first step (epoch 0)', () => {
  assert.equal(
    runOutcomeSentence({ ...base, status: 'stopped', epochs: 2, steps: 60, stepInEpoch: 0, bestEpoch: 2, checkpoint: { file, epoch: 2, step: 60, partial: false } }),
    `Stopped after 2 epochs (60 steps); best epoch 2 (validation loss 0.1546); its checkpoint is kept at ${file}.`,
  );
  const atStart = runOutcomeSentence({ ...base, status: 'stopped', epochs: 0, steps: 0, stepInEpoch: 0, bestValidationLoss: Infinity, bestEpoch: 0, checkpoint: { file, epoch: 0, step: 0, partial: false } });
  assert.equal(atStart, `Stopped before the first step; the untrained weights are kept at ${file}.`);
  // A stateful run keeps the checkpoint of its last epoch; a non-finite value refuses the stop's own checkpoint.
  assert.equal(
    runOutcomeSentence({ ...base, status: 'stopped', epochs: 1, steps: 40, stepInEpoch: 10, bestEpoch: 1, notSaved: 'weight_hh_l0[3] is NaN', checkpoint: { file, epoch: 1, step: 30, partial: false } }),
    `Stopped at step 40, in epoch 2 (10 of its 30 steps); best epoch 1 (validation loss 0.1546); the stop was not saved (weight_hh_l0[3] is NaN); the last checkpoint (epoch 1, step 30) is kept at ${file}.`,
  );
});

test('diverged: where, what and the likely cause, and the checkpoint it keeps', () => {
  const sentence = runOutcomeSentence({
    ...base, status: 'diverged', epochs: 1, steps: 31, bestEpoch: 1, at: { epoch: 2, step: 32 },
    reason: 'loss became NaN; the learning rate 0.01 is likely too high (lower training.optimizer.lr)', checkpoint: { file, epoch: 1, step: 30, partial: false },
  });
  assert.equal(sentence, `Diverged at step 32, in epoch 2: loss became NaN; the learning rate 0.01 is likely too high (lower training.optimizer.lr); best epoch 1 (validation loss 0.1546); the last checkpoint (epoch 1, step 30) is kept at ${file}.`);
  assertOneSentence(sentence);
  assert.equal(
    runOutcomeSentence({ ...base, status: 'diverged', epochs: 0, steps: 0, bestValidationLoss: Infinity, bestEpoch: 0, at: { epoch: 1, step: 1 }, reason: 'loss became Infinity', checkpoint: { file, epoch: 0, step: 0, partial: false } }),
    `Diverged at step 1, in epoch 1: loss became Infinity; the untrained weights are kept at ${file}.`,
  );
});

test('failed: where, the reason as the error said it, and the checkpoint', () => {
  const sentence = runOutcomeSentence({
    ...base, status: 'failed', epochs: 1, steps: 6, bestEpoch: 1, at: { epoch: 2, step: 6 },
    reason: '/run/metrics.jsonl: the disk is full: cannot write it', checkpoint: { file, epoch: 1, step: 3, partial: false },
  });
  assert.equal(sentence, `Failed at step 6, in epoch 2: /run/metrics.jsonl: the disk is full: cannot write it; best epoch 1 (validation loss 0.1546); the last checkpoint (epoch 1, step 3) is kept at ${file}.`);
  assertOneSentence(sentence);
});

test('resumed: says where it continued from, once', () => {
  const sentence = runOutcomeSentence({ ...base, resumedFrom: { epoch: 5, step: 150 } });
  assert.equal(sentence, 'Completed 20 epochs (600 steps); resumed from step 150; best epoch 16 (validation loss 0.1546).');
  assertOneSentence(sentence);
  const stoppedAgain = runOutcomeSentence({ ...base, status: 'stopped', epochs: 5, steps: 165, stepInEpoch: 15, bestEpoch: 4, resumedFrom: { epoch: 5, step: 150 }, checkpoint: { file, epoch: 6, step: 165, partial: true } });
  assert.equal(stoppedAgain, `Stopped at step 165, in epoch 6 (15 of its 30 steps); resumed from step 150; best epoch 4 (validation loss 0.1546); its checkpoint is kept at ${file}.`);
});
