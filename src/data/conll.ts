/**
 * Sequence labelling from CoNLL-style text: one `token tag` per line (whitespace separated; the first column
 * is the token and the last the tag, so CoNLL-2003's four columns work too), a blank line between sentences,
 * `-DOCSTART-` lines ignored.
 */
import type { ConllData } from '../spec/types';
import { ExampleSplit, type Example } from './batching';
import { seededPermutation, splitCounts, takeSplits } from './splits';
import { DataError, type DataInfo, type PreparedData } from './types';
import { Vocabulary } from './vocabulary';
import { resolveTokenizer } from './dataDefaults';

export interface TaggedToken {
  token: string;
  tag: string;
  line: number;
  tagColumn: number;
}

export function readConll(text: string, file: string): TaggedToken[][] {
  const sentences: TaggedToken[][] = [];
  let current: TaggedToken[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((lineText, index) => {
    const line = index + 1;
    if (lineText.trim() === '') {
      if (current.length > 0) sentences.push(current);
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
  if (current.length > 0) sentences.push(current);
  return sentences;
}

export interface ConllOptions {
  file: string;
  seed: number;
  labels?: string[];
}

export function loadConll(text: string, data: ConllData, options: ConllOptions): PreparedData {
  const { file } = options;
  const sentences = readConll(text, file);
  if (sentences.length < 2) throw new DataError(file, 1, 1, `need at least 2 sentences, found ${sentences.length}`);
  const labels = options.labels ?? [...new Set(sentences.flatMap((sentence) => sentence.map((t) => t.tag)))].sort();
  const tagId = new Map(labels.map((label, id) => [label, id]));
  const { kind: tokenizerKind, lowercase } = resolveTokenizer(data)!;
  const prepared = sentences.map((sentence) => ({
    tokens: sentence.map((t) => (lowercase ? t.token.toLowerCase() : t.token)),
    tags: sentence.map((t) => {
      const id = tagId.get(t.tag);
      if (id === undefined) throw new DataError(file, t.line, t.tagColumn, `tag ${JSON.stringify(t.tag)} is not one of the task's labels (${labels.join(', ')})`);
      return id;
    }),
  }));

  const order = seededPermutation(prepared.length, options.seed);
  const shuffled = Array.from(order, (i) => prepared[i]);
  const counts = splitCounts(shuffled.length, data.split, 'sentences');
  const parts = takeSplits(shuffled, counts);
  const vocabulary = Vocabulary.build(parts.train.map((s) => s.tokens), { minFrequency: data.minFrequency });

  const toExample = (sentence: (typeof prepared)[number]): Example => ({
    length: sentence.tokens.length,
    inputIds: Int32Array.from(vocabulary.encode(sentence.tokens)),
    targetIds: Int32Array.from(sentence.tags),
  });
  const describe = (example: Example) => ({
    input: Array.from(example.inputIds!, (id) => vocabulary.token(id)).join(' '),
    target: Array.from(example.targetIds!, (id) => labels[id]).join(' '),
  });
  const layout = { featureCount: 1, targetWidth: 1 };
  const split = (items: typeof prepared) => ExampleSplit.fromExamples(items.map(toExample), layout, describe);
  const info: DataInfo = {
    kind: 'tokens',
    task: 'tag',
    inputSize: vocabulary.size,
    outputSize: labels.length,
    vocabulary,
    tokenizer: { kind: tokenizerKind, lowercase },
    labels,
    maxLength: prepared.reduce((longest, s) => Math.max(longest, s.tokens.length), 0),
    trainSize: counts.train,
    validationSize: counts.validation,
    testSize: counts.test,
    denormalizeTargets: () => {},
  };
  return { info, train: split(parts.train), validation: split(parts.validation), test: counts.test > 0 ? split(parts.test) : undefined };
}
