/**
 * Baselines of `regress-per-step` on a held-out split, in the targets' original units, over every real step and
 * target column (the numbers the model's MSE/RMSE/MAE are compared with):
 * - `mean…`: each target column's mean over the training windows' steps, predicted at every step;
 * - `linear…`: a least-squares linear map (with intercept) from the same step's inputs to its targets, fitted on
 *   the training windows' steps: what a model without memory of earlier steps reaches. A recurrent model has to
 *   beat it to show that it uses the context.
 * Both read the splits batch by batch (the stores' own batches), never one object per window.
 */
import type { Baselines, Batch, DataSplit, PreparedData } from './types';

const BATCH = 256;

function* batchesOf(split: DataSplit): Iterable<Batch> {
  yield* split.batches(BATCH, { shuffle: false });
}

/** Calls `visit(batch, b, t)` for every real step of a split. */
function forEachStep(split: DataSplit, visit: (batch: Batch, b: number, t: number) => void): void {
  for (const batch of batchesOf(split)) {
    for (let b = 0; b < batch.size; b++) for (let t = 0; t < Math.min(batch.steps, batch.lengths[b]); t++) visit(batch, b, t);
  }
}

export function perStepBaselines(prepared: PreparedData, heldOut: DataSplit): Baselines {
  const { info } = prepared;
  const I = info.inputSize;
  const K = info.outputSize;
  const P = I + 1; // the inputs and a constant 1 (the intercept)
  // Training sums, float64, in the normalised units the batches hold.
  const targetSum = new Float64Array(K);
  const xx = new Float64Array(P * P);
  const xy = new Float64Array(P * K);
  const x = new Float64Array(P);
  let steps = 0;
  forEachStep(prepared.train, (batch, b, t) => {
    const row = (b * batch.steps + t);
    for (let i = 0; i < I; i++) x[i] = batch.inputs![row * I + i];
    x[I] = 1;
    for (let p = 0; p < P; p++) {
      for (let q = 0; q < P; q++) xx[p * P + q] += x[p] * x[q];
      for (let k = 0; k < K; k++) xy[p * K + k] += x[p] * batch.targets![row * K + k];
    }
    for (let k = 0; k < K; k++) targetSum[k] += batch.targets![row * K + k];
    steps++;
  });
  if (steps === 0) return {};
  const mean = Float32Array.from(targetSum, (s) => s / steps);
  const weights = leastSquares(xx, xy, P, K);

  const errors = { mean: new ErrorSums(), linear: new ErrorSums() };
  const truth = new Float32Array(K);
  const meanPrediction = new Float32Array(K);
  const linearPrediction = new Float32Array(K);
  forEachStep(heldOut, (batch, b, t) => {
    const row = b * batch.steps + t;
    for (let k = 0; k < K; k++) {
      truth[k] = batch.targets![row * K + k];
      let value = weights[I * K + k];
      for (let i = 0; i < I; i++) value += weights[i * K + k] * batch.inputs![row * I + i];
      linearPrediction[k] = value;
    }
    meanPrediction.set(mean);
    // One row of K values: denormalizeTargets maps position i to target column i % K.
    info.denormalizeTargets(truth);
    info.denormalizeTargets(meanPrediction);
    info.denormalizeTargets(linearPrediction);
    errors.mean.add(meanPrediction, truth);
    errors.linear.add(linearPrediction, truth);
  });
  return { ...errors.mean.figures('mean'), ...errors.linear.figures('linear') };
}

class ErrorSums {
  private squared = 0;
  private absolute = 0;
  private count = 0;
  add(predicted: Float32Array, truth: Float32Array): void {
    for (let k = 0; k < truth.length; k++) {
      const e = predicted[k] - truth[k];
      this.squared += e * e;
      this.absolute += Math.abs(e);
    }
    this.count += truth.length;
  }
  figures(name: string): Baselines {
    if (this.count === 0) return {};
    const mse = this.squared / this.count;
    return { [`${name}Mse`]: mse, [`${name}Rmse`]: Math.sqrt(mse), [`${name}Mae`]: this.absolute / this.count };
  }
}

/**
 * Solves (XᵀX + λI)·W = XᵀY for W [P,K] by Gaussian elimination with partial pivoting, λ a relative 1e-9 of the
 * diagonal (keeps a constant or duplicated input column solvable; far below any real coefficient's effect).
 */
export function leastSquares(xx: Float64Array, xy: Float64Array, P: number, K: number): Float64Array {
  const a = Float64Array.from(xx);
  const w = Float64Array.from(xy);
  let trace = 0;
  for (let p = 0; p < P; p++) trace += a[p * P + p];
  const ridge = (1e-9 * trace) / P;
  for (let p = 0; p < P; p++) a[p * P + p] += ridge;
  for (let col = 0; col < P; col++) {
    let pivot = col;
    for (let r = col + 1; r < P; r++) if (Math.abs(a[r * P + col]) > Math.abs(a[pivot * P + col])) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < P; c++) [a[col * P + c], a[pivot * P + c]] = [a[pivot * P + c], a[col * P + c]];
      for (let k = 0; k < K; k++) [w[col * K + k], w[pivot * K + k]] = [w[pivot * K + k], w[col * K + k]];
    }
    const d = a[col * P + col];
    if (d === 0) continue;
    for (let r = 0; r < P; r++) {
      if (r === col) continue;
      const f = a[r * P + col] / d;
      if (f === 0) continue;
      for (let c = col; c < P; c++) a[r * P + c] -= f * a[col * P + c];
      for (let k = 0; k < K; k++) w[r * K + k] -= f * w[col * K + k];
    }
  }
  for (let p = 0; p < P; p++) {
    const d = a[p * P + p];
    for (let k = 0; k < K; k++) w[p * K + k] = d === 0 ? 0 : w[p * K + k] / d;
  }
  return w;
}
