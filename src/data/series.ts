/**
 * CSV time series → sliding windows for forecasting. Example e sees rows [e, e+W) of the input columns and
 * predicts the target columns at rows e+W-1+h for h = 1..Hz. The split is chronological (train, validation,
 * test in time order) and the z-score is fitted on the rows the training examples touch, nothing later.
 */
import type { CsvSeriesData } from '../spec/types';
import { CsvStreamParser, checkFieldCount } from './csv';
import { ExampleSplit, type Example } from './batching';
import { growableFloat32 } from './growable';
import { ZScore } from './normalize';
import { SeriesWindowStore } from './seriesWindows';
import { splitCounts, splitsByRange } from './splits';
import { RunningStatistics } from './runningStatistics';
import { DataError, type ColumnStatistics, type DataInfo, type PreparedData } from './types';

export interface SeriesTable {
  /** Column names of `values`. */
  columns: string[];
  /** [N,C] row-major, original units rounded to float32 (the precision the model computes in). */
  values: Float32Array;
  rowCount: number;
  /** Per column, from the exact (float64) values as they were read: the data summary's figures. */
  statistics: ColumnStatistics[];
}

/** Reads the named numeric columns of a whole text (small files: predictions, tests). */
export function readNumericColumns(text: string, file: string, columns: readonly string[]): SeriesTable {
  return readNumericColumnsFrom([text], file, columns);
}

/**
 * Reads the named numeric columns from a CSV given in chunks, record by record: what stays is one [N,C] float32
 * array (the store the windows read), never the text, its fields or a float64 copy; the column statistics are
 * taken from the exact values on the way. A bad cell is reported at its own line and column.
 */
export function readNumericColumnsFrom(chunks: Iterable<string>, file: string, columns: readonly string[], byteLength?: number): SeriesTable {
  const C = columns.length;
  const values = growableFloat32(1 << 16);
  const running = columns.map(() => new RunningStatistics());
  let indices: number[] | undefined;
  let headerLength = 0;
  const parser = new CsvStreamParser(file, (record) => {
    if (!indices) {
      const names = record.fields.map((field) => field.text.trim());
      headerLength = names.length;
      indices = columns.map((name) => {
        const index = names.indexOf(name);
        if (index < 0) {
          const available = names.map((n) => JSON.stringify(n)).join(', ');
          throw new DataError(file, record.line, 1, `no column ${JSON.stringify(name)} in the header (columns: ${available})`);
        }
        return index;
      });
      return;
    }
    checkFieldCount(record, headerLength, file);
    for (let c = 0; c < C; c++) {
      const field = record.fields[indices[c]];
      const trimmed = field.text.trim();
      const value = trimmed === '' ? NaN : Number(trimmed);
      if (!Number.isFinite(value)) {
        const what = trimmed === '' ? 'an empty cell is' : `${JSON.stringify(field.text)} is`;
        throw new DataError(file, field.line, field.column, `${what} not a number in column ${JSON.stringify(columns[c])}`);
      }
      values.push(value);
      running[c].add(value);
    }
  });
  let read = 0;
  for (const chunk of chunks) {
    parser.push(chunk);
    read += chunk.length;
    if (byteLength !== undefined && values.length > 0 && read < byteLength) {
      // Values per character so far, scaled to the whole file, plus 5%: the table is sized from the first chunk
      // and resized only when the rest of the file projects past it, to its projection rather than double.
      const projected = (values.length * byteLength) / read;
      if (projected > values.capacity) values.reserve(Math.ceil(projected * 1.05));
    }
  }
  parser.end();
  if (!indices) throw new DataError(file, 1, 1, 'the file is empty (a header row is expected)');
  const rowCount = values.length / Math.max(1, C);
  return { columns: [...columns], values: values.trimmed(), rowCount, statistics: running.map((r, c) => r.result(columns[c])) };
}

export interface SeriesWindowOptions {
  window: number;
  horizon: number;
  inputColumns: string[];
  targetColumns: string[];
  normalize: NonNullable<CsvSeriesData['normalize']>;
  split: CsvSeriesData['split'];
  file: string;
  /** The file's size, when known (sizes the table up front). */
  byteLength?: number;
}

/** `chunks`: the file's text in pieces (one string is one piece). */
export function loadCsvSeries(chunks: Iterable<string>, options: SeriesWindowOptions): PreparedData {
  // The table holds the inputs, then any target column that is not also an input.
  const tableColumns = [...options.inputColumns, ...options.targetColumns.filter((c) => !options.inputColumns.includes(c))];
  const table = readNumericColumnsFrom(chunks, options.file, tableColumns, options.byteLength);
  return windowSeries(table, options);
}

/** Takes `table` over: its values become the windows' store (z-scored in place when the spec asks for it). */
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
  const relative = options.normalize === 'last-value';
  if (relative) {
    // The inverse adds the last observed target back, and prediction finds it in the last input row.
    const missing = options.targetColumns.filter((c) => !options.inputColumns.includes(c));
    if (missing.length) throw new DataError(file, 1, 1, `normalize "last-value" predicts the change from the last value, so every target must also be an input column (${missing.map((c) => JSON.stringify(c)).join(', ')} is not)`);
  }
  const normalizer = relative ? ZScore.fitChanges(table.values, C, trainingRows) : options.normalize === 'zscore' ? ZScore.fit(table.values, C, trainingRows) : undefined;
  // One float32 table shared by every split's windows, z-scored in place (in float64, rounded once); relative
  // windows are taken from the original values, each against its own last row, as they are written.
  const scaled = table.values; // [N,C]
  if (normalizer && !relative) normalizer.normalizeTable(scaled);
  const relativeScale = relative ? normalizer!.std.map((s) => 1 / s) : undefined;
  const shape = { window: W, horizon: Hz, columnCount: C, inputColumns: Int32Array.from(inputColumnIndex), targetColumns: Int32Array.from(targetColumnIndex), relativeScale };
  const split = (start: number, end: number) => new ExampleSplit(new SeriesWindowStore(scaled, shape, start, end - start), describe);

  const denormalizeTargets = (values: Float32Array, anchors?: Float32Array): void => {
    if (!normalizer) return;
    if (relative && !anchors) throw new Error('denormalizeTargets: windows relative to their last value need that value (anchors)');
    const O = Hz * K;
    for (let i = 0; i < values.length; i++) {
      const k = i % K;
      const value = normalizer.denormalize(values[i], targetColumnIndex[k]);
      values[i] = relative ? value + anchors![Math.floor(i / O) * K + k] : value;
    }
  };
  const format = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(4));
  const describe = (example: Example) => {
    const lastInputs = Float32Array.from(example.inputs!.subarray((W - 1) * I, W * I));
    const targets = Float32Array.from(example.targets!);
    denormalizeTargets(targets, example.anchors);
    // Relative windows end in 0 (their last row minus itself): the last values shown are the targets' anchors.
    const lastOriginal = relative ? Array.from(example.anchors!) : Array.from(lastInputs, (v, i) => (normalizer ? normalizer.denormalize(v, inputColumnIndex[i]) : v));
    const lastOf = relative ? ` ${options.targetColumns.join(', ')}` : '';
    return {
      input: `${W} steps of ${options.inputColumns.join(', ')}; last${lastOf}: ${lastOriginal.map(format).join(', ')}`,
      target: Array.from(targets, format).join(', '),
    };
  };

  const info: DataInfo = {
    kind: 'series',
    task: 'forecast',
    inputSize: I,
    outputSize: Hz * K,
    normalizer,
    relativeToLastValue: relative || undefined,
    inputColumns: [...options.inputColumns],
    targetColumns: [...options.targetColumns],
    normalizerColumns: normalizer ? [...table.columns] : undefined,
    stats: { rows: N, columns: table.statistics },
    horizon: Hz,
    maxLength: W,
    trainSize: counts.train,
    validationSize: counts.validation,
    testSize: counts.test,
    denormalizeTargets,
  };
  return {
    info,
    ...splitsByRange(counts, split),
  };
}
