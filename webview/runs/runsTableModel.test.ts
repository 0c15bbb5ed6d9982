import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunCurve, RunsTableRow } from '../../src/train/protocol';
import { filterItems, groupId, itemCurve, itemParameter, itemStatistic, meanStd, sortItems, statusLabel, tableItems } from './runsTableModel';
import { assignColourSlots, slotStyle } from './selectionColours';
import { parallelCoordinates } from './parallelCoordinates';

function row(id: string, cell: string, seed: number, bestLoss: number, extra: Partial<RunsTableRow> = {}): RunsTableRow {
  return {
    id, name: id, specName: 'adding', status: 'completed', params: { 'model.encoder.cell': cell, 'training.seed': seed }, seed, configKey: cell,
    epochs: 3, final: { loss: bestLoss + 0.01 }, best: { loss: bestLoss }, test: {}, seconds: 10, samplesPerSecond: 100, ...extra,
  };
}

const rows = [row('r1', 'lstm', 1, 0.1), row('r2', 'rnn', 1, 0.17), row('r3', 'lstm', 2, 0.3), row('r4', 'lstm', 3, 0.2), row('r5', 'gru', 1, Number.NaN)];

test('mean and sample standard deviation over the finite values', () => {
  assert.deepEqual(meanStd([2, 4, 4, 4, 5, 5, 7, 9]), { mean: 5, std: Math.sqrt(32 / 7), count: 8 });
  assert.deepEqual(meanStd([3]), { mean: 3, std: 0, count: 1 });
  assert.deepEqual(meanStd([1, Number.NaN, 3]), { mean: 2, std: Math.SQRT2, count: 2 });
  assert.equal(meanStd([Number.NaN]), undefined);
});

test('grouped by configuration, the seeds of one configuration become one line with mean ± std', () => {
  const items = tableItems(rows, true);
  assert.deepEqual(items.map((item) => [item.id, item.kind, item.rows.length]), [[groupId('lstm'), 'group', 3], ['r2', 'run', 1], ['r5', 'run', 1]]);
  const lstm = items[0];
  const best = itemStatistic(lstm, { kind: 'metric', figure: 'best', metric: 'loss' });
  assert.ok(best);
  assert.ok(Math.abs(best.mean - 0.2) < 1e-12);
  assert.ok(Math.abs(best.std - 0.1) < 1e-12);
  assert.equal(best.count, 3);
  assert.equal(itemParameter(lstm, 'model.encoder.cell'), 'lstm');
  assert.equal(itemParameter(lstm, 'training.seed'), '1, 2, 3');
  assert.equal(tableItems(rows, false).length, 5);
});

test('sorting by a metric puts missing values last in both directions; by a parameter, naturally', () => {
  const items = tableItems(rows, false);
  const best = { kind: 'metric', figure: 'best', metric: 'loss' } as const;
  assert.deepEqual(sortItems(items, best, 'ascending').map((item) => item.id), ['r1', 'r2', 'r4', 'r3', 'r5']);
  assert.deepEqual(sortItems(items, best, 'descending').map((item) => item.id), ['r3', 'r4', 'r2', 'r1', 'r5']);
  assert.deepEqual(sortItems(items, { kind: 'param', path: 'model.encoder.cell' }, 'ascending').map((item) => item.id), ['r5', 'r1', 'r3', 'r4', 'r2']);
});

test('the filter keeps items matching every word, parameters as path=value or name=value', () => {
  const items = tableItems(rows, false);
  assert.deepEqual(filterItems(items, 'cell=lstm seed=2').map((item) => item.id), ['r3']);
  assert.deepEqual(filterItems(items, 'MODEL.ENCODER.CELL=rnn').map((item) => item.id), ['r2']);
  assert.equal(filterItems(items, '  ').length, 5);
  assert.deepEqual(filterItems(items, 'nothing-like-this'), []);
});

test('a run\'s curve is its values; a group\'s is the mean per epoch with a ± std band over the seeds that reached it', () => {
  const curves = new Map<string, RunCurve>([
    ['r1', { id: 'r1', epochs: [1, 2, 3], series: { loss: [1, 0.5, 0.2] } }],
    ['r3', { id: 'r3', epochs: [1, 2], series: { loss: [3, 1.5] } }],
    ['r4', { id: 'r4', epochs: [1, 2, 3], series: { loss: [2, 1, 0.4] } }],
  ]);
  const [lstm] = tableItems(rows, true);
  const curve = itemCurve(lstm, curves, 'loss');
  assert.ok(curve?.band);
  assert.deepEqual(curve.epochs, [1, 2, 3]);
  assert.deepEqual(curve.values, [2, 1, (0.2 + 0.4) / 2]);
  const close = (actual: number[], expected: number[]) => assert.ok(actual.every((value, i) => Math.abs(value - expected[i]) < 1e-12), `${actual} ≠ ${expected}`);
  close(curve.band.lower, [1, 0.5, 0.3 - Math.sqrt(0.02)]);
  close(curve.band.upper, [3, 1.5, 0.3 + Math.sqrt(0.02)]);
  assert.deepEqual(itemCurve(tableItems(rows, false)[0], curves, 'loss'), { epochs: [1, 2, 3], values: [1, 0.5, 0.2] });
  assert.equal(itemCurve(tableItems(rows, false)[1], curves, 'loss'), undefined, 'no curve before it arrives');
});

test('an overlay curve leaves out the epochs a run did not validate (validateEvery), so its line joins the validated ones', () => {
  // r1 validated every 2 epochs, r4 every 3: NaN where an epoch has no validation (runCurve).
  const curves = new Map<string, RunCurve>([
    ['r1', { id: 'r1', epochs: [1, 2, 3, 4], series: { loss: [NaN, 0.5, NaN, 0.3], 'train loss': [1, 0.9, 0.8, 0.7] } }],
    ['r4', { id: 'r4', epochs: [1, 2, 3, 4], series: { loss: [NaN, NaN, 0.4, 0.2], 'train loss': [2, 1.9, 1.8, 1.7] } }],
  ]);
  const [one] = tableItems(rows, false);
  assert.deepEqual(itemCurve(one, curves, 'loss'), { epochs: [2, 4], values: [0.5, 0.3] });
  assert.deepEqual(itemCurve(one, curves, 'train loss'), { epochs: [1, 2, 3, 4], values: [1, 0.9, 0.8, 0.7] });
  // A group: the mean over the seeds validated at each epoch, no epoch where none was.
  const [lstm] = tableItems(rows, true);
  const curve = itemCurve(lstm, curves, 'loss')!;
  assert.deepEqual(curve.epochs, [2, 3, 4]);
  assert.deepEqual(curve.values, [0.5, 0.4, 0.25]);
});

test('selection colours stay with their item while it is selected; new items take the lowest free slot', () => {
  let slots = assignColourSlots(new Map(), ['a', 'b', 'c']);
  assert.deepEqual([...slots], [['a', 0], ['b', 1], ['c', 2]]);
  slots = assignColourSlots(slots, ['c', 'a']);
  assert.deepEqual([...slots], [['c', 2], ['a', 0]], 'order and deselection do not move a colour');
  slots = assignColourSlots(slots, ['c', 'a', 'd', 'e']);
  assert.deepEqual([...slots], [['c', 2], ['a', 0], ['d', 1], ['e', 3]]);
  assert.deepEqual(slotStyle(7, 6), { colourIndex: 1, dashed: true });
  assert.deepEqual(slotStyle(1, 6), { colourIndex: 1, dashed: false });
});

test('parallel coordinates: linear, log and categorical axes, higher values higher up, gaps where a value is missing', () => {
  const box = { width: 300, height: 220, top: 10, bottom: 10, side: 50 };
  const { axes, lines } = parallelCoordinates(
    [{ key: 'cell', label: 'cell' }, { key: 'lr', label: 'lr' }, { key: 'hidden', label: 'hidden' }, { key: 'loss', label: 'best loss' }],
    [
      { id: 'a', values: { cell: 'lstm', lr: 0.001, hidden: 32, loss: 0.1 } },
      { id: 'b', values: { cell: 'gru', lr: 0.1, hidden: 64, loss: 0.3 } },
      { id: 'c', values: { cell: 'rnn', lr: 0.01, hidden: 48, loss: undefined } },
    ],
    box,
  );
  assert.deepEqual(axes.map((axis) => [axis.scale, axis.x]), [['categorical', 50], ['log', 116.66666666666667], ['linear', 183.33333333333334], ['linear', 250]]);
  assert.deepEqual(axes[0].ticks.map((tick) => [tick.label, tick.y]), [['gru', 210], ['lstm', 110], ['rnn', 10]]);
  const y = (id: string, axis: number) => lines.find((line) => line.id === id)?.points[axis].y;
  assert.equal(y('b', 1), 10, 'the largest learning rate at the top');
  assert.equal(y('a', 1), 210);
  assert.equal(y('c', 1), 110, 'log scale: 0.01 halfway between 0.001 and 0.1');
  assert.equal(y('c', 2), 110, 'linear: 48 halfway between 32 and 64');
  assert.equal(y('c', 3), undefined);
});

test('a sweep trial not started yet reads "queued" and the filter finds it by that word; a pruned trial reads apart from a completed one', () => {
  const sweepRows = [row('t0', 'lstm', 1, 0.1), row('t1', 'rnn', 1, Number.NaN, { status: 'pending', epochs: 0, best: {}, final: {} }), row('t2', 'gru', 1, 0.4, { status: 'pruned' })];
  assert.deepEqual(sweepRows.map((r) => statusLabel(r.status)), ['completed', 'queued', 'pruned']);
  const items = tableItems(sweepRows, false);
  assert.deepEqual(filterItems(items, 'queued').map((item) => item.id), ['t1']);
  assert.deepEqual(filterItems(items, 'pruned').map((item) => item.id), ['t2']);
  assert.equal(itemStatistic(items[1], { kind: 'metric', figure: 'best', metric: 'loss' }), undefined, 'a queued row has no figure');
});
