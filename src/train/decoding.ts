/**
 * Turning a trained decoder into sequences: greedy and beam search for seq2seq, temperature sampling (or
 * greedy) for the generator. All of them run the decoder one step at a time, feeding each output back.
 */
import { Tensor, Rng } from '../tensor';
import type { Batch } from '../data/types';
import type { DecodingSpec } from '../modelSpec/types';
import { BOS_ID, EOS_ID, argmax, type SequenceModel } from './model';
import { heapZeros } from './heapTensors';

/** Greedy decoding of a seq2seq batch: token ids per example, without `<s>`, stopping at `</s>` (not included). */
export function greedyDecode(model: SequenceModel, batch: Batch, maxLength: number): number[][] {
  const B = batch.size;
  let { h, c } = model.encodeForDecoding(batch);
  const ids = new Int32Array(B).fill(BOS_ID);
  const out: number[][] = Array.from({ length: B }, () => []);
  const finished = new Uint8Array(B);
  const V = model.outputSize;
  for (let t = 0; t < maxLength && finished.some((f) => f === 0); t++) {
    const step = model.decoderStep(ids, h, c);
    h = step.h;
    c = step.c;
    for (let b = 0; b < B; b++) {
      const next = argmax(step.logits.data, b * V, V);
      ids[b] = next;
      if (finished[b]) continue;
      if (next === EOS_ID) finished[b] = 1;
      else out[b].push(next);
    }
  }
  return out;
}

/**
 * Beam search for one example at a time (the hypotheses of one example form the decoder's batch). Scores are
 * summed log-probabilities; a finished hypothesis competes with its score divided by its length (length
 * normalisation, so short outputs are not favoured just for having fewer terms).
 */
export function beamDecode(model: SequenceModel, batch: Batch, beamWidth: number, maxLength: number): number[][] {
  const B = batch.size;
  const start = model.encodeForDecoding(batch);
  const [L, , H] = start.h.shape;
  // c_t is hiddenSize wide, h_t projSize wide when the LSTM projects.
  const Hc = start.c?.shape[2] ?? H;
  const V = model.outputSize;
  const results: number[][] = [];
  for (let b = 0; b < B; b++) {
    let beams: { tokens: number[]; score: number }[] = [{ tokens: [], score: 0 }];
    let h = selectRows(start.h, [b], L, H);
    let c = start.c ? selectRows(start.c, [b], L, Hc) : undefined;
    const finished: { tokens: number[]; score: number }[] = [];
    for (let t = 0; t < maxLength && beams.length > 0; t++) {
      const ids = Int32Array.from(beams.map((beam) => (beam.tokens.length ? beam.tokens[beam.tokens.length - 1] : BOS_ID)));
      const step = model.decoderStep(ids, h, c);
      const candidates: { tokens: number[]; score: number; from: number }[] = [];
      for (let k = 0; k < beams.length; k++) {
        const logProbabilities = logSoftmaxRow(step.logits.data, k * V, V);
        for (let v = 0; v < V; v++) candidates.push({ tokens: [...beams[k].tokens, v], score: beams[k].score + logProbabilities[v], from: k });
      }
      candidates.sort((x, y) => y.score - x.score);
      const kept: typeof candidates = [];
      for (const candidate of candidates) {
        if (candidate.tokens[candidate.tokens.length - 1] === EOS_ID) finished.push({ tokens: candidate.tokens.slice(0, -1), score: candidate.score / candidate.tokens.length });
        else kept.push(candidate);
        if (kept.length >= beamWidth) break;
      }
      if (finished.length >= beamWidth) break;
      beams = kept.map(({ tokens, score }) => ({ tokens, score }));
      const rows = kept.map((k) => k.from);
      h = selectRows(step.h, rows, L, H);
      c = step.c ? selectRows(step.c, rows, L, Hc) : undefined;
    }
    for (const beam of beams) finished.push({ tokens: beam.tokens, score: beam.score / Math.max(1, beam.tokens.length) });
    finished.sort((x, y) => y.score - x.score);
    results.push(finished[0]?.tokens ?? []);
  }
  return results;
}

export function decodeBatch(model: SequenceModel, batch: Batch, decoding: DecodingSpec | undefined, defaultMaxLength: number): number[][] {
  const maxLength = decoding?.maxLength ?? defaultMaxLength;
  if (decoding?.strategy === 'beam') return beamDecode(model, batch, decoding.beamWidth ?? 4, maxLength);
  return greedyDecode(model, batch, maxLength);
}

/**
 * Sample `length` tokens from the generator, starting from `<s>` and its initial state. temperature 0 is greedy;
 * otherwise p ∝ exp(logit / temperature).
 */
export function sampleSequence(model: SequenceModel, length: number, temperature: number, rng: Rng, prefix: readonly number[] = []): number[] {
  const start = model.generatorStart(1);
  let h = start.h;
  let c = start.c;
  const V = model.outputSize;
  const out: number[] = [];
  const ids = new Int32Array(1).fill(BOS_ID);
  const feed = [...prefix];
  for (let t = 0; t < length + prefix.length; t++) {
    const step = model.generatorStep(ids, h, c);
    h = step.h;
    c = step.c;
    let next: number;
    if (feed.length > 0) next = feed.shift()!;
    else {
      next = temperature <= 0 ? argmax(step.logits.data, 0, V) : sampleFromLogits(step.logits.data, 0, V, temperature, rng);
      out.push(next);
    }
    if (next === EOS_ID) break;
    ids[0] = next;
  }
  return out;
}

export function sampleFromLogits(logits: ArrayLike<number>, offset: number, n: number, temperature: number, rng: Rng): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[offset + i] / temperature);
  const weights = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i] = Math.exp(logits[offset + i] / temperature - max);
  let u = rng.next() * sum;
  for (let i = 0; i < n; i++) {
    u -= weights[i];
    if (u <= 0) return i;
  }
  return n - 1;
}

function logSoftmaxRow(values: Float32Array, offset: number, n: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, values[offset + i]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(values[offset + i] - max);
  const logSum = max + Math.log(sum);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[offset + i] - logSum;
  return out;
}

/** Rows `rows` of the batch axis of a [L,B,H] state → [L,rows.length,H]. */
function selectRows(state: Tensor, rows: readonly number[], L: number, H: number): Tensor {
  const B = state.shape[1];
  const out = heapZeros([L, rows.length, H]);
  for (let l = 0; l < L; l++) rows.forEach((r, i) => out.data.set(state.data.subarray((l * B + r) * H, (l * B + r + 1) * H), (l * rows.length + i) * H));
  return out;
}
