import { Rng, Tensor, assertShape, formatShape, kernels, sizeOf } from '../tensor';
import { Module, NamedParameter, Parameter } from './parameter';
import { reuseOrAllocate } from './workspace';

/**
 * A lookup table, PyTorch's `nn.Embedding`: weight [V, D] drawn N(0, 1); the `paddingIdx` row starts at zero
 * and its gradient stays zero, so an optimizer never moves it (weight decay aside, as in PyTorch).
 *
 * Shape letters: V num_embeddings, D embedding_dim, n number of ids (all index dims folded).
 */
export class Embedding implements Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | undefined;
  readonly weight: Parameter; // [V, D]

  private ids: Int32Array | undefined; // [n], kept by reference for backward
  private output: Tensor | undefined; // [..., D]

  constructor(numEmbeddings: number, embeddingDim: number, rng: Rng, paddingIdx?: number) {
    if (!Number.isInteger(numEmbeddings) || numEmbeddings <= 0 || !Number.isInteger(embeddingDim) || embeddingDim <= 0) {
      throw new Error(`Embedding: num_embeddings and embedding_dim must be positive integers, got ${numEmbeddings} and ${embeddingDim}`);
    }
    if (paddingIdx !== undefined) {
      // PyTorch accepts a negative padding_idx counted from the end.
      if (!Number.isInteger(paddingIdx) || paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) {
        throw new Error(`Embedding: padding_idx ${paddingIdx} must be within num_embeddings ${numEmbeddings}`);
      }
      if (paddingIdx < 0) paddingIdx += numEmbeddings;
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingIdx;
    this.weight = new Parameter(Tensor.zeros([numEmbeddings, embeddingDim], ['vocab', 'embedding']));
    rng.fillNormal(this.weight.value.data, 0, 1);
    if (paddingIdx !== undefined) this.weight.value.data.fill(0, paddingIdx * embeddingDim, (paddingIdx + 1) * embeddingDim);
  }

  namedParameters(): NamedParameter[] {
    return [{ name: 'weight', parameter: this.weight }];
  }

  setTraining(): void {
    // No train/eval difference.
  }

  /** ids with index shape `shape` (e.g. [B, T]) → vectors [...shape, D]. The ids are kept for `backward`. */
  forward(ids: Int32Array, shape: readonly number[]): Tensor {
    const n = sizeOf(shape);
    if (ids.length !== n) throw new Error(`Embedding.forward: ${ids.length} ids for index shape ${formatShape(shape)} (${n} elements)`);
    const V = this.numEmbeddings;
    const D = this.embeddingDim;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (id < 0 || id >= V) {
        throw new Error(`Embedding.forward: id ${id} at position ${i} is out of range [0, ${V - 1}] (num_embeddings ${V})`);
      }
    }
    const y = (this.output = reuseOrAllocate(this.output, [...shape, D]));
    const table = this.weight.value.data;
    // A plain loop rather than a copy kernel per row: row views would allocate B·T objects per step.
    for (let i = 0; i < n; i++) {
      const source = ids[i] * D;
      const target = i * D;
      for (let d = 0; d < D; d++) y.data[target + d] = table[source + d];
    }
    this.ids = ids;
    return y;
  }

  /** dy [..., D]: scatter-adds each row into the gradient row of its id (padding row excluded). No input grad. */
  backward(dy: Tensor): void {
    const ids = this.ids;
    if (!ids || !this.output) throw new Error('Embedding.backward: called before forward');
    assertShape('Embedding.backward', 'output gradient', dy, this.output.shape);
    const D = this.embeddingDim;
    const k = kernels();
    const grad = this.weight.grad.data;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === this.paddingIdx) continue;
      k.axpy(grad, id * D, 1, dy.data, i * D, D);
    }
  }
}
