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

test('a try of the other way that loses again makes the next try twice as rare (up to every 1024th call); one that wins brings it back to every 16th', () => {
  const chooser = new SplitChooser();
  const work = 1 << 18;
  chooser.record(work, true, 4); // split: slow (the second core is busy)
  chooser.record(work, false, 1); // alone: cheaper
  const gaps: number[] = [];
  for (let tries = 0; tries < 9; tries++) {
    let calls = 0;
    while (!chooser.chooseSplit(work)) { calls++; chooser.record(work, false, 1); }
    gaps.push(calls + 1);
    chooser.record(work, true, 4); // the try loses again
  }
  assert.deepEqual(gaps, [16, 32, 64, 128, 256, 512, 1024, 1024, 1024]);
  // The second core is free again: the next try wins (0.5 ms against 1), so the one after comes 16 calls later.
  while (!chooser.chooseSplit(work)) chooser.record(work, false, 1);
  chooser.record(work, true, 0.5);
  let calls = 1;
  while (!chooser.chooseSplit(work)) { calls++; chooser.record(work, false, 1); }
  assert.equal(calls, 16);
});
