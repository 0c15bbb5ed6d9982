/**
 * Plain text (language modelling) through the disk cache. The text is tokenised once into provisional ids on
 * disk (16 bits each, widened to 32 only if the text has more distinct tokens), the vocabulary is counted over the
 * training part read back in chunks, and the final ids are written in the narrowest type it allows (`ids.bin`):
 * the same ids as in memory, without an array as long as the text. A window is one positional read of W ids
 * (`DiskWindowStore`).
 */
import { idArrayFor, type IdArray } from '../batching';
import { forEachTokenId, planPlainText, plainTextData, TokenWindowStore } from '../plainText';
import type { PlainTextData } from '../../modelSpec/types';
import { splitCounts } from '../splits';
import { TokenInterner } from '../tokenStream';
import type { DataFile, PreparedData } from '../types';
import { DiskWindowStore } from './diskWindows';
import { Vocabulary } from '../vocabulary';
import { BufferedWriter, bytesOf, dtypeOf, forEachStoredChunk, storedArray, type StoredDtype } from './cacheIo';
import { ProvisionalIdFile } from './provisionalIds';
import type { CachedArray, CacheHostIo } from './cacheFolder';
import type { CachedLoader } from './dataCache';

export const TEXT_IDS_FILE = 'ids.bin';

export interface TextCachePayload {
  vocabulary: string[];
  tokenCount: number;
  dtype: StoredDtype;
}

const BUFFER_IDS = 1 << 20;

export function buildTextCache(io: CacheHostIo, folder: string, chunks: Iterable<string>, data: PlainTextData, file: string): { files: Record<string, CachedArray>; payload: TextCachePayload } {
  const { tokenizer, lowercase } = planPlainText(data, file);
  const interner = new TokenInterner();
  const provisional = new ProvisionalIdFile(io, folder);
  try {
    forEachTokenId(chunks, tokenizer, lowercase, interner, (id) => provisional.push(id));
  } finally {
    provisional.close();
  }
  const count = provisional.count;
  const counts = splitCounts(count, data.split, 'tokens');
  const provisionalFile = io.openFile!(provisional.path);
  try {
    const eachId = (end: number, visit: (id: number) => void) =>
      forEachStoredChunk(provisionalFile, provisional.dtype, 0, end, provisional.path, (ids) => {
        for (let i = 0; i < ids.length; i++) visit(ids[i]);
      });
    const vocabulary = interner.vocabulary((visit) => eachId(counts.train, visit), { minFrequency: data.minFrequency, maxSize: data.maxVocab });
    const finalId = interner.finalIdMap(vocabulary);
    const buffer = idArrayFor(vocabulary.size - 1, BUFFER_IDS);
    const out = new BufferedWriter(io.cache.createFile(`${folder}/${TEXT_IDS_FILE}`), buffer);
    eachId(count, (id) => out.push(finalId[id]));
    out.close();
    const dtype = dtypeOf(buffer);
    return {
      files: { [TEXT_IDS_FILE]: { dtype, shape: [count], bytes: count * buffer.BYTES_PER_ELEMENT } },
      payload: { vocabulary: [...vocabulary.tokens], tokenCount: count, dtype },
    };
  } finally {
    provisionalFile.close();
    io.cache.remove(provisional.path);
  }
}

export function openTextCache(io: CacheHostIo, folder: string, payload: TextCachePayload, data: PlainTextData, file: string): PreparedData {
  const path = `${folder}/${TEXT_IDS_FILE}`;
  const ids = io.openFile!(path);
  const vocabulary = Vocabulary.fromJSON({ tokens: payload.vocabulary });
  return plainTextData(data, file, vocabulary, payload.tokenCount, (start, length, stride) => diskTokenWindows(ids, path, payload.dtype, start, length, data.window, stride));
}

/** `TokenWindowStore`'s windows with the ids on disk: window i is ids [start+i·stride, +W) of `ids.bin`. */
export function diskTokenWindows(file: DataFile, path: string, dtype: StoredDtype, start: number, length: number, W: number, stride: number): DiskWindowStore {
  const inMemory = (windows: number) => {
    const ids = storedArray(dtype, (windows - 1) * stride + W) as IdArray;
    return { bytes: bytesOf(ids), store: new TokenWindowStore(ids, 0, ids.length, W, stride) };
  };
  // As many windows as the in-memory store over the same range has.
  const count = new TokenWindowStore(storedArray(dtype, 0) as IdArray, start, length, W, stride).count;
  const size = storedArray(dtype, 0).BYTES_PER_ELEMENT;
  return new DiskWindowStore(file, path, inMemory, count, (i) => (start + i * stride) * size);
}

/** How `throughDataCache` builds and opens a text cache; `keyData`: the spec's `data` section. */
export function textCacheLoader(chunks: Iterable<string>, data: PlainTextData, file: string): CachedLoader<TextCachePayload> {
  return {
    kind: 'tokens',
    keyData: { data },
    build: (io, folder) => buildTextCache(io, folder, chunks, data, file),
    open: (io, folder, payload) => openTextCache(io, folder, payload, data, file),
  };
}
