/**
 * Parallel pairs for seq2seq: `source<TAB>target` per line. The encoder reads the source tokens; the decoder
 * is fed `<s> y1 … yn` (teacher forcing) and trained to emit `y1 … yn </s>`.
 */
import type { PairsData } from '../modelSpec/types';
import { ExampleSplit, PackedStore, type Example, type ExampleStore } from './batching';
import { forEachLine } from './lines';
import { RaggedIds, type RaggedSequences, type RaggedSink } from './raggedIds';
import { seededPermutation, splitCounts, splitsByRange, type SplitCounts } from './splits';
import { TokenInterner } from './tokenStream';
import { resolveTokenizer } from './dataDefaults';
import { detokenize, tokenize } from './tokenize';
import { DataError, type DataInfo, type PreparedData } from './types';
import { EOS_ID, type Vocabulary } from './vocabulary';

export interface PairsOptions {
  file: string;
  seed: number;
}

/** One pass: source and target tokens become provisional ids of one interner (a shared vocabulary needs that). */
export function readPairs(chunks: Iterable<string>, data: PairsData, options: PairsOptions, sources: RaggedSink & RaggedSequences, targets: RaggedSink): { interner: TokenInterner; maxLength: number } {
  const { file } = options;
  const resolved = resolveTokenizer(data)!;
  const tokenizeOptions = { tokenizer: resolved.kind, lowercase: resolved.lowercase, maxLength: resolved.maxLength };
  const interner = new TokenInterner();
  let maxLength = 0;
  forEachLine(chunks, (lineText, line) => {
    if (line === 1) lineText = lineText.replace(/^\uFEFF/, '');
    if (lineText.trim() === '') return;
    const tab = lineText.indexOf('\t');
    if (tab < 0) throw new DataError(file, line, 1, 'expected "source<TAB>target" (no tab on this line)');
    const source = tokenize(lineText.slice(0, tab), tokenizeOptions);
    const target = tokenize(lineText.slice(tab + 1), tokenizeOptions);
    if (source.length === 0) throw new DataError(file, line, 1, 'empty source');
    if (target.length === 0) throw new DataError(file, line, tab + 2, 'empty target');
    for (const token of source) sources.push(interner.id(token));
    for (const token of target) targets.push(interner.id(token));
    sources.close();
    targets.close();
    maxLength = Math.max(maxLength, source.length);
  });
  const count = sources.count;
  if (count < 2) throw new DataError(file, 1, 1, `need at least 2 pairs, found ${count}`);
  return { interner, maxLength };
}

/** The seeded split of the pairs read and their vocabularies, built from the training pairs only. */
export interface PairsPlan {
  order: Int32Array;
  counts: SplitCounts;
  sourceVocabulary: Vocabulary;
  targetVocabulary: Vocabulary;
  /** Provisional id → final source id / target id. */
  sourceIds: Int32Array;
  targetIds: Int32Array;
}

export function planPairs(interner: TokenInterner, sources: RaggedSequences, targets: RaggedSequences, data: PairsData, seed: number): PairsPlan {
  const count = sources.count;
  const order = seededPermutation(count, seed);
  const counts = splitCounts(count, data.split, 'pairs');
  const vocabularyOptions = { minFrequency: data.minFrequency, maxSize: data.maxVocab };
  const shared = data.sharedVocabulary ?? false;
  const sourceVocabulary = interner.vocabulary((visit) => {
    for (let k = 0; k < counts.train; k++) {
      sources.forEach(order[k], visit);
      if (shared) targets.forEach(order[k], visit);
    }
  }, vocabularyOptions);
  const targetVocabulary = shared
    ? sourceVocabulary
    : interner.vocabulary((visit) => {
        for (let k = 0; k < counts.train; k++) targets.forEach(order[k], visit);
      }, vocabularyOptions);
  const sourceIds = interner.finalIdMap(sourceVocabulary);
  const targetIds = shared ? sourceIds : interner.finalIdMap(targetVocabulary);
  return { order, counts, sourceVocabulary, targetVocabulary, sourceIds, targetIds };
}

export function loadPairs(chunks: Iterable<string>, data: PairsData, options: PairsOptions): PreparedData {
  const sources = new RaggedIds();
  const targets = new RaggedIds();
  const { interner, maxLength } = readPairs(chunks, data, options, sources, targets);
  const plan = planPairs(interner, sources, targets, data, options.seed);
  const { order, sourceVocabulary, targetVocabulary } = plan;
  return pairsData(data, { ...plan, maxLength }, (start, end) => {
    const inputs = sources.gather(order, start, end, sourceVocabulary.size - 1, plan.sourceIds);
    const outputs = targets.gather(order, start, end, targetVocabulary.size - 1, plan.targetIds, EOS_ID); // y1 … yn </s>
    return new PackedStore({ count: end - start, inputOffsets: inputs.offsets, inputIds: inputs.ids, targetIds: outputs.ids, targetOffsets: outputs.offsets, decoderInputs: true });
  });
}

/**
 * The prepared data of pairs, whatever holds them: `store(start, end)` makes the examples of positions
 * [start, end) of the split order (in memory, or read from the disk cache per batch).
 */
export function pairsData(
  data: PairsData,
  plan: { counts: SplitCounts; sourceVocabulary: Vocabulary; targetVocabulary: Vocabulary; maxLength: number },
  store: (start: number, end: number) => ExampleStore,
): PreparedData {
  const { counts, sourceVocabulary, targetVocabulary } = plan;
  const resolved = resolveTokenizer(data)!;
  const describe = (example: Example) => ({
    input: detokenize(sourceVocabulary.decode(example.inputIds!), resolved.kind),
    target: detokenize(targetVocabulary.decode(example.targetIds!), resolved.kind),
  });
  const info: DataInfo = {
    kind: 'tokens',
    task: 'seq2seq',
    inputSize: sourceVocabulary.size,
    outputSize: targetVocabulary.size,
    vocabulary: sourceVocabulary,
    targetVocabulary,
    tokenizer: resolved,
    maxLength: plan.maxLength,
    trainSize: counts.train,
    validationSize: counts.validation,
    testSize: counts.test,
    denormalizeTargets: () => {},
  };
  return { info, ...splitsByRange(counts, (start, end) => new ExampleSplit(store(start, end), describe)) };
}
