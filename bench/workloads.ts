// The benchmark workloads of the core issue (W1–W5), described once as plain data: SeqLab builds them from
// src/nn, and the peer scripts (bench/peers) receive the same JSON, so every framework runs the same shapes.
import { recurrentFlops } from '../src/nn/recurrent';

export interface Workload {
  id: string;
  title: string;
  cell: 'lstm' | 'gru';
  /** Token ids through an embedding (vocab, dim) instead of float features. */
  embedding?: { vocab: number; dim: number };
  inputSize: number; // I: features per step (the embedding dim when there is one)
  hidden: number; //    H
  layers: number; //    L
  bidirectional: boolean;
  T: number;
  B: number;
  /** 'last': Linear on the top layer's final state; 'perStep': Linear on every step's output (a tagger). */
  head: 'last' | 'perStep';
  outputs: number; //   O: regression outputs or classes
  loss: 'mse' | 'ce';
}

export const WORKLOADS: readonly Workload[] = [
  { id: 'W1', title: 'LSTM 64×2 forecaster, T30 B32', cell: 'lstm', inputSize: 1, hidden: 64, layers: 2, bidirectional: false, T: 30, B: 32, head: 'last', outputs: 1, loss: 'mse' },
  { id: 'W2', title: 'emb128 LSTM256 sentiment, T50 B32', cell: 'lstm', embedding: { vocab: 10000, dim: 128 }, inputSize: 128, hidden: 256, layers: 1, bidirectional: false, T: 50, B: 32, head: 'last', outputs: 2, loss: 'ce' },
  { id: 'W3', title: 'emb128 BiLSTM256 tagger, T50 B32', cell: 'lstm', embedding: { vocab: 10000, dim: 128 }, inputSize: 128, hidden: 256, layers: 1, bidirectional: true, T: 50, B: 32, head: 'perStep', outputs: 9, loss: 'ce' },
  { id: 'W4', title: 'GRU 64, T30 B32', cell: 'gru', inputSize: 1, hidden: 64, layers: 1, bidirectional: false, T: 30, B: 32, head: 'last', outputs: 1, loss: 'mse' },
  { id: 'W5', title: 'LSTM128 long, T200 B64', cell: 'lstm', inputSize: 2, hidden: 128, layers: 1, bidirectional: false, T: 200, B: 64, head: 'last', outputs: 1, loss: 'mse' },
];

/** Forward FLOPs of one batch: the recurrent stack (GEMMs, biases, cells) plus the head's GEMM. */
export function forwardFlops(w: Workload): number {
  const D = w.bidirectional ? 2 : 1;
  const headRows = w.head === 'perStep' ? w.B * w.T : w.B;
  const recurrent = recurrentFlops({ cell: w.cell, inputSize: w.inputSize, hiddenSize: w.hidden, numLayers: w.layers, bidirectional: w.bidirectional }, w.B, w.T);
  return recurrent + 2 * headRows * D * w.hidden * w.outputs;
}

/** A training step is a forward and a backward of about twice its cost (two GEMMs per forward GEMM). */
export function trainingFlops(w: Workload): number {
  return 3 * forwardFlops(w);
}
