/**
 * CSV time series → sliding windows for forecasting. Example e sees rows [e, e+W) of the input columns and
 * predicts the target columns at rows e+W-1+h for h = 1..Hz. The split is chronological (train, validation,
 * test in time order) and the z-score is fitted on the rows the training examples touch, nothing later.
 */
import type { CsvSeriesData } from '../spec/types';
import { parseCsvWithHeader, requireColumn } from './csv';
import { ExampleSplit, type Example } from './batching';
import { ZScore } from './normalize';
import { splitCounts, takeSplits } from './splits';
import { DataError, type DataInfo, type PreparedData } from './types';

export interface SeriesTable {
  /** Column names of `values`. */
  columns: string[];
  /** [N,C] row-major, original units. */
  values: Float64Array;
  rowCount: number;
}

/** Reads the named numeric columns; a bad cell is reported at its own line and column. */
export function readNumericColumns(text: string, file: string, columns: readonly string[]): SeriesTable {
  const table = parseCsvWithHeader(text, file);
  const indices = columns.map((name) => requireColumn(table, name, file));
  const C = columns.length;
  const values = new Float64Array(table.rows.length * C);
  table.rows.forEach((row, r) => {
    indices.forEach((fieldIndex, c) => {
      const field = row.fields[fieldIndex];
      const trimmed = field.text.trim();
      const value = trimmed === '' ? NaN : Number(trimmed);
      if (!Number.isFinite(value)) {
        const what = trimmed === '' ? 'an empty cell is' : `${JSON.stringify(field.text)} is`;
        throw new DataError(file, field.line, field.column, `${what} not a number in column ${JSON.stringify(columns[c])}`);
      }
      values[r * C + c] = value;
    });
  });
  return { columns: [...columns], values, rowCount: table.rows.length };
}

export interface SeriesWindowOptions {
  window: number;
  horizon: number;
  inputColumns: string[];
  targetColumns: string[];
  normalize: boolean;
  split: CsvSeriesData['split'];
  file: string;
}

export function loadCsvSeries(text: string, options: SeriesWindowOptions): PreparedData {
  // The table holds the inputs, then any target column that is not also an input.
  const tableColumns = [...options.inputColumns, ...options.targetColumns.filter((c) => !options.inputColumns.includes(c))];
  const table = readNumericColumns(text, options.file, tableColumns);
  return windowSeries(table, options);
}

export function windowSeries(table: SeriesTable, options: SeriesWindowOptions): PreparedData {
  const { window: W, horizon: Hz, file } = options;
  if (!Number.isInteger(W) || W < 1) throw new DataError(file, 1, 1, `window must be a positive integer, got ${W}`);
  if (!Number.isInteger(Hz) || Hz < 1) throw new DataError(file, 1, 1, `horizon must be a positive integer, got ${Hz}`);
  const C = table.columns.length;
  const N = table.rowCount;
  const exampleCount = N - W - Hz + 1;
  if (exampleCount < 2) {
    throw new DataError(file, 1, 1, `${N} rows are too few for window ${W} and horizon ${Hz} (need at least ${W + Hz + 1})`);
  }
  const counts = splitCounts(exampleCount, options.split, 'windows');
  const inputColumnIndex = options.inputColumns.map((name) => table.columns.indexOf(name));
  const targetColumnIndex = options.targetColumns.map((name) => table.columns.indexOf(name));
  const I = inputColumnIndex.length;
  const K = targetColumnIndex.length;

  // Rows touched by training examples: inputs of the last one plus its furthest target.
  const trainingRows = counts.train - 1 + W + Hz;
  const normalizer = options.normalize ? ZScore.fit(table.values, C, trainingRows) : undefined;
  const scaled = Float64Array.from(table.values);
  normalizer?.normalizeTable(scaled);

  const examples: Example[] = [];
  for (let e = 0; e < exampleCount; e++) {
    const inputs = new Float32Array(W * I); // [W,I]
    for (let t = 0; t < W; t++) {
      for (let i = 0; i < I; i++) inputs[t * I + i] = scaled[(e + t) * C + inputColumnIndex[i]];
    }
    const targets = new Float32Array(Hz * K); // [Hz,K]
    const persistence = new Float32Array(Hz * K);
    for (let h = 0; h < Hz; h++) {
      for (let k = 0; k < K; k++) {
        targets[h * K + k] = scaled[(e + W - 1 + h + 1) * C + targetColumnIndex[k]];
        persistence[h * K + k] = scaled[(e + W - 1) * C + targetColumnIndex[k]];
      }
    }
    examples.push({ length: W, inputs, targets, persistence });
  }

  const denormalizeTargets = (values: Float32Array): void => {
    if (!normalizer) return;
    for (let i = 0; i < values.length; i++) values[i] = normalizer.denormalize(values[i], targetColumnIndex[i % K]);
  };
  const format = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(4));
  const describe = (example: Example) => {
    const lastInputs = Float32Array.from(example.inputs!.subarray((W - 1) * I, W * I));
    const targets = Float32Array.from(example.targets!);
    denormalizeTargets(targets);
    const lastOriginal = Array.from(lastInputs, (v, i) => (normalizer ? normalizer.denormalize(v, inputColumnIndex[i]) : v));
    return {
      input: `${W} steps of ${options.inputColumns.join(', ')}; last: ${lastOriginal.map(format).join(', ')}`,
      target: Array.from(targets, format).join(', '),
    };
  };

  const layout = { featureCount: I, targetWidth: Hz * K };
  const parts = takeSplits(examples, counts);
  const info: DataInfo = {
    kind: 'series',
    task: 'forecast',
    inputSize: I,
    outputSize: Hz * K,
    normalizer,
    inputColumns: [...options.inputColumns],
    targetColumns: [...options.targetColumns],
    normalizerColumns: normalizer ? [...table.columns] : undefined,
    horizon: Hz,
    maxLength: W,
    trainSize: counts.train,
    validationSize: counts.validation,
    testSize: counts.test,
    denormalizeTargets,
  };
  return {
    info,
    train: new ExampleSplit(parts.train, layout, describe),
    validation: new ExampleSplit(parts.validation, layout, describe),
    test: counts.test > 0 ? new ExampleSplit(parts.test, layout, describe) : undefined,
  };
}
