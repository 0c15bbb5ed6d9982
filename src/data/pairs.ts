/**
 * Parallel pairs for seq2seq: `source<TAB>target` per line. The encoder reads the source tokens; the decoder
 * is fed `<s> y1 … yn` (teacher forcing) and trained to emit `y1 … yn </s>`.
 */
import type { PairsData } from '../spec/types';
import { ExampleSplit, type Example } from './batching';
import { seededPermutation, splitCounts, takeSplits } from './splits';
import { resolveTokenizer } from './dataDefaults';
import { detokenize, tokenize, type TokenizerKind } from './tokenize';
import { DataError, type DataInfo, type PreparedData } from './types';
import { BOS_ID, EOS_ID, Vocabulary } from './vocabulary';

export interface PairsOptions {
  file: string;
  seed: number;
}

export function loadPairs(text: string, data: PairsData, options: PairsOptions): PreparedData {
  const { file } = options;
  const resolved = resolveTokenizer(data)!;
  const tokenizer: TokenizerKind = resolved.kind;
  const tokenizeOptions = { tokenizer, lowercase: resolved.lowercase, maxLength: resolved.maxLength };
  const pairs: { source: string[]; target: string[] }[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .forEach((lineText, index) => {
      const line = index + 1;
      if (lineText.trim() === '') return;
      const tab = lineText.indexOf('\t');
      if (tab < 0) throw new DataError(file, line, 1, 'expected "source<TAB>target" (no tab on this line)');
      const source = tokenize(lineText.slice(0, tab), tokenizeOptions);
      const target = tokenize(lineText.slice(tab + 1), tokenizeOptions);
      if (source.length === 0) throw new DataError(file, line, 1, 'empty source');
      if (target.length === 0) throw new DataError(file, line, tab + 2, 'empty target');
      pairs.push({ source, target });
    });
  if (pairs.length < 2) throw new DataError(file, 1, 1, `need at least 2 pairs, found ${pairs.length}`);

  const order = seededPermutation(pairs.length, options.seed);
  const shuffled = Array.from(order, (i) => pairs[i]);
  const counts = splitCounts(shuffled.length, data.split, 'pairs');
  const parts = takeSplits(shuffled, counts);
  const vocabularyOptions = { minFrequency: data.minFrequency, maxSize: data.maxVocab };
  const shared = data.sharedVocabulary ?? false;
  const sourceVocabulary = Vocabulary.build(
    shared ? parts.train.flatMap((p) => [p.source, p.target]) : parts.train.map((p) => p.source),
    vocabularyOptions,
  );
  const targetVocabulary = shared ? sourceVocabulary : Vocabulary.build(parts.train.map((p) => p.target), vocabularyOptions);

  const toExample = (pair: { source: string[]; target: string[] }): Example => {
    const targetIds = new Int32Array(pair.target.length + 1); // [T'] = y1 … yn </s>
    const decoderInputIds = new Int32Array(pair.target.length + 1); // [T'] = <s> y1 … yn
    decoderInputIds[0] = BOS_ID;
    pair.target.forEach((token, t) => {
      targetIds[t] = targetVocabulary.id(token);
      decoderInputIds[t + 1] = targetIds[t];
    });
    targetIds[pair.target.length] = EOS_ID;
    return { length: pair.source.length, inputIds: Int32Array.from(sourceVocabulary.encode(pair.source)), targetIds, decoderInputIds };
  };
  const describe = (example: Example) => ({
    input: detokenize(sourceVocabulary.decode(example.inputIds!), tokenizer),
    target: detokenize(targetVocabulary.decode(example.targetIds!), tokenizer),
  });
  const layout = { featureCount: 1, targetWidth: 1 };
  const split = (items: typeof pairs) => ExampleSplit.fromExamples(items.map(toExample), layout, describe);
  const info: DataInfo = {
    kind: 'tokens',
    task: 'seq2seq',
    inputSize: sourceVocabulary.size,
    outputSize: targetVocabulary.size,
    vocabulary: sourceVocabulary,
    targetVocabulary,
    tokenizer: resolved,
    maxLength: pairs.reduce((longest, p) => Math.max(longest, p.source.length), 0),
    trainSize: counts.train,
    validationSize: counts.validation,
    testSize: counts.test,
    denormalizeTargets: () => {},
  };
  return { info, train: split(parts.train), validation: split(parts.validation), test: counts.test > 0 ? split(parts.test) : undefined };
}
