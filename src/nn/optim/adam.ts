import { kernels, type WasmKernels } from '../../tensor';
import { NamedParameter } from '../parameter';
import { Optimizer } from './optimizer';

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
}

/**
 * `torch.optim.Adam` and `AdamW` (1.13, amsgrad off), per element at step t:
 *   Adam:  g = g + wd·θ (L2 through the gradient)      AdamW:  θ = θ·(1 − lr·wd) (decoupled decay)
 *   m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²
 *   θ −= (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps)
 * Note eps is added after the bias correction of √v, exactly as PyTorch does.
 */
abstract class AdamFamily extends Optimizer {
  protected readonly bufferNames = ['exp_avg', 'exp_avg_sq'] as const;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private readonly decoupled: boolean;

  constructor(params: readonly NamedParameter[], options: AdamOptions, defaultWeightDecay: number, decoupled: boolean) {
    super(params, options.lr ?? 1e-3);
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? defaultWeightDecay;
    this.decoupled = decoupled;
    const name = decoupled ? 'AdamW' : 'Adam';
    for (const [label, beta] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(beta >= 0 && beta < 1)) throw new Error(`${name}: ${label} must be in [0, 1), got ${beta}`);
    }
    if (!(this.eps >= 0)) throw new Error(`${name}: eps must be ≥ 0, got ${this.eps}`);
    if (!(this.weightDecay >= 0)) throw new Error(`${name}: weight decay must be ≥ 0, got ${this.weightDecay}`);
    this.allocateBuffers();
  }

  protected update(p: number, values: Float32Array, grads: Float32Array): void {
    const { lr, beta1, beta2, eps, weightDecay } = this;
    const m = this.buffers[0][p];
    const v = this.buffers[1][p];
    const t = this.stepCount;
    const stepSize = lr / (1 - beta1 ** t);
    const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** t);
    // AdamW decays with the value before the update; Adam adds the decay to the gradient instead.
    const decay = this.decoupled ? 1 - lr * weightDecay : 1;
    const l2 = this.decoupled ? 0 : weightDecay;
    // On the wasm backend, with everything in its memory, the same arithmetic runs there (bitwise equal).
    const wasm = kernels() as Partial<WasmKernels>;
    if (wasm.adamUpdate?.(values, grads, m, v, { beta1, beta2, stepSize, biasCorrection2Sqrt, eps, decay, l2 })) return;
    for (let i = 0; i < values.length; i++) {
      const theta = values[i] * decay;
      const g = grads[i] + l2 * values[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      values[i] = theta - stepSize * (m[i] / (Math.sqrt(v[i]) / biasCorrection2Sqrt + eps));
    }
  }
}

/** `torch.optim.Adam`: defaults lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0 (L2). */
export class Adam extends AdamFamily {
  protected readonly kind = 'Adam';
  constructor(params: readonly NamedParameter[], options: AdamOptions = {}) {
    super(params, options, 0, false);
  }
}

/** `torch.optim.AdamW`: as Adam but decoupled weight decay, default 1e-2. */
export class AdamW extends AdamFamily {
  protected readonly kind = 'AdamW';
  constructor(params: readonly NamedParameter[], options: AdamOptions = {}) {
    super(params, options, 1e-2, true);
  }
}
