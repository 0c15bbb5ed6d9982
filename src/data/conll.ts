/**
 * Sequence labelling from CoNLL-style text: one `token tag` per line (whitespace separated; the first column
 * is the token and the last the tag, so CoNLL-2003's four columns work too), a blank line between sentences,
 * `-DOCSTART-` lines ignored.
 */
import type { ConllData } from '../modelSpec/types';
import { ExampleSplit, PackedStore, type Example, type ExampleStore } from './batching';
import { LabelInterner, shuffledSplits, type LabelledSamplesPlan, type ShuffledSplits } from './labelledSamples';
import { forEachLine } from './lines';
import { RaggedIds, type RaggedSequences, type RaggedSink } from './raggedIds';
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

/** What the one pass over a CoNLL file leaves besides the sentences' provisional token and tag ids. */
export interface TaggedSentencesRead {
  interner: TokenInterner;
  /** The tags in their final order, and provisional tag id → final id. */
  labels: string[];
  tagId: Int32Array;
  maxLength: number;
}

/** One pass: tokens and tags become provisional ids (first appearance), each sentence a run of both. */
export function readTaggedSentences(chunks: Iterable<string>, data: ConllData, options: ConllOptions, tokens: RaggedSink, tags: RaggedSink): TaggedSentencesRead {
  const { lowercase } = resolveTokenizer(data)!;
  const interner = new TokenInterner();
  const tagInterner = new LabelInterner(options.file, 'tag', options.labels);
  let maxLength = 0;
  forEachConllSentence(chunks, options.file, (sentence) => {
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
  return { interner, labels, tagId, maxLength };
}

/** The seeded order, split counts and training vocabulary of the sentences read. */
export function taggedSentenceSplits(tokens: RaggedSequences, read: TaggedSentencesRead, data: ConllData, options: ConllOptions): ShuffledSplits {
  return shuffledSplits(tokens, read.interner, {
    file: options.file, seed: options.seed, split: data.split, samplesNoun: 'sentences', splitNoun: 'sentences', vocabulary: { minFrequency: data.minFrequency },
  });
}

export function loadConll(chunks: Iterable<string>, data: ConllData, options: ConllOptions): PreparedData {
  const tokens = new RaggedIds();
  const tags = new RaggedIds();
  const read = readTaggedSentences(chunks, data, options, tokens, tags);
  const { order, counts, vocabulary, finalIds } = taggedSentenceSplits(tokens, read, data, options);
  return conllData(data, { vocabulary, labels: read.labels, maxLength: read.maxLength, counts }, (start, end) => {
    const inputs = tokens.gather(order, start, end, vocabulary.size - 1, finalIds);
    const targets = tags.gather(order, start, end, read.labels.length - 1, read.tagId);
    return new PackedStore({ count: end - start, inputOffsets: inputs.offsets, inputIds: inputs.ids, targetIds: targets.ids, targetOffsets: inputs.offsets });
  });
}

/**
 * The prepared data of tagged sentences, whatever holds them: `store(start, end)` makes the examples of positions
 * [start, end) of the split order (in memory, or read from the disk cache per batch).
 */
export function conllData(data: ConllData, plan: LabelledSamplesPlan, store: (start: number, end: number) => ExampleStore): PreparedData {
  const { vocabulary, labels, counts } = plan;
  const { kind: tokenizerKind, lowercase } = resolveTokenizer(data)!;
  const describe = (example: Example) => ({
    input: Array.from(example.inputIds!, (id) => vocabulary.token(id)).join(' '),
    target: Array.from(example.targetIds!, (id) => labels[id]).join(' '),
  });
  const info: DataInfo = {
    kind: 'tokens',
    task: 'tag',
    inputSize: vocabulary.size,
    outputSize: labels.length,
    vocabulary,
    tokenizer: { kind: tokenizerKind, lowercase },
    labels,
    maxLength: plan.maxLength,
    trainSize: counts.train,
    validationSize: counts.validation,
    testSize: counts.test,
    denormalizeTargets: () => {},
  };
  return { info, ...splitsByRange(counts, (start, end) => new ExampleSplit(store(start, end), describe)) };
}
