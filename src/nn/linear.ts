import { Rng, Tensor, assertShape, formatShape, kernels } from '../tensor';
import { Module, NamedParameter, Parameter } from './parameter';
import { reuseOrAllocate, rowsOf } from './workspace';

/**
 * y = x·Wᵀ + b over the last dimension, for x of shape [..., I] with any leading dims (e.g. [B,T,I] for a
 * per-step head). PyTorch's `nn.Linear`: weight [O,I], bias [O], both U(−1/√I, 1/√I) (kaiming_uniform with
 * a=√5 reduces to exactly that bound).
 *
 * Shape letters: R rows (all leading dims folded), I in_features, O out_features.
 */
export class Linear implements Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Parameter; // [O, I]
  readonly bias: Parameter | undefined; // [O]

  private input: Tensor | undefined; // [..., I], kept by reference for backward
  private output: Tensor | undefined; // [..., O]
  private inputGrad: Tensor | undefined; // [..., I]

  constructor(inFeatures: number, outFeatures: number, rng: Rng, bias = true) {
    if (!Number.isInteger(inFeatures) || inFeatures <= 0 || !Number.isInteger(outFeatures) || outFeatures <= 0) {
      throw new Error(`Linear: in_features and out_features must be positive integers, got ${inFeatures} and ${outFeatures}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = new Parameter(Tensor.zeros([outFeatures, inFeatures], ['out', 'in']));
    rng.fillUniform(this.weight.value.data, -bound, bound);
    if (bias) {
      this.bias = new Parameter(Tensor.zeros([outFeatures], ['out']));
      rng.fillUniform(this.bias.value.data, -bound, bound);
    }
  }

  namedParameters(): NamedParameter[] {
    const params: NamedParameter[] = [{ name: 'weight', parameter: this.weight }];
    if (this.bias) params.push({ name: 'bias', parameter: this.bias });
    return params;
  }

  setTraining(): void {
    // No train/eval difference.
  }

  /** x [..., I] → y [..., O]. The input is kept by reference: do not overwrite it before `backward`. */
  forward(x: Tensor): Tensor {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.inFeatures) {
      throw new Error(`Linear.forward: input has shape ${formatShape(x.shape, x.names)} but expected [..., ${this.inFeatures}] (in_features)`);
    }
    const R = rowsOf(x);
    const I = this.inFeatures;
    const O = this.outFeatures;
    const outShape = [...x.shape.slice(0, -1), O];
    const outNames = x.names ? [...x.names.slice(0, -1), 'out'] : undefined;
    const y = (this.output = reuseOrAllocate(this.output, outShape, outNames));
    const k = kernels();
    // y[R,O] = x[R,I] · W[O,I]ᵀ + b
    k.gemm(false, true, R, O, I, 1, x.data, 0, I, this.weight.value.data, 0, I, 0, y.data, 0, O, this.bias?.value.data);
    this.input = x;
    return y;
  }

  /** dy [..., O] → dx [..., I]; accumulates dW += dyᵀ·x and db += Σ_rows dy. */
  backward(dy: Tensor): Tensor {
    const x = this.input;
    if (!x || !this.output) throw new Error('Linear.backward: called before forward');
    assertShape('Linear.backward', 'output gradient', dy, this.output.shape);
    const R = rowsOf(x);
    const I = this.inFeatures;
    const O = this.outFeatures;
    const k = kernels();
    // dW[O,I] += dy[R,O]ᵀ · x[R,I]
    k.gemm(true, false, O, I, R, 1, dy.data, 0, O, x.data, 0, I, 1, this.weight.grad.data, 0, I);
    if (this.bias) k.sumRowsInto(this.bias.grad.data, 0, dy.data, 0, R, O);
    const dx = (this.inputGrad = reuseOrAllocate(this.inputGrad, x.shape, x.names));
    // dx[R,I] = dy[R,O] · W[O,I]
    k.gemm(false, false, R, I, O, 1, dy.data, 0, O, this.weight.value.data, 0, I, 0, dx.data, 0, I);
    return dx;
  }
}
