/**
 * Turning new raw inputs into model inputs the way the training data was prepared (for `seqlab predict` and
 * the extension): the same tokeniser and vocabulary, or the same z-score.
 */
import type { DataInfo } from './types';
import { tokenize } from './tokenize';

/** [T] input ids for a text, through the data's tokeniser and vocabulary (unknown tokens become `<unk>`). */
export function encodeText(info: DataInfo, text: string): Int32Array {
  if (info.kind !== 'tokens' || !info.vocabulary || !info.tokenizer) {
    throw new Error(`encodeText: the ${info.task} data reads real-valued series, not text`);
  }
  const { kind, lowercase, maxLength } = info.tokenizer;
  return Int32Array.from(info.vocabulary.encode(tokenize(text, { tokenizer: kind, lowercase, maxLength })));
}

/**
 * [T,I] model inputs from rows of raw values in the input columns' original units ([T][I]), z-scored with the
 * training statistics when the data has a normaliser.
 */
export function encodeSeries(info: DataInfo, rows: readonly (readonly number[])[]): Float32Array {
  if (info.kind !== 'series') throw new Error(`encodeSeries: the ${info.task} data reads tokens, not series`);
  const I = info.inputSize;
  const out = new Float32Array(rows.length * I);
  rows.forEach((row, t) => {
    if (row.length !== I) throw new Error(`encodeSeries: step ${t} has ${row.length} values, expected ${I} (${info.inputColumns?.join(', ') ?? 'features'})`);
    for (let i = 0; i < I; i++) {
      const column = info.normalizer && info.inputColumns && info.normalizerColumns ? info.normalizerColumns.indexOf(info.inputColumns[i]) : -1;
      out[t * I + i] = column >= 0 ? info.normalizer!.normalize(row[i], column) : row[i];
    }
  });
  return out;
}
