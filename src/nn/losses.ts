import { Tensor, formatShape, kernels, sigmoid } from '../tensor';
import { reuseOrAllocate, sameShape } from './workspace';

/**
 * Losses with PyTorch's default mean reduction. `forward` returns the loss (computed in float64) and keeps
 * what `backward` needs; `backward(gradOutput = 1)` returns d(loss)/d(prediction) in a buffer reused across
 * calls of the same shape (read or copy it before the next call).
 */
export interface Loss<TTarget> {
  forward(prediction: Tensor, target: TTarget): number;
  backward(gradOutput?: number): Tensor;
}

/** Shared plumbing for the elementwise losses: shape check, saved inputs, gradient buffer. */
abstract class ElementwiseLoss implements Loss<Tensor> {
  private predictions = new Float32Array(0); // copies: the caller may reuse its buffers before backward
  private targets = new Float32Array(0);
  private gradient: Tensor | undefined;
  private predictionShape: readonly number[] | undefined;

  constructor(private readonly label: string) {}

  forward(prediction: Tensor, target: Tensor): number {
    if (!sameShape(prediction.shape, target.shape)) {
      throw new Error(`${this.label}: prediction ${formatShape(prediction.shape, prediction.names)} and target ${formatShape(target.shape, target.names)} must have the same shape`);
    }
    const n = prediction.size;
    if (this.predictions.length !== n) {
      this.predictions = new Float32Array(n);
      this.targets = new Float32Array(n);
    }
    this.predictions.set(prediction.data);
    this.targets.set(target.data);
    let total = 0;
    for (let i = 0; i < n; i++) total += this.elementLoss(prediction.data[i], target.data[i]);
    this.predictionShape = prediction.shape;
    return total / n; // 0/0 = NaN for an empty input, as in PyTorch
  }

  backward(gradOutput = 1): Tensor {
    if (!this.predictionShape) throw new Error(`${this.label}.backward: called before forward`);
    const g = (this.gradient = reuseOrAllocate(this.gradient, this.predictionShape));
    const n = g.size;
    const scale = gradOutput / n;
    for (let i = 0; i < n; i++) g.data[i] = scale * this.elementGradient(this.predictions[i], this.targets[i]);
    return g;
  }

  /** Loss of one element, prediction x against target y (float64). */
  protected abstract elementLoss(x: number, y: number): number;
  /** d(elementLoss)/dx. */
  protected abstract elementGradient(x: number, y: number): number;
}

/** mean((x − y)²) */
export class MSELoss extends ElementwiseLoss {
  constructor() {
    super('MSELoss');
  }
  protected elementLoss(x: number, y: number): number {
    return (x - y) * (x - y);
  }
  protected elementGradient(x: number, y: number): number {
    return 2 * (x - y);
  }
}

/** mean(|x − y|); the gradient at a zero difference is 0, like PyTorch's sign(). */
export class L1Loss extends ElementwiseLoss {
  constructor() {
    super('L1Loss');
  }
  protected elementLoss(x: number, y: number): number {
    return Math.abs(x - y);
  }
  protected elementGradient(x: number, y: number): number {
    return x > y ? 1 : x < y ? -1 : 0;
  }
}

/** PyTorch's `HuberLoss(delta)`: ½d² where |d| ≤ δ, else δ(|d| − ½δ). */
export class HuberLoss extends ElementwiseLoss {
  constructor(readonly delta = 1) {
    super('HuberLoss');
    if (!(delta > 0)) throw new Error(`HuberLoss: delta must be positive, got ${delta}`);
  }
  protected elementLoss(x: number, y: number): number {
    const d = x - y;
    const a = Math.abs(d);
    return a <= this.delta ? 0.5 * d * d : this.delta * (a - 0.5 * this.delta);
  }
  protected elementGradient(x: number, y: number): number {
    const d = x - y;
    return d < -this.delta ? -this.delta : d > this.delta ? this.delta : d;
  }
}

export interface CrossEntropyOptions {
  /** Targets equal to this contribute nothing and are not counted in the mean (PyTorch default −100). */
  ignoreIndex?: number;
  /** ε in [0, 1]: mixes the one-hot target with the uniform distribution, PyTorch ≥ 1.10 semantics. */
  labelSmoothing?: number;
}

/**
 * PyTorch's `CrossEntropyLoss` on logits [N, C] and class ids [N], mean over the non-ignored rows.
 * With label smoothing ε (PyTorch 1.13's formula, no class weights):
 *   loss = (1 − ε) · mean_i(−log p[i, t_i]) + (ε / C) · Σ_i Σ_c(−log p[i, c]) / n_kept
 * so d(loss)/d(logit[i, c]) = (p[i, c] − (1 − ε)·[c = t_i] − ε/C) / n_kept for kept rows, 0 for ignored ones.
 * When every row is ignored the loss is NaN (0/0, as PyTorch returns) and the gradient is zero.
 */
export class CrossEntropyLoss implements Loss<Int32Array> {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;

  private probabilities = new Float32Array(0); // [N, C] softmax, what backward needs
  private targets: Int32Array | undefined;
  private keptRows = 0;
  private gradient: Tensor | undefined;
  private logitsShape: readonly number[] | undefined;

  constructor(options: CrossEntropyOptions = {}) {
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) {
      throw new Error(`CrossEntropyLoss: labelSmoothing must be in [0, 1], got ${this.labelSmoothing}`);
    }
  }

  /** logits [N, C], targets [N] class ids in [0, C) or `ignoreIndex`. */
  forward(logits: Tensor, targets: Int32Array): number {
    if (logits.rank !== 2) throw new Error(`CrossEntropyLoss: logits have shape ${formatShape(logits.shape, logits.names)} but expected [N, C] (rows, classes); reshape per-step logits [B, T, C] to [B·T, C]`);
    const [N, C] = logits.shape;
    if (targets.length !== N) throw new Error(`CrossEntropyLoss: ${targets.length} targets for logits ${formatShape(logits.shape, logits.names)} (expected ${N})`);
    if (this.probabilities.length !== N * C) this.probabilities = new Float32Array(N * C);
    const k = kernels();
    const x = logits.data;
    let nll = 0;
    let smooth = 0;
    let kept = 0;
    for (let i = 0; i < N; i++) {
      const t = targets[i];
      if (t === this.ignoreIndex) continue;
      if (t < 0 || t >= C) throw new Error(`CrossEntropyLoss: target ${t} at row ${i} is out of range [0, ${C - 1}] (and not ignoreIndex ${this.ignoreIndex})`);
      const o = i * C;
      let max = -Infinity;
      for (let c = 0; c < C; c++) if (x[o + c] > max) max = x[o + c];
      let sumExp = 0;
      for (let c = 0; c < C; c++) sumExp += Math.exp(x[o + c] - max);
      const logSumExp = max + Math.log(sumExp);
      nll += logSumExp - x[o + t];
      if (this.labelSmoothing > 0) for (let c = 0; c < C; c++) smooth += logSumExp - x[o + c];
      kept++;
    }
    k.softmaxRows(this.probabilities, 0, x, 0, N, C);
    this.targets = targets;
    this.keptRows = kept;
    this.logitsShape = logits.shape;
    const eps = this.labelSmoothing;
    if (eps === 0) return nll / kept;
    return (1 - eps) * (nll / kept) + (eps / C) * (smooth / kept);
  }

  backward(gradOutput = 1): Tensor {
    const targets = this.targets;
    if (!targets || !this.logitsShape) throw new Error('CrossEntropyLoss.backward: called before forward');
    const [N, C] = this.logitsShape;
    const g = (this.gradient = reuseOrAllocate(this.gradient, this.logitsShape));
    if (this.keptRows === 0) {
      g.data.fill(0);
      return g;
    }
    const scale = gradOutput / this.keptRows;
    const eps = this.labelSmoothing;
    const uniform = eps / C;
    for (let i = 0; i < N; i++) {
      const o = i * C;
      const t = targets[i];
      if (t === this.ignoreIndex) {
        g.data.fill(0, o, o + C);
        continue;
      }
      for (let c = 0; c < C; c++) g.data[o + c] = scale * (this.probabilities[o + c] - uniform);
      g.data[o + t] -= scale * (1 - eps);
    }
    return g;
  }
}

/**
 * PyTorch's `BCEWithLogitsLoss` on logits and {0..1} targets of the same shape, in the stable form
 * max(x, 0) − x·y + log(1 + e^(−|x|)), which never evaluates exp of a large positive number.
 */
export class BCEWithLogitsLoss extends ElementwiseLoss {
  constructor() {
    super('BCEWithLogitsLoss');
  }
  protected elementLoss(x: number, y: number): number {
    return Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
  }
  protected elementGradient(x: number, y: number): number {
    return sigmoid(x) - y;
  }
}
