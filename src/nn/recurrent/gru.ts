import type { Rng } from '../../tensor';
import { FusedRecurrent } from './fusedRecurrent';
import type { RecurrentOptions } from './types';

/**
 * GRU, PyTorch's `nn.GRU(batch_first=True)`. Gates stacked r, z, n; the reset gate multiplies the whole
 * hidden projection of n, bias included: n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h = (1 − z) ⊙ n + z ⊙ h.
 */
export class GRU extends FusedRecurrent {
  constructor(options: RecurrentOptions, rng: Rng) {
    if (options.nonlinearity !== undefined) throw new Error(`GRU: nonlinearity is an RNN option (got '${options.nonlinearity}')`);
    super('GRU', 'gru', options, rng);
  }
}
