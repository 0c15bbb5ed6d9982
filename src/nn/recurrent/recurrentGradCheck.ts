import { Rng, Tensor } from '../../tensor';
import { gradCheck, weightedSum, type GradCheckResult, type GradCheckTarget } from '../gradcheck';
import { zeroGrads } from '../parameter';
import type { FusedRecurrent } from './fusedRecurrent';

/**
 * The finite-difference check shared by the per-cell grad tests: loss = Σ w·output + Σ w·h_n (+ Σ w·c_n)
 * with fixed random weights (padding entries included, which must receive no gradient), checked w.r.t.
 * every parameter, the input and the initial states.
 */
export interface RecurrentGradCheckCase {
  batch: number;
  time: number;
  lengths?: number[];
  initialState?: boolean;
  /** Run in training mode with this dropout seed: the same mask every evaluation, so the loss is smooth. */
  dropoutSeed?: number;
  seed?: number;
  /** The cell has kinks (ReLU): central differences only (see GradCheckOptions.kinks). */
  kinks?: boolean;
}

export function checkRecurrentGradients(layer: FusedRecurrent, c: RecurrentGradCheckCase): GradCheckResult[] {
  const rng = new Rng(c.seed ?? 3);
  const B = c.batch, T = c.time, H = layer.hiddenSize, S = layer.stateSize, LD = layer.numLayers * layer.directions;
  const isLstm = layer.cellKind === 'lstm';
  const random = (shape: number[], scale = 1) => {
    const t = Tensor.zeros(shape);
    rng.fillNormal(t.data, 0, scale);
    return t;
  };
  const x = random([B, T, layer.inputSize]);
  const h0 = c.initialState ? random([LD, B, S], 0.5) : undefined;
  const c0 = c.initialState && isLstm ? random([LD, B, H], 0.5) : undefined;
  const wOutput = random([B, T, layer.directions * S]);
  const wHidden = random([LD, B, S]);
  const wCell = random([LD, B, H]);
  layer.setTraining(c.dropoutSeed !== undefined);

  const run = () => layer.forward(x, { lengths: c.lengths, h0, c0, rng: new Rng(c.dropoutSeed ?? 0) });
  const loss = () => {
    const r = run();
    return weightedSum(r.output.data, wOutput.data) + weightedSum(r.hN.data, wHidden.data) + (r.cN ? weightedSum(r.cN.data, wCell.data) : 0);
  };

  const params = layer.namedParameters();
  zeroGrads(params);
  run();
  const grads = layer.backward({ dOutput: wOutput, dhN: wHidden, dcN: isLstm ? wCell : undefined });
  // Copy: the gradient workspaces are reused by later calls, and gradCheck runs forward many times.
  const targets: GradCheckTarget[] = params.map((p) => ({ name: p.name, value: p.parameter.value.data, grad: p.parameter.grad.data.slice() }));
  targets.push({ name: 'input', value: x.data, grad: grads.dInput.data.slice() });
  if (h0) targets.push({ name: 'h0', value: h0.data, grad: grads.dh0.data.slice() });
  if (c0 && grads.dc0) targets.push({ name: 'c0', value: c0.data, grad: grads.dc0.data.slice() });
  return gradCheck(loss, targets, { kinks: c.kinks });
}
