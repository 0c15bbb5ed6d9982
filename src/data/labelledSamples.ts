/**
 * What the loaders of labelled samples in shuffled splits share (text classification, CoNLL tagging): labels
 * interned as they are read and checked against the task's; after the one pass over the file, the count check,
 * the seeded order, the split counts and the vocabulary of the training split's tokens.
 */
import { ownString } from './lines';
import type { RaggedSequences } from './raggedIds';
import { seededPermutation, splitCounts, type SplitCounts, type SplitFractions } from './splits';
import type { TokenInterner } from './tokenStream';
import { DataError } from './types';
import type { Vocabulary, VocabularyOptions } from './vocabulary';

/** Labels (classes, tags) in order of first appearance: a label's provisional id is its index. */
export class LabelInterner {
  private readonly seen: string[] = [];
  private readonly idByLabel = new Map<string, number>();

  constructor(
    private readonly file: string,
    /** What a label is called in messages: "label", "tag". */
    private readonly noun: string,
    /** The task's labels (`task.labels`): when given, no other label is accepted and they keep their order. */
    private readonly taskLabels?: readonly string[],
  ) {}

  /** The provisional id of `label`, read at line:column; a label the task does not name is a DataError there. */
  id(label: string, line: number, column: number): number {
    const known = this.idByLabel.get(label);
    if (known !== undefined) return known;
    if (this.taskLabels && !this.taskLabels.includes(label)) {
      throw new DataError(this.file, line, column, `${this.noun} ${JSON.stringify(label)} is not one of the task's labels (${this.taskLabels.join(', ')})`);
    }
    const own = ownString(label);
    this.idByLabel.set(own, this.seen.length);
    return this.seen.push(own) - 1;
  }

  /** The labels in their final order (the task's, else those read, sorted) and provisional id → final id. */
  finish(): { labels: string[]; finalId: Int32Array } {
    const labels = this.taskLabels ? [...this.taskLabels] : [...this.seen].sort();
    return { labels, finalId: Int32Array.from(this.seen, (label) => labels.indexOf(label)) };
  }
}

export interface ShuffledSplitOptions {
  file: string;
  seed: number;
  split: SplitFractions | undefined;
  /** In "need at least 2 …": "sentences", "labelled examples". */
  samplesNoun: string;
  /** In the split's messages: "sentences", "texts". */
  splitNoun: string;
  vocabulary: VocabularyOptions;
}

export interface ShuffledSplits {
  /** The seeded order of the samples; train, validation and test are consecutive ranges of it. */
  order: Int32Array;
  counts: SplitCounts;
  /** Built from the training split's tokens only. */
  vocabulary: Vocabulary;
  /** Provisional token id → id in `vocabulary`. */
  finalIds: Int32Array;
}

/** What a data set of labelled samples is once read, whatever holds its examples (memory or the disk cache). */
export interface LabelledSamplesPlan {
  vocabulary: Vocabulary;
  /** Classes or tags, in their final order. */
  labels: string[];
  maxLength: number;
  counts: SplitCounts;
}

/** After the pass over the file: at least two samples, shuffled with the seed, split, the training vocabulary. */
export function shuffledSplits(samples: RaggedSequences, interner: TokenInterner, options: ShuffledSplitOptions): ShuffledSplits {
  const count = samples.count;
  if (count < 2) throw new DataError(options.file, 1, 1, `need at least 2 ${options.samplesNoun}, found ${count}`);
  const order = seededPermutation(count, options.seed);
  const counts = splitCounts(count, options.split, options.splitNoun);
  const vocabulary = interner.vocabulary((visit) => {
    for (let k = 0; k < counts.train; k++) samples.forEach(order[k], visit);
  }, options.vocabulary);
  return { order, counts, vocabulary, finalIds: interner.finalIdMap(vocabulary) };
}
