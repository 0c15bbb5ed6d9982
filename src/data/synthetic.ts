/**
 * Built-in synthetic tasks, generated from a seed (no file needed):
 * - adding: T steps of [value ~ U(0,1), marker]; one marker in each half; target = sum of the two marked
 *   values. Predicting the constant 1 gives MSE 1/6 (variance of a sum of two U(0,1)); beating it needs memory.
 * - copy: `copyLength` symbols, blanks, a delimiter, then the symbols must be reproduced at the last
 *   `copyLength` steps (a per-step tagging task; blank elsewhere).
 * - sine: noisy sine waves with random frequency and phase per feature; predict the next value(s).
 * - random-walk: Gaussian random walks; persistence is the optimal forecast (a sanity check).
 * Training, validation and test sets come from independent generators, so a split's content does not
 * depend on the other splits' sizes. Validation holds `samples · split.validation` fresh sequences (default 0.1).
 */
import type { SyntheticData, TaskType } from '../modelSpec/types';
import { Rng } from '../tensor/rng';
import { ExampleSplit, type Example, type ExampleLayout } from './batching';
import { DEFAULT_VALIDATION_FRACTION } from './splits';
import { DataError, type DataInfo, type PreparedData } from './types';
import { SPECIAL_TOKENS, Vocabulary } from './vocabulary';

export interface SyntheticOptions {
  /** Used when the data section has no seed of its own. */
  seed: number;
  horizon?: number;
  /** Where to point errors (the spec file). */
  file: string;
}

const COPY_BLANK = '_';
const COPY_DELIMITER = ':';
const COPY_SYMBOLS = 'abcdefghijklmnopqrstuvwxyz';

interface Generated {
  task: TaskType;
  kind: 'series' | 'tokens';
  layout: ExampleLayout;
  inputSize: number;
  outputSize: number;
  vocabulary?: Vocabulary;
  labels?: string[];
  horizon?: number;
  generate(rng: Rng): Example;
  describe(example: Example): { input: string; target: string };
}

export function loadSynthetic(data: SyntheticData, options: SyntheticOptions): PreparedData {
  const fail = (message: string): never => {
    throw new DataError(options.file, 1, 1, `synthetic ${data.generator}: ${message}`);
  };
  const T = data.length;
  if (!Number.isInteger(T) || T < 2) fail(`length must be an integer ≥ 2, got ${T}`);
  if (!Number.isInteger(data.samples) || data.samples < 1) fail(`samples must be a positive integer, got ${data.samples}`);
  const generated = describeGenerator(data, options, fail);

  const root = new Rng(data.seed ?? options.seed);
  // One independent stream per split, forked up front.
  const streams = { train: root.fork(), validation: root.fork(), test: root.fork() };
  const validationCount = Math.max(1, Math.round(data.samples * (data.split?.validation ?? DEFAULT_VALIDATION_FRACTION)));
  const testCount = data.split?.test ? Math.max(1, Math.round(data.samples * data.split.test)) : 0;
  const make = (count: number, rng: Rng) => {
    const examples: Example[] = new Array(count);
    for (let i = 0; i < count; i++) examples[i] = generated.generate(rng);
    return ExampleSplit.fromExamples(examples, generated.layout, generated.describe);
  };
  const info: DataInfo = {
    kind: generated.kind,
    task: generated.task,
    inputSize: generated.inputSize,
    outputSize: generated.outputSize,
    vocabulary: generated.vocabulary,
    tokenizer: generated.kind === 'tokens' ? { kind: 'char', lowercase: false } : undefined,
    labels: generated.labels,
    horizon: generated.horizon,
    maxLength: T,
    trainSize: data.samples,
    validationSize: validationCount,
    testSize: testCount,
    denormalizeTargets: () => {},
  };
  return {
    info,
    train: make(data.samples, streams.train),
    validation: make(validationCount, streams.validation),
    test: testCount > 0 ? make(testCount, streams.test) : undefined,
  };
}

function describeGenerator(data: SyntheticData, options: SyntheticOptions, fail: (message: string) => never): Generated {
  const T = data.length;
  const noise = data.noise ?? 0;
  const format = (v: number) => v.toFixed(3);
  switch (data.generator) {
    case 'adding':
      return {
        task: 'regress',
        kind: 'series',
        layout: { featureCount: 2, targetWidth: 1 },
        inputSize: 2,
        outputSize: 1,
        generate: (rng) => addingExample(rng, T),
        describe: (example) => {
          const x = example.inputs!; // [T,2]
          const marked: string[] = [];
          for (let t = 0; t < T; t++) if (x[t * 2 + 1] === 1) marked.push(`${format(x[t * 2])} at t=${t}`);
          return { input: `${T} steps; marked ${marked.join(' and ')}`, target: format(example.targets![0]) };
        },
      };
    case 'copy': {
      const symbolCount = data.symbols ?? 8;
      const copyLength = data.copyLength ?? 5;
      if (!Number.isInteger(symbolCount) || symbolCount < 2 || symbolCount > COPY_SYMBOLS.length) fail(`symbols must be an integer in 2..${COPY_SYMBOLS.length}`);
      if (!Number.isInteger(copyLength) || copyLength < 1) fail('copyLength must be a positive integer');
      if (T < 2 * copyLength + 1) fail(`length ${T} is too short to copy ${copyLength} symbols (need ≥ ${2 * copyLength + 1})`);
      const symbols = COPY_SYMBOLS.slice(0, symbolCount).split('');
      const vocabulary = new Vocabulary([...SPECIAL_TOKENS, COPY_BLANK, COPY_DELIMITER, ...symbols]);
      const labels = [COPY_BLANK, ...symbols];
      return {
        task: 'tag',
        kind: 'tokens',
        layout: { featureCount: 1, targetWidth: 1 },
        inputSize: vocabulary.size,
        outputSize: labels.length,
        vocabulary,
        labels,
        generate: (rng) => copyExample(rng, T, copyLength, symbolCount, vocabulary),
        describe: (example) => ({
          input: Array.from(example.inputIds!, (id) => vocabulary.token(id)).join(''),
          target: Array.from(example.targetIds!, (id) => labels[id]).join(''),
        }),
      };
    }
    case 'sine':
    case 'random-walk': {
      const F = data.generator === 'sine' ? data.symbols ?? 1 : 1;
      const Hz = options.horizon ?? 1;
      if (!Number.isInteger(F) || F < 1) fail('symbols (features) must be a positive integer');
      if (!Number.isInteger(Hz) || Hz < 1) fail('horizon must be a positive integer');
      const series = data.generator === 'sine' ? sineSeries : randomWalkSeries;
      return {
        task: 'forecast',
        kind: 'series',
        layout: { featureCount: F, targetWidth: Hz * F },
        inputSize: F,
        outputSize: Hz * F,
        horizon: Hz,
        generate: (rng) => forecastExample(series(rng, T + Hz, F, noise), T, Hz, F),
        describe: (example) => ({
          input: `${T} steps; last: ${Array.from(example.inputs!.subarray((T - 1) * F, T * F), format).join(', ')}`,
          target: Array.from(example.targets!, format).join(', '),
        }),
      };
    }
    default:
      return fail(`unknown generator ${JSON.stringify((data as { generator: string }).generator)}`);
  }
}

export function addingExample(rng: Rng, T: number): Example {
  const inputs = new Float32Array(T * 2); // [T,2] = (value, marker)
  for (let t = 0; t < T; t++) inputs[t * 2] = rng.next();
  const half = Math.floor(T / 2);
  const first = rng.int(half);
  const second = half + rng.int(T - half);
  inputs[first * 2 + 1] = 1;
  inputs[second * 2 + 1] = 1;
  const targets = Float32Array.of(inputs[first * 2] + inputs[second * 2]);
  return { length: T, inputs, targets };
}

export function copyExample(rng: Rng, T: number, copyLength: number, symbolCount: number, vocabulary: Vocabulary): Example {
  const blank = vocabulary.id(COPY_BLANK);
  const delimiter = vocabulary.id(COPY_DELIMITER);
  const firstSymbolId = vocabulary.id(COPY_SYMBOLS[0]);
  const inputIds = new Int32Array(T).fill(blank); // [T]
  const targetIds = new Int32Array(T); // [T] label ids: 0 = blank, 1.. = symbols
  for (let i = 0; i < copyLength; i++) {
    const symbol = rng.int(symbolCount);
    inputIds[i] = firstSymbolId + symbol;
    targetIds[T - copyLength + i] = 1 + symbol;
  }
  inputIds[T - copyLength - 1] = delimiter;
  return { length: T, inputIds, targetIds };
}

/** [steps, F] noisy sines: per feature, period 8..40 steps, random phase, amplitude 0.5..1. */
function sineSeries(rng: Rng, steps: number, F: number, noise: number): Float32Array {
  const values = new Float32Array(steps * F);
  for (let f = 0; f < F; f++) {
    const angularFrequency = (2 * Math.PI) / rng.uniform(8, 40);
    const phase = rng.uniform(0, 2 * Math.PI);
    const amplitude = rng.uniform(0.5, 1);
    for (let t = 0; t < steps; t++) values[t * F + f] = amplitude * Math.sin(angularFrequency * t + phase) + (noise > 0 ? rng.normal(0, noise) : 0);
  }
  return values;
}

/** [steps, F] Gaussian random walks from 0 with step std 0.1, plus observation noise. */
function randomWalkSeries(rng: Rng, steps: number, F: number, noise: number): Float32Array {
  const values = new Float32Array(steps * F);
  for (let f = 0; f < F; f++) {
    let level = 0;
    for (let t = 0; t < steps; t++) {
      level += rng.normal(0, 0.1);
      values[t * F + f] = level + (noise > 0 ? rng.normal(0, noise) : 0);
    }
  }
  return values;
}

/** Splits a [T+Hz, F] series into inputs [T,F], targets [Hz,F] and the persistence forecast [Hz,F]. */
function forecastExample(series: Float32Array, T: number, Hz: number, F: number): Example {
  const inputs = series.slice(0, T * F);
  const targets = series.slice(T * F, (T + Hz) * F);
  const persistence = new Float32Array(Hz * F);
  for (let h = 0; h < Hz; h++) persistence.set(series.subarray((T - 1) * F, T * F), h * F);
  return { length: T, inputs, targets, persistence };
}
