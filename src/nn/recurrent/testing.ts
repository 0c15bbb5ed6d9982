import { Rng, Tensor } from '../../tensor';
import { GRU } from './gru';
import { LSTM } from './lstm';
import { RNN } from './rnn';
import type { FusedRecurrent } from './fusedRecurrent';
import type { RecurrentOptions } from './types';

/** Small helpers shared by the recurrent tests (not exported from the package index). */
export function randomTensor(rng: Rng, shape: number[], scale = 1): Tensor {
  const t = Tensor.zeros(shape);
  rng.fillNormal(t.data, 0, scale);
  return t;
}

export type CellName = 'rnn' | 'lstm' | 'gru';

export function makeLayer(cell: CellName, options: RecurrentOptions, seed = 1): FusedRecurrent {
  const rng = new Rng(seed);
  if (cell === 'lstm') return new LSTM(options, rng);
  if (cell === 'gru') return new GRU(options, rng);
  return new RNN(options, rng);
}

/** Elements [b, t0..t1) of a [B,T,W] tensor as a plain array (copied, safe across later calls). */
export function timeSlice(t: Tensor, b: number, t0: number, t1: number): number[] {
  const [, T, W] = t.shape;
  return Array.from(t.data.subarray((b * T + t0) * W, (b * T + t1) * W));
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
      throw new Error(`${what}[${i}]: ${actual[i]} vs expected ${expected[i]} (tolerance ${tolerance})`);
    }
  }
}
