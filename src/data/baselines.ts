/**
 * The figures a model must beat, computed on a held-out split (validation unless told otherwise) from training
 * statistics only:
 * - forecast: persistence (repeat the last observed value), MSE/RMSE/MAE in original units;
 * - regress: the constant predictor (training mean), MSE — 1/6 on the adding problem;
 * - regress-per-step: the training mean and a per-step linear least-squares map, MSE/RMSE/MAE (perStepBaselines.ts);
 * - classify: majority-class accuracy; tag: majority-tag and most-frequent-tag-per-token accuracy;
 * - seq2seq: identity (copy the source) token accuracy and exact match;
 * - generate: uniform perplexity (the output vocabulary size) and unigram perplexity.
 *
 * Every figure is a sum read straight from a split's compact store (the series table, the token id stream, flat
 * ids and offsets), example by example in split order, without an object per example: the same sums, in the same
 * order, as over materialised examples. A store on disk is read in chunks of consecutive examples (`chunks`).
 */
import { ExampleSplit, PackedStore, type ExampleStore, type IdArray } from './batching';
import { TokenWindowStore } from './plainText';
import { SeriesWindowStore } from './seriesWindows';
import type { Baselines, DataInfo, DataSplit, PreparedData } from './types';
import { EOS_ID } from './vocabulary';
import { perStepBaselines } from './perStepBaselines';

/** About this many bytes of a store on disk are read at once. */
const CHUNK_BYTES = 16 << 20;
/** Forecast targets are gathered this many examples at a time, so that one call denormalises them all. */
const BLOCK = 4096;

function storeOf(split: DataSplit, name: string): ExampleStore {
  if (!(split instanceof ExampleSplit)) throw new Error(`baselines: the ${name} split was not made by src/data`);
  return split.store;
}

export function baselines(prepared: PreparedData, split: 'validation' | 'test' = 'validation'): Baselines {
  const { info } = prepared;
  const train = storeOf(prepared.train, 'training');
  const heldOut = prepared[split];
  if (!heldOut) return {};
  // `validation` below names whichever held-out split is measured.
  const validation = storeOf(heldOut, split);
  if (validation.count === 0) return {};
  switch (info.task) {
    case 'forecast':
    case 'regress':
      return validation.example(0).persistence ? persistenceBaseline(info, validation) : constantBaseline(train, validation, info.outputSize);
    case 'regress-per-step':
      return perStepBaselines(prepared, heldOut);
    case 'classify':
      return classificationBaseline(train, validation, info.outputSize);
    case 'tag':
      return taggingBaseline(train, validation, info.outputSize);
    case 'seq2seq':
      return identityBaseline(info, validation);
    case 'generate':
      return { uniformPerplexity: info.outputSize, unigramPerplexity: unigramPerplexity(train, validation, info.outputSize) };
  }
}

/** A store's examples in order, as in-memory compact stores (the store itself, or the chunks read from disk). */
function* inMemory(store: ExampleStore): Iterable<ExampleStore> {
  if (store.chunks) yield* store.chunks(CHUNK_BYTES);
  else if (store instanceof SeriesWindowStore || store instanceof TokenWindowStore || store instanceof PackedStore) yield store;
  else yield* packedPieces(store);
}

/** A store of another kind: its examples packed, a few thousand at a time, into the flat arrays the sums read. */
function* packedPieces(store: ExampleStore): Iterable<PackedStore> {
  const layout = { featureCount: store.fields.inputs ?? 1, targetWidth: store.fields.targets ?? 1 };
  for (let first = 0; first < store.count; first += BLOCK) {
    const examples = [];
    for (let i = first; i < Math.min(store.count, first + BLOCK); i++) examples.push(store.example(i));
    yield PackedStore.pack(examples, layout);
  }
}

function packedColumns(store: ExampleStore, what: string) {
  if (!(store instanceof PackedStore)) throw new Error(`baselines: ${what} are read from flat ids and offsets, not from a ${store.constructor.name}`);
  return store.columns;
}

/** Example i's targets into row b of `targets` ([·,O]), with its anchors ([·,K]) and persistence forecast ([·,O]) when asked. */
function readTargets(store: ExampleStore, i: number, b: number, targets: Float32Array, anchors?: Float32Array, persistence?: Float32Array): void {
  if (store instanceof SeriesWindowStore) return store.writeTargets(i, b, targets, anchors, persistence);
  const c = packedColumns(store, 'real-valued targets');
  const O = c.targetWidth ?? 1;
  for (let o = 0; o < O; o++) {
    targets[b * O + o] = c.targets![i * O + o];
    if (persistence) persistence[b * O + o] = c.persistence![i * O + o];
  }
}

function persistenceBaseline(info: DataInfo, validation: ExampleStore): Baselines {
  const O = info.outputSize;
  const K = validation.fields.anchors;
  let squared = 0;
  let absolute = 0;
  let squaredNormalized = 0;
  const predicted = new Float32Array(BLOCK * O);
  const actual = new Float32Array(BLOCK * O);
  const anchors = K ? new Float32Array(BLOCK * K) : undefined;
  for (const chunk of inMemory(validation)) {
    for (let first = 0; first < chunk.count; first += BLOCK) {
      const n = Math.min(BLOCK, chunk.count - first);
      for (let b = 0; b < n; b++) readTargets(chunk, first + b, b, actual, anchors, predicted);
      const p = predicted.subarray(0, n * O);
      const a = actual.subarray(0, n * O);
      for (let j = 0; j < n * O; j++) squaredNormalized += (p[j] - a[j]) ** 2;
      const blockAnchors = anchors?.subarray(0, n * K!);
      info.denormalizeTargets(p, blockAnchors);
      info.denormalizeTargets(a, blockAnchors);
      for (let j = 0; j < n * O; j++) {
        squared += (p[j] - a[j]) ** 2;
        absolute += Math.abs(p[j] - a[j]);
      }
    }
  }
  const count = validation.count * O;
  return {
    persistenceMse: squared / count,
    persistenceRmse: Math.sqrt(squared / count),
    persistenceMae: absolute / count,
    persistenceMseNormalized: squaredNormalized / count,
  };
}

function constantBaseline(train: ExampleStore, validation: ExampleStore, O: number): Baselines {
  const mean = new Float64Array(O);
  const targets = new Float32Array(O);
  for (const chunk of inMemory(train)) {
    for (let i = 0; i < chunk.count; i++) {
      readTargets(chunk, i, 0, targets);
      for (let o = 0; o < O; o++) mean[o] += targets[o] / train.count;
    }
  }
  let squared = 0;
  for (const chunk of inMemory(validation)) {
    for (let i = 0; i < chunk.count; i++) {
      readTargets(chunk, i, 0, targets);
      for (let o = 0; o < O; o++) squared += (targets[o] - mean[o]) ** 2;
    }
  }
  return { constantMse: squared / (validation.count * O) };
}

function classificationBaseline(train: ExampleStore, validation: ExampleStore, classCount: number): Baselines {
  const counts = new Float64Array(classCount);
  for (const chunk of inMemory(train)) {
    const classes = packedColumns(chunk, 'classes').targetClass!;
    for (let i = 0; i < chunk.count; i++) counts[classes[i]]++;
  }
  const majority = argmax(counts);
  let correct = 0;
  for (const chunk of inMemory(validation)) {
    const classes = packedColumns(chunk, 'classes').targetClass!;
    for (let i = 0; i < chunk.count; i++) if (classes[i] === majority) correct++;
  }
  return { majorityAccuracy: correct / validation.count };
}

/** Where the per-step ids of example i are: ids[start(i), end(i)). */
interface IdRuns {
  ids: IdArray;
  start(i: number): number;
  end(i: number): number;
}

function targetRuns(store: ExampleStore): IdRuns {
  if (store instanceof TokenWindowStore) {
    const { ids, start, stride, window } = store;
    return { ids, start: (i) => start + i * stride, end: (i) => start + i * stride + window };
  }
  const c = packedColumns(store, 'per-step targets');
  return { ids: c.targetIds!, start: (i) => c.targetOffsets![i], end: (i) => c.targetOffsets![i + 1] };
}

function inputRuns(store: ExampleStore): IdRuns {
  const c = packedColumns(store, 'input ids');
  return { ids: c.inputIds!, start: (i) => c.inputOffsets[i], end: (i) => c.inputOffsets[i + 1] };
}

/** Every (token, tag) pair of a tagged split, in order. */
function forEachTaggedToken(store: ExampleStore, visit: (token: number, tag: number) => void): void {
  for (const chunk of inMemory(store)) {
    const tags = targetRuns(chunk);
    const tokens = inputRuns(chunk);
    for (let i = 0; i < chunk.count; i++) {
      const from = tags.start(i);
      const tokenFrom = tokens.start(i);
      for (let t = 0; t < tags.end(i) - from; t++) visit(tokens.ids[tokenFrom + t], tags.ids[from + t]);
    }
  }
}

function taggingBaseline(train: ExampleStore, validation: ExampleStore, tagCount: number): Baselines {
  const tagCounts = new Float64Array(tagCount);
  const tagCountsByToken = new Map<number, Float64Array>();
  forEachTaggedToken(train, (token, tag) => {
    tagCounts[tag]++;
    let counts = tagCountsByToken.get(token);
    if (!counts) tagCountsByToken.set(token, (counts = new Float64Array(tagCount)));
    counts[tag]++;
  });
  const majority = argmax(tagCounts);
  const mostFrequent = new Map<number, number>();
  for (const [token, counts] of tagCountsByToken) mostFrequent.set(token, argmax(counts));
  let total = 0;
  let majorityCorrect = 0;
  let perTokenCorrect = 0;
  forEachTaggedToken(validation, (token, tag) => {
    total++;
    if (tag === majority) majorityCorrect++;
    if (tag === (mostFrequent.get(token) ?? majority)) perTokenCorrect++;
  });
  return { majorityAccuracy: majorityCorrect / total, mostFrequentTagAccuracy: perTokenCorrect / total };
}

function identityBaseline(info: DataInfo, validation: ExampleStore): Baselines {
  const source = info.vocabulary!;
  const target = info.targetVocabulary!;
  let tokens = 0;
  let correctTokens = 0;
  let exact = 0;
  for (const chunk of inMemory(validation)) {
    const targets = targetRuns(chunk); // y1 … yn </s>
    const inputs = inputRuns(chunk);
    for (let i = 0; i < chunk.count; i++) {
      const targetFrom = targets.start(i);
      const targetLength = targets.end(i) - targetFrom;
      const inputFrom = inputs.start(i);
      const inputLength = inputs.end(i) - inputFrom;
      let allCorrect = inputLength === targetLength - 1;
      for (let t = 0; t < targetLength; t++) {
        // Copying the source emits </s> right after its last token.
        const copied = t < inputLength ? source.token(inputs.ids[inputFrom + t]) : t === inputLength ? '</s>' : undefined;
        const wanted = targets.ids[targetFrom + t] === EOS_ID ? '</s>' : target.token(targets.ids[targetFrom + t]);
        tokens++;
        if (copied === wanted) correctTokens++;
        else allCorrect = false;
      }
      if (allCorrect) exact++;
    }
  }
  return { identityTokenAccuracy: correctTokens / tokens, identityExactMatch: exact / validation.count };
}

/** Perplexity of add-one-smoothed training unigram frequencies on the validation targets. */
function unigramPerplexity(train: ExampleStore, validation: ExampleStore, vocabularySize: number): number {
  // Counted per example, as a model sees them: a token in two overlapping training windows counts twice.
  const counts = new Float64Array(vocabularySize).fill(1);
  let total = vocabularySize;
  for (const chunk of inMemory(train)) {
    const { ids, start, end } = targetRuns(chunk);
    for (let i = 0; i < chunk.count; i++) {
      const to = end(i);
      for (let p = start(i); p < to; p++) counts[ids[p]]++;
      total += to - start(i);
    }
  }
  const logProbability = counts.map((count) => Math.log(count / total));
  let negativeLogLikelihood = 0;
  let tokens = 0;
  for (const chunk of inMemory(validation)) {
    const { ids, start, end } = targetRuns(chunk);
    for (let i = 0; i < chunk.count; i++) {
      const to = end(i);
      for (let p = start(i); p < to; p++) negativeLogLikelihood -= logProbability[ids[p]];
      tokens += to - start(i);
    }
  }
  return Math.exp(negativeLogLikelihood / tokens);
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
