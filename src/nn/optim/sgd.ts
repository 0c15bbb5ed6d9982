import { NamedParameter } from '../parameter';
import { Optimizer } from './optimizer';

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/**
 * `torch.optim.SGD` (1.13), per element:
 *   d = g + wd·θ;  buf = d on the first step, else μ·buf + (1 − dampening)·d;
 *   d = d + μ·buf (nesterov) or buf;  θ −= lr·d
 */
export class SGD extends Optimizer {
  protected readonly kind = 'SGD';
  protected readonly bufferNames: readonly string[];
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;

  constructor(params: readonly NamedParameter[], options: SGDOptions) {
    super(params, options.lr);
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    if (!(this.momentum >= 0)) throw new Error(`SGD: momentum must be ≥ 0, got ${this.momentum}`);
    if (!(this.weightDecay >= 0)) throw new Error(`SGD: weight decay must be ≥ 0, got ${this.weightDecay}`);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new Error('SGD: nesterov momentum requires a momentum > 0 and zero dampening');
    }
    this.bufferNames = this.momentum !== 0 ? ['momentum_buffer'] : [];
    this.allocateBuffers();
  }

  protected update(p: number, values: Float32Array, grads: Float32Array): void {
    const { lr, momentum, dampening, nesterov, weightDecay } = this;
    const buffer = momentum !== 0 ? this.buffers[0][p] : undefined;
    const firstStep = this.stepCount === 1;
    for (let i = 0; i < values.length; i++) {
      let d = grads[i] + weightDecay * values[i];
      if (buffer) {
        // PyTorch starts the buffer as a copy of the first step's direction, without dampening.
        buffer[i] = firstStep ? d : momentum * buffer[i] + (1 - dampening) * d;
        d = nesterov ? d + momentum * buffer[i] : buffer[i];
      }
      values[i] -= lr * d;
    }
  }
}
