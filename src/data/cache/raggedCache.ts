/**
 * Ragged data through the disk cache: text classification, CoNLL tagging, seq2seq pairs. The loader's own pass
 * stages provisional ids on disk (`DiskRaggedIds`), the seeded split and the training vocabulary come from the
 * loader's own code, then every sequence is written once in split order through the vocabulary: the arrays of the
 * in-memory `PackedStore`s, end to end (`ids.bin` + `offsets.f64`; `labels.bin`, `tags.bin` or `target-ids.bin` +
 * `target-offsets.f64`), in the narrowest id type. The header keeps the vocabularies, labels and split counts.
 * Training reads an example with two positional reads per column, its offsets and its ids (`DiskPackedStore`);
 * what stays in memory is a byte or two an example: the lengths (from one pass over the offsets when the cache is
 * opened, in the narrowest type) and the class ids.
 */
import { idArrayFor, type IdArray } from '../batching';
import { conllData, readTaggedSentences, taggedSentenceSplits, type ConllOptions } from '../conll';
import type { LabelledSamplesPlan } from '../labelledSamples';
import { pairsData, planPairs, readPairs, type PairsOptions } from '../pairs';
import type { ConllData, PairsData, TextClassificationData } from '../../modelSpec/types';
import type { SplitCounts } from '../splits';
import { classesInOrder, labelledTextSplits, readLabelledTexts, textClassificationData, type TextClassificationOptions } from '../textClassification';
import type { DataFile, PreparedData } from '../types';
import { EOS_ID, Vocabulary } from '../vocabulary';
import { BufferedWriter, bytesOf, dtypeOf, forEachStoredChunk, readStoredArray, type StoredDtype } from './cacheIo';
import type { CachedArray, CacheHostIo } from './cacheFolder';
import type { CachedLoader } from './dataCache';
import { DiskPackedStore, type DiskIdColumn } from './diskWindows';
import { DiskRaggedIds } from './provisionalIds';

export const IDS_FILE = 'ids.bin';
export const OFFSETS_FILE = 'offsets.f64';
export const LABELS_FILE = 'labels.bin';
export const TAGS_FILE = 'tags.bin';
export const TARGET_IDS_FILE = 'target-ids.bin';
export const TARGET_OFFSETS_FILE = 'target-offsets.f64';

export interface RaggedCachePayload {
  /** Examples of every split, in split order (train, validation, test). */
  counts: SplitCounts;
  vocabulary: string[];
  /** seq2seq without a shared vocabulary. */
  targetVocabulary?: string[];
  /** Classes or tags. */
  labels?: string[];
  maxLength: number;
  /** The element type of each id file. */
  dtypes: Record<string, StoredDtype>;
}

type Built = { files: Record<string, CachedArray>; payload: RaggedCachePayload };

const BUFFER_IDS = 1 << 20;

/** The files of one cache being built, and their header entries. */
class RaggedFiles {
  readonly files: Record<string, CachedArray> = {};
  readonly dtypes: Record<string, StoredDtype> = {};

  constructor(private readonly io: CacheHostIo, private readonly folder: string) {}

  /**
   * Writes `sequences` in split order through `map` into `idsName` (ids up to `maxId`, narrowest type), with
   * their offsets into `offsetsName` unless they share another column's.
   */
  column(sequences: DiskRaggedIds, order: Int32Array, maxId: number, map: Int32Array, idsName: string, offsetsName?: string, suffix?: number): void {
    const count = order.length;
    const buffer = idArrayFor(maxId, BUFFER_IDS);
    const ids = new BufferedWriter(this.io.cache.createFile(`${this.folder}/${idsName}`), buffer);
    const offsets = offsetsName ? new BufferedWriter(this.io.cache.createFile(`${this.folder}/${offsetsName}`), new Float64Array(1 << 16)) : undefined;
    let written: number;
    try {
      written = sequences.writeGathered(order, count, map, ids, offsets, suffix);
    } finally {
      ids.close();
      offsets?.close();
    }
    this.add(idsName, buffer, written);
    if (offsetsName) this.files[offsetsName] = { dtype: 'float64', shape: [count + 1], bytes: (count + 1) * 8 };
  }

  /** Writes one value per example (class ids). */
  values(name: string, values: IdArray): void {
    const out = this.io.cache.createFile(`${this.folder}/${name}`);
    out.write(bytesOf(values));
    out.close();
    this.add(name, values, values.length);
  }

  private add(name: string, like: IdArray, length: number): void {
    const dtype = dtypeOf(like);
    this.dtypes[name] = dtype;
    this.files[name] = { dtype, shape: [length], bytes: length * like.BYTES_PER_ELEMENT };
  }
}

/** Staged sequences for one build, deleted whatever happens. */
function withStaged<T>(io: CacheHostIo, folder: string, names: string[], build: (...sequences: DiskRaggedIds[]) => T): T {
  const staged = names.map((name) => new DiskRaggedIds(io, folder, name));
  try {
    return build(...staged);
  } finally {
    staged.forEach((sequences) => sequences.dispose());
  }
}

export function buildLabelledTextsCache(io: CacheHostIo, folder: string, chunks: Iterable<string>, data: TextClassificationData, options: TextClassificationOptions): Built {
  return withStaged(io, folder, ['provisional-texts'], (texts) => {
    const read = readLabelledTexts(chunks, data, options, texts);
    texts.finish();
    const { order, counts, vocabulary, finalIds } = labelledTextSplits(texts, read, data, options);
    const out = new RaggedFiles(io, folder);
    out.column(texts, order, vocabulary.size - 1, finalIds, IDS_FILE, OFFSETS_FILE);
    out.values(LABELS_FILE, classesInOrder(read, order, 0, order.length));
    return { files: out.files, payload: { counts, vocabulary: [...vocabulary.tokens], labels: read.labels, maxLength: read.maxLength, dtypes: out.dtypes } };
  });
}

export function buildTaggedSentencesCache(io: CacheHostIo, folder: string, chunks: Iterable<string>, data: ConllData, options: ConllOptions): Built {
  return withStaged(io, folder, ['provisional-tokens', 'provisional-tags'], (tokens, tags) => {
    const read = readTaggedSentences(chunks, data, options, tokens, tags);
    tokens.finish();
    tags.finish();
    const { order, counts, vocabulary, finalIds } = taggedSentenceSplits(tokens, read, data, options);
    const out = new RaggedFiles(io, folder);
    out.column(tokens, order, vocabulary.size - 1, finalIds, IDS_FILE, OFFSETS_FILE);
    out.column(tags, order, read.labels.length - 1, read.tagId, TAGS_FILE); // a tag per token: the tokens' offsets
    return { files: out.files, payload: { counts, vocabulary: [...vocabulary.tokens], labels: read.labels, maxLength: read.maxLength, dtypes: out.dtypes } };
  });
}

export function buildPairsCache(io: CacheHostIo, folder: string, chunks: Iterable<string>, data: PairsData, options: PairsOptions): Built {
  return withStaged(io, folder, ['provisional-sources', 'provisional-targets'], (sources, targets) => {
    const { interner, maxLength } = readPairs(chunks, data, options, sources, targets);
    sources.finish();
    targets.finish();
    const plan = planPairs(interner, sources, targets, data, options.seed);
    const out = new RaggedFiles(io, folder);
    out.column(sources, plan.order, plan.sourceVocabulary.size - 1, plan.sourceIds, IDS_FILE, OFFSETS_FILE);
    out.column(targets, plan.order, plan.targetVocabulary.size - 1, plan.targetIds, TARGET_IDS_FILE, TARGET_OFFSETS_FILE, EOS_ID); // y1 … yn </s>
    const shared = plan.targetVocabulary === plan.sourceVocabulary;
    return {
      files: out.files,
      payload: { counts: plan.counts, vocabulary: [...plan.sourceVocabulary.tokens], targetVocabulary: shared ? undefined : [...plan.targetVocabulary.tokens], maxLength, dtypes: out.dtypes },
    };
  });
}

/** The open files of a built ragged cache, and a column's examples [start, end) of the split order. */
class RaggedColumns {
  private readonly count: number;
  /** Offsets files, open, with every example's length: tags share the tokens' (read once). */
  private readonly offsets = new Map<string, { file: DataFile; lengths: IdArray }>();

  constructor(private readonly io: CacheHostIo, private readonly folder: string, private readonly payload: RaggedCachePayload) {
    const { train, validation, test } = payload.counts;
    this.count = train + validation + test;
  }

  /** An id column: its ids and offsets files open for positional reads, its lengths (all splits) in memory. */
  ids(idsName: string, offsetsName: string): (start: number, end: number) => DiskIdColumn {
    const path = `${this.folder}/${idsName}`;
    const file = this.io.openFile!(path);
    const offsetsPath = `${this.folder}/${offsetsName}`;
    let offsets = this.offsets.get(offsetsName);
    if (!offsets) {
      const offsetsFile = this.io.openFile!(offsetsPath);
      this.offsets.set(offsetsName, (offsets = { file: offsetsFile, lengths: lengthsOf(offsetsFile, this.count, offsetsPath) }));
    }
    const { file: offsetsFile, lengths } = offsets;
    const dtype = this.payload.dtypes[idsName];
    return (start, end) => ({ file, path, dtype, offsetsFile, offsetsPath, first: start, lengths: lengths.subarray(start, end) });
  }

  /** A file of one value per example, read whole. */
  whole(name: string, dtype = this.payload.dtypes[name], length = this.count): ReturnType<typeof readStoredArray> {
    const path = `${this.folder}/${name}`;
    const file: DataFile = this.io.openFile!(path);
    try {
      return readStoredArray(file, dtype, length, path);
    } finally {
      file.close();
    }
  }
}

/**
 * Each example's length from an offsets file of `count` examples, read in chunks, in the narrowest array its
 * longest allows: two passes (the longest, then the lengths), so nothing per example is held beyond the result.
 */
function lengthsOf(file: DataFile, count: number, path: string): IdArray {
  const eachLength = (visit: (example: number, length: number) => void) => {
    let example = -1;
    let previous = 0;
    forEachStoredChunk(file, 'float64', 0, count + 1, path, (offsets) => {
      for (let k = 0; k < offsets.length; k++, example++) {
        if (example >= 0) visit(example, offsets[k] - previous);
        previous = offsets[k];
      }
    });
  };
  let longest = 0;
  eachLength((_, length) => {
    if (length > longest) longest = length;
  });
  const lengths = idArrayFor(longest, count);
  eachLength((example, length) => {
    lengths[example] = length;
  });
  return lengths;
}

function plan(payload: RaggedCachePayload): LabelledSamplesPlan {
  return { counts: payload.counts, vocabulary: Vocabulary.fromJSON({ tokens: payload.vocabulary }), labels: payload.labels ?? [], maxLength: payload.maxLength };
}

export function openLabelledTextsCache(io: CacheHostIo, folder: string, payload: RaggedCachePayload, data: TextClassificationData): PreparedData {
  const columns = new RaggedColumns(io, folder, payload);
  const texts = columns.ids(IDS_FILE, OFFSETS_FILE);
  const classes = columns.whole(LABELS_FILE) as IdArray;
  return textClassificationData(data, plan(payload), (start, end) => new DiskPackedStore(end - start, texts(start, end), { classes: classes.subarray(start, end) }));
}

export function openTaggedSentencesCache(io: CacheHostIo, folder: string, payload: RaggedCachePayload, data: ConllData): PreparedData {
  const columns = new RaggedColumns(io, folder, payload);
  const tokens = columns.ids(IDS_FILE, OFFSETS_FILE);
  const tags = columns.ids(TAGS_FILE, OFFSETS_FILE);
  return conllData(data, plan(payload), (start, end) => new DiskPackedStore(end - start, tokens(start, end), { ids: tags(start, end) }));
}

export function openPairsCache(io: CacheHostIo, folder: string, payload: RaggedCachePayload, data: PairsData): PreparedData {
  const columns = new RaggedColumns(io, folder, payload);
  const sources = columns.ids(IDS_FILE, OFFSETS_FILE);
  const targets = columns.ids(TARGET_IDS_FILE, TARGET_OFFSETS_FILE);
  const { vocabulary: sourceVocabulary } = plan(payload);
  const targetVocabulary = payload.targetVocabulary ? Vocabulary.fromJSON({ tokens: payload.targetVocabulary }) : sourceVocabulary;
  return pairsData(data, { counts: payload.counts, sourceVocabulary, targetVocabulary, maxLength: payload.maxLength }, (start, end) =>
    new DiskPackedStore(end - start, sources(start, end), { ids: targets(start, end), decoderInputs: true }),
  );
}

/** How one kind of ragged data is built into the cache and opened from it. */
interface RaggedKind<D, O> {
  build(io: CacheHostIo, folder: string, chunks: Iterable<string>, data: D, options: O): Built;
  open(io: CacheHostIo, folder: string, payload: RaggedCachePayload, data: D): PreparedData;
}

/** Each kind's spec `data` section and loader options. */
interface RaggedInputs {
  'labelled-texts': [TextClassificationData, TextClassificationOptions];
  'tagged-sentences': [ConllData, ConllOptions];
  pairs: [PairsData, PairsOptions];
}

const RAGGED_KINDS: { [K in keyof RaggedInputs]: RaggedKind<RaggedInputs[K][0], RaggedInputs[K][1]> } = {
  'labelled-texts': { build: buildLabelledTextsCache, open: openLabelledTextsCache },
  'tagged-sentences': { build: buildTaggedSentencesCache, open: openTaggedSentencesCache },
  pairs: { build: buildPairsCache, open: openPairsCache },
};

/**
 * How `throughDataCache` builds and opens the cache of a ragged data file of `kind`; the key adds the split seed and
 * the spec's labels (classes, tags) when there are any.
 */
export function raggedCacheLoader<K extends keyof RaggedInputs>(kind: K, chunks: Iterable<string>, data: RaggedInputs[K][0], options: RaggedInputs[K][1]): CachedLoader<RaggedCachePayload> {
  const { build, open }: RaggedKind<RaggedInputs[K][0], RaggedInputs[K][1]> = RAGGED_KINDS[kind];
  const { seed, labels }: { seed: number; labels?: string[] } = options;
  return {
    kind,
    keyData: { data, seed, labels }, // labels undefined (pairs): not in the key at all (canonicalJson)
    build: (io, folder) => build(io, folder, chunks, data, options),
    open: (io, folder, payload) => open(io, folder, payload, data),
  };
}
