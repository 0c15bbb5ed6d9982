/**
 * Running a trained model on new inputs given as JSON (`seqlab predict`):
 *   forecast/regress: each input is [T][I] numbers (or [T] for one feature) in ORIGINAL units; the output is the
 *                     prediction in original units (forecasts are normalised and denormalised with the training
 *                     split's z-score); regress-per-step: the same inputs, and the output is one row of K
 *                     values per input step, in original units;
 *   classify: text → { label, confidence, probabilities };   tag: text (or a token array) → { tokens, tags };
 *   seq2seq: text → output text (decoding per the spec);      generate: a prompt (or "") → continuation.
 * Inputs are packed into batches of up to `batchSize` (default 1), sorted by length so a batch holds sequences of
 * similar lengths; the recurrent layers run them packed, so each result equals the input run alone (to float32
 * rounding). Where padding would change a result — `packed: false`, the `last` readout, beam search without a
 * `maxLength` — a batch holds inputs of one length only. Generators sample one prompt at a time.
 * `raw`: the model's outputs themselves — classify: logits [C]; tag: { tokens, logits [T][C] }; forecast/regress
 * ([O]) and regress-per-step ([T][K]): the outputs in the model's (normalised) units, before denormalisation.
 */
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../modelSpec/types';
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

export interface PredictOptions {
  /** Inputs per forward pass (default 1). */
  batchSize?: number;
  /** The model's outputs instead of labels, tags or denormalised values (not for seq2seq and generate). */
  raw?: boolean;
}

/** An input that could not be used, with its position in the list (the CLI turns it into file:line:col). */
export class PredictInputError extends Error {
  constructor(readonly index: number, message: string) {
    super(message);
  }
}

/** The tasks whose outputs `raw` can show (the decoding tasks output token sequences, not one tensor). */
export const RAW_OUTPUT_TASKS: readonly string[] = ['forecast', 'regress', 'regress-per-step', 'classify', 'tag'];

/** One input made ready for the model: its encoded steps, and what reading its output needs. */
interface EncodedInput {
  length: number;
  inputs?: Float32Array; //  series: [T,I], normalised as in training
  anchors?: Float32Array; // forecast with normalize 'last-value': [K] the last observed values
  ids?: Int32Array; //       tokens: [T]
  tokens?: string[]; //      tag: the tokens the tags belong to
}

export function predictOne(model: SequenceModel, spec: SeqModelSpec, info: DataInfo, input: unknown, rng: Rng, options: PredictOptions = {}): unknown {
  try {
    return predictMany(model, spec, info, [input], rng, options)[0];
  } catch (error) {
    throw error instanceof PredictInputError ? new Error(error.message) : error;
  }
}

/** Outputs for every input, in input order. A bad input throws PredictInputError naming its index. */
export function predictMany(model: SequenceModel, spec: SeqModelSpec, info: DataInfo, inputs: readonly unknown[], rng: Rng, options: PredictOptions = {}): unknown[] {
  model.setTraining(false);
  const task = spec.task.type;
  if (options.raw && !RAW_OUTPUT_TASKS.includes(task)) throw new Error(`predict: --raw shows the outputs of ${RAW_OUTPUT_TASKS.join(', ')} models; a ${task} model outputs decoded tokens`);
  const results: unknown[] = new Array(inputs.length);
  if (task === 'generate') {
    // Sampling draws from one generator in input order, so prompts run one at a time.
    const vocabulary = info.vocabulary!;
    inputs.forEach((input, i) => {
      const tokens = Array.isArray(input) ? input.map(String) : tokenize(String(input ?? ''), tokenizerOf(spec, info));
      const ids = sampleSequence(model, spec.training.decoding?.maxLength ?? 200, spec.training.decoding?.temperature ?? 0.8, rng, vocabulary.encode(tokens));
      results[i] = detokenize(vocabulary.decode(ids));
    });
    return results;
  }
  const encoded = inputs.map((input, i) => {
    try {
      return encodeInput(spec, info, input);
    } catch (error) {
      throw new PredictInputError(i, (error as Error).message);
    }
  });
  for (const chunk of batchesOf(encoded, Math.max(1, Math.floor(options.batchSize ?? 1)), mayMixLengths(spec))) {
    const outputs = runBatch(model, spec, info, chunk.map((i) => encoded[i]), options.raw === true);
    chunk.forEach((i, b) => (results[i] = outputs[b]));
  }
  return results;
}

function encodeInput(spec: SeqModelSpec, info: DataInfo, input: unknown): EncodedInput {
  if (info.kind === 'series') {
    const rows = (Array.isArray(input) ? input : []).map((row) => (Array.isArray(row) ? row.map(Number) : [Number(row)]));
    const I = info.inputSize;
    if (rows.length === 0 || rows.some((r) => r.length !== I)) throw new Error(`predict: each input must be a list of time steps with ${I} number(s) each`);
    if (rows.some((r) => r.some((v) => !Number.isFinite(v)))) throw new Error('predict: every value of a series input must be a finite number');
    // z-scored with the training statistics, column by column
    return { length: rows.length, inputs: encodeSeries(info, rows), anchors: seriesAnchors(info, rows) };
  }
  const tokens = Array.isArray(input) ? input.map(String) : tokenize(String(input ?? ''), tokenizerOf(spec, info));
  if (tokens.length === 0) throw new Error('predict: an input has no tokens');
  return { length: tokens.length, ids: Int32Array.from(info.vocabulary!.encode(tokens)), tokens };
}

/**
 * Whether one batch may hold inputs of different lengths without changing any result: not when padding is run
 * (`packed: false`), read (`readout: "last"` of a many-to-one task) or changes the search (beam search whose
 * length limit follows each input).
 */
function mayMixLengths(spec: SeqModelSpec): boolean {
  const manyToOne = spec.task.type === 'forecast' || spec.task.type === 'regress' || spec.task.type === 'classify';
  if (spec.model.encoder.packed === false) return false;
  if (manyToOne && spec.model.readout === 'last') return false;
  const decoding = spec.training.decoding;
  return !(spec.task.type === 'seq2seq' && decoding?.strategy === 'beam' && decoding.maxLength === undefined);
}

/** Input indices in batches of up to `size`, shortest first (stable), so a batch pads little. */
function batchesOf(encoded: readonly EncodedInput[], size: number, mixLengths: boolean): number[][] {
  const order = encoded.map((_, i) => i).sort((a, b) => encoded[a].length - encoded[b].length || a - b);
  const chunks: number[][] = [];
  for (const i of order) {
    const current = chunks.at(-1);
    const fits = current && current.length < size && (mixLengths || encoded[current[0]].length === encoded[i].length);
    if (fits) current.push(i);
    else chunks.push([i]);
  }
  return chunks;
}

/** One padded batch through the model; an output per input, in the batch's order. */
function runBatch(model: SequenceModel, spec: SeqModelSpec, info: DataInfo, items: readonly EncodedInput[], raw: boolean): unknown[] {
  const B = items.length;
  const T = Math.max(...items.map((item) => item.length));
  const batch: Batch = { size: B, steps: T, lengths: Int32Array.from(items, (item) => item.length), indices: Int32Array.from(items, (_, b) => b) };
  if (info.kind === 'series') {
    const I = info.inputSize;
    batch.inputs = new Float32Array(B * T * I); // zero padding past each length
    items.forEach((item, b) => batch.inputs!.set(item.inputs!, b * T * I));
  } else {
    batch.inputIds = new Int32Array(B * T); // <pad> = 0 past each length
    items.forEach((item, b) => batch.inputIds!.set(item.ids!, b * T));
  }
  const task = spec.task.type;
  if (task === 'seq2seq') {
    // Greedy decoding of one row does not depend on the others, so the batch runs to the longest limit and each
    // output is cut to its own (the one it would have alone).
    const limitOf = (item: EncodedInput) => spec.training.decoding?.maxLength ?? 2 * item.length + 10;
    const decoded = decodeBatch(model, batch, { ...spec.training.decoding, maxLength: Math.max(...items.map(limitOf)) }, 0);
    return decoded.map((ids, b) => detokenize(info.targetVocabulary!.decode(ids.slice(0, limitOf(items[b])).filter((id) => id !== BOS_ID && id !== EOS_ID))));
  }
  const out = model.forward(batch).data;
  const C = info.outputSize;
  const label = (c: number) => info.labels?.[c] ?? String(c);
  return items.map((item, b) => {
    if (task === 'regress-per-step') {
      const values = out.slice(b * T * C, (b * T + item.length) * C); // [length,K]
      if (!raw) info.denormalizeTargets(values);
      return Array.from({ length: item.length }, (_, t) => [...values.subarray(t * C, (t + 1) * C)]);
    }
    if (info.kind === 'series') {
      const values = out.slice(b * C, (b + 1) * C);
      if (!raw) info.denormalizeTargets(values, item.anchors);
      return [...values];
    }
    if (task === 'classify') {
      if (raw) return [...out.subarray(b * C, (b + 1) * C)];
      const p = softmaxRow(out, b * C, C);
      const best = p.indexOf(Math.max(...p));
      return { label: label(best), confidence: p[best], probabilities: Object.fromEntries(p.map((v, c) => [label(c), v])) };
    }
    const rows = item.tokens!.map((_, t) => (b * T + t) * C);
    if (raw) return { tokens: item.tokens, logits: rows.map((row) => [...out.subarray(row, row + C)]) };
    return { tokens: item.tokens, tags: rows.map((row) => {
      const p = softmaxRow(out, row, C);
      return label(p.indexOf(Math.max(...p)));
    }) };
  });
}

function softmaxRow(values: Float32Array, offset: number, n: number): number[] {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, values[offset + i]);
  const e = Array.from({ length: n }, (_, i) => Math.exp(values[offset + i] - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
