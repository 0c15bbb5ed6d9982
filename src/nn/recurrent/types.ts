import type { Rng, Tensor } from '../../tensor';

/**
 * The public shapes of the fused recurrent layers, PyTorch's `nn.RNN` / `nn.LSTM` / `nn.GRU` with
 * `batch_first=True`. Shape letters: B batch, T time, I input, H hidden, P projection, S state width (P or H), D directions
 * (1 or 2), L layers.
 */
export interface RecurrentOptions {
  inputSize: number;
  hiddenSize: number;
  numLayers?: number; //        default 1
  bidirectional?: boolean; //   default false
  /** Dropout on the outputs of every layer except the last, in training mode only (PyTorch's `dropout`). */
  dropout?: number;
  /** RNN only: the cell's nonlinearity (default tanh). */
  nonlinearity?: 'tanh' | 'relu';
  bias?: boolean; //            default true
  /**
   * LSTM only, PyTorch's `proj_size` P (0 < P < H; default 0 = none): h_t = W_hr·(o_t ⊙ tanh(c_t)) is P wide,
   * so h0/h_n are [L·D,B,P], the output is [B,T,D·P] and the next layer reads D·P; c_t stays H wide.
   */
  projSize?: number;
}

/** The four cells PyTorch implements, named as its cuDNN modes are. */
export type RecurrentCellKind = 'rnn_tanh' | 'rnn_relu' | 'lstm' | 'gru';

export interface RecurrentForwardOptions {
  /** Real length of each sequence (1 ≤ length ≤ T), `pack_padded_sequence(enforce_sorted=False)` semantics. */
  lengths?: ArrayLike<number>;
  h0?: Tensor; //  [L·D,B,S] (S = P with a projection, else H), zeros when absent
  c0?: Tensor; //  [L·D,B,H], LSTM only
  /** Source of dropout masks; defaults to a generator forked from the one given at construction. */
  rng?: Rng;
}

/** Tensors live in the layer's workspace and are overwritten by the next forward with the same (B, T). */
export interface RecurrentForwardResult {
  output: Tensor; // [B,T,D·S], exactly zero past each sequence's length
  hN: Tensor; //     [L·D,B,S], each sequence's state at its last real step
  cN?: Tensor; //    [L·D,B,H], LSTM only
}

export interface RecurrentBackwardInput {
  dOutput?: Tensor; // [B,T,D·S]; entries past a sequence's length are ignored
  dhN?: Tensor; //     [L·D,B,S]
  dcN?: Tensor; //     [L·D,B,H], LSTM only
  /** False when nothing uses dInput (raw features, not an embedding): its GEMM and unpacking are skipped. */
  needInputGradient?: boolean; // default true
}

export interface RecurrentBackwardResult {
  dInput?: Tensor; // [B,T,I], zero past each sequence's length; absent when needInputGradient is false
  dh0: Tensor; //    [L·D,B,S]
  dc0?: Tensor; //   [L·D,B,H], LSTM only
}
