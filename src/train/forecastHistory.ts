/**
 * The past values a forecast sample is drawn after (the predictions panel's "history" line): the first target
 * column over the example's input window, in original units. The input column and the normaliser column of the
 * target are looked up separately: the normaliser holds the inputs and then targets that are not inputs
 * (`info.normalizerColumns`), so an index into `inputColumns` is not an index into the normaliser.
 */
import type { DataInfo } from '../data/types';

/**
 * History of example b of a series batch: `inputs` is [B,T,I] normalised, `steps` is T, `length` the example's
 * real steps. Empty when the target is not among the inputs (the window then holds no past target values).
 * Synthetic series name no columns: their single target is input column 0. `anchors` ([K], the example's last
 * target values) turn windows relative to their last value back into levels.
 */
export function forecastTargetHistory(info: DataInfo, inputs: Float32Array, b: number, steps: number, length: number, anchors?: Float32Array): number[] {
  const I = info.inputSize;
  const target = info.targetColumns?.[0];
  const inputColumn = target !== undefined && info.inputColumns ? info.inputColumns.indexOf(target) : 0;
  if (inputColumn < 0) return [];
  const normalizerColumn = target !== undefined && info.normalizerColumns ? info.normalizerColumns.indexOf(target) : inputColumn;
  const normalizer = info.normalizer;
  if (normalizer && normalizerColumn < 0) throw new Error(`forecast history: target column ${JSON.stringify(target)} has no normaliser statistics`);
  const level = info.relativeToLastValue ? anchors![0] : 0;
  const history: number[] = [];
  for (let t = 0; t < length; t++) {
    const value = inputs[(b * steps + t) * I + inputColumn];
    history.push((normalizer ? normalizer.denormalize(value, normalizerColumn) : value) + level);
  }
  return history;
}
