import { Tensor, assertShape, formatShape } from '../tensor';
import { Module, NamedParameter, Parameter } from './parameter';
import { reuseOrAllocate, rowsOf } from './workspace';

/**
 * PyTorch's `nn.LayerNorm(D)` over the last dimension: y = (x − mean) / √(var + eps) · weight + bias, with the
 * biased variance; weight starts at ones, bias at zeros.
 *
 * Shape letters: R rows (all leading dims folded), D normalized dimension.
 */
export class LayerNorm implements Module {
  readonly dim: number;
  readonly eps: number;
  readonly weight: Parameter; // [D]
  readonly bias: Parameter; // [D]

  private output: Tensor | undefined; // [..., D]
  private inputGrad: Tensor | undefined; // [..., D]
  private normalized: Float32Array = new Float32Array(0); // [R, D] x̂, what backward needs
  private inverseStd: Float32Array = new Float32Array(0); // [R]

  constructor(dim: number, eps = 1e-5) {
    if (!Number.isInteger(dim) || dim <= 0) throw new Error(`LayerNorm: normalized dimension must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.eps = eps;
    this.weight = new Parameter(Tensor.zeros([dim], ['features']));
    this.weight.value.data.fill(1);
    this.bias = new Parameter(Tensor.zeros([dim], ['features']));
  }

  namedParameters(): NamedParameter[] {
    return [
      { name: 'weight', parameter: this.weight },
      { name: 'bias', parameter: this.bias },
    ];
  }

  setTraining(): void {
    // No train/eval difference.
  }

  forward(x: Tensor): Tensor {
    const D = this.dim;
    if (x.rank < 1 || x.shape[x.rank - 1] !== D) {
      throw new Error(`LayerNorm.forward: input has shape ${formatShape(x.shape, x.names)} but expected [..., ${D}] (normalized dimension)`);
    }
    const R = rowsOf(x);
    if (this.normalized.length !== R * D) {
      this.normalized = new Float32Array(R * D);
      this.inverseStd = new Float32Array(R);
    }
    const y = (this.output = reuseOrAllocate(this.output, x.shape, x.names));
    const w = this.weight.value.data;
    const b = this.bias.value.data;
    for (let r = 0; r < R; r++) {
      const o = r * D;
      // Two passes in float64: the one-pass E[x²]−E[x]² loses precision when the mean is large.
      let mean = 0;
      for (let c = 0; c < D; c++) mean += x.data[o + c];
      mean /= D;
      let variance = 0;
      for (let c = 0; c < D; c++) {
        const d = x.data[o + c] - mean;
        variance += d * d;
      }
      variance /= D;
      const rstd = 1 / Math.sqrt(variance + this.eps);
      this.inverseStd[r] = rstd;
      for (let c = 0; c < D; c++) {
        const xHat = (x.data[o + c] - mean) * rstd;
        this.normalized[o + c] = xHat;
        y.data[o + c] = xHat * w[c] + b[c];
      }
    }
    return y;
  }

  /** dy [..., D] → dx; accumulates dweight += Σ dy·x̂ and dbias += Σ dy. */
  backward(dy: Tensor): Tensor {
    if (!this.output) throw new Error('LayerNorm.backward: called before forward');
    assertShape('LayerNorm.backward', 'output gradient', dy, this.output.shape);
    const D = this.dim;
    const R = rowsOf(dy);
    const dx = (this.inputGrad = reuseOrAllocate(this.inputGrad, dy.shape, dy.names));
    const w = this.weight.value.data;
    const dw = this.weight.grad.data;
    const db = this.bias.grad.data;
    for (let r = 0; r < R; r++) {
      const o = r * D;
      // dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)), with dx̂ = dy ⊙ weight.
      let meanGrad = 0;
      let meanGradDotNormalized = 0;
      for (let c = 0; c < D; c++) {
        const g = dy.data[o + c];
        const xHat = this.normalized[o + c];
        const dxHat = g * w[c];
        meanGrad += dxHat;
        meanGradDotNormalized += dxHat * xHat;
        dw[c] += g * xHat;
        db[c] += g;
      }
      meanGrad /= D;
      meanGradDotNormalized /= D;
      const rstd = this.inverseStd[r];
      for (let c = 0; c < D; c++) {
        const dxHat = dy.data[o + c] * w[c];
        dx.data[o + c] = rstd * (dxHat - meanGrad - this.normalized[o + c] * meanGradDotNormalized);
      }
    }
    return dx;
  }
}
