// The `shuffle` case of `npm run bench:data`, alone in this process: the seeded orders a run draws before its first
// step and at every epoch, at real size, without reading a file. Prints one JSON line of CPU seconds per part:
// - draws: 26.6M bare `Rng.nextUint32` (the 1 GB text has ≈ 26.6M training windows);
// - windowOrder: one epoch's batch order of 26.6M windows (identity, Fisher–Yates with `Rng`, batches of 64);
// - bucketedOrder: one epoch's order of 1M ragged examples of 6–21 steps, shuffled, bucketed by length, batches of
//   32, the batches shuffled again (the JSONL sentiment case).
import { ExampleSplit, type ExampleStore } from '../src/data/batching';
import { Rng } from '../src/tensor/rng';

const WINDOWS = 26_600_000;
const EXAMPLES = 1_000_000;

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

function timed(run: () => unknown): { seconds: number; check: number } {
  const start = cpuSeconds();
  const result = run();
  return { seconds: cpuSeconds() - start, check: Number(result) };
}

/** A store that has only lengths: the batch order reads nothing else. */
function lengthsOnly(count: number, length: (i: number) => number): ExampleSplit {
  const store: ExampleStore = {
    count,
    fields: {},
    length,
    targetLength: () => 0,
    write: () => {},
    example: () => {
      throw new Error('not in this bench');
    },
  };
  return new ExampleSplit(store, () => ({ input: '', target: '' }));
}

const draws = timed(() => {
  const rng = new Rng(1);
  let sum = 0;
  for (let i = 0; i < WINDOWS; i++) sum = (sum ^ rng.nextUint32()) >>> 0;
  return sum;
});
const windows = lengthsOnly(WINDOWS, () => 100);
const windowOrder = timed(() => windows.batchOrder(64, { shuffle: true, rng: new Rng(2) })[0][0]);
const lengths = new Uint8Array(EXAMPLES);
const lengthRng = new Rng(3);
for (let i = 0; i < EXAMPLES; i++) lengths[i] = 6 + lengthRng.int(16);
const ragged = lengthsOnly(EXAMPLES, (i) => lengths[i]);
const bucketedOrder = timed(() => ragged.batchOrder(32, { shuffle: true, rng: new Rng(4), bucketByLength: true })[0][0]);

// `check` is the first index drawn: the same before and after a change that keeps the draws.
process.stdout.write(`${JSON.stringify({
  drawsCpuSeconds: draws.seconds,
  windowOrderCpuSeconds: windowOrder.seconds,
  bucketedOrderCpuSeconds: bucketedOrder.seconds,
  check: [draws.check, windowOrder.check, bucketedOrder.check],
  peakRssMb: process.resourceUsage().maxRSS / 1024,
})}\n`);
