// The split-or-not choice of the GEMM helper: measured cost per multiply-add, per size class, with tries of the
// other way (4 calls in a row, the first not counted) that become rarer while they keep losing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SplitChooser } from './gemmThreads';

/** Runs `calls` choices, recording `cost(split)` ms for each; returns the choices. */
function drive(chooser: SplitChooser, work: number, calls: number, cost: (split: boolean) => number): boolean[] {
  return Array.from({ length: calls }, () => {
    const split = chooser.chooseSplit(work);
    chooser.record(work, split, cost(split));
    return split;
  });
}

test('a new size class is tried split (4 calls), then alone (4 calls), then runs the cheaper way and tries the other every 16th call', () => {
  const chooser = new SplitChooser();
  const work = 1 << 22;
  // Split: 2 ms (the first call 50 ms: a cold helper, not counted); alone: 1 ms.
  let first = true;
  const choices = drive(chooser, work, 8 + 56, (split) => (split ? (first ? ((first = false), 50) : 2) : 1));
  assert.deepEqual(choices.slice(0, 8), [true, true, true, true, false, false, false, false]);
  const tries = choices.slice(8).map((split, i) => (split ? i : -1)).filter((i) => i >= 0);
  assert.deepEqual(tries, [15, 16, 17, 18, 50, 51, 52, 53]); // a try at the 16th call; it lost, so the next comes 32 calls on
});

test('a try that wins makes that way the choice at once, judged without its cold first call', () => {
  const chooser = new SplitChooser();
  const work = 1 << 20;
  drive(chooser, work, 8, (split) => (split ? 4 : 1)); // second core busy: split 4 ms, alone 1 ms
  assert.equal(chooser.chooseSplit(work), false);
  chooser.record(work, false, 1);
  // The second core is free now: split costs 0.5 ms, except for a 20 ms wake-up at the start of each try.
  let sinceTry = 99;
  const choices = drive(chooser, work, 40, (split) => (split ? (sinceTry++ === 0 ? 20 : 0.5) : ((sinceTry = 0), 1)));
  const firstSplit = choices.indexOf(true);
  assert.ok(firstSplit >= 0 && firstSplit < 16, `first try at ${firstSplit}`);
  assert.ok(choices.slice(firstSplit, firstSplit + 16).every((s) => s), 'splits from the winning try on');
});

test('a try that loses again makes the next one twice as rare, up to every 1024th call', () => {
  const chooser = new SplitChooser();
  const work = 1 << 18;
  drive(chooser, work, 8, (split) => (split ? 4 : 1));
  const gaps: number[] = [];
  let calls = 0;
  for (let n = 0; n < 12000 && gaps.length < 9; n++) {
    const split = chooser.chooseSplit(work);
    chooser.record(work, split, split ? 4 : 1);
    calls++;
    if (split) { gaps.push(calls); calls = 0; drive(chooser, work, 3, () => 4); }
  }
  assert.deepEqual(gaps, [16, 32, 64, 128, 256, 512, 1024, 1024, 1024]);
});

test('costs are kept per size class', () => {
  const chooser = new SplitChooser();
  const small = 1 << 20, large = 1 << 26;
  drive(chooser, small, 8, (split) => (split ? 1 : 0.5)); // small: alone is cheaper
  drive(chooser, large, 8, (split) => (split ? 10 : 20)); // large: split is cheaper
  assert.equal(chooser.chooseSplit(small), false);
  assert.equal(chooser.chooseSplit(large), true);
});

test('one slow split call (a helper preempted for a moment) does not turn the choice: the median of the last 8 decides', () => {
  const chooser = new SplitChooser();
  const work = 1 << 19;
  drive(chooser, work, 8, (split) => (split ? 1 : 2)); // split 1 ms, alone 2 ms
  drive(chooser, work, 6, () => 1);
  chooser.chooseSplit(work);
  chooser.record(work, true, 50);
  assert.equal(chooser.chooseSplit(work), true);
  chooser.record(work, true, 1);
  // Most recent calls slow: the second core got busy; the choice turns.
  drive(chooser, work, 6, (split) => (split ? 5 : 2));
  assert.equal(chooser.chooseSplit(work), false);
});
