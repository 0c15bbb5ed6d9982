/**
 * Sequence labelling from CoNLL-style text: one `token tag` per line (whitespace separated; the first column
 * is the token and the last the tag, so CoNLL-2003's four columns work too), a blank line between sentences,
 * `-DOCSTART-` lines ignored.
 */
import type { ConllData } from '../spec/types';
import { ExampleSplit, PackedStore, type Example } from './batching';
import { LabelInterner, shuffledSplits } from './labelledSamples';
import { forEachLine } from './lines';
import { RaggedIds } from './raggedIds';
import { splitsByRange } from './splits';
import { TokenInterner } from './tokenStream';
import { DataError, type DataInfo, type PreparedData } from './types';
import { resolveTokenizer } from './dataDefaults';

export interface TaggedToken {
  token: string;
  tag: string;
  line: number;
  tagColumn: number;
}

/** Calls `onSentence` with each sentence's tagged tokens, in file order. */
export function forEachConllSentence(chunks: Iterable<string>, file: string, onSentence: (sentence: TaggedToken[]) => void): void {
  let current: TaggedToken[] = [];
  forEachLine(chunks, (lineText, line) => {
    if (line === 1) lineText = lineText.replace(/^\uFEFF/, '');
    if (lineText.trim() === '') {
      if (current.length > 0) onSentence(current);
      current = [];
      return;
    }
    if (lineText.startsWith('-DOCSTART-')) return;
    const fields = [...lineText.matchAll(/\S+/g)];
    if (fields.length < 2) {
      throw new DataError(file, line, lineText.length + 1, `expected "token tag" on each line, found only ${JSON.stringify(lineText.trim())}`);
    }
    const tagField = fields[fields.length - 1];
    current.push({ token: fields[0][0], tag: tagField[0], line, tagColumn: (tagField.index ?? 0) + 1 });
  });
  if (current.length > 0) onSentence(current);
}

export interface ConllOptions {
  file: string;
  seed: number;
  labels?: string[];
}

export function loadConll(chunks: Iterable<string>, data: ConllData, options: ConllOptions): PreparedData {
  const { file } = options;
  const { kind: tokenizerKind, lowercase } = resolveTokenizer(data)!;
  // One pass: tokens and tags become provisional ids (first appearance), each sentence a run of both.
  const interner = new TokenInterner();
  const tagInterner = new LabelInterner(file, 'tag', options.labels);
  const tokens = new RaggedIds();
  const tags = new RaggedIds();
  let maxLength = 0;
  forEachConllSentence(chunks, file, (sentence) => {
    for (const t of sentence) {
      const tag = tagInterner.id(t.tag, t.line, t.tagColumn);
      tokens.push(interner.id(lowercase ? t.token.toLowerCase() : t.token));
      tags.push(tag);
    }
    tokens.close();
    tags.close();
    maxLength = Math.max(maxLength, sentence.length);
  });
  const { labels, finalId: tagId } = tagInterner.finish();
  const { order, counts, vocabulary, finalIds } = shuffledSplits(tokens, interner, {
    file, seed: options.seed, split: data.split, samplesNoun: 'sentences', splitNoun: 'sentences', vocabulary: { minFrequency: data.minFrequency },
  });

  const describe = (example: Example) => ({
    input: Array.from(example.inputIds!, (id) => vocabulary.token(id)).join(' '),
    target: Array.from(example.targetIds!, (id) => labels[id]).join(' '),
  });
  const split = (start: number, end: number) => {
    const inputs = tokens.gather(order, start, end, vocabulary.size - 1, finalIds);
    const targets = tags.gather(order, start, end, labels.length - 1, tagId);
    return new ExampleSplit(
      new PackedStore({ count: end - start, inputOffsets: inputs.offsets, inputIds: inputs.ids, targetIds: targets.ids, targetOffsets: inputs.offsets }),
      describe,
    );
  };
  const info: DataInfo = {
    kind: 'tokens',
    task: 'tag',
    inputSize: vocabulary.size,
    outputSize: labels.length,
    vocabulary,
    tokenizer: { kind: tokenizerKind, lowercase },
    labels,
    maxLength,
    trainSize: counts.train,
    validationSize: counts.validation,
    testSize: counts.test,
    denormalizeTargets: () => {},
  };
  return { info, ...splitsByRange(counts, split) };
}
