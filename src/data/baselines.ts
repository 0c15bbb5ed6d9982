/**
 * The figures a model must beat, computed on a held-out split (validation unless told otherwise) from training
 * statistics only:
 * - forecast: persistence (repeat the last observed value), MSE/RMSE/MAE in original units;
 * - regress: the constant predictor (training mean), MSE — 1/6 on the adding problem;
 * - classify: majority-class accuracy; tag: majority-tag and most-frequent-tag-per-token accuracy;
 * - seq2seq: identity (copy the source) token accuracy and exact match;
 * - generate: uniform perplexity (the output vocabulary size) and unigram perplexity.
 */
import { ExampleSplit, type Example } from './batching';
import type { Baselines, DataSplit, PreparedData } from './types';
import { EOS_ID } from './vocabulary';

/** The examples of a split, materialised one at a time (a large split is never held as examples). */
interface Examples extends Iterable<Example> {
  readonly length: number;
  first(): Example;
}

function examplesOf(split: DataSplit, name: string): Examples {
  if (!(split instanceof ExampleSplit)) throw new Error(`baselines: the ${name} split was not made by src/data`);
  return { length: split.size, first: () => split.example(0), [Symbol.iterator]: () => split.examples()[Symbol.iterator]() };
}

export function baselines(prepared: PreparedData, split: 'validation' | 'test' = 'validation'): Baselines {
  const { info } = prepared;
  const train = examplesOf(prepared.train, 'training');
  const heldOut = prepared[split];
  if (!heldOut) return {};
  // `validation` below names whichever held-out split is measured.
  const validation = examplesOf(heldOut, split);
  if (validation.length === 0) return {};
  switch (info.task) {
    case 'forecast':
    case 'regress':
      return validation.first().persistence ? persistenceBaseline(prepared, validation) : constantBaseline(train, validation, info.outputSize);
    case 'classify':
      return classificationBaseline(train, validation, info.outputSize);
    case 'tag':
      return taggingBaseline(train, validation, info.outputSize);
    case 'seq2seq':
      return identityBaseline(prepared, validation);
    case 'generate':
      return { uniformPerplexity: info.outputSize, unigramPerplexity: unigramPerplexity(train, validation, info.outputSize) };
  }
}

function persistenceBaseline(prepared: PreparedData, validation: Examples): Baselines {
  const O = prepared.info.outputSize;
  let squared = 0;
  let absolute = 0;
  let squaredNormalized = 0;
  const predicted = new Float32Array(O);
  const actual = new Float32Array(O);
  for (const example of validation) {
    predicted.set(example.persistence!);
    actual.set(example.targets!);
    for (let o = 0; o < O; o++) squaredNormalized += (predicted[o] - actual[o]) ** 2;
    prepared.info.denormalizeTargets(predicted, example.anchors);
    prepared.info.denormalizeTargets(actual, example.anchors);
    for (let o = 0; o < O; o++) {
      squared += (predicted[o] - actual[o]) ** 2;
      absolute += Math.abs(predicted[o] - actual[o]);
    }
  }
  const count = validation.length * O;
  return {
    persistenceMse: squared / count,
    persistenceRmse: Math.sqrt(squared / count),
    persistenceMae: absolute / count,
    persistenceMseNormalized: squaredNormalized / count,
  };
}

function constantBaseline(train: Examples, validation: Examples, O: number): Baselines {
  const mean = new Float64Array(O);
  for (const example of train) for (let o = 0; o < O; o++) mean[o] += example.targets![o] / train.length;
  let squared = 0;
  for (const example of validation) for (let o = 0; o < O; o++) squared += (example.targets![o] - mean[o]) ** 2;
  return { constantMse: squared / (validation.length * O) };
}

function classificationBaseline(train: Examples, validation: Examples, classCount: number): Baselines {
  const counts = new Float64Array(classCount);
  for (const example of train) counts[example.targetClass!]++;
  const majority = argmax(counts);
  let correct = 0;
  for (const example of validation) if (example.targetClass === majority) correct++;
  return { majorityAccuracy: correct / validation.length };
}

function taggingBaseline(train: Examples, validation: Examples, tagCount: number): Baselines {
  const tagCounts = new Float64Array(tagCount);
  const tagCountsByToken = new Map<number, Float64Array>();
  for (const example of train) {
    example.targetIds!.forEach((tag, t) => {
      tagCounts[tag]++;
      const token = example.inputIds![t];
      let counts = tagCountsByToken.get(token);
      if (!counts) tagCountsByToken.set(token, (counts = new Float64Array(tagCount)));
      counts[tag]++;
    });
  }
  const majority = argmax(tagCounts);
  let total = 0;
  let majorityCorrect = 0;
  let perTokenCorrect = 0;
  for (const example of validation) {
    example.targetIds!.forEach((tag, t) => {
      const counts = tagCountsByToken.get(example.inputIds![t]);
      total++;
      if (tag === majority) majorityCorrect++;
      if (tag === (counts ? argmax(counts) : majority)) perTokenCorrect++;
    });
  }
  return { majorityAccuracy: majorityCorrect / total, mostFrequentTagAccuracy: perTokenCorrect / total };
}

function identityBaseline(prepared: PreparedData, validation: Examples): Baselines {
  const source = prepared.info.vocabulary!;
  const target = prepared.info.targetVocabulary!;
  let tokens = 0;
  let correctTokens = 0;
  let exact = 0;
  for (const example of validation) {
    const targetIds = example.targetIds!; // y1 … yn </s>
    const inputIds = example.inputIds!;
    let allCorrect = inputIds.length === targetIds.length - 1;
    for (let t = 0; t < targetIds.length; t++) {
      // Copying the source emits </s> right after its last token.
      const copied = t < inputIds.length ? source.token(inputIds[t]) : t === inputIds.length ? '</s>' : undefined;
      const wanted = targetIds[t] === EOS_ID ? '</s>' : target.token(targetIds[t]);
      tokens++;
      if (copied === wanted) correctTokens++;
      else allCorrect = false;
    }
    if (allCorrect) exact++;
  }
  return { identityTokenAccuracy: correctTokens / tokens, identityExactMatch: exact / validation.length };
}

/** Perplexity of add-one-smoothed training unigram frequencies on the validation targets. */
function unigramPerplexity(train: Examples, validation: Examples, vocabularySize: number): number {
  const counts = new Float64Array(vocabularySize).fill(1);
  let total = vocabularySize;
  for (const example of train) for (const id of example.targetIds!) (counts[id]++, total++);
  let negativeLogLikelihood = 0;
  let tokens = 0;
  for (const example of validation) {
    for (const id of example.targetIds!) {
      negativeLogLikelihood -= Math.log(counts[id] / total);
      tokens++;
    }
  }
  return Math.exp(negativeLogLikelihood / tokens);
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
