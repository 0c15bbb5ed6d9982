import { cellDescriptions } from './cellKinds';
import type { RecurrentCellKind, RecurrentOptions } from './types';

/**
 * Forward FLOPs of one batch of full-length sequences: 2·M·N·K per GEMM (input projection and recurrent
 * product), plus bias adds and the cell's pointwise work. Backward is about twice this (three GEMMs per two).
 */
export function recurrentFlops(options: RecurrentOptions & { cell: RecurrentCellKind | 'rnn' }, B: number, T: number): number {
  const kind: RecurrentCellKind = options.cell === 'rnn' ? (options.nonlinearity === 'relu' ? 'rnn_relu' : 'rnn_tanh') : options.cell;
  const cell = cellDescriptions[kind];
  const H = options.hiddenSize, D = options.bidirectional ? 2 : 1, L = options.numLayers ?? 1;
  const G = cell.gateCount * H, rows = B * T;
  let flops = 0;
  for (let l = 0; l < L; l++) {
    const I = l === 0 ? options.inputSize : D * H;
    const perDirection =
      2 * rows * G * I + // X·W_ihᵀ
      2 * rows * G * H + // h·W_hhᵀ
      (options.bias === false ? 0 : 2 * rows * G) + // b_ih + b_hh
      rows * H * cell.pointwiseFlopsPerUnit;
    flops += D * perDirection;
  }
  return flops;
}
