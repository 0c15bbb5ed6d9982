/**
 * A CSV series through the disk cache. Built in one pass over the text (rows → a raw float32 file and the column
 * statistics of the exact values), then the normaliser fitted on the training rows read back in chunks, then the
 * float32 table windows read (`table.f32`, [N,C], z-scored chunk by chunk) — the very numbers the in-memory path
 * computes, with no array as long as the file. Training reads each window's W+Hz rows with one positional read (`DiskWindowStore`).
 */
import { ZScore } from '../normalize';
import { fitSeriesNormalizer, forEachNumericRow, planSeries, scaleSeriesRows, seriesData, seriesTableColumns, seriesWindowShape, type SeriesWindowOptions } from '../series';
import { SeriesWindowStore, type SeriesWindowShape } from '../seriesWindows';
import type { ColumnStatistics, DataFile, PreparedData } from '../types';
import { DiskWindowStore } from './diskWindows';
import { BufferedWriter, bytesOf, forEachStoredChunk, type StoredArray } from './cacheIo';
import type { CachedArray, CacheHostIo } from './cacheFolder';
import type { CachedLoader } from './dataCache';

export const SERIES_TABLE_FILE = 'table.f32';
const RAW_FILE = 'raw.f32';

export interface SeriesCachePayload {
  columns: string[];
  rowCount: number;
  normalizer: { mean: number[]; std: number[] } | null;
  columnStatistics: ColumnStatistics[];
}

/** Writes `table.f32` into `folder` from the CSV text; returns the header's file list and payload. */
export function buildSeriesCache(io: CacheHostIo, folder: string, chunks: Iterable<string>, options: SeriesWindowOptions): { files: Record<string, CachedArray>; payload: SeriesCachePayload } {
  const columns = seriesTableColumns(options);
  const C = columns.length;
  const rawPath = `${folder}/${RAW_FILE}`;
  // Original values rounded to float32, as the in-memory table holds them before it is z-scored.
  const raw = new BufferedWriter(io.cache.createFile(rawPath), new Float32Array(C * 65536));
  let read: { rowCount: number; statistics: ColumnStatistics[] };
  try {
    read = forEachNumericRow(chunks, options.file, columns, (row) => {
      for (let c = 0; c < C; c++) raw.push(row[c]);
    });
  } finally {
    raw.close();
  }
  const { rowCount, statistics } = read;
  const plan = planSeries(rowCount, columns, options);
  const rawFile = io.openFile!(rawPath);
  try {
    const eachRows = (visit: (rows: Float32Array) => void) => forEachStoredChunk(rawFile, 'float32', 0, rowCount * C, rawPath, visit as (values: StoredArray) => void, C);
    const normalizer = fitSeriesNormalizer(plan, options.normalize, eachRows, C);
    const table = io.cache.createFile(`${folder}/${SERIES_TABLE_FILE}`);
    eachRows((rows) => {
      scaleSeriesRows(rows, normalizer, plan);
      table.write(bytesOf(rows));
    });
    table.close();
    return {
      files: { [SERIES_TABLE_FILE]: { dtype: 'float32', shape: [rowCount, C], bytes: rowCount * C * 4 } },
      payload: { columns, rowCount, normalizer: normalizer ? normalizer.toJSON() : null, columnStatistics: statistics },
    };
  } finally {
    rawFile.close();
    io.cache.remove(rawPath);
  }
}

/** The prepared data of a built series cache: every split's windows read from `table.f32` per batch. */
export function openSeriesCache(io: CacheHostIo, folder: string, payload: SeriesCachePayload, options: SeriesWindowOptions): PreparedData {
  const C = payload.columns.length;
  const plan = planSeries(payload.rowCount, payload.columns, options);
  const normalizer = payload.normalizer ? ZScore.fromJSON(payload.normalizer) : undefined;
  const shape = seriesWindowShape(plan, options, C, normalizer);
  const path = `${folder}/${SERIES_TABLE_FILE}`;
  const stats = { rows: payload.rowCount, columns: payload.columnStatistics };
  // One open file for the three splits; each store has its own scratch, so they never share a window.
  const file = io.openFile!(path);
  return seriesData(plan, options, payload.columns, normalizer, stats, (start, count) => diskSeriesWindows(file, path, shape, start, count));
}

/** `SeriesWindowStore`'s windows with the table on disk: window i is rows [first+i, first+i+W+Hz) of `table.f32`. */
export function diskSeriesWindows(file: DataFile, path: string, shape: SeriesWindowShape, firstWindow: number, count: number): DiskWindowStore {
  const rowBytes = shape.columnCount * 4;
  const inMemory = (windows: number) => {
    const rows = new Float32Array((windows - 1 + shape.window + shape.horizon) * shape.columnCount);
    return { bytes: bytesOf(rows), store: new SeriesWindowStore(rows, shape, 0, windows) };
  };
  return new DiskWindowStore(file, path, inMemory, count, (i) => (firstWindow + i) * rowBytes);
}

/** How `throughDataCache` builds and opens a series cache; `keyData`: the spec's `data` section and horizon. */
export function seriesCacheLoader(chunks: Iterable<string>, options: SeriesWindowOptions, keyData: unknown): CachedLoader<SeriesCachePayload> {
  return {
    kind: 'series',
    keyData,
    build: (io, folder) => buildSeriesCache(io, folder, chunks, options),
    open: (io, folder, payload) => openSeriesCache(io, folder, payload, options),
  };
}
