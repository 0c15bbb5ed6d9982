/**
 * The gate-activation snapshots the gates panel shows: every gate of each layer (forward direction) for the
 * first sample of a validation batch, over its real steps, with each gate's saturated share.
 */
import type { Batch, PreparedData } from '../data/types';
import type { GateSnapshot } from './protocol';
import type { SequenceModel } from './model';
import { saturationKind, saturationRules, saturationShare } from './gateSaturation';

/** Gate activations of the first validation example, one snapshot per layer (forward direction). */
export function gateSnapshots(model: SequenceModel, batch: Batch, data: PreparedData, epoch: number, step: number): GateSnapshot[] {
  model.setTraining(false);
  model.forward(batch); // the encoder's forward cache now holds this batch
  const stack = model.probedStack;
  const T = batch.lengths[0];
  const timeLabels: string[] = [];
  for (let t = 0; t < T; t++) {
    if (batch.inputIds) timeLabels.push(data.info.vocabulary?.token(batch.inputIds[t]) ?? String(batch.inputIds[t]));
    else timeLabels.push((batch.inputs![t * data.info.inputSize] ?? 0).toFixed(2));
  }
  const snapshots: GateSnapshot[] = [];
  for (let layer = 0; layer < stack.numLayers; layer++) {
    const raw = stack.gateActivations(layer, 0, 0);
    const gates: Record<string, Float32Array> = {};
    const saturation: Record<string, number> = {};
    const saturationRule: Record<string, string> = {};
    const H = stack.hiddenSize;
    for (const [name, values] of Object.entries(raw)) {
      const v = values.slice(0, T * H); // real steps only
      gates[name] = v;
      const kind = saturationKind(name, stack.spec.nonlinearity);
      if (kind === undefined) continue;
      saturation[name] = saturationShare(kind, v);
      saturationRule[name] = saturationRules[kind];
    }
    snapshots.push({ type: 'gates', epoch, step, cell: stack.cell, layer, hiddenSize: H, steps: T, timeLabels, gates, saturation, saturationRule });
  }
  return snapshots;
}
