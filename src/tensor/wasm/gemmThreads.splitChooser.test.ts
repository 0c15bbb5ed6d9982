// The split-or-not choice of the GEMM helper: measured cost per multiply-add, per size class, with exploration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SplitChooser } from './gemmThreads';

test('a new size class is tried split, then alone, then runs the cheaper way and tries the other every 16th call', () => {
  const chooser = new SplitChooser();
  const work = 1 << 22;
  assert.equal(chooser.chooseSplit(work), true);
  chooser.record(work, true, 2); // split: 2 ms
  assert.equal(chooser.chooseSplit(work), false);
  chooser.record(work, false, 1); // alone: 1 ms, cheaper
  const choices = Array.from({ length: 32 }, () => chooser.chooseSplit(work));
  assert.equal(choices.filter((split) => split).length, 2);
  assert.deepEqual([choices.indexOf(true), choices.lastIndexOf(true)], [15, 31]);
});

test('costs are kept per size class and follow a change of load', () => {
  const chooser = new SplitChooser();
  const small = 1 << 20, large = 1 << 26;
  chooser.record(small, true, 1); chooser.record(small, false, 0.5); // small: alone is cheaper
  chooser.record(large, true, 10); chooser.record(large, false, 20); // large: split is cheaper
  assert.equal(chooser.chooseSplit(small), false);
  assert.equal(chooser.chooseSplit(large), true);
  // The second core gets busy: split GEMMs of the large class now take 40 ms; a few measurements flip the choice.
  for (let i = 0; i < 4; i++) chooser.record(large, true, 40);
  assert.equal(chooser.chooseSplit(large), false);
});
