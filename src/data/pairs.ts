/**
 * Parallel pairs for seq2seq: `source<TAB>target` per line. The encoder reads the source tokens; the decoder
 * is fed `<s> y1 … yn` (teacher forcing) and trained to emit `y1 … yn </s>`.
 */
import type { PairsData } from '../spec/types';
import { ExampleSplit, PackedStore, type Example } from './batching';
import { forEachLine } from './lines';
import { RaggedIds } from './raggedIds';
import { seededPermutation, splitCounts, splitsByRange } from './splits';
import { TokenInterner } from './tokenStream';
import { resolveTokenizer } from './dataDefaults';
import { detokenize, tokenize, type TokenizerKind } from './tokenize';
import { DataError, type DataInfo, type PreparedData } from './types';
import { EOS_ID } from './vocabulary';

export interface PairsOptions {
  file: string;
  seed: number;
}

export function loadPairs(chunks: Iterable<string>, data: PairsData, options: PairsOptions): PreparedData {
  const { file } = options;
  const resolved = resolveTokenizer(data)!;
  const tokenizer: TokenizerKind = resolved.kind;
  const tokenizeOptions = { tokenizer, lowercase: resolved.lowercase, maxLength: resolved.maxLength };
  // One pass: source and target tokens become provisional ids of one interner (a shared vocabulary needs that).
  const interner = new TokenInterner();
  const sources = new RaggedIds();
  const targets = new RaggedIds();
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

  const order = seededPermutation(count, options.seed);
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

  const describe = (example: Example) => ({
    input: detokenize(sourceVocabulary.decode(example.inputIds!), tokenizer),
    target: detokenize(targetVocabulary.decode(example.targetIds!), tokenizer),
  });
  const split = (start: number, end: number) => {
    const inputs = sources.gather(order, start, end, sourceVocabulary.size - 1, sourceIds);
    const outputs = targets.gather(order, start, end, targetVocabulary.size - 1, targetIds, EOS_ID); // y1 … yn </s>
    return new ExampleSplit(
      new PackedStore({ count: end - start, inputOffsets: inputs.offsets, inputIds: inputs.ids, targetIds: outputs.ids, targetOffsets: outputs.offsets, decoderInputs: true }),
      describe,
    );
  };
  const info: DataInfo = {
    kind: 'tokens',
    task: 'seq2seq',
    inputSize: sourceVocabulary.size,
    outputSize: targetVocabulary.size,
    vocabulary: sourceVocabulary,
    targetVocabulary,
    tokenizer: resolved,
    maxLength,
    trainSize: counts.train,
    validationSize: counts.validation,
    testSize: counts.test,
    denormalizeTargets: () => {},
  };
  return { info, ...splitsByRange(counts, split) };
}
