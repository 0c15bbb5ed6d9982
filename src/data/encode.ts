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
 * training statistics when the data has a normaliser — or, for `relativeToLastValue` data, taken relative to the
 * last row and scaled, as the training windows were (then `seriesAnchors` gives what to add back to the outputs).
 */
export function encodeSeries(info: DataInfo, rows: readonly (readonly number[])[]): Float32Array {
  if (info.kind !== 'series') throw new Error(`encodeSeries: the ${info.task} data reads tokens, not series`);
  const I = info.inputSize;
  const out = new Float32Array(rows.length * I);
  rows.forEach((row, t) => {
    if (row.length !== I) throw new Error(`encodeSeries: step ${t} has ${row.length} values, expected ${I} (${info.inputColumns?.join(', ') ?? 'features'})`);
  });
  // Rounded to float32 first, as the training table holds them, so a window from the data file encodes identically.
  const last = rows.at(-1)?.map(Math.fround);
  rows.forEach((row, t) => {
    for (let i = 0; i < I; i++) {
      const column = info.normalizer && info.inputColumns && info.normalizerColumns ? info.normalizerColumns.indexOf(info.inputColumns[i]) : -1;
      if (column < 0) out[t * I + i] = row[i];
      else if (info.relativeToLastValue) out[t * I + i] = (Math.fround(row[i]) - last![i]) * (1 / info.normalizer!.std[column]);
      else out[t * I + i] = info.normalizer!.normalize(Math.fround(row[i]), column);
    }
  });
  return out;
}

/** [K] the last row's target values, for `denormalizeTargets` of `relativeToLastValue` data (undefined otherwise). */
export function seriesAnchors(info: DataInfo, rows: readonly (readonly number[])[]): Float32Array | undefined {
  if (!info.relativeToLastValue) return undefined;
  const last = rows.at(-1)!;
  return Float32Array.from(info.targetColumns!, (name) => last[info.inputColumns!.indexOf(name)]);
}
