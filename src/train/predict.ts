/**
 * Running a trained model on new inputs given as JSON (`seqlab predict`):
 *   forecast/regress: each input is [T][I] numbers (or [T] for one feature) in ORIGINAL units; the output is the
 *                     prediction in original units (forecasts are normalised and denormalised with the training
 *                     split's z-score);
 *   classify: text → { label, confidence, probabilities };   tag: text (or a token array) → { tokens, tags };
 *   seq2seq: text → output text (decoding per the spec);      generate: a prompt (or "") → continuation.
 * Each input runs as a batch of one, so lengths are exact and nothing is padded.
 */
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../spec/types';
import type { Batch, DataInfo } from '../data/types';
import { tokenize, type TokenizeOptions } from '../data/tokenize';
import { resolveTokenizer } from '../data/dataDefaults';
import { encodeSeries, seriesAnchors } from '../data/encode';
import { BOS_ID, EOS_ID } from '../data/vocabulary';
import type { SequenceModel } from './model';
import { decodeBatch, sampleSequence } from './decoding';
import { detokenize } from './trainer';

/**
 * How new text is tokenised: exactly as the loader tokenised the training data (`info.tokenizer`), else the
 * spec's settings with the shared defaults of src/data/dataDefaults.ts.
 */
function tokenizerOf(spec: SeqModelSpec, info: DataInfo): TokenizeOptions {
  const resolved = info.tokenizer ?? resolveTokenizer(spec.data) ?? { kind: 'word', lowercase: false };
  return { tokenizer: resolved.kind, lowercase: resolved.lowercase, maxLength: resolved.maxLength };
}

function emptyBatch(T: number): Batch {
  return { size: 1, steps: T, lengths: Int32Array.of(T), indices: Int32Array.of(0) };
}

export function predictOne(model: SequenceModel, spec: SeqModelSpec, info: DataInfo, input: unknown, rng: Rng): unknown {
  model.setTraining(false);
  const task = spec.task.type;
  if (info.kind === 'series') {
    const rows = (Array.isArray(input) ? input : []).map((row) => (Array.isArray(row) ? row.map(Number) : [Number(row)]));
    const I = info.inputSize;
    if (rows.length === 0 || rows.some((r) => r.length !== I)) throw new Error(`predict: each input must be a list of time steps with ${I} number(s) each`);
    if (rows.some((r) => r.some((v) => !Number.isFinite(v)))) throw new Error('predict: every value of a series input must be a finite number');
    const batch = emptyBatch(rows.length);
    batch.inputs = encodeSeries(info, rows); // z-scored with the training statistics, column by column
    const out = model.forward(batch).data.slice(0, info.outputSize);
    info.denormalizeTargets(out, seriesAnchors(info, rows));
    return [...out];
  }
  const vocabulary = info.vocabulary!;
  const options = tokenizerOf(spec, info);
  const tokens = Array.isArray(input) ? input.map(String) : tokenize(String(input ?? ''), options);
  if (task === 'generate') {
    const prefix = vocabulary.encode(tokens);
    const ids = sampleSequence(model, spec.training.decoding?.maxLength ?? 200, spec.training.decoding?.temperature ?? 0.8, rng, prefix);
    return detokenize(vocabulary.decode(ids));
  }
  if (tokens.length === 0) throw new Error('predict: an input has no tokens');
  const batch = emptyBatch(tokens.length);
  batch.inputIds = Int32Array.from(vocabulary.encode(tokens));
  if (task === 'seq2seq') {
    const ids = decodeBatch(model, batch, spec.training.decoding, 2 * tokens.length + 10)[0];
    return detokenize(info.targetVocabulary!.decode(ids.filter((id) => id !== BOS_ID && id !== EOS_ID)));
  }
  const logits = model.forward(batch).data;
  const C = info.outputSize;
  const label = (c: number) => info.labels?.[c] ?? String(c);
  if (task === 'classify') {
    const p = softmaxRow(logits, 0, C);
    const best = p.indexOf(Math.max(...p));
    return { label: label(best), confidence: p[best], probabilities: Object.fromEntries(p.map((v, c) => [label(c), v])) };
  }
  const tags = tokens.map((_, t) => {
    const p = softmaxRow(logits, t * C, C);
    return label(p.indexOf(Math.max(...p)));
  });
  return { tokens, tags };
}

function softmaxRow(values: Float32Array, offset: number, n: number): number[] {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, values[offset + i]);
  const e = Array.from({ length: n }, (_, i) => Math.exp(values[offset + i] - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
