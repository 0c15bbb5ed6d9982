export { RNN } from './rnn';
export { LSTM } from './lstm';
export { GRU } from './gru';
export { FusedRecurrent } from './fusedRecurrent';
export type { DirectionWeights } from './fusedRecurrent';
export { DetachedState } from './truncatedBptt';
export { recurrentFlops } from './flops';
export { cellDescriptions } from './cellKinds';
export type { CellDescription } from './cellKinds';
export type {
  RecurrentOptions, RecurrentCellKind, RecurrentForwardOptions, RecurrentForwardResult,
  RecurrentBackwardInput, RecurrentBackwardResult,
} from './types';
