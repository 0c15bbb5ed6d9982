/**
 * What "saturated" means for each kind of gate value, and the share of saturated values in a snapshot.
 * A saturated activation sits on a flat part of its curve, so it passes almost no gradient:
 *  - sigmoid gates (LSTM i, f, o; GRU r, z) in [0, 1]: below 0.1 or above 0.9 (σ' < 0.09, a third of its peak);
 *  - tanh values (LSTM candidate g, GRU candidate n, tanh-RNN h) in [−1, 1]: |v| above 0.9 (tanh' < 0.19);
 *    a value near 0 is the *most* sensitive part of tanh, never saturated;
 *  - the LSTM cell state c is unbounded; what saturates is tanh(c) in h = o·tanh(c): |tanh(c)| above 0.9;
 *  - a ReLU RNN's h has no upper flat part, so no share is reported for it.
 */

export type SaturationKind = 'sigmoid' | 'tanh' | 'cellState';

const sigmoidGates = new Set(['input', 'forget', 'output', 'reset', 'update']);
const tanhGates = new Set(['cell', 'candidate']);

/** How a gate's saturation is judged; undefined where the idea does not apply (a ReLU RNN's h). */
export function saturationKind(gateName: string, nonlinearity: 'tanh' | 'relu' = 'tanh'): SaturationKind | undefined {
  if (sigmoidGates.has(gateName)) return 'sigmoid';
  if (tanhGates.has(gateName)) return 'tanh';
  if (gateName === 'hidden') return nonlinearity === 'tanh' ? 'tanh' : undefined;
  if (gateName === 'cellState') return 'cellState';
  return undefined;
}

const SIGMOID_LOW = 0.1;
const SIGMOID_HIGH = 0.9;
const TANH_BOUND = 0.9;
/** |c| above atanh(0.9) ⇔ |tanh(c)| above 0.9, without a tanh per value. */
const CELL_BOUND = Math.atanh(TANH_BOUND);

/** The rule in words, as the gates panel states it. */
export const saturationRules: Record<SaturationKind, string> = {
  sigmoid: `below ${SIGMOID_LOW} or above ${SIGMOID_HIGH}`,
  tanh: `|value| above ${TANH_BOUND}`,
  cellState: `|tanh(c)| above ${TANH_BOUND}`,
};

export function isSaturated(kind: SaturationKind, value: number): boolean {
  if (kind === 'sigmoid') return value < SIGMOID_LOW || value > SIGMOID_HIGH;
  return Math.abs(value) > (kind === 'tanh' ? TANH_BOUND : CELL_BOUND);
}

/** Share of `values` that are saturated for this kind (0 for no values). */
export function saturationShare(kind: SaturationKind, values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let saturated = 0;
  for (let i = 0; i < values.length; i++) if (isSaturated(kind, values[i])) saturated++;
  return saturated / values.length;
}
