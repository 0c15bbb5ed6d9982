/**
 * A stack of recurrent layers as one unit with PyTorch's interface (`output`, `h_n`, `c_n`).
 *
 * A plain stack is ONE multi-layer recurrent module (names `weight_ih_l0`, `weight_ih_l1`, … exactly as
 * `nn.LSTM(num_layers=L)`). Deep stacks with residual connections or layer norm are split into single-layer
 * modules (still named `weight_ih_l{k}`; layer norms `<stack>_norms.k.weight`) so something can sit between the layers:
 *   x_{k+1} = LayerNorm(layer_k(dropout(x_k)) + x_k)     (residual when widths match, norm when asked).
 *
 * Shape letters: B batch, T time, I input, H hidden, D directions, L layers.
 */
import { Tensor, Rng } from '../tensor';
import type { Module, NamedParameter } from '../nn/parameter';
import { prefixed } from '../nn/parameter';
import { LSTM, GRU, RNN } from '../nn/recurrent';
import { Dropout } from '../nn/dropout';
import { LayerNorm } from '../nn/layerNorm';
import type { RecurrentSpec, CellType } from '../modelSpec/types';
import { stateWidth } from '../modelSpec/shapes';

import type { RecurrentForwardOptions, RecurrentForwardResult, RecurrentBackwardInput, RecurrentBackwardResult } from '../nn/recurrent/types';
import { heapCopy, heapZeros } from './heapTensors';
export type { RecurrentForwardOptions, RecurrentForwardResult, RecurrentBackwardInput, RecurrentBackwardResult };

/** What the trainer needs from a fused recurrent layer (src/nn/recurrent implements it). */
export interface RecurrentModule extends Module {
  forward(x: Tensor, options?: RecurrentForwardOptions): RecurrentForwardResult;
  backward(gradients: RecurrentBackwardInput): RecurrentBackwardResult;
  gateActivations(layer: number, direction: number, sample: number): Record<string, Float32Array>;
  hiddenGradientNorms(): number[][];
  readonly defaultDropoutRng: Rng;
}

export function createRecurrentModule(
  cell: CellType,
  options: { inputSize: number; hiddenSize: number; numLayers: number; bidirectional: boolean; dropout: number; nonlinearity?: 'tanh' | 'relu'; bias?: boolean; projSize?: number },
  rng: Rng,
): RecurrentModule {
  if (cell === 'lstm') return new LSTM(options, rng) as unknown as RecurrentModule;
  if (cell === 'gru') return new GRU(options, rng) as unknown as RecurrentModule;
  return new RNN({ ...options, nonlinearity: options.nonlinearity ?? 'tanh' }, rng) as unknown as RecurrentModule;
}

export class RecurrentStack implements Module {
  readonly cell: CellType;
  readonly hiddenSize: number;
  /** Width S of h_t, h0 and h_n: the LSTM's projSize when it projects, else hiddenSize (c_t stays hiddenSize). */
  readonly stateSize: number;
  readonly numLayers: number;
  readonly directions: number;
  readonly outputSize: number; // D·S
  /** One module for a plain stack; one per layer when residual/layerNorm need to sit between layers. */
  readonly modules: RecurrentModule[];
  private readonly norms: LayerNorm[] = [];
  private readonly dropouts: Dropout[] = [];
  private readonly residualAt: boolean[] = [];
  private readonly split: boolean;
  // Per-layer inputs kept for the residual backward (the sum's other branch).
  private cachedLayerOutputs: Tensor[] = [];
  private cachedHN: Tensor | undefined;
  private cachedCN: Tensor | undefined;
  private training = true;
  private unpackedLengthsBuffer = new Int32Array(0);

  constructor(readonly spec: RecurrentSpec, readonly inputSize: number, rng: Rng) {
    this.cell = spec.cell;
    this.hiddenSize = spec.hiddenSize;
    this.numLayers = spec.numLayers ?? 1;
    this.directions = spec.bidirectional ? 2 : 1;
    this.stateSize = stateWidth(spec);
    this.outputSize = this.directions * this.stateSize;
    this.split = Boolean(spec.residual || spec.layerNorm) && this.numLayers > 0;
    const dropout = spec.dropout ?? 0;
    const common = { hiddenSize: this.hiddenSize, bidirectional: this.directions === 2, nonlinearity: spec.nonlinearity, bias: spec.bias ?? true, projSize: spec.projSize ?? 0 };
    if (!this.split) {
      this.modules = [createRecurrentModule(this.cell, { ...common, inputSize, numLayers: this.numLayers, dropout: this.numLayers > 1 ? dropout : 0 }, rng)];
    } else {
      this.modules = [];
      for (let k = 0; k < this.numLayers; k++) {
        const layerInput = k === 0 ? inputSize : this.outputSize;
        this.modules.push(createRecurrentModule(this.cell, { ...common, inputSize: layerInput, numLayers: 1, dropout: 0 }, rng));
        this.residualAt.push(Boolean(spec.residual) && layerInput === this.outputSize);
        if (spec.layerNorm) this.norms.push(new LayerNorm(this.outputSize));
        this.dropouts.push(new Dropout(k > 0 ? dropout : 0, rng.fork()));
      }
    }
  }

  namedParameters(): NamedParameter[] {
    if (!this.split) return this.modules[0].namedParameters();
    const out: NamedParameter[] = [];
    // Layer k's own `_l0` parameters are named `_l{k}`, as in one multi-layer module: the names do not depend
    // on whether something sits between the layers.
    this.modules.forEach((m, k) => out.push(...m.namedParameters().map((p) => ({ name: p.name.replace(/_l0(_reverse)?$/, `_l${k}$1`), parameter: p.parameter }))));
    return out;
  }

  /** LayerNorm parameters, which PyTorch keeps beside the recurrent module (`encoder_norms.k.weight`). */
  normParameters(): NamedParameter[] {
    const out: NamedParameter[] = [];
    this.norms.forEach((n, k) => out.push(...prefixed(String(k), n.namedParameters())));
    return out;
  }

  setTraining(training: boolean): void {
    this.training = training;
    for (const m of this.modules) m.setTraining(training);
    for (const d of this.dropouts) d.setTraining(training);
    for (const n of this.norms) (n as Module).setTraining(training);
  }

  /** The generators of its between-layer dropouts, its own and its modules' (a checkpoint saves their states). */
  dropoutGenerators(): Rng[] {
    return [...this.modules.map((m) => m.defaultDropoutRng), ...this.dropouts.map((d) => d.rng)];
  }

  /** Gate activations of one sample for `layer` (global layer index over the stack). */
  gateActivations(layer: number, direction: number, sample: number): Record<string, Float32Array> {
    return this.split ? this.modules[layer].gateActivations(0, direction, sample) : this.modules[0].gateActivations(layer, direction, sample);
  }

  /** ‖∂L/∂h_t‖ per layer (index = layer) after backward. */
  hiddenGradientNorms(): number[][] {
    if (!this.split) return this.modules[0].hiddenGradientNorms();
    return this.modules.map((m) => m.hiddenGradientNorms()[0] ?? []);
  }

  forward(x: Tensor, givenOptions: RecurrentForwardOptions = {}): RecurrentForwardResult {
    // packed: false is PyTorch's unpacked call on the batch padded to its own longest sequence: every sequence
    // runs over the padding up to that length (h_n then comes from the padded end: the behaviour the tutorial
    // warns about, kept so it can be shown). Steps past it, which only keep shapes fixed, are not run.
    const options = this.spec.packed === false ? { ...givenOptions, lengths: this.unpackedLengths(givenOptions.lengths) } : givenOptions;
    if (!this.split) return this.modules[0].forward(x, options);
    const LD = this.numLayers * this.directions;
    const B = x.shape[0];
    const H = this.hiddenSize, S = this.stateSize;
    const D = this.directions;
    const hN = ensure(this.cachedHN, [LD, B, S]);
    const cN = this.cell === 'lstm' ? ensure(this.cachedCN, [LD, B, H]) : undefined;
    this.cachedHN = hN;
    this.cachedCN = cN;
    this.cachedLayerOutputs = [];
    let current = x;
    for (let k = 0; k < this.numLayers; k++) {
      const layerInput = k > 0 ? this.dropouts[k].forward(current) : current;
      const h0 = options.h0 ? sliceLayers(options.h0, k * D, D) : undefined;
      const c0 = options.c0 ? sliceLayers(options.c0, k * D, D) : undefined;
      const r = this.modules[k].forward(layerInput, { lengths: options.lengths, h0, c0, rng: options.rng });
      hN.data.set(r.hN.data, k * D * B * S);
      if (cN && r.cN) cN.data.set(r.cN.data, k * D * B * H);
      // Copy: the module reuses its output buffer, and the residual sum must not write into it.
      let y = heapCopy(r.output);
      if (this.residualAt[k]) for (let i = 0; i < y.data.length; i++) y.data[i] += current.data[i];
      if (this.norms.length) y = heapCopy(this.norms[k].forward(y));
      this.cachedLayerOutputs.push(y);
      current = y;
    }
    return { output: current, hN, cN };
  }

  /** Every sequence as long as the batch's longest one; reuses one buffer (the layers copy the lengths). */
  private unpackedLengths(lengths: ArrayLike<number> | undefined): Int32Array | undefined {
    if (lengths === undefined) return undefined;
    if (this.unpackedLengthsBuffer.length !== lengths.length) this.unpackedLengthsBuffer = new Int32Array(lengths.length);
    let longest = 0;
    for (let b = 0; b < lengths.length; b++) longest = Math.max(longest, lengths[b]);
    return this.unpackedLengthsBuffer.fill(longest);
  }

  backward(gradients: RecurrentBackwardInput): RecurrentBackwardResult {
    if (!this.split) return this.modules[0].backward(gradients);
    const D = this.directions;
    const top = this.cachedLayerOutputs[this.numLayers - 1];
    const [B, T] = top.shape;
    const H = this.hiddenSize, S = this.stateSize;
    const LD = this.numLayers * D;
    const dh0 = heapZeros([LD, B, S]);
    const dc0 = this.cell === 'lstm' ? heapZeros([LD, B, H]) : undefined;
    let dY = gradients.dOutput ? heapCopy(gradients.dOutput) : heapZeros([B, T, this.outputSize]);
    const needInputGradient = gradients.needInputGradient ?? true;
    for (let k = this.numLayers - 1; k >= 0; k--) {
      if (this.norms.length) dY = heapCopy(this.norms[k].backward(dY));
      const dhN = gradients.dhN ? sliceLayers(gradients.dhN, k * D, D) : undefined;
      const dcN = gradients.dcN ? sliceLayers(gradients.dcN, k * D, D) : undefined;
      const r = this.modules[k].backward({ dOutput: dY, dhN, dcN, needInputGradient: k > 0 || needInputGradient });
      dh0.data.set(r.dh0.data, k * D * B * S);
      if (dc0 && r.dc0) dc0.data.set(r.dc0.data, k * D * B * H);
      if (!r.dInput) return { dh0, dc0 }; // the stack's own input gradient, not asked for
      let dLayerInput = heapCopy(r.dInput);
      if (k > 0) dLayerInput = heapCopy(this.dropouts[k].backward(dLayerInput));
      if (this.residualAt[k]) for (let i = 0; i < dLayerInput.data.length; i++) dLayerInput.data[i] += dY.data[i];
      dY = dLayerInput;
    }
    return { dInput: dY, dh0, dc0 };
  }

  get isTraining(): boolean {
    return this.training;
  }
}

function ensure(existing: Tensor | undefined, shape: number[]): Tensor {
  if (existing && existing.shape.length === shape.length && existing.shape.every((d, i) => d === shape[i])) return existing;
  return heapZeros(shape);
}

/** Rows [first, first+count) of a [L·D,B,H] state as a new [count,B,H] tensor. */
export function sliceLayers(state: Tensor, first: number, count: number): Tensor {
  const [, B, H] = state.shape;
  return new Tensor(state.data.slice(first * B * H, (first + count) * B * H), [count, B, H]);
}
