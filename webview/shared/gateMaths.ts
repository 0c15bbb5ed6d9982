/**
 * Gate-activation maths for the gates panel: value ranges per gate, one unit's trace, and
 * the RGBA pixels of a heatmap. Pure: no DOM. Legend: T time steps, H hidden units; gate arrays are [T, H]
 * row-major as in `GateSnapshot.gates`.
 */
import type { ColourScale } from './colourScale';

/** Sigmoid gates live in [0, 1]; tanh values in [-1, 1]; the cell state is unbounded. */
const sigmoidGateNames = new Set(['input', 'forget', 'output', 'reset', 'update']);
const tanhGateNames = new Set(['cell', 'candidate', 'hidden']);

export type GateRangeKind = 'sigmoid' | 'tanh' | 'unbounded';

export function gateRangeKind(gateName: string): GateRangeKind {
  if (sigmoidGateNames.has(gateName)) return 'sigmoid';
  if (tanhGateNames.has(gateName)) return 'tanh';
  return 'unbounded';
}

/** The legend's ends: fixed for bounded activations (so colours mean the same across snapshots), symmetric
 * around 0 for the cell state so that sign reads as hue. */
export function gateValueRange(gateName: string, values: ArrayLike<number>): { minimum: number; maximum: number } {
  const kind = gateRangeKind(gateName);
  if (kind === 'sigmoid') return { minimum: 0, maximum: 1 };
  if (kind === 'tanh') return { minimum: -1, maximum: 1 };
  let largestMagnitude = 0;
  for (let i = 0; i < values.length; i++) {
    const magnitude = Math.abs(values[i]);
    if (Number.isFinite(magnitude) && magnitude > largestMagnitude) largestMagnitude = magnitude;
  }
  const bound = largestMagnitude > 0 ? largestMagnitude : 1;
  return { minimum: -bound, maximum: bound };
}

/** Human names with the tutorial's symbols. */
const gateTitles: Record<string, string> = {
  input: 'Input gate i_t',
  forget: 'Forget gate f_t',
  cell: 'Cell candidate g_t (C̃_t)',
  output: 'Output gate o_t',
  cellState: 'Cell state c_t',
  reset: 'Reset gate r_t',
  update: 'Update gate z_t',
  candidate: 'Candidate n_t',
  hidden: 'Hidden state h_t',
};

export function gateTitle(gateName: string): string {
  return gateTitles[gateName] ?? gateName;
}

/** Display order of the tutorial (LSTM i, f, g, o, c; GRU r, z, n), unknown gates last in their given order. */
const gateOrder = ['input', 'forget', 'cell', 'output', 'cellState', 'reset', 'update', 'candidate', 'hidden'];

export function orderGateNames(gateNames: readonly string[]): string[] {
  const rank = (name: string) => {
    const i = gateOrder.indexOf(name);
    return i < 0 ? gateOrder.length : i;
  };
  return [...gateNames].map((name, index) => ({ name, index })).sort((a, b) => rank(a.name) - rank(b.name) || a.index - b.index).map((e) => e.name);
}

/** Values of unit `unit` at every time step: column `unit` of a [T, H] array → [T]. */
export function unitTrace(values: ArrayLike<number>, steps: number, hiddenSize: number, unit: number): number[] {
  if (unit < 0 || unit >= hiddenSize) throw new RangeError(`unit ${unit} is outside 0..${hiddenSize - 1}`);
  const trace: number[] = new Array(steps);
  for (let t = 0; t < steps; t++) trace[t] = values[t * hiddenSize + unit];
  return trace;
}

/**
 * Writes the heatmap image: time runs left to right, units top to bottom, so `out` is [H, T, 4] RGBA (one
 * pixel per value; the canvas scales it up without smoothing). `values` is [T, H].
 */
export function fillHeatmapPixels(out: Uint8ClampedArray, values: ArrayLike<number>, steps: number, hiddenSize: number, scale: ColourScale): void {
  if (out.length !== steps * hiddenSize * 4) throw new RangeError(`heatmap: pixel buffer has ${out.length} bytes, [${hiddenSize}, ${steps}, 4] needs ${steps * hiddenSize * 4}`);
  for (let t = 0; t < steps; t++) {
    for (let h = 0; h < hiddenSize; h++) {
      const colour = scale.colourOf(values[t * hiddenSize + h]);
      const pixel = (h * steps + t) * 4;
      out[pixel] = colour.red;
      out[pixel + 1] = colour.green;
      out[pixel + 2] = colour.blue;
      out[pixel + 3] = Math.round(colour.alpha * 255);
    }
  }
}

/**
 * Gate arrays arrive as Float32Array when the host transfers them, but as plain arrays or as objects with
 * numeric keys when they went through JSON (`JSON.stringify(new Float32Array(2))` is `{"0":0,"1":0}`).
 * Returns a Float32Array of `expectedLength`, or undefined when the data does not fit.
 */
export function toFloat32Values(data: unknown, expectedLength: number): Float32Array | undefined {
  let result: Float32Array | undefined;
  if (data instanceof Float32Array) result = data;
  else if (ArrayBuffer.isView(data) && !(data instanceof DataView)) result = Float32Array.from(data as unknown as ArrayLike<number>);
  else if (Array.isArray(data)) result = Float32Array.from(data as number[]);
  else if (data !== null && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    result = new Float32Array(expectedLength);
    for (let i = 0; i < expectedLength; i++) {
      const value = record[String(i)];
      if (typeof value !== 'number') return undefined;
      result[i] = value;
    }
  }
  return result !== undefined && result.length === expectedLength ? result : undefined;
}
