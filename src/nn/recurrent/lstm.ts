import type { Rng } from '../../tensor';
import { FusedRecurrent } from './fusedRecurrent';
import type { RecurrentOptions } from './types';

/**
 * LSTM, PyTorch's `nn.LSTM(batch_first=True)` without projections. Gates stacked i, f, g, o:
 * c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t).
 */
export class LSTM extends FusedRecurrent {
  constructor(options: RecurrentOptions, rng: Rng) {
    if (options.nonlinearity !== undefined) throw new Error(`LSTM: nonlinearity is an RNN option (got '${options.nonlinearity}')`);
    super('LSTM', 'lstm', options, rng);
  }
}
