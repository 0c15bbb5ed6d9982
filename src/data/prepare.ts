/**
 * Entry point of `src/data`: a spec's `data` and `task` sections → `PreparedData`. File access goes through
 * `io` (chunked positional reads when it can open files, else `readTextFile`), so this runs in Node, in a worker
 * and in tests with in-memory files alike.
 */
import type { SeqModelSpec, TaskType } from '../modelSpec/types';
import { loadConll } from './conll';
import { loadPairs } from './pairs';
import { loadPlainText } from './plainText';
import { loadCsvSeries } from './series';
import { loadSynthetic } from './synthetic';
import { loadTextClassification } from './textClassification';
import { textChunks } from './textChunks';
import { throughDataCache } from './cache/dataCache';
import { seriesCacheLoader } from './cache/seriesCache';
import { textCacheLoader } from './cache/textCache';
import { raggedCacheLoader } from './cache/raggedCache';
import { DataError, type DataIo, type PreparedData } from './types';

/** Which task types each data source can feed. */
const TASKS_BY_SOURCE: Record<string, readonly TaskType[]> = {
  csv: ['forecast', 'regress', 'regress-per-step'],
  'text-classification': ['classify'],
  conll: ['tag'],
  pairs: ['seq2seq'],
  text: ['generate'],
  'synthetic:adding': ['regress'],
  'synthetic:copy': ['tag'],
  'synthetic:sine': ['forecast', 'regress'],
  'synthetic:random-walk': ['forecast', 'regress'],
};

export function prepareData(spec: SeqModelSpec, specDir: string, io: DataIo, specFile = `${specDir}/${spec.name}.seqmodel.json`): PreparedData {
  const data = spec.data;
  const task = spec.task.type;
  const seed = spec.training?.seed ?? 0;
  const sourceKey = data.source === 'synthetic' ? `synthetic:${data.generator}` : data.source;
  const allowed = TASKS_BY_SOURCE[sourceKey];
  if (!allowed) throw new DataError(specFile, 1, 1, `unknown data source ${JSON.stringify(sourceKey)}`);
  if (!allowed.includes(task)) {
    throw new DataError(specFile, 1, 1, `data ${JSON.stringify(sourceKey)} suits task ${allowed.map((t) => JSON.stringify(t)).join(' or ')}, not ${JSON.stringify(task)}`);
  }
  const read = (relativePath: string): { text: Iterable<string>; file: string; byteLength?: number } => {
    const file = resolveDataPath(specDir, relativePath);
    return { text: readable(textChunks(io, file), file), file, byteLength: fileSize(io, file) };
  };

  let prepared: PreparedData;
  switch (data.source) {
    case 'csv': {
      const { text, file, byteLength } = read(data.path);
      const targetColumns = data.target ?? [data.columns[0]];
      const options = {
        file,
        window: data.window,
        horizon: spec.task.horizon ?? 1,
        perStep: task === 'regress-per-step',
        inputColumns: data.columns,
        targetColumns,
        normalize: data.normalize ?? 'zscore',
        split: data.split,
        byteLength,
      } as const;
      prepared = throughDataCache(io, specDir, file, seriesCacheLoader(text, options, { data, horizon: options.horizon, ...(options.perStep ? { perStep: true } : {}) })) ?? loadCsvSeries(text, options);
      break;
    }
    case 'text-classification': {
      const { text, file } = read(data.path);
      const options = { file, seed, labels: spec.task.labels };
      prepared = throughDataCache(io, specDir, file, raggedCacheLoader('labelled-texts', text, data, options)) ?? loadTextClassification(text, data, options);
      break;
    }
    case 'conll': {
      const { text, file } = read(data.path);
      const options = { file, seed, labels: spec.task.labels };
      prepared = throughDataCache(io, specDir, file, raggedCacheLoader('tagged-sentences', text, data, options)) ?? loadConll(text, data, options);
      break;
    }
    case 'pairs': {
      const { text, file } = read(data.path);
      prepared = throughDataCache(io, specDir, file, raggedCacheLoader('pairs', text, data, { file, seed })) ?? loadPairs(text, data, { file, seed });
      break;
    }
    case 'text': {
      const { text, file, byteLength } = read(data.path);
      prepared = throughDataCache(io, specDir, file, textCacheLoader(text, data, file)) ?? loadPlainText(text, data, { file, byteLength });
      break;
    }
    case 'synthetic':
      prepared = loadSynthetic(data, { seed, horizon: spec.task.horizon, file: specFile });
      break;
  }
  prepared.info.task = task;
  return prepared;
}

/** The file's size in bytes when the io can open files (a missing file is reported when it is read). */
function fileSize(io: DataIo, file: string): number | undefined {
  try {
    const handle = io.openFile?.(file);
    handle?.close();
    return handle?.size;
  } catch {
    return undefined;
  }
}

/** The chunks, with a failure to read (missing file, no permission…) reported as a DataError naming the file. */
function* readable(chunks: Iterable<string>, file: string): Iterable<string> {
  const iterator = chunks[Symbol.iterator]();
  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = iterator.next();
    } catch (error) {
      if (error instanceof DataError) throw error;
      throw new DataError(file, 1, 1, `cannot read the data file: ${(error as Error).message}`);
    }
    if (next.done) return;
    yield next.value;
  }
}

/** Joins a spec-relative path without Node's `path` (src/data stays Node-free); absolute paths pass through. */
export function resolveDataPath(specDir: string, relativePath: string): string {
  if (/^([a-zA-Z]:)?[\\/]/.test(relativePath) || specDir === '') return relativePath;
  const parts = `${specDir.replace(/[\\/]+$/, '')}/${relativePath}`.split(/[\\/]/);
  const out: string[] = [];
  for (const part of parts) {
    if (part === '.' || (part === '' && out.length > 0)) continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(part);
  }
  return out.join('/');
}
