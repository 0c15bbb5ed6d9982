import type { Rng } from '../../tensor';
import { FusedRecurrent } from './fusedRecurrent';
import type { RecurrentOptions } from './types';

/** Elman RNN, PyTorch's `nn.RNN(batch_first=True)`: h_t = act(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh). */
export class RNN extends FusedRecurrent {
  constructor(options: RecurrentOptions, rng: Rng) {
    const nonlinearity = options.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw new Error(`RNN: nonlinearity must be 'tanh' or 'relu', got '${String(nonlinearity)}'`);
    super('RNN', nonlinearity === 'tanh' ? 'rnn_tanh' : 'rnn_relu', options, rng);
  }
}
