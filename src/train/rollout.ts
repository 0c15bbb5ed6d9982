/**
 * Autoregressive rollout of a forecaster: from one window of a split, predict the next value, write it into the
 * series as if it had been observed, slide the window one row, and again, `horizon` times. Each window is written
 * by the data's own `SeriesWindowStore`, so the model sees exactly what validation showed it (z-score or
 * "last-value" included), and each prediction is put back in original units by the data's own inverse.
 * Input columns that are not targets cannot be predicted: they are taken from the data, as if known in advance,
 * and the rollout names them. A target that is not an input cannot be fed back, so that is refused.
 */
import type { Batch, PreparedData } from '../data/types';
import { ExampleSplit } from '../data/batching';
import { SeriesWindowStore } from '../data/seriesWindows';
import type { Rollout } from './protocol';
import type { SequenceModel } from './model';
import { MAX_ROLLOUT_HORIZON } from './protocolValidate';

export interface RolloutRequest {
  split: 'validation' | 'test';
  /** Index of the window in the split (its one-step-ahead prediction is the rollout's first value). */
  start: number;
  /** Steps to roll out: the first is one step ahead of the window. */
  horizon: number;
}

/** A rollout that cannot be made, in words for the panel. */
export class RolloutRefusal extends Error {}

export function forecastRollout(model: SequenceModel, data: PreparedData, request: RolloutRequest): Rollout {
  const info = data.info;
  if (info.task !== 'forecast') throw new RolloutRefusal(`a rollout feeds forecasts back as inputs; this is a ${info.task} model`);
  const split = data[request.split];
  if (!split || split.size === 0) throw new RolloutRefusal(`the data has no ${request.split} split`);
  const store = split instanceof ExampleSplit ? split.store : undefined;
  if (!(store instanceof SeriesWindowStore)) throw new RolloutRefusal('a rollout needs a series read from a CSV file (windows over its rows)');
  if (!Number.isInteger(request.start) || request.start < 0 || request.start >= split.size) {
    throw new RolloutRefusal(`the start must be a ${request.split} index from 0 to ${split.size - 1}, got ${request.start}`);
  }
  if (!Number.isInteger(request.horizon) || request.horizon < 1 || request.horizon > MAX_ROLLOUT_HORIZON) {
    throw new RolloutRefusal(`the horizon must be a whole number of steps from 1 to ${MAX_ROLLOUT_HORIZON}, got ${request.horizon}`);
  }
  const { shape, table } = store;
  const { window: W, horizon: Hz, columnCount: C, inputColumns, targetColumns, relativeScale } = shape;
  // The table's columns: the inputs, then the targets that are not inputs (as src/data/series.ts lays them out).
  const inputNames = info.inputColumns ?? [];
  const tableColumns = info.normalizerColumns ?? [...inputNames, ...(info.targetColumns ?? []).filter((name) => !inputNames.includes(name))];
  const columnName = (column: number) => tableColumns[column] ?? `column ${column}`;
  const inputs = Array.from(inputColumns);
  const notInputs = Array.from(targetColumns).filter((column) => !inputs.includes(column));
  if (notInputs.length) {
    throw new RolloutRefusal(`${notInputs.map((c) => JSON.stringify(columnName(c))).join(', ')} is predicted but not an input column, so a prediction cannot be fed back as the next input (add it to data.columns)`);
  }
  const exogenous = inputs.filter((column) => !Array.from(targetColumns).includes(column));
  const rows = table.length / C;
  const first = store.firstWindow + request.start;
  const observedAfter = rows - (first + W);
  // Inputs that are not predicted come from the data: the rollout stops where the data does.
  const horizon = exogenous.length ? Math.min(request.horizon, observedAfter) : request.horizon;

  // The window and what follows it, in the table's own units; predictions overwrite the rows after the window.
  // Hz extra rows: a window's store also writes its Hz targets, which the forward pass does not read.
  const work = new Float32Array((W + horizon + Hz) * C);
  work.set(table.subarray(first * C, Math.min(rows, first + W + horizon + Hz) * C));
  const K = targetColumns.length;
  const I = inputColumns.length;
  const batch: Batch = {
    size: 1, steps: W, lengths: Int32Array.of(W), indices: Int32Array.of(0),
    inputs: new Float32Array(W * I), targets: new Float32Array(Hz * K), ...(relativeScale ? { anchors: new Float32Array(K) } : {}),
  };
  const target = targetColumns[0];
  // The table holds z-scores (zscore) or original values ("last-value", none); the truth is shown in original units.
  const original = (value: number, column: number) => (relativeScale || !info.normalizer ? value : info.normalizer.denormalize(value, column));
  const history = Array.from({ length: W }, (_, t) => original(table[(first + t) * C + target], target));
  const truth: (number | null)[] = [];
  const predicted: number[] = [];
  model.setTraining(false);
  for (let s = 0; s < horizon; s++) {
    new SeriesWindowStore(work, shape, s, 1).write(0, batch, 0);
    const next = model.forward(batch).data.slice(0, K); // one step ahead, every target column, in model units
    const inOriginalUnits = Float32Array.from(next);
    info.denormalizeTargets(inOriginalUnits, batch.anchors);
    const row = (W + s) * C;
    // Fed back in the table's units: original values for "last-value" windows (relative to their own last row
    // when read), the model's own z-score (or raw) value otherwise.
    for (let k = 0; k < K; k++) work[row + targetColumns[k]] = relativeScale ? inOriginalUnits[k] : next[k];
    predicted.push(inOriginalUnits[0]);
    const observedRow = first + W + s;
    truth.push(observedRow < rows ? original(table[observedRow * C + target], target) : null);
  }
  return {
    split: request.split, start: request.start, horizon, requestedHorizon: request.horizon,
    target: columnName(target), history, truth, predicted,
    fromData: exogenous.map(columnName),
  };
}
