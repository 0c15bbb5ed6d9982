/**
 * The network for every task, built from a spec and the data's sizes, with forward and backward written as a
 * chain of the layers' explicit passes (no autograd graph):
 *
 *   many-to-one  (forecast, regress, classify): embedding? → recurrent stack → readout (hN | last | mean) → head
 *   many-to-many (tag, regress-per-step):       embedding? → recurrent stack → per-step head
 *   generate (language model):                  embedding → recurrent stack (h0 zeros or learned) → per-step head
 *   seq2seq:                                    encoder stack → final state → decoder stack → per-step head
 *
 * The encoder starts from zeros, or (`initialState: 'learned'`, any task) from learned vectors broadcast over the batch.
 *
 * State-dict names follow the PyTorch module the exporter writes (`embedding.weight`, `encoder.weight_ih_l0`,
 * `head.output.weight`, …), so weights move between SeqLab and PyTorch without conversion.
 *
 * Shape letters: B batch, T input steps, T' target steps, I input features, E embedding, H hidden, D directions,
 * L layers, F readout features (D·H), C classes/outputs, V vocabulary.
 */
import { Tensor, Rng } from '../tensor';
import type { Module, NamedParameter } from '../nn/parameter';
import { Parameter, prefixed } from '../nn/parameter';
import { Linear } from '../nn/linear';
import { Embedding } from '../nn/embedding';
import { Dropout } from '../nn/dropout';
import type { SeqModelSpec, TaskType, RecurrentSpec } from '../modelSpec/types';
import type { Batch, DataInfo } from '../data/types';
import { BOS_ID, EOS_ID, PAD_ID } from '../data/vocabulary';
import { RecurrentStack } from './recurrentStack';
import { IGNORED_TARGET, TaskLoss, createTaskLoss } from './taskLoss';
import { heapCopy, heapZeros } from './heapTensors';
import { DetachedState } from '../nn/recurrent/truncatedBptt';
import { stateWidth } from '../modelSpec/shapes';

/** Options of one training step that the trainer decides (seeded) and the model obeys. */
export interface StepContext {
  /** seq2seq: probability of feeding the ground truth at each decoder step (1 = always). */
  teacherForcing: number;
  /** Coin flips for teacher forcing and any other per-step randomness. */
  rng: Rng;
}

export interface BatchEvaluation {
  /** Mean loss over the batch's loss terms, and how many terms (examples or real steps) it averaged. */
  loss: number;
  count: number;
  /** A copy of the model's outputs: [B,C] many-to-one, [B,T,C] per step (logits or regression values). */
  outputs: Float32Array;
}

/** A small MLP after the readout: hidden Linear layers with an activation, then Linear to the output size. */
class Head implements Module {
  readonly hidden: Linear[] = [];
  /** Dropout before each Linear (hidden ones and the output), as the shape table shows it. */
  readonly dropouts: Dropout[] = [];
  readonly output: Linear;
  private readonly relu: boolean;
  private activations: Tensor[] = []; // post-activation values, for the activation's backward
  constructor(inputSize: number, outputSize: number, readonly spec: SeqModelSpec['model']['head'], rng: Rng) {
    this.relu = (spec?.activation ?? 'relu') === 'relu';
    let width = inputSize;
    for (const h of spec?.hidden ?? []) {
      this.dropouts.push(new Dropout(spec?.dropout ?? 0, rng.fork()));
      this.hidden.push(new Linear(width, h, rng));
      width = h;
    }
    this.dropouts.push(new Dropout(spec?.dropout ?? 0, rng.fork()));
    this.output = new Linear(width, outputSize, rng);
  }
  namedParameters(): NamedParameter[] {
    const out: NamedParameter[] = [];
    this.hidden.forEach((l, k) => out.push(...prefixed(`head.hidden.${k}`, l.namedParameters())));
    out.push(...prefixed('head.output', this.output.namedParameters()));
    return out;
  }
  setTraining(training: boolean): void {
    for (const d of this.dropouts) d.setTraining(training);
  }
  forward(x: Tensor): Tensor {
    let current = x;
    this.activations = [];
    this.hidden.forEach((layer, k) => {
      const a = heapCopy(layer.forward(this.dropouts[k].forward(current)));
      if (this.relu) for (let i = 0; i < a.size; i++) a.data[i] = a.data[i] > 0 ? a.data[i] : 0;
      else for (let i = 0; i < a.size; i++) a.data[i] = Math.tanh(a.data[i]);
      this.activations.push(a);
      current = a;
    });
    return this.output.forward(this.dropouts[this.hidden.length].forward(current));
  }
  backward(dy: Tensor): Tensor {
    let d = heapCopy(this.dropouts[this.hidden.length].backward(this.output.backward(dy)));
    for (let k = this.hidden.length - 1; k >= 0; k--) {
      const a = this.activations[k];
      if (this.relu) for (let i = 0; i < a.size; i++) d.data[i] = a.data[i] > 0 ? d.data[i] : 0;
      else for (let i = 0; i < a.size; i++) d.data[i] *= 1 - a.data[i] * a.data[i];
      d = heapCopy(this.dropouts[k].backward(this.hidden[k].backward(d)));
    }
    return d;
  }
}

/**
 * Token ids → vectors: an Embedding (plus dropout), or one-hot rows when the spec has no embedding. With
 * `shared`, the lookup reads another TokenInput's table (seq2seq with one vocabulary: the decoder reuses the
 * encoder's embedding, as the shape table says) and adds its gradient into the same Parameter.
 */
class TokenInput implements Module {
  readonly embedding: Embedding | undefined;
  readonly dropout: Dropout | undefined;
  readonly width: number;
  private readonly sharedWeight: Parameter | undefined;
  private sharedIds: Int32Array | undefined;
  constructor(readonly vocabSize: number, spec: SeqModelSpec['model']['embedding'], rng: Rng, readonly name: string, shared?: TokenInput) {
    if (spec && shared?.embedding) {
      this.sharedWeight = shared.embedding.weight;
      if (spec.dropout) this.dropout = new Dropout(spec.dropout, rng.fork());
      this.width = spec.dim;
    } else if (spec) {
      this.embedding = new Embedding(vocabSize, spec.dim, rng, spec.paddingIdx === false ? undefined : PAD_ID);
      if (spec.dropout) this.dropout = new Dropout(spec.dropout, rng.fork());
      this.width = spec.dim;
    } else {
      this.width = vocabSize;
    }
  }
  namedParameters(): NamedParameter[] {
    return this.embedding ? prefixed(this.name, this.embedding.namedParameters()) : [];
  }
  private sharedLookup(ids: Int32Array, B: number, T: number): Tensor {
    const E = this.width;
    const table = this.sharedWeight!.value.data;
    const x = heapZeros([B, T, E]);
    for (let i = 0; i < B * T; i++) x.data.set(table.subarray(ids[i] * E, (ids[i] + 1) * E), i * E);
    this.sharedIds = ids.slice(0, B * T);
    return x;
  }
  setTraining(training: boolean): void {
    this.dropout?.setTraining(training);
  }
  /** Whether backward uses the gradient it is given (one-hot rows have nothing to train). */
  get trainable(): boolean {
    return Boolean(this.sharedWeight || this.embedding);
  }
  /** ids [B,T] → [B,T,E] (or one-hot [B,T,V]). */
  forward(ids: Int32Array, B: number, T: number): Tensor {
    if (this.sharedWeight) {
      const e = this.sharedLookup(ids, B, T);
      return this.dropout ? this.dropout.forward(e) : e;
    }
    if (!this.embedding) {
      const x = heapZeros([B, T, this.vocabSize]);
      for (let i = 0; i < B * T; i++) x.data[i * this.vocabSize + ids[i]] = 1;
      return x;
    }
    // The embedding keeps the ids for backward; the batch's arrays are reused by the loader, so copy.
    const e = this.embedding.forward(ids.slice(0, B * T), [B, T]);
    return this.dropout ? this.dropout.forward(e) : e;
  }
  backward(dy: Tensor): void {
    if (this.sharedWeight) {
      const d = this.dropout ? this.dropout.backward(dy) : dy;
      const E = this.width;
      const grad = this.sharedWeight.grad.data;
      const ids = this.sharedIds!;
      for (let i = 0; i < ids.length; i++) {
        if (ids[i] === PAD_ID) continue; // padding_idx row stays out of training
        for (let e = 0; e < E; e++) grad[ids[i] * E + e] += d.data[i * E + e];
      }
      return;
    }
    if (!this.embedding) return;
    this.embedding.backward(this.dropout ? this.dropout.backward(dy) : dy);
  }
}

export class SequenceModel implements Module {
  readonly task: TaskType;
  readonly encoder: RecurrentStack;
  readonly decoder: RecurrentStack | undefined;
  readonly head: Head;
  readonly input: TokenInput | undefined;
  readonly decoderInput: TokenInput | undefined;
  /** `initialState: 'learned'`: the encoder's h0, the tutorial's `initial_state`, [L·D,1,S] (and c0 [L·D,1,H] for LSTM). */
  readonly initialHidden: Parameter | undefined;
  readonly initialCell: Parameter | undefined;
  readonly readout: 'hN' | 'last' | 'mean';
  readonly outputSize: number;
  private readonly loss: TaskLoss;
  private training = true;
  /** Truncated BPTT: the previous chunk's final state, used as the next chunk's initial state. */
  private carriedState: { h0: Tensor; c0?: Tensor } | undefined;
  private lastEncoderState: { hN: Tensor; cN?: Tensor } | undefined;
  /** Stateful training: the previous batch's final encoder state (detached), the next batch's initial state. */
  private readonly statefulCarry = new DetachedState();
  private stateful = false;
  // Saved by forward for backward.
  private saved: { B: number; T: number; lengths: Int32Array; readoutInput?: Tensor; topStart?: number } | undefined;

  constructor(readonly spec: SeqModelSpec, readonly info: DataInfo, rng: Rng) {
    this.task = spec.task.type;
    this.outputSize = info.outputSize;
    this.readout = spec.model.readout ?? 'hN';
    const m = spec.model;
    let encoderInputSize = info.inputSize;
    if (info.kind === 'tokens') {
      this.input = new TokenInput(m.embedding?.vocabSize ?? info.inputSize, m.embedding, rng, 'embedding');
      encoderInputSize = this.input.width;
    } else if (m.embedding) {
      throw new Error('model.embedding needs token input, but this data is real-valued; remove the embedding');
    }
    this.encoder = new RecurrentStack(m.encoder, encoderInputSize, rng);
    if (this.task === 'seq2seq') {
      if (!m.decoder) throw new Error('seq2seq needs model.decoder');
      checkBridge(m.encoder, m.decoder);
      const targetVocab = info.targetVocabulary?.size ?? info.outputSize;
      const shared = spec.data.source === 'pairs' && spec.data.sharedVocabulary === true ? this.input : undefined;
      this.decoderInput = new TokenInput(targetVocab, m.embedding, rng, 'decoder_embedding', shared);
      this.decoder = new RecurrentStack(m.decoder, this.decoderInput.width, rng);
      this.head = new Head(this.decoder.outputSize, info.outputSize, m.head, rng);
    } else {
      this.head = new Head(this.encoder.outputSize, info.outputSize, m.head, rng);
    }
    if (m.initialState === 'learned') {
      const L = this.encoder.numLayers * this.encoder.directions;
      this.initialHidden = new Parameter(Tensor.zeros([L, 1, this.encoder.stateSize]));
      if (this.encoder.cell === 'lstm') this.initialCell = new Parameter(Tensor.zeros([L, 1, this.encoder.hiddenSize]));
    }
    this.loss = createTaskLoss(spec, info);
  }

  get perStep(): boolean {
    return this.task === 'tag' || this.task === 'regress-per-step' || this.task === 'generate' || this.task === 'seq2seq';
  }

  /**
   * Every generator that lives as long as the model (the dropouts'), in a fixed order: a checkpoint saves their
   * states so a resumed run draws the same masks an uninterrupted one would.
   */
  randomGenerators(): Rng[] {
    return [
      ...(this.input?.dropout ? [this.input.dropout.rng] : []),
      ...this.encoder.dropoutGenerators(),
      ...(this.decoderInput?.dropout ? [this.decoderInput.dropout.rng] : []),
      ...(this.decoder?.dropoutGenerators() ?? []),
      ...this.head.dropouts.map((d) => d.rng),
    ];
  }

  namedParameters(): NamedParameter[] {
    const out: NamedParameter[] = [];
    if (this.input) out.push(...this.input.namedParameters());
    out.push(...prefixed('encoder', this.encoder.namedParameters()));
    out.push(...prefixed('encoder_norms', this.encoder.normParameters()));
    if (this.initialHidden) out.push({ name: 'initial_h', parameter: this.initialHidden });
    if (this.initialCell) out.push({ name: 'initial_c', parameter: this.initialCell });
    if (this.decoderInput) out.push(...this.decoderInput.namedParameters());
    if (this.decoder) {
      out.push(...prefixed('decoder', this.decoder.namedParameters()));
      out.push(...prefixed('decoder_norms', this.decoder.normParameters()));
    }
    out.push(...this.head.namedParameters());
    return out;
  }

  setTraining(training: boolean): void {
    this.training = training;
    this.input?.setTraining(training);
    this.encoder.setTraining(training);
    this.decoderInput?.setTraining(training);
    this.decoder?.setTraining(training);
    this.head.setTraining(training);
  }

  /**
   * Stateful mode (time series, `training.stateful`): every forward starts from the final encoder state of the
   * previous forward, as a constant (detached: backward stops at the batch boundary). Turning it on or off, or
   * `resetState()`, starts from zeros again. Rows must continue the same streams from batch to batch.
   */
  setStateful(enabled: boolean): void {
    this.stateful = enabled;
    this.statefulCarry.reset();
  }

  resetState(): void {
    this.statefulCarry.reset();
  }

  get isTraining(): boolean {
    return this.training;
  }

  /** The recurrent stack the gate and gradient panels show (the decoder's is not shown). */
  get probedStack(): RecurrentStack {
    return this.encoder;
  }

  // ------------------------------------------------------------------------------------------- forward

  /** Model outputs for a batch: [B,C] for many-to-one, [B,T,C] per step (seq2seq: teacher-forced [B,T',V]). */
  forward(batch: Batch, context?: StepContext): Tensor {
    const B = batch.size;
    const T = batch.steps;
    const x = this.encoderInput(batch);
    const lengths = batch.lengths;
    if (this.task === 'seq2seq') return this.forwardSeq2seq(batch, x, context);
    const { h0, c0 } = this.carriedState ?? (this.stateful ? this.statefulCarry.initial() : this.encoderInitialState(B));
    const r = this.encoder.forward(x, { lengths, h0, c0 });
    this.lastEncoderState = r;
    // The layers copy h0/c0 into their workspaces, so overwriting the carry here does not disturb this backward.
    if (this.stateful) this.statefulCarry.capture(r);
    if (this.perStep) {
      this.saved = { B, T, lengths };
      return this.head.forward(r.output);
    }
    const features = this.readoutForward(r.output, r.hN, lengths);
    this.saved = { B, T, lengths };
    return this.head.forward(features);
  }

  private encoderInput(batch: Batch): Tensor {
    const B = batch.size;
    const T = batch.steps;
    if (this.input) {
      if (!batch.inputIds) throw new Error('batch has no inputIds for a token model');
      return this.input.forward(batch.inputIds, B, T);
    }
    if (!batch.inputs) throw new Error('batch has no real-valued inputs');
    const I = this.info.inputSize;
    return new Tensor(batch.inputs.subarray(0, B * T * I), [B, T, I]);
  }

  /** The encoder's h0/c0 for B sequences: the learned vectors broadcast, or none (zeros). */
  private encoderInitialState(B: number): { h0?: Tensor; c0?: Tensor } {
    if (!this.initialHidden) return {};
    return { h0: broadcastState(this.initialHidden.value, B), c0: this.initialCell ? broadcastState(this.initialCell.value, B) : undefined };
  }

  /** [B,T,F] output + [L·D,B,H] h_n → [B,F] features. */
  private readoutForward(output: Tensor, hN: Tensor, lengths: Int32Array): Tensor {
    const [B, T, F] = output.shape;
    const features = heapZeros([B, F]);
    const H = this.encoder.stateSize;
    const D = this.encoder.directions;
    if (this.readout === 'hN') {
      // torch.cat((h_n[-2], h_n[-1]), dim=1) when bidirectional, h_n[-1] otherwise.
      const topStart = (this.encoder.numLayers - 1) * D;
      for (let d = 0; d < D; d++) {
        for (let b = 0; b < B; b++) features.data.set(hN.data.subarray(((topStart + d) * B + b) * H, ((topStart + d) * B + b + 1) * H), b * F + d * H);
      }
    } else if (this.readout === 'last') {
      for (let b = 0; b < B; b++) features.data.set(output.data.subarray((b * T + T - 1) * F, (b * T + T) * F), b * F);
    } else {
      for (let b = 0; b < B; b++) {
        const n = lengths[b];
        for (let t = 0; t < n; t++) for (let f = 0; f < F; f++) features.data[b * F + f] += output.data[(b * T + t) * F + f] / n;
      }
    }
    return features;
  }

  private readoutBackward(dFeatures: Tensor, B: number, T: number, lengths: Int32Array): { dOutput?: Tensor; dhN?: Tensor } {
    const F = this.encoder.outputSize;
    const H = this.encoder.stateSize;
    const D = this.encoder.directions;
    if (this.readout === 'hN') {
      const LD = this.encoder.numLayers * D;
      const dhN = heapZeros([LD, B, H]);
      const topStart = (this.encoder.numLayers - 1) * D;
      for (let d = 0; d < D; d++) {
        for (let b = 0; b < B; b++) dhN.data.set(dFeatures.data.subarray(b * F + d * H, b * F + (d + 1) * H), ((topStart + d) * B + b) * H);
      }
      return { dhN };
    }
    const dOutput = heapZeros([B, T, F]);
    if (this.readout === 'last') {
      for (let b = 0; b < B; b++) dOutput.data.set(dFeatures.data.subarray(b * F, (b + 1) * F), (b * T + T - 1) * F);
    } else {
      for (let b = 0; b < B; b++) {
        const n = lengths[b];
        for (let t = 0; t < n; t++) for (let f = 0; f < F; f++) dOutput.data[(b * T + t) * F + f] = dFeatures.data[b * F + f] / n;
      }
    }
    return { dOutput };
  }

  // ------------------------------------------------------------------------------------------- seq2seq

  private encoderFinalState(batch: Batch, x: Tensor): { h0: Tensor; c0?: Tensor } {
    const r = this.encoder.forward(x, { lengths: batch.lengths, ...this.encoderInitialState(batch.size) });
    return bridgeState(this.encoder, this.decoder!, r.hN, r.cN);
  }

  private forwardSeq2seq(batch: Batch, x: Tensor, context?: StepContext): Tensor {
    const B = batch.size;
    const Tt = batch.targetSteps ?? 0;
    if (!batch.decoderInputIds || !batch.targetLengths) throw new Error('seq2seq batch needs decoderInputIds and targetLengths');
    const { h0, c0 } = this.encoderFinalState(batch, x);
    let decoderIds: Int32Array = batch.decoderInputIds.slice(0, B * Tt);
    const teacherForcing = context?.teacherForcing ?? 1;
    if (teacherForcing < 1 && context) {
      // Scheduled sampling: the decoder runs step by step, and where the coin says "not forcing", step t+1 is fed
      // the model's own argmax at step t. The argmax carries no gradient, so once the inputs are known, one
      // fused pass over all steps computes exactly the same outputs and gradients.
      decoderIds = this.sampleDecoderInputs(decoderIds, B, Tt, h0, c0, teacherForcing, context.rng);
    }
    const e = this.decoderInput!.forward(decoderIds, B, Tt);
    const r = this.decoder!.forward(e, { lengths: batch.targetLengths, h0, c0 });
    this.saved = { B, T: batch.steps, lengths: batch.lengths };
    return this.head.forward(r.output);
  }

  private sampleDecoderInputs(ids: Int32Array, B: number, Tt: number, h0: Tensor, c0: Tensor | undefined, ratio: number, rng: Rng): Int32Array {
    const useOwn = new Uint8Array(Tt);
    for (let t = 1; t < Tt; t++) useOwn[t] = rng.next() >= ratio ? 1 : 0;
    if (!useOwn.some((u) => u === 1)) return ids;
    const wasTraining = this.training;
    this.setTraining(false);
    let h = heapCopy(h0);
    let c = c0 ? heapCopy(c0) : undefined;
    const stepIds = new Int32Array(B);
    for (let t = 0; t < Tt - 1; t++) {
      for (let b = 0; b < B; b++) stepIds[b] = ids[b * Tt + t];
      const step = this.decoderStep(stepIds, h, c);
      h = step.h;
      c = step.c;
      if (useOwn[t + 1]) {
        const V = this.outputSize;
        for (let b = 0; b < B; b++) {
          if (ids[b * Tt + t + 1] === PAD_ID) continue; // keep padding as padding
          ids[b * Tt + t + 1] = argmax(step.logits.data, b * V, V);
        }
      }
    }
    this.setTraining(wasTraining);
    return ids;
  }

  /** One decoder step for B sequences: ids [B] and state [L·D,B,H] → logits [B,V] and the next state (copies). */
  decoderStep(ids: Int32Array, h: Tensor, c: Tensor | undefined): { logits: Tensor; h: Tensor; c?: Tensor } {
    const B = ids.length;
    const e = this.decoderInput!.forward(ids, B, 1);
    const r = this.decoder!.forward(e, { h0: h, c0: c });
    const logits = heapCopy(this.head.forward(r.output));
    return { logits: logits.reshape([B, this.outputSize]), h: heapCopy(r.hN), c: r.cN ? heapCopy(r.cN) : undefined };
  }

  /** One generator step (generate task): ids [B] and state → logits [B,V] and the next state (copies). */
  generatorStep(ids: Int32Array, h: Tensor | undefined, c: Tensor | undefined): { logits: Tensor; h: Tensor; c?: Tensor } {
    const B = ids.length;
    const x = this.input!.forward(ids, B, 1);
    const r = this.encoder.forward(x, { h0: h, c0: c });
    const logits = heapCopy(this.head.forward(r.output));
    return { logits: logits.reshape([B, this.outputSize]), h: heapCopy(r.hN), c: r.cN ? heapCopy(r.cN) : undefined };
  }

  /** Initial generator state for B samples: the learned vector broadcast, or zeros. */
  generatorStart(B: number): { h?: Tensor; c?: Tensor } {
    const s = this.encoderInitialState(B);
    return { h: s.h0 ? heapCopy(s.h0) : undefined, c: s.c0 ? heapCopy(s.c0) : undefined };
  }

  /** Encode a seq2seq batch and return the decoder's initial state (for greedy/beam decoding). */
  encodeForDecoding(batch: Batch): { h: Tensor; c?: Tensor } {
    const x = this.encoderInput(batch);
    const s = this.encoderFinalState(batch, x);
    return { h: heapCopy(s.h0), c: s.c0 ? heapCopy(s.c0) : undefined };
  }

  // ------------------------------------------------------------------------------------------- loss and backward

  /** Forward + loss + backward for one batch; gradients accumulate into the parameters. Returns the mean loss. */
  trainBatch(batch: Batch, context: StepContext): { loss: number; count: number } {
    const chunk = this.spec.training.tbpttSteps;
    if (chunk && chunk < batch.steps && this.supportsTruncatedBptt) return this.trainBatchTruncated(batch, chunk);
    const outputs = this.forward(batch, context);
    const { loss, count } = this.loss.forward(outputs, batch);
    const dOutputs = this.loss.backward();
    this.backward(dOutputs);
    return { loss, count };
  }

  /** Truncated BPTT applies to per-step tasks read left to right (a language model, a unidirectional tagger). */
  get supportsTruncatedBptt(): boolean {
    return (this.task === 'generate' || this.task === 'tag') && this.encoder.directions === 1;
  }

  /**
   * Truncated backpropagation through time: the batch runs in chunks of `k` steps; each chunk starts from the
   * previous chunk's final state as a constant (detached: no gradient flows into earlier chunks). Chunk c's
   * gradient is scaled by its share of the batch's loss terms, so the step follows the same mean loss.
   */
  private trainBatchTruncated(batch: Batch, k: number): { loss: number; count: number } {
    const B = batch.size;
    const T = batch.steps;
    const targets = batch.targetIds!;
    let total = 0;
    for (let i = 0; i < B * T; i++) if (targets[i] !== IGNORED_TARGET) total++;
    let lossSum = 0;
    this.carriedState = undefined;
    for (let start = 0; start < T; start += k) {
      const steps = Math.min(k, T - start);
      const chunk = sliceSteps(batch, start, steps, this.info.inputSize);
      const outputs = this.forward(chunk);
      const { loss, count } = this.loss.forward(outputs, chunk);
      const r = this.lastEncoderState!;
      const carried = { h0: heapCopy(r.hN), c0: r.cN ? heapCopy(r.cN) : undefined };
      if (count > 0) {
        lossSum += loss * count;
        this.backward(this.loss.backward(count / Math.max(1, total)));
      }
      this.carriedState = carried;
    }
    this.carriedState = undefined;
    return { loss: lossSum / Math.max(1, total), count: total };
  }

  /** Evaluation forward: loss and a copy of the outputs (call `setTraining(false)` first). */
  evaluateBatch(batch: Batch): BatchEvaluation {
    const outputs = this.forward(batch);
    const { loss, count } = this.loss.forward(outputs, batch);
    return { loss, count, outputs: outputs.data.slice() };
  }

  private backward(dOutputs: Tensor): void {
    const saved = this.saved;
    if (!saved) throw new Error('SequenceModel.backward: called before forward');
    const dHead = this.head.backward(dOutputs);
    if (this.task === 'seq2seq') {
      const r = this.decoder!.backward({ dOutput: dHead, needInputGradient: this.decoderInput!.trainable });
      if (r.dInput) this.decoderInput!.backward(r.dInput);
      const bridged = unbridgeGradient(this.encoder, this.decoder!, r.dh0, r.dc0);
      const e = this.encoder.backward({ ...bridged, needInputGradient: this.needsInputGradient });
      this.accumulateInitialStateGradient(e);
      if (e.dInput) this.input?.backward(e.dInput);
      return;
    }
    const grads = this.perStep ? { dOutput: dHead } : this.readoutBackward(dHead, saved.B, saved.T, saved.lengths);
    const r = this.encoder.backward({ ...grads, needInputGradient: this.needsInputGradient });
    // A carried (truncated-BPTT) state is a constant: only the learned initial state receives dh0.
    if (!this.carriedState) this.accumulateInitialStateGradient(r);
    if (r.dInput) this.input?.backward(r.dInput);
  }

  /** The learned initial state's gradient: dh0/dc0 [L·D,B,·] summed over the batch it was broadcast to. */
  private accumulateInitialStateGradient(r: { dh0: Tensor; dc0?: Tensor }): void {
    if (this.initialHidden) accumulateBroadcastGradient(this.initialHidden.grad, r.dh0);
    if (this.initialCell && r.dc0) accumulateBroadcastGradient(this.initialCell.grad, r.dc0);
  }

  /** Raw features (or one-hot tokens) train nothing below the encoder: its input gradient is not computed. */
  private get needsInputGradient(): boolean {
    return this.input?.trainable ?? false;
  }
}

/**
 * The decoder starts from the encoder's final state: same layout, or both directions concatenated per layer. h0 is
 * the encoder's h_n (its projSize wide when the LSTM projects), c0 its c_n (hiddenSize wide): the decoder's state
 * width must be D times the encoder's, and an LSTM decoder of an LSTM encoder needs D times its hiddenSize too.
 */
function checkBridge(encoder: RecurrentSpec, decoder: RecurrentSpec): void {
  const D = encoder.bidirectional ? 2 : 1;
  if ((encoder.numLayers ?? 1) !== (decoder.numLayers ?? 1)) {
    throw new Error(`seq2seq: the decoder starts from the encoder's final state, so it needs the same number of layers (encoder ${encoder.numLayers ?? 1}, decoder ${decoder.numLayers ?? 1})`);
  }
  const what = D === 2 ? 'both encoder directions concatenated' : 'the encoder\'s';
  if (stateWidth(decoder) !== D * stateWidth(encoder)) {
    const name = decoder.projSize ? 'projSize' : 'hiddenSize';
    throw new Error(`seq2seq: decoder ${name} must be ${D * stateWidth(encoder)} (h_n: ${what} ${encoder.projSize ? 'projSize' : 'hiddenSize'}), got ${stateWidth(decoder)}`);
  }
  if (encoder.cell === 'lstm' && decoder.cell === 'lstm' && decoder.hiddenSize !== D * encoder.hiddenSize) {
    throw new Error(`seq2seq: decoder hiddenSize must be ${D * encoder.hiddenSize} (c_n: ${what} hiddenSize), got ${decoder.hiddenSize}`);
  }
  if (decoder.bidirectional) throw new Error('seq2seq: the decoder generates left to right and cannot be bidirectional');
}

/** Encoder h_n/c_n [L·D,B,H] → decoder h0/c0 [L,B,D·H] (concat directions per layer). */
function bridgeState(encoder: RecurrentStack, decoder: RecurrentStack, hN: Tensor, cN: Tensor | undefined): { h0: Tensor; c0?: Tensor } {
  const convert = (s: Tensor) => {
    const [, B, H] = s.shape;
    const D = encoder.directions;
    const L = encoder.numLayers;
    const out = heapZeros([L, B, D * H]);
    for (let l = 0; l < L; l++) for (let d = 0; d < D; d++) for (let b = 0; b < B; b++) {
      out.data.set(s.data.subarray(((l * D + d) * B + b) * H, ((l * D + d) * B + b + 1) * H), (l * B + b) * D * H + d * H);
    }
    return out;
  };
  const h0 = convert(hN);
  const c0 = decoder.cell === 'lstm' ? (cN && encoder.cell === 'lstm' ? convert(cN) : heapZeros([h0.shape[0], h0.shape[1], decoder.hiddenSize])) : undefined;
  return { h0, c0 };
}

function unbridgeGradient(encoder: RecurrentStack, decoder: RecurrentStack, dh0: Tensor, dc0: Tensor | undefined): { dhN: Tensor; dcN?: Tensor } {
  const convert = (g: Tensor) => {
    const [L, B, DH] = g.shape;
    const D = encoder.directions;
    const H = DH / D;
    const out = heapZeros([L * D, B, H]);
    for (let l = 0; l < L; l++) for (let d = 0; d < D; d++) for (let b = 0; b < B; b++) {
      out.data.set(g.data.subarray((l * B + b) * DH + d * H, (l * B + b) * DH + (d + 1) * H), ((l * D + d) * B + b) * H);
    }
    return out;
  };
  const dhN = convert(dh0);
  const dcN = encoder.cell === 'lstm' && decoder.cell === 'lstm' && dc0 ? convert(dc0) : undefined;
  return { dhN, dcN };
}

/**
 * Steps [start, start+steps) of a per-step batch as a batch of its own (copies). A sequence that ended before
 * `start` keeps one step of padding (lengths must be ≥ 1) whose targets are ignored.
 */
function sliceSteps(batch: Batch, start: number, steps: number, inputSize: number): Batch {
  const B = batch.size;
  const T = batch.steps;
  const lengths = new Int32Array(B);
  for (let b = 0; b < B; b++) lengths[b] = Math.min(steps, Math.max(1, batch.lengths[b] - start));
  const pick = (source: Int32Array, fill: number) => {
    const out = new Int32Array(B * steps).fill(fill);
    for (let b = 0; b < B; b++) for (let t = 0; t < steps; t++) out[b * steps + t] = source[b * T + start + t];
    return out;
  };
  const chunk: Batch = { size: B, steps, lengths, indices: batch.indices, targetSteps: steps, targetLengths: lengths };
  if (batch.inputIds) chunk.inputIds = pick(batch.inputIds, PAD_ID);
  if (batch.targetIds) chunk.targetIds = pick(batch.targetIds, IGNORED_TARGET);
  if (batch.inputs) {
    chunk.inputs = new Float32Array(B * steps * inputSize);
    for (let b = 0; b < B; b++) chunk.inputs.set(batch.inputs.subarray((b * T + start) * inputSize, (b * T + start + steps) * inputSize), b * steps * inputSize);
  }
  return chunk;
}

/** [L,1,H] → [L,B,H]. */
function broadcastState(state: Tensor, B: number): Tensor {
  const [L, , H] = state.shape;
  const out = heapZeros([L, B, H]);
  for (let l = 0; l < L; l++) for (let b = 0; b < B; b++) out.data.set(state.data.subarray(l * H, (l + 1) * H), (l * B + b) * H);
  return out;
}

/** grad [L,1,H] += Σ_b d [L,B,H]. */
function accumulateBroadcastGradient(grad: Tensor, d: Tensor): void {
  const [L, B, H] = d.shape;
  for (let l = 0; l < L; l++) for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) grad.data[l * H + h] += d.data[(l * B + b) * H + h];
}

export function argmax(values: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (values[offset + i] > values[offset + best]) best = i;
  return best;
}

export { BOS_ID, EOS_ID };
