import { Rng, Tensor, assertShape, kernels } from '../tensor';
import { Module, NamedParameter } from './parameter';
import { reuseOrAllocate } from './workspace';

/**
 * Inverted dropout, PyTorch's `nn.Dropout`: in training each element is zeroed with probability p and the
 * survivors are scaled by 1/(1−p), so evaluation needs no rescaling and is the identity. Masks come from
 * the seeded `Rng`, so a run is reproducible (though not bit-equal to PyTorch's generator).
 */
export class Dropout implements Module {
  readonly p: number;
  training = true;

  /** Its own generator, advanced by every training forward; a checkpoint saves its state. */
  readonly rng: Rng;
  private mask: Tensor | undefined; // same shape as the input: 0 or 1/(1−p)
  private output: Tensor | undefined;
  private inputGrad: Tensor | undefined;
  private maskApplied = false;

  constructor(p: number, rng: Rng) {
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: probability p must be in [0, 1], got ${p}`);
    this.p = p;
    this.rng = rng;
  }

  namedParameters(): NamedParameter[] {
    return [];
  }

  setTraining(training: boolean): void {
    this.training = training;
  }

  /** Identity in evaluation mode or for p = 0 (returns `x` itself); otherwise a fresh mask per call. */
  forward(x: Tensor): Tensor {
    this.maskApplied = this.training && this.p > 0;
    if (!this.maskApplied) return x;
    const mask = (this.mask = reuseOrAllocate(this.mask, x.shape, x.names));
    // p = 1 drops everything (PyTorch returns zeros rather than dividing by 0).
    const keepScale = this.p === 1 ? 0 : 1 / (1 - this.p);
    for (let i = 0; i < mask.size; i++) mask.data[i] = this.rng.next() < this.p ? 0 : keepScale;
    const y = (this.output = reuseOrAllocate(this.output, x.shape, x.names));
    kernels().mul(y.data, 0, x.data, 0, mask.data, 0, x.size);
    return y;
  }

  /** dy → dx with the mask of the last forward (the identity when that forward applied none). */
  backward(dy: Tensor): Tensor {
    if (!this.maskApplied) return dy;
    const mask = this.mask!;
    assertShape('Dropout.backward', 'output gradient', dy, mask.shape);
    const dx = (this.inputGrad = reuseOrAllocate(this.inputGrad, dy.shape, dy.names));
    kernels().mul(dx.data, 0, dy.data, 0, mask.data, 0, dy.size);
    return dx;
  }
}
