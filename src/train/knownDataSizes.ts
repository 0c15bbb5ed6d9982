/**
 * The sizes a parameter count needs from the data (vocabulary, target vocabulary, classes or tags), found for the
 * editor without loading the data, so the CodeLens and the hover show the count training reports:
 *   (a) a synthetic generator says them (it is run on a few samples);
 *   (b) a data file whose 64 KB head is the whole file is loaded from that head, by the loader training uses;
 *   (c) otherwise the record the latest `seqlab check` or run of the spec left beside it
 *       (`.seqlab/data-sizes/<spec file>.json`), when it was made from the same data file (path, size, mtime)
 *       and the same task and data section.
 * Still unknown, the count keeps its data-dependent terms (see src/modelSpec/parameterCount.ts).
 * Nothing here reads more of a data file than the context's facts (stat and head) hold.
 */
import * as path from 'node:path';
import { analyzeSpec, type SpecAnalysis, type SpecContext } from '../modelSpec';
import { readDataFile, type DataFileFacts } from '../modelSpec/dataFiles';
import type { SeqModelSpec } from '../modelSpec/types';
import { prepareData } from '../data';
import type { DataIo } from '../data/types';
import { probeDataFileSync } from './dataFileProbe';
import type { RunIo } from './runIo';
import { dataSizesOf, type DataSizes } from './validateRun';

/** Samples a synthetic generator runs to tell its sizes: its vocabulary does not depend on how many. */
const GENERATOR_PROBE_SAMPLES = 16;
const RECORD_VERSION = 1;

/** Where check and train record the data's sizes for a spec: `.seqlab/data-sizes/<spec file name>.json` beside it. */
export function dataSizesRecordPath(specPath: string): string {
  return path.join(path.dirname(specPath), '.seqlab', 'data-sizes', `${path.basename(specPath)}.json`);
}

/** The sizes a parameter count depends on (not the sample counts, which change lints the editor bases on the head). */
function countSizes(sizes: DataSizes): DataSizes {
  const picked: DataSizes = { inputSize: sizes.inputSize, vocabSize: sizes.vocabSize, targetVocabSize: sizes.targetVocabSize, numClasses: sizes.numClasses };
  return Object.fromEntries(Object.entries(picked).filter(([, value]) => value !== undefined));
}

/** JSON with sorted keys: the same task and data section give the same key however the file orders them. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What decides the data's sizes besides the file itself. */
function dataKey(spec: SeqModelSpec): string {
  return canonicalJson({ task: spec.task, data: spec.data });
}

interface DataSizesRecord {
  version: number;
  dataFile: { path: string; size: number; mtimeMs: number };
  key: string;
  sizes: DataSizes;
}

/**
 * Record the sizes the loaded data gave (after `seqlab check` passed, or when a run starts) for the editor. A
 * courtesy: a folder that cannot be written leaves the count to be shown with its terms, never fails the command.
 */
export function recordDataSizes(io: RunIo, specPath: string, spec: SeqModelSpec, sizes: DataSizes): void {
  if (spec.data.source === 'synthetic' || typeof spec.data.path !== 'string') return;
  try {
    const dataPath = path.resolve(path.dirname(specPath), spec.data.path);
    const facts = probeDataFileSync(dataPath, 0);
    if (facts.status !== 'file') return;
    const record: DataSizesRecord = { version: RECORD_VERSION, dataFile: { path: dataPath, size: facts.size, mtimeMs: facts.mtimeMs }, key: dataKey(spec), sizes: countSizes(sizes) };
    const file = dataSizesRecordPath(path.resolve(specPath));
    io.makeDirectory(path.dirname(file));
    io.writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
  } catch {
    /* the editor then shows the count with its data-dependent terms */
  }
}

/** Sizes found by loading (a generator's samples, a whole file's head), by data key; small, as heads are. */
const loaded = new Map<string, DataSizes | undefined>();
const MAX_LOADED = 32;

function loadOnce(key: string, load: () => DataSizes | undefined): DataSizes | undefined {
  if (loaded.has(key)) return loaded.get(key);
  let sizes: DataSizes | undefined;
  try {
    sizes = load();
  } catch {
    sizes = undefined; // the data's own errors are check's and train's to report, at their line
  }
  loaded.set(key, sizes);
  while (loaded.size > MAX_LOADED) loaded.delete(loaded.keys().next().value as string);
  return sizes;
}

const noFiles: DataIo = { readTextFile: (file) => { throw new Error(`${file}: not read for the editor`); } };

/** (a) A generator's sizes, from a few of its samples. */
function generatorSizes(spec: SeqModelSpec): DataSizes | undefined {
  if (spec.data.source !== 'synthetic') return undefined;
  const probe = { ...spec, data: { ...spec.data, samples: GENERATOR_PROBE_SAMPLES } };
  return loadOnce(`synthetic ${dataKey(probe)}`, () => countSizes(dataSizesOf(prepareData(probe, '/', noFiles, '/spec.seqmodel.json').info)));
}

/** (b) A file the head holds whole, loaded from the head. */
function wholeHeadSizes(spec: SeqModelSpec, specPath: string, absolutePath: string, facts: DataFileFacts | undefined): DataSizes | undefined {
  if (facts?.status !== 'file' || !facts.complete) return undefined;
  const io: DataIo = { readTextFile: () => facts.head };
  return loadOnce(`${absolutePath} ${facts.size} ${facts.mtimeMs} ${dataKey(spec)}`, () => countSizes(dataSizesOf(prepareData(spec, path.dirname(specPath), io, specPath).info)));
}

/** (c) What the latest check or run recorded, if it saw this very file and data section. */
function recordedSizes(spec: SeqModelSpec, context: SpecContext & { specPath: string }, absolutePath: string, facts: DataFileFacts | undefined): DataSizes | undefined {
  if (facts?.status !== 'file') return undefined;
  const record = readDataFile(context, dataSizesRecordPath(context.specPath)).facts;
  if (record?.status !== 'file' || !record.complete) return undefined;
  try {
    const parsed = JSON.parse(record.head) as DataSizesRecord;
    const file = parsed.dataFile;
    const same = parsed.version === RECORD_VERSION && file.path === absolutePath && file.size === facts.size && file.mtimeMs === facts.mtimeMs && parsed.key === dataKey(spec);
    return same ? countSizes(parsed.sizes) : undefined;
  } catch {
    return undefined;
  }
}

/** The data's sizes as far as they can be known without loading the data (see the top of this file). */
export function knownDataSizes(analysis: SpecAnalysis, context: SpecContext): DataSizes | undefined {
  const spec = analysis.spec;
  if (!spec) return undefined;
  if (spec.data.source === 'synthetic') return generatorSizes(spec);
  const file = analysis.dataFile;
  if (!context.specPath || !file) return undefined;
  const withPath = { ...context, specPath: context.specPath };
  return wholeHeadSizes(spec, context.specPath, file.absolutePath, file.facts) ?? recordedSizes(spec, withPath, file.absolutePath, file.facts);
}

/**
 * The editor's analysis: `analyzeSpec`, and again with the data's sizes when the count depends on them and they
 * can be known, so the CodeLens and the hover say what `seqlab check` and training say.
 */
export function analyzeSpecWithKnownSizes(text: string, context: SpecContext): SpecAnalysis {
  const analysis = analyzeSpec(text, context);
  if (!analysis.spec || !analysis.totals.parameterFormula || context.dataInfo) return analysis;
  const sizes = knownDataSizes(analysis, context);
  return sizes ? analyzeSpec(text, { ...context, dataInfo: sizes }) : analysis;
}
