/**
 * CSV time series → sliding windows for forecasting. Example e sees rows [e, e+W) of the input columns and
 * predicts the target columns at rows e+W-1+h for h = 1..Hz; with `perStep` (task regress-per-step) it predicts
 * the target columns at the same rows [e, e+W), one value per step and column. The split is chronological (train, validation,
 * test in time order) and the z-score is fitted on the rows the training examples touch, nothing later.
 */
import type { CsvSeriesData } from '../modelSpec/types';
import { CsvStreamParser, checkFieldCount } from './csv';
import { ExampleSplit, type Example, type ExampleStore } from './batching';
import { growableFloat32 } from './growable';
import { ZScore, type RowChunks } from './normalize';
import { SeriesWindowStore, type SeriesWindowShape } from './seriesWindows';
import { splitCounts, splitsByRange, type SplitCounts } from './splits';
import { RunningStatistics } from './runningStatistics';
import { DataError, type ColumnStatistics, type DataInfo, type DataStats, type PreparedData } from './types';

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
  const values = growableFloat32(1 << 16);
  let read = 0;
  const { rowCount, statistics } = forEachNumericRow(chunks, file, columns, (row) => {
    for (let c = 0; c < row.length; c++) values.push(row[c]);
  }, (chunkLength) => {
    read += chunkLength;
    if (byteLength !== undefined && values.length > 0 && read < byteLength) {
      // Values per character so far, scaled to the whole file, plus 5%: the table is sized from the first chunk
      // and resized only when the rest of the file projects past it, to its projection rather than double.
      const projected = (values.length * byteLength) / read;
      if (projected > values.capacity) values.reserve(Math.ceil(projected * 1.05));
    }
  });
  return { columns: [...columns], values: values.trimmed(), rowCount, statistics };
}

/**
 * Streams the named numeric columns of a CSV given in chunks: `onRow` sees each record's exact values (one reused
 * [C] array), `afterChunk` the length of each chunk once it is parsed. Returns the rows and the column statistics
 * (of the exact values). A bad cell is reported at its own line and column.
 */
export function forEachNumericRow(chunks: Iterable<string>, file: string, columns: readonly string[], onRow: (row: Float64Array) => void, afterChunk?: (chunkLength: number) => void): { rowCount: number; statistics: ColumnStatistics[] } {
  const C = columns.length;
  const row = new Float64Array(C);
  const running = columns.map(() => new RunningStatistics());
  let rowCount = 0;
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
      row[c] = value;
      running[c].add(value);
    }
    rowCount++;
    onRow(row);
  });
  for (const chunk of chunks) {
    parser.push(chunk);
    afterChunk?.(chunk.length);
  }
  parser.end();
  if (!indices) throw new DataError(file, 1, 1, 'the file is empty (a header row is expected)');
  return { rowCount, statistics: running.map((r, c) => r.result(columns[c])) };
}

export interface SeriesWindowOptions {
  window: number;
  /** Steps ahead predicted; ignored (0) with `perStep`. */
  horizon: number;
  /** regress-per-step: the targets are the target columns at every row of the window, not after it. */
  perStep?: boolean;
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
  const table = readNumericColumnsFrom(chunks, options.file, seriesTableColumns(options), options.byteLength);
  return windowSeries(table, options);
}

/** The table holds the inputs, then any target column that is not also an input. */
export function seriesTableColumns(options: Pick<SeriesWindowOptions, 'inputColumns' | 'targetColumns'>): string[] {
  return [...options.inputColumns, ...options.targetColumns.filter((c) => !options.inputColumns.includes(c))];
}

/** What windowing a table of `rowCount` rows gives: split sizes, column positions, the rows statistics may see. */
export interface SeriesPlan {
  counts: SplitCounts;
  inputColumnIndex: number[];
  targetColumnIndex: number[];
  /** Rows touched by training examples: inputs of the last one plus its furthest target. */
  trainingRows: number;
  relative: boolean;
}

/** Checks the window, horizon and columns against a table of `rowCount` rows (DataErrors naming `options.file`). */
export function planSeries(rowCount: number, columns: readonly string[], options: SeriesWindowOptions): SeriesPlan {
  const { window: W, file } = options;
  const Hz = seriesHorizon(options);
  if (!Number.isInteger(W) || W < 1) throw new DataError(file, 1, 1, `window must be a positive integer, got ${W}`);
  if (!options.perStep && (!Number.isInteger(Hz) || Hz < 1)) throw new DataError(file, 1, 1, `horizon must be a positive integer, got ${Hz}`);
  const N = rowCount;
  const exampleCount = N - W - Hz + 1;
  if (exampleCount < 2) {
    throw new DataError(file, 1, 1, options.perStep ? `${N} rows are too few for window ${W} (need at least ${W + 1})` : `${N} rows are too few for window ${W} and horizon ${Hz} (need at least ${W + Hz + 1})`);
  }
  const counts = splitCounts(exampleCount, options.split, 'windows');
  const relative = options.normalize === 'last-value';
  if (relative && options.perStep) throw new DataError(file, 1, 1, 'normalize "last-value" predicts the change from a window\'s last row, which only a forecast has; use "zscore" for targets at every step');
  if (relative) {
    // The inverse adds the last observed target back, and prediction finds it in the last input row.
    const missing = options.targetColumns.filter((c) => !options.inputColumns.includes(c));
    if (missing.length) throw new DataError(file, 1, 1, `normalize "last-value" predicts the change from the last value, so every target must also be an input column (${missing.map((c) => JSON.stringify(c)).join(', ')} is not)`);
  }
  return {
    counts,
    inputColumnIndex: options.inputColumns.map((name) => columns.indexOf(name)),
    targetColumnIndex: options.targetColumns.map((name) => columns.indexOf(name)),
    trainingRows: counts.train - 1 + W + Hz,
    relative,
  };
}

/** Rows a window reads after its inputs: the forecast horizon, none when the targets are the window's own rows. */
export function seriesHorizon(options: Pick<SeriesWindowOptions, 'horizon' | 'perStep'>): number {
  return options.perStep ? 0 : options.horizon;
}

/**
 * The normaliser fitted on the training rows, which `eachRows` hands out in order as chunks of whole rows of the
 * float32 table (one chunk: the table in memory; many: a table streamed from disk — the same figures either way).
 */
export function fitSeriesNormalizer(plan: SeriesPlan, normalize: SeriesWindowOptions['normalize'], eachRows: RowChunks, columnCount: number): ZScore | undefined {
  if (plan.relative) return ZScore.fitChangesRows(eachRows, columnCount, plan.trainingRows);
  return normalize === 'zscore' ? ZScore.fitRows(eachRows, columnCount, plan.trainingRows) : undefined;
}

/**
 * Rows of the float32 table in original units → what windows read, in place: z-scored (in float64, rounded once);
 * relative windows are taken from the original values, each against its own last row, as they are written.
 * `rows` holds whole rows, so `i % C` is the column.
 */
export function scaleSeriesRows(rows: Float32Array, normalizer: ZScore | undefined, plan: SeriesPlan): void {
  if (normalizer && !plan.relative) normalizer.normalizeTable(rows);
}

/** Takes `table` over: its values become the windows' store (z-scored in place when the spec asks for it). */
export function windowSeries(table: SeriesTable, options: SeriesWindowOptions): PreparedData {
  const C = table.columns.length;
  const plan = planSeries(table.rowCount, table.columns, options);
  const normalizer = fitSeriesNormalizer(plan, options.normalize, (visit) => visit(table.values), C);
  const scaled = table.values; // [N,C], one float32 table shared by every split's windows
  scaleSeriesRows(scaled, normalizer, plan);
  const shape = seriesWindowShape(plan, options, C, normalizer);
  const stats = { rows: table.rowCount, columns: table.statistics };
  return seriesData(plan, options, table.columns, normalizer, stats, (start, count) => new SeriesWindowStore(scaled, shape, start, count));
}

/** How windows are cut from a table of `columnCount` columns. */
export function seriesWindowShape(plan: SeriesPlan, options: SeriesWindowOptions, columnCount: number, normalizer: ZScore | undefined): SeriesWindowShape {
  return {
    window: options.window,
    horizon: seriesHorizon(options),
    perStep: options.perStep,
    columnCount,
    inputColumns: Int32Array.from(plan.inputColumnIndex),
    targetColumns: Int32Array.from(plan.targetColumnIndex),
    relativeScale: plan.relative ? normalizer!.std.map((s) => 1 / s) : undefined,
  };
}

/**
 * The prepared data of a windowed series, whatever holds its table: `store(start, count)` makes the windows of
 * one split (in memory, or read from the disk cache per batch).
 */
export function seriesData(plan: SeriesPlan, options: SeriesWindowOptions, columns: readonly string[], normalizer: ZScore | undefined, stats: DataStats, store: (start: number, count: number) => ExampleStore): PreparedData {
  const W = options.window;
  const Hz = seriesHorizon(options);
  const { counts, inputColumnIndex, targetColumnIndex, relative } = plan;
  const I = inputColumnIndex.length;
  const K = targetColumnIndex.length;
  const split = (start: number, end: number) => new ExampleSplit(store(start, end - start), describe);

  const denormalizeTargets = (values: Float32Array, anchors?: Float32Array): void => {
    if (!normalizer) return;
    if (relative && !anchors) throw new Error('denormalizeTargets: windows relative to their last value need that value (anchors)');
    const O = (options.perStep ? W : Hz) * K;
    for (let i = 0; i < values.length; i++) {
      const k = i % K;
      const value = normalizer.denormalize(values[i], targetColumnIndex[k]);
      values[i] = relative ? value + anchors![Math.floor(i / O) * K + k] : value;
    }
  };
  const format = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(4));
  const describe = (example: Example) => (options.perStep ? describePerStep(example) : describeForecast(example));
  const describePerStep = (example: Example) => {
    // Inputs and targets of the window's last row, in original units (the whole window is W rows of each).
    const lastInputs = Array.from(example.inputs!.subarray((W - 1) * I, W * I), (v, i) => (normalizer ? normalizer.denormalize(v, inputColumnIndex[i]) : v));
    const targets = Float32Array.from(example.targets!);
    denormalizeTargets(targets);
    return {
      input: `${W} steps of ${options.inputColumns.join(', ')}; last: ${lastInputs.map(format).join(', ')}`,
      target: `${W} steps of ${options.targetColumns.join(', ')}; last: ${Array.from(targets.subarray((W - 1) * K), format).join(', ')}`,
    };
  };
  const describeForecast = (example: Example) => {
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
    task: options.perStep ? 'regress-per-step' : 'forecast',
    inputSize: I,
    outputSize: options.perStep ? K : Hz * K,
    normalizer,
    relativeToLastValue: relative || undefined,
    inputColumns: [...options.inputColumns],
    targetColumns: [...options.targetColumns],
    normalizerColumns: normalizer ? [...columns] : undefined,
    stats,
    horizon: options.perStep ? undefined : Hz,
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
