import type { RecurrentCellKind } from './types';

/**
 * What differs between the cells outside the fused kernels: how many gate blocks of H each weight matrix
 * stacks (PyTorch's order), and what the visualisation calls them.
 */
export interface CellDescription {
  /** Gate blocks stacked in weight_ih / weight_hh: G = gateCount·H rows. */
  gateCount: number;
  /** Names of the gate blocks in PyTorch's order, as the gate-activation panel shows them. */
  gateNames: readonly string[];
  /** Elementwise operations per hidden unit per step in the cell (FLOP estimate; activations count as one). */
  pointwiseFlopsPerUnit: number;
}

export const cellDescriptions: Record<RecurrentCellKind, CellDescription> = {
  // h = act(pre): one activation.
  rnn_tanh: { gateCount: 1, gateNames: ['hidden'], pointwiseFlopsPerUnit: 1 },
  rnn_relu: { gateCount: 1, gateNames: ['hidden'], pointwiseFlopsPerUnit: 1 },
  // 4 activations, c = f·c + i·g (3), h = o·tanh(c) (2).
  lstm: { gateCount: 4, gateNames: ['input', 'forget', 'cell', 'output'], pointwiseFlopsPerUnit: 9 },
  // r, z: 2 adds + 2 sigmoids; n: mul, 2 adds, tanh; h = (1−z)·n + z·h: 4.
  gru: { gateCount: 3, gateNames: ['reset', 'update', 'candidate'], pointwiseFlopsPerUnit: 12 },
};
