import { Rng, Tensor, assertShape, kernels, type Kernels } from '../../tensor';
import { Module, NamedParameter, Parameter } from '../parameter';
import { cellDescriptions, CellDescription } from './cellKinds';
import { copyRows, packBatchFirst, PackedBatchPlan, permuteStates, unpackBatchFirst } from './packing';
import { RecurrentWorkspace, DirectionCache } from './recurrentWorkspace';
import type {
  RecurrentBackwardInput, RecurrentBackwardResult, RecurrentCellKind, RecurrentForwardOptions,
  RecurrentForwardResult, RecurrentOptions,
} from './types';

/**
 * A multi-layer, optionally bidirectional recurrent layer computed the cuDNN way. Per layer and direction:
 * ONE GEMM projects every packed step's input (X·W_ihᵀ + biases); each step then does only h_{t−1}·W_hhᵀ and
 * one fused gate kernel on the sequences still running; backward walks the steps once collecting gate
 * gradients, then finishes dW_ih, dW_hh and dX as three large GEMMs.
 *
 * Shape letters: B batch, T time, I input, H hidden, G gates·H, D directions, L layers, N packed rows,
 * P the LSTM's projection (projSize), S the width of h_t (P with a projection, else H).
 */
/** How many (B, T) workspaces a layer keeps for reuse (least recently used dropped first). */
export const KEPT_WORKSPACES = 4;

export interface DirectionWeights {
  weightIh: Parameter; // [G,I_l]
  weightHh: Parameter; // [G,S]
  biasIh?: Parameter; //  [G]
  biasHh?: Parameter; //  [G]
  weightHr?: Parameter; // [P,H], LSTM with projSize
}

export class FusedRecurrent implements Module {
  readonly cellKind: RecurrentCellKind;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly directions: number;
  readonly dropout: number;
  readonly hasBias: boolean;
  /** LSTM projection P (PyTorch's proj_size), 0 for none. */
  readonly projSize: number;
  /** Width S of h_t, h0 and h_n: projSize when projecting, else hiddenSize. */
  readonly stateSize: number;
  readonly cell: CellDescription;
  /** [L·D], index layer·D + direction (PyTorch's h_n order). */
  readonly weights: DirectionWeights[];
  training = true;

  private readonly opName: string;
  /** Draws the between-layer dropout masks when forward gets no generator; a checkpoint saves its state. */
  readonly defaultDropoutRng: Rng;
  /** The workspace of the last forward (backward and gateActivations read it). */
  private workspace: RecurrentWorkspace | undefined;
  /**
   * Recently used workspaces, most recent last. A few are kept because training alternates sizes (a short
   * last batch each epoch, validation batches); dropping the old one each time would reallocate every epoch.
   */
  private readonly recentWorkspaces: RecurrentWorkspace[] = [];
  /** What the last forward did, so backward replays exactly that (dropout or not). */
  private lastForward: { dropoutApplied: boolean } | undefined;
  /** The workspace whose gradient norms the last backward filled (later forwards keep them readable). */
  private normsWorkspace: RecurrentWorkspace | undefined;
  /**
   * W_hh packed for the backend's prepacked GEMM, once per time loop (W_hhᵀ forward, W_hh backward; layers and
   * directions take turns). Its size depends on H and the cell only, so it lives with the layer, not the (B, T)
   * workspaces; allocated on first use from the backend then active.
   */
  private weightPack: { backend: Kernels; buffer: Float32Array } | undefined;
  /** Where the current step reads h_{t−1} and c_{t−1} (reused every step: the time loop allocates nothing). */
  private readonly hiddenPrevRows: StateRows = { buffer: new Float32Array(0), offset: 0 };
  private readonly cellPrevRows: StateRows = { buffer: new Float32Array(0), offset: 0 };

  constructor(opName: string, cellKind: RecurrentCellKind, options: RecurrentOptions, rng: Rng) {
    const { inputSize, hiddenSize } = options;
    this.opName = opName;
    this.cellKind = cellKind;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = options.numLayers ?? 1;
    this.directions = options.bidirectional ? 2 : 1;
    this.dropout = options.dropout ?? 0;
    this.hasBias = options.bias ?? true;
    this.projSize = options.projSize ?? 0;
    this.stateSize = this.projSize > 0 ? this.projSize : hiddenSize;
    this.cell = cellDescriptions[cellKind];
    for (const [what, v] of [['inputSize', inputSize], ['hiddenSize', hiddenSize], ['numLayers', this.numLayers]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`${opName}: ${what} must be a positive integer, got ${v}`);
    }
    if (!(this.dropout >= 0 && this.dropout <= 1)) throw new Error(`${opName}: dropout must be in [0, 1], got ${this.dropout}`);
    if (this.projSize !== 0) {
      if (cellKind !== 'lstm') throw new Error(`${opName}: projSize is an LSTM option (got ${this.projSize})`);
      if (!Number.isInteger(this.projSize) || this.projSize < 0 || this.projSize >= hiddenSize) throw new Error(`${opName}: projSize must be an integer in [0, hiddenSize = ${hiddenSize}), got ${this.projSize}`);
    }

    // PyTorch's reset_parameters: every parameter U(−1/√H, 1/√H), in the order of _flat_weights_names
    // (w_ih, w_hh, b_ih, b_hh, then w_hr with a projection).
    const bound = 1 / Math.sqrt(hiddenSize);
    const G = this.cell.gateCount * hiddenSize;
    const make = (shape: number[]) => {
      const p = new Parameter(Tensor.zeros(shape));
      rng.fillUniform(p.value.data, -bound, bound);
      return p;
    };
    this.weights = [];
    for (let l = 0; l < this.numLayers; l++) {
      const layerInput = l === 0 ? inputSize : this.directions * this.stateSize;
      for (let d = 0; d < this.directions; d++) {
        const weightIh = make([G, layerInput]);
        const weightHh = make([G, this.stateSize]);
        const biasIh = this.hasBias ? make([G]) : undefined;
        const biasHh = this.hasBias ? make([G]) : undefined;
        const weightHr = this.projSize > 0 ? make([this.projSize, hiddenSize]) : undefined;
        this.weights.push({ weightIh, weightHh, biasIh, biasHh, weightHr });
      }
    }
    this.defaultDropoutRng = rng.fork();
  }

  /** weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k} (weight_hr_l{k}), then the same with _reverse, layer by layer. */
  namedParameters(): NamedParameter[] {
    const out: NamedParameter[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      for (let d = 0; d < this.directions; d++) {
        const suffix = `_l${l}${d === 1 ? '_reverse' : ''}`;
        const w = this.weights[l * this.directions + d];
        out.push({ name: `weight_ih${suffix}`, parameter: w.weightIh }, { name: `weight_hh${suffix}`, parameter: w.weightHh });
        if (w.biasIh && w.biasHh) out.push({ name: `bias_ih${suffix}`, parameter: w.biasIh }, { name: `bias_hh${suffix}`, parameter: w.biasHh });
        if (w.weightHr) out.push({ name: `weight_hr${suffix}`, parameter: w.weightHr });
      }
    }
    return out;
  }

  setTraining(training: boolean): void {
    this.training = training;
  }

  private layerInputSize(l: number): number {
    return l === 0 ? this.inputSize : this.directions * this.stateSize;
  }

  private workspaceFor(B: number, T: number): RecurrentWorkspace {
    const recent = this.recentWorkspaces;
    let found = -1;
    for (let i = 0; i < recent.length; i++) if (recent[i].fits(B, T)) found = i;
    let ws: RecurrentWorkspace;
    if (found >= 0) {
      ws = recent[found];
      for (let i = found; i < recent.length - 1; i++) recent[i] = recent[i + 1]; // move to the back, in place
      recent[recent.length - 1] = ws;
    } else {
      ws = new RecurrentWorkspace({
        batch: B, time: T, input: this.inputSize, hidden: this.hiddenSize, layers: this.numLayers,
        directions: this.directions, gateCount: this.cell.gateCount,
        isLstm: this.cellKind === 'lstm', isGru: this.cellKind === 'gru', state: this.stateSize,
      });
      recent.push(ws);
      // The evicted workspace's memory goes back to the backend: with shapes that keep changing (bucketed
      // lengths, decoding, beam search) dropping it would leak wasm memory every time.
      if (recent.length > KEPT_WORKSPACES) recent.shift()!.release();
    }
    this.workspace = ws;
    return ws;
  }

  // ───────────────────────────────────────── forward ─────────────────────────────────────────

  forward(x: Tensor, options: RecurrentForwardOptions = {}): RecurrentForwardResult {
    const op = `${this.opName}.forward`;
    assertShape(op, 'input', x, [-1, -1, this.inputSize], ['batch', 'time', 'input']);
    const [B, T] = x.shape;
    if (B < 1 || T < 1) throw new Error(`${op}: input ${x} has an empty batch or time dimension`);
    const H = this.hiddenSize, S = this.stateSize, D = this.directions, L = this.numLayers, LD = L * D;
    const isLstm = this.cellKind === 'lstm';
    if (options.h0) assertShape(op, 'h0', options.h0, [LD, B, S], ['layers·directions', 'batch', 'hidden']);
    if (options.c0 && !isLstm) throw new Error(`${op}: c0 is only meaningful for an LSTM`);
    if (options.c0) assertShape(op, 'c0', options.c0, [LD, B, H], ['layers·directions', 'batch', 'hidden']);

    const ws = this.workspaceFor(B, T);
    const plan = ws.plan;
    plan.plan(op, options.lengths);
    const N = plan.totalRows;
    packBatchFirst(ws.packedInput, x.data, plan, this.inputSize);
    if (options.h0) permuteStates(ws.initialHidden, options.h0.data, plan, LD, S, true);
    else ws.initialHidden.fill(0);
    if (isLstm) {
      if (options.c0) permuteStates(ws.initialCell, options.c0.data, plan, LD, H, true);
      else ws.initialCell.fill(0);
    }

    const dropoutApplied = this.training && this.dropout > 0 && L > 1;
    const rng = options.rng ?? this.defaultDropoutRng;
    for (let l = 0; l < L; l++) {
      let layerInput = ws.packedInput;
      if (l > 0) {
        layerInput = ws.layerOutputs[l - 1];
        if (dropoutApplied) {
          layerInput = this.applyDropout(ws.droppedInputs[l], ws.dropoutMasks[l], ws.layerOutputs[l - 1], N * D * S, rng);
        }
      }
      for (let d = 0; d < D; d++) {
        this.forwardDirection(ws, l, d, layerInput);
        // Interleave this direction's h_t into the layer output [N, D·S] (direction d owns columns dS..dS+S);
        // with one direction the output is h_t's own buffer.
        if (D > 1) copyRows(ws.layerOutputs[l], d * S, D * S, ws.caches[l * D + d].hidden, 0, S, N, S);
      }
    }
    unpackBatchFirst(ws.output.data, ws.layerOutputs[L - 1], plan, D * S);
    this.gatherFinalStates(ws.hN.data, ws, (c) => c.hidden, S);
    if (isLstm) this.gatherFinalStates(ws.cN!.data, ws, (c) => c.cell!, H);
    this.lastForward = { dropoutApplied };
    return { output: ws.output, hN: ws.hN, cN: ws.cN };
  }

  private applyDropout(out: Float32Array, mask: Float32Array, x: Float32Array, n: number, rng: Rng): Float32Array {
    // Inverted dropout as nn.Dropout does it; p = 1 drops everything rather than dividing by zero.
    const keepScale = this.dropout >= 1 ? 0 : 1 / (1 - this.dropout);
    for (let i = 0; i < n; i++) mask[i] = rng.next() < this.dropout ? 0 : keepScale;
    kernels().mul(out, 0, x, 0, mask, 0, n);
    return out;
  }

  /** One layer, one direction, all steps. Reverse runs t = T−1 … 0, each sequence starting at its own last step. */
  private forwardDirection(ws: RecurrentWorkspace, l: number, d: number, layerInput: Float32Array): void {
    const k = kernels();
    const plan = ws.plan, T = plan.time, N = plan.totalRows;
    const H = this.hiddenSize, S = this.stateSize, G = this.cell.gateCount * H, I = this.layerInputSize(l);
    const D = this.directions, B = plan.batch;
    const w = this.weights[l * D + d];
    const cache = ws.caches[l * D + d];
    const stateOff = (l * D + d) * B * H; // this direction's slice of the sorted h0/c0 (S = H here)
    const isGru = this.cellKind === 'gru';

    // The one big input GEMM for every real step, the biases added by it: gates[N,G] = X[N,I] · W_ihᵀ + b_ih
    // (+ b_hh, except for the GRU, whose b_hn must stay inside r ⊙ (…): its step adds b_hh).
    let inputBias: Float32Array | null = null;
    if (w.biasIh && w.biasHh) {
      if (isGru) {
        inputBias = w.biasIh.value.data;
      } else {
        k.add(ws.biasSum, 0, w.biasIh.value.data, 0, w.biasHh.value.data, 0, G);
        inputBias = ws.biasSum;
      }
    }
    k.gemm(false, true, N, G, I, 1, layerInput, 0, I, w.weightIh.value.data, 0, I, 0, cache.gates, 0, G, inputBias);
    // op(B) = W_hhᵀ is the same at every step: pack it once here instead of inside each step's GEMM.
    const pack = this.packRecurrentWeight(k, true, G, S, w.weightHh.value.data);
    if (this.projSize > 0) return this.forwardProjectedSteps(ws, l, d, pack);

    for (let s = 0; s < T; s++) {
      const t = d === 0 ? s : T - 1 - s;
      const bs = plan.batchSizes[t];
      if (bs === 0) continue;
      const row = plan.offsets[t];
      const hPrev = this.previousState(this.hiddenPrevRows, ws.stepHiddenPrev, cache.hidden, ws.initialHidden, stateOff, plan, t, d, H);
      if (isGru) {
        k.gruStepForward(cache.hidden, row * H, cache.gates, row * G, cache.hiddenProj!, row * G, hPrev.buffer, hPrev.offset, pack, w.biasHh?.value.data ?? null, bs, H);
      } else if (this.cellKind === 'lstm') {
        const cPrev = this.previousState(this.cellPrevRows, ws.stepCellPrev, cache.cell!, ws.initialCell, stateOff, plan, t, d, H);
        k.lstmStepForward(cache.hidden, row * H, cache.cell!, row * H, cache.gates, row * G, cPrev.buffer, cPrev.offset, hPrev.buffer, hPrev.offset, pack, bs, H);
      } else {
        k.gemmPrepackedB(false, true, bs, G, H, 1, hPrev.buffer, hPrev.offset, H, pack, 1, cache.gates, row * G, G);
        if (this.cellKind === 'rnn_tanh') {
          k.tanh(cache.hidden, row * H, cache.gates, row * G, bs * H);
        } else {
          k.relu(cache.hidden, row * H, cache.gates, row * G, bs * H);
        }
      }
    }
  }

  /**
   * The time loop of an LSTM with a projection (PyTorch's proj_size), after the input GEMM filled the gates.
   * Per step, on the bs running rows (shapes: G = 4H, P = projSize):
   *   gates[bs,G] += h_{t−1}[bs,P] · W_hhᵀ      W_hh [G,P], packed once (`pack`)
   *   c_t[bs,H], r_t[bs,H] = lstmCellForward    r_t = o_t ⊙ tanh(c_t), written where h_t would be without projection
   *   h_t[bs,P] = r_t · W_hrᵀ                  W_hr [P,H]
   * Composed from the backend's GEMM and cell kernels (no fused step kernel, so the rows are not split between
   * threads); the path without projection never comes here.
   */
  private forwardProjectedSteps(ws: RecurrentWorkspace, l: number, d: number, pack: Float32Array): void {
    const k = kernels();
    const plan = ws.plan, T = plan.time, B = plan.batch;
    const H = this.hiddenSize, P = this.stateSize, G = 4 * H, ld = l * this.directions + d;
    const cache = ws.caches[ld];
    const weightHr = this.weights[ld].weightHr!.value.data;
    const cellOutput = cache.cellOutput!, cell = cache.cell!;
    for (let s = 0; s < T; s++) {
      const t = d === 0 ? s : T - 1 - s;
      const bs = plan.batchSizes[t];
      if (bs === 0) continue;
      const row = plan.offsets[t];
      const hPrev = this.previousState(this.hiddenPrevRows, ws.stepHiddenPrev, cache.hidden, ws.initialHidden, ld * B * P, plan, t, d, P);
      const cPrev = this.previousState(this.cellPrevRows, ws.stepCellPrev, cell, ws.initialCell, ld * B * H, plan, t, d, H);
      k.gemmPrepackedB(false, true, bs, G, P, 1, hPrev.buffer, hPrev.offset, P, pack, 1, cache.gates, row * G, G);
      k.lstmCellForward(cellOutput, row * H, cell, row * H, cache.gates, row * G, cPrev.buffer, cPrev.offset, bs, H);
      k.gemm(false, true, bs, P, H, 1, cellOutput, row * H, H, weightHr, 0, H, 0, cache.hidden, row * P, P);
    }
  }

  /** Packs op(B) of the per-step GEMM (W_hhᵀ [S,G] forward, W_hh [G,S] backward) into the layer's buffer. */
  private packRecurrentWeight(k: Kernels, transB: boolean, N: number, K: number, weight: Float32Array): Float32Array {
    if (this.weightPack?.backend !== k) {
      if (this.weightPack) this.weightPack.backend.release?.(this.weightPack.buffer);
      const G = this.cell.gateCount * this.hiddenSize, S = this.stateSize;
      this.weightPack = { backend: k, buffer: k.alloc(Math.max(k.prepackedBLength(G, S), k.prepackedBLength(S, G))) };
    }
    const pack = this.weightPack.buffer;
    k.prepackB(transB, N, K, weight, 0, transB ? K : N, pack);
    return pack;
  }

  /**
   * Where step t reads its previous states (h_{t−1} or c_{t−1}): in place when all its rows come from one
   * source — the previous step's rows (carried sequences are their prefix) or the initial state — and
   * gathered into `scratch` [B,width] only at a reverse step where some sequences start and others carry on.
   */
  private previousState(
    into: StateRows, scratch: Float32Array, states: Float32Array, initial: Float32Array, initialOff: number,
    plan: PackedBatchPlan, t: number, d: number, width: number,
  ): StateRows {
    const carried = carriedRows(plan, t, d);
    if (carried === plan.batchSizes[t]) {
      into.buffer = states;
      into.offset = plan.offsets[previousStep(t, d)] * width;
    } else if (carried === 0) {
      into.buffer = initial;
      into.offset = initialOff;
    } else {
      gatherPreviousState(scratch, 0, states, initial, initialOff, plan, t, d, width);
      into.buffer = scratch;
      into.offset = 0;
    }
    return into;
  }

  /** h_n[l·D+d, b] = the state of sequence b after its last real step in that direction (t=0 for reverse). */
  private gatherFinalStates(out: Float32Array, ws: RecurrentWorkspace, pick: (c: DirectionCache) => Float32Array, H: number): void {
    const plan = ws.plan, B = plan.batch, LD = this.numLayers * this.directions;
    for (let ld = 0; ld < LD; ld++) {
      const states = pick(ws.caches[ld]);
      const reverse = ld % this.directions === 1;
      for (let b = 0; b < B; b++) {
        const r = plan.rankOf[b];
        const row = reverse ? plan.row(0, r) : plan.row(plan.sortedLengths[r] - 1, r);
        copyRows(out, (ld * B + b) * H, 0, states, row * H, 0, 1, H);
      }
    }
  }

  // ───────────────────────────────────────── backward ─────────────────────────────────────────

  /**
   * Backpropagation through time for the last forward. Accumulates into every Parameter.grad and returns the
   * gradients of the input (unless `needInputGradient` is false) and initial states (in workspaces reused by
   * the next call).
   */
  backward(gradients: RecurrentBackwardInput & { needInputGradient?: true }): RecurrentBackwardResult & { dInput: Tensor };
  backward(gradients: RecurrentBackwardInput): RecurrentBackwardResult;
  backward(gradients: RecurrentBackwardInput): RecurrentBackwardResult {
    const op = `${this.opName}.backward`;
    const ws = this.workspace;
    if (!ws || !this.lastForward) throw new Error(`${op}: called before forward`);
    const plan = ws.plan, B = plan.batch, T = plan.time, N = plan.totalRows;
    const H = this.hiddenSize, S = this.stateSize, D = this.directions, L = this.numLayers, LD = L * D;
    const isLstm = this.cellKind === 'lstm';
    const stateNames = ['layers·directions', 'batch', 'hidden'];
    if (gradients.dOutput) assertShape(op, 'dOutput', gradients.dOutput, [B, T, D * S], ['batch', 'time', 'directions·hidden']);
    if (gradients.dhN) assertShape(op, 'dhN', gradients.dhN, [LD, B, S], stateNames);
    if (gradients.dcN && !isLstm) throw new Error(`${op}: dcN is only meaningful for an LSTM`);
    if (gradients.dcN) assertShape(op, 'dcN', gradients.dcN, [LD, B, H], stateNames);

    // Gradient reaching the top layer's packed output; padding entries of dOutput are never read.
    let outputGrad = ws.layerGradA, inputGrad = ws.layerGradB;
    if (gradients.dOutput) packBatchFirst(outputGrad, gradients.dOutput.data, plan, D * S);
    else outputGrad.fill(0, 0, N * D * S);
    ws.hiddenGradSquares.fill(0);

    const needInputGradient = gradients.needInputGradient ?? true;
    for (let l = L - 1; l >= 0; l--) {
      const I = this.layerInputSize(l);
      const layerInput = l === 0 ? ws.packedInput : this.lastForward.dropoutApplied ? ws.droppedInputs[l] : ws.layerOutputs[l - 1];
      const layerInputGrad = l > 0 || needInputGradient ? inputGrad : undefined;
      for (let d = 0; d < D; d++) {
        this.backwardDirection(ws, l, d, layerInput, I, outputGrad, layerInputGrad, gradients);
      }
      if (l > 0 && this.lastForward.dropoutApplied) kernels().mul(inputGrad, 0, inputGrad, 0, ws.dropoutMasks[l], 0, N * I);
      const swap = outputGrad;
      outputGrad = inputGrad;
      inputGrad = swap;
    }
    permuteStates(ws.dh0.data, ws.initialHiddenGrads, plan, LD, S, false);
    if (isLstm) permuteStates(ws.dc0!.data, ws.initialCellGrads, plan, LD, H, false);
    this.normsWorkspace = ws;
    if (!needInputGradient) return { dh0: ws.dh0, dc0: ws.dc0 };
    // After the final swap, outputGrad holds dX of layer 0 (packed [N,I]).
    unpackBatchFirst(ws.dInput.data, outputGrad, plan, this.inputSize);
    return { dInput: ws.dInput, dh0: ws.dh0, dc0: ws.dc0 };
  }

  private backwardDirection(
    ws: RecurrentWorkspace, l: number, d: number, layerInput: Float32Array, I: number,
    outputGrad: Float32Array, inputGrad: Float32Array | undefined, gradients: RecurrentBackwardInput,
  ): void {
    const k = kernels();
    const plan = ws.plan, B = plan.batch, T = plan.time, N = plan.totalRows;
    const H = this.hiddenSize, S = this.stateSize, G = this.cell.gateCount * H, D = this.directions;
    const ld = l * D + d;
    const w = this.weights[ld];
    const cache = ws.caches[ld];
    const stateOff = ld * B * S, cellOff = ld * B * H; // this direction's slices of the sorted h0 and c0
    const isLstm = this.cellKind === 'lstm', isGru = this.cellKind === 'gru';
    // ∂L/∂h_t starts as this direction's columns of the layer-output gradient, plus dh_n at final steps. With one
    // direction those columns are the whole of it, read by nobody else: it accumulates there, without a copy.
    const dHidden = D === 1 ? outputGrad : ws.hiddenGrads;
    if (D > 1) copyRows(dHidden, 0, S, outputGrad, d * S, D * S, N, S);
    const dCell = ws.cellGrads, dGates = ws.gateGrads;
    // For LSTM and RNN the hidden projection shares the gate pre-activation, so it shares its gradient.
    const dHiddenProj = isGru ? ws.hiddenProjGrads : dGates;

    if (isLstm) dCell.fill(0, 0, N * H);
    for (let r = 0; r < B; r++) {
      const finalRow = d === 1 ? plan.row(0, r) : plan.row(plan.sortedLengths[r] - 1, r);
      const b = plan.order[r];
      if (gradients.dhN) k.axpy(dHidden, finalRow * S, 1, gradients.dhN.data, (ld * B + b) * S, S);
      if (isLstm && gradients.dcN) k.axpy(dCell, finalRow * H, 1, gradients.dcN.data, (ld * B + b) * H, H);
    }
    ws.initialHiddenGrads.fill(0, stateOff, stateOff + B * S);
    if (isLstm) ws.initialCellGrads.fill(0, cellOff, cellOff + B * H);

    // h_{t−1} of every row, for dW_hh's GEMM (and the GRU cell): forward read them in place, so gather them here.
    for (let t = 0; t < T; t++) gatherPreviousState(ws.hiddenPrev, plan.offsets[t] * S, cache.hidden, ws.initialHidden, stateOff, plan, t, d, S);
    // op(B) = W_hh [G,S] for dh_{t−1} at every step: packed once for the whole walk.
    const pack = this.packRecurrentWeight(k, false, S, G, w.weightHh.value.data);
    if (this.projSize > 0) this.backwardProjectedSteps(ws, l, d, dHidden, dCell, dGates, pack);
    // Walk the steps in the opposite order to forward; each step's dh is complete when it is reached.
    else for (let s = T - 1; s >= 0; s--) {
      const t = d === 0 ? s : T - 1 - s;
      const bs = plan.batchSizes[t];
      if (bs === 0) continue;
      const row = plan.offsets[t];
      ws.hiddenGradSquares[l * T + t] += k.sumSquares(dHidden, row * H, bs * H);
      const dPrev = ws.stepHiddenPrevGrad;
      // The cell's backward, then dh_{t−1} (+)= dHiddenProj_t[bs,G] · W_hh[G,H] (the GRU cell writes its direct
      // z ⊙ dh term first); LSTM and GRU as one step kernel, which may split the rows between threads.
      if (isLstm) {
        const cPrev = this.previousState(this.cellPrevRows, ws.stepCellPrev, cache.cell!, ws.initialCell, stateOff, plan, t, d, H);
        k.lstmStepBackward(dGates, row * G, ws.stepCellPrevGrad, 0, dHidden, row * H, dCell, row * H,
          cache.gates, row * G, cache.cell!, row * H, cPrev.buffer, cPrev.offset, dPrev, 0, pack, bs, H);
        this.scatterPreviousGrad(dCell, ws.initialCellGrads, stateOff, ws.stepCellPrevGrad, plan, t, d, H);
      } else if (isGru) {
        k.gruStepBackward(dGates, row * G, dHiddenProj, row * G, dPrev, 0, dHidden, row * H,
          cache.gates, row * G, cache.hiddenProj!, row * G, ws.hiddenPrev, row * H, pack, bs, H);
      } else {
        if (this.cellKind === 'rnn_tanh') k.rnnTanhCellBackward(dGates, row * G, dHidden, row * H, cache.hidden, row * H, bs * H);
        else k.rnnReluCellBackward(dGates, row * G, dHidden, row * H, cache.hidden, row * H, bs * H);
        k.gemmPrepackedB(false, false, bs, H, G, 1, dGates, row * G, G, pack, 0, dPrev, 0, H);
      }
      this.scatterPreviousGrad(dHidden, ws.initialHiddenGrads, stateOff, dPrev, plan, t, d, H);
    }

    // The large GEMMs over all N packed rows (dX only when asked for).
    k.gemm(true, false, G, I, N, 1, dGates, 0, G, layerInput, 0, I, 1, w.weightIh.grad.data, 0, I);
    k.gemm(true, false, G, S, N, 1, dHiddenProj, 0, G, ws.hiddenPrev, 0, S, 1, w.weightHh.grad.data, 0, S);
    // dW_hr[P,H] += Σ_t dh_tᵀ·r_t: every row's dh_t is complete once the walk is done.
    if (w.weightHr) k.gemm(true, false, S, H, N, 1, dHidden, 0, S, cache.cellOutput!, 0, H, 1, w.weightHr.grad.data, 0, H);
    if (inputGrad) k.gemm(false, false, N, I, G, 1, dGates, 0, G, w.weightIh.value.data, 0, I, d === 0 ? 0 : 1, inputGrad, 0, I);
    if (w.biasIh && w.biasHh) {
      k.sumRowsInto(w.biasIh.grad.data, 0, dGates, 0, N, G);
      k.sumRowsInto(w.biasHh.grad.data, 0, dHiddenProj, 0, N, G);
    }
  }

  /**
   * The backward of forwardProjectedSteps, latest step first; dHidden[N,P] holds ∂L/∂h_t from above and gains
   * ∂L/∂h_{t−1} from each step before that step is reached (shapes as forward):
   *   dr_t[bs,H] = dh_t[bs,P] · W_hr                                      (dW_hr follows after the walk)
   *   dGates[bs,G], dc_{t−1}[bs,H] = lstmCellBackward(dr_t, dc_t)
   *   dh_{t−1}[bs,P] = dGates · W_hh                                      W_hh [G,P], packed once (`pack`)
   */
  private backwardProjectedSteps(
    ws: RecurrentWorkspace, l: number, d: number, dHidden: Float32Array, dCell: Float32Array, dGates: Float32Array, pack: Float32Array,
  ): void {
    const k = kernels();
    const plan = ws.plan, T = plan.time, B = plan.batch;
    const H = this.hiddenSize, P = this.stateSize, G = 4 * H, ld = l * this.directions + d;
    const cache = ws.caches[ld];
    const weightHr = this.weights[ld].weightHr!.value.data;
    const cell = cache.cell!, dCellOutput = ws.stepCellOutputGrad, dPrev = ws.stepHiddenPrevGrad;
    for (let s = T - 1; s >= 0; s--) {
      const t = d === 0 ? s : T - 1 - s;
      const bs = plan.batchSizes[t];
      if (bs === 0) continue;
      const row = plan.offsets[t];
      ws.hiddenGradSquares[l * T + t] += k.sumSquares(dHidden, row * P, bs * P);
      k.gemm(false, false, bs, H, P, 1, dHidden, row * P, P, weightHr, 0, H, 0, dCellOutput, 0, H);
      const cPrev = this.previousState(this.cellPrevRows, ws.stepCellPrev, cell, ws.initialCell, ld * B * H, plan, t, d, H);
      k.lstmCellBackward(dGates, row * G, ws.stepCellPrevGrad, 0, dCellOutput, 0, dCell, row * H, cache.gates, row * G, cell, row * H, cPrev.buffer, cPrev.offset, bs, H);
      this.scatterPreviousGrad(dCell, ws.initialCellGrads, ld * B * H, ws.stepCellPrevGrad, plan, t, d, H);
      k.gemmPrepackedB(false, false, bs, P, G, 1, dGates, row * G, G, pack, 0, dPrev, 0, P);
      this.scatterPreviousGrad(dHidden, ws.initialHiddenGrads, ld * B * P, dPrev, plan, t, d, P);
    }
  }

  /** The mirror of gatherPreviousState: add step t's ∂L/∂state_{prev} to the previous step's rows or to d(initial). */
  private scatterPreviousGrad(
    grads: Float32Array, initialGrads: Float32Array, initialOff: number, stepGrad: Float32Array,
    plan: PackedBatchPlan, t: number, d: number, H: number,
  ): void {
    const k = kernels();
    const bs = plan.batchSizes[t], carried = carriedRows(plan, t, d);
    if (carried > 0) k.axpy(grads, plan.offsets[previousStep(t, d)] * H, 1, stepGrad, 0, carried * H);
    if (carried < bs) k.axpy(initialGrads, initialOff + carried * H, 1, stepGrad, carried * H, (bs - carried) * H);
  }

  // ───────────────────────────────────────── visualisation ─────────────────────────────────────────

  /**
   * One sample's gate activations from the last forward, [T,H] each, zero past its length. LSTM: input,
   * forget, cell, output, cellState; GRU: reset, update, candidate; RNN: hidden.
   */
  gateActivations(layer: number, direction: number, sample: number): Record<string, Float32Array> {
    const ws = this.workspace;
    if (!ws || !this.lastForward) throw new Error(`${this.opName}.gateActivations: no forward has run yet`);
    const plan = ws.plan, T = plan.time, H = this.hiddenSize, G = this.cell.gateCount * H;
    if (!(layer >= 0 && layer < this.numLayers)) throw new Error(`${this.opName}.gateActivations: layer ${layer} outside [0, ${this.numLayers})`);
    if (!(direction >= 0 && direction < this.directions)) throw new Error(`${this.opName}.gateActivations: direction ${direction} outside [0, ${this.directions})`);
    if (!(sample >= 0 && sample < plan.batch)) throw new Error(`${this.opName}.gateActivations: sample ${sample} outside [0, ${plan.batch})`);
    const cache = ws.caches[layer * this.directions + direction];
    const r = plan.rankOf[sample], length = plan.sortedLengths[r];
    const result: Record<string, Float32Array> = {};
    const take = (source: Float32Array, width: number, column: number) => {
      const out = new Float32Array(T * H); // [T,H], for the panel: a fresh transferable array
      for (let t = 0; t < length; t++) copyRows(out, t * H, 0, source, plan.row(t, r) * width + column, 0, 1, H);
      return out;
    };
    if (this.cellKind === 'rnn_tanh' || this.cellKind === 'rnn_relu') {
      result.hidden = take(cache.hidden, H, 0);
    } else {
      this.cell.gateNames.forEach((name, gate) => (result[name] = take(cache.gates, G, gate * H)));
      if (cache.cell) result.cellState = take(cache.cell, H, 0);
    }
    return result;
  }

  /**
   * Per layer, ‖∂L/∂h_t‖ over the batch (both directions) for each step t of the last backward — the gradient
   * flow through time. Empty rows before any backward (a panel hook should not throw mid-training).
   */
  hiddenGradientNorms(): number[][] {
    const ws = this.normsWorkspace;
    const T = ws ? ws.plan.time : 0;
    const out: number[][] = [];
    for (let l = 0; l < this.numLayers; l++) {
      const row: number[] = [];
      for (let t = 0; t < T; t++) row.push(Math.sqrt(ws!.hiddenGradSquares[l * T + t]));
      out.push(row);
    }
    return out;
  }
}

/** A buffer and the offset of a step's first row in it. */
interface StateRows {
  buffer: Float32Array;
  offset: number;
}

/** The step whose state step t continues from: t−1 forward, t+1 reverse (outside [0, T) at a direction's start). */
function previousStep(t: number, d: number): number {
  return d === 0 ? t - 1 : t + 1;
}

/** How many rows of step t continue from the previous step; sequences are sorted, so they are its first rows. */
function carriedRows(plan: PackedBatchPlan, t: number, d: number): number {
  const from = previousStep(t, d);
  return from >= 0 && from < plan.time ? Math.min(plan.batchSizes[t], plan.batchSizes[from]) : 0;
}

/** prev[prevOff…] = the state of each row of step t before the step: carried from the previous step, else initial. */
function gatherPreviousState(
  prev: Float32Array, prevOff: number, states: Float32Array, initial: Float32Array, initialOff: number,
  plan: PackedBatchPlan, t: number, d: number, H: number,
): void {
  const bs = plan.batchSizes[t], carried = carriedRows(plan, t, d);
  if (carried > 0) copyRows(prev, prevOff, 0, states, plan.offsets[previousStep(t, d)] * H, 0, 1, carried * H);
  if (carried < bs) copyRows(prev, prevOff + carried * H, 0, initial, initialOff + carried * H, 0, 1, (bs - carried) * H);
}
