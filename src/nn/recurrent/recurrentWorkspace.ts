import { Tensor, kernels, type Kernels } from '../../tensor';
import { PackedBatchPlan } from './packing';

/**
 * Every buffer one (B, T) needs for forward and backward, allocated once through the active backend and
 * reused by every later call with the same (B, T). Packed buffers are sized for N_max = B·T rows so that
 * any lengths fit. Shape letters: N packed rows, G = gates·H, I input, H hidden, S state width (the projection
 * P, else H), D directions, L layers.
 */
export interface DirectionCache {
  gates: Float32Array; //       [N,G] gate activations (pre-activations for RNN), the panel's data
  hidden: Float32Array; //      [N,S] h_t
  cell?: Float32Array; //       [N,H] c_t (LSTM)
  cellOutput?: Float32Array; // [N,H] r_t = o_t ⊙ tanh(c_t) before the projection (LSTM with projSize)
  hiddenProj?: Float32Array; // [N,G] W_hh·h_{t-1} + b_hh (GRU: its n part is inside r ⊙ (…))
}

export interface WorkspaceShape {
  batch: number; input: number; hidden: number; layers: number; directions: number; gateCount: number;
  time: number; isLstm: boolean; isGru: boolean;
  /** Width S of h_t: the LSTM's projSize P when it projects, else hidden. */
  state: number;
}

export class RecurrentWorkspace {
  readonly plan: PackedBatchPlan;
  readonly packedInput: Float32Array; //   [N,I]
  readonly caches: DirectionCache[]; //    [L·D]
  readonly layerOutputs: Float32Array[]; // [L] × [N,D·S] (D = 1: the layer's cache.hidden)
  /** Inputs of layers 1…L−1 after dropout, and their masks (0 or 1/(1−p)); index 0 unused. */
  readonly droppedInputs: Float32Array[];
  readonly dropoutMasks: Float32Array[];
  readonly initialHidden: Float32Array; // [L·D,B,S] sorted order
  readonly initialCell: Float32Array; //   [L·D,B,H] sorted order (LSTM)
  readonly biasSum: Float32Array; //       [G] b_ih + b_hh of an LSTM/RNN, added by the input projection's GEMM
  /** h_{t−1} and c_{t−1} of a step that mixes carried and starting sequences (other steps read them in place). */
  readonly stepHiddenPrev: Float32Array; // [B,S]
  readonly stepCellPrev: Float32Array; //   [B,H] (LSTM)

  // backward scratch, shared by the layers and directions because they are processed one after another
  readonly hiddenPrev: Float32Array; //       [N,S] h_{t−1} of every row (h0 rows included): dW_hh's GEMM operand
  readonly gateGrads: Float32Array; //        [N,G]
  readonly hiddenProjGrads: Float32Array; //  [N,G] (GRU)
  readonly hiddenGrads: Float32Array; //      [N,S] total ∂L/∂h_t (two directions; one accumulates in place)
  readonly cellGrads: Float32Array; //        [N,H] ∂L/∂c_t from later steps (LSTM)
  readonly stepHiddenPrevGrad: Float32Array; // [B,S]
  readonly stepCellPrevGrad: Float32Array; //   [B,H]
  readonly stepCellOutputGrad: Float32Array; // [B,H] ∂L/∂r_t of one step (LSTM with projSize)
  readonly layerGradA: Float32Array; //       [N,max(I,D·S)]
  readonly layerGradB: Float32Array; //       [N,max(I,D·S)]
  readonly initialHiddenGrads: Float32Array; // [L·D,B,S] sorted order
  readonly initialCellGrads: Float32Array; //   [L·D,B,H] sorted order
  /** Σ_b ‖∂L/∂h_t‖² per layer and step, both directions: [L,T]. */
  readonly hiddenGradSquares: Float64Array;

  readonly output: Tensor; //  [B,T,D·S]
  readonly hN: Tensor; //      [L·D,B,S]
  readonly cN: Tensor | undefined;
  readonly dInput: Tensor; //  [B,T,I]
  readonly dh0: Tensor; //     [L·D,B,S]
  readonly dc0: Tensor | undefined;

  /** Every block this workspace took from `backend`, so `release` can hand all of them back to it. */
  private readonly blocks: Float32Array[] = [];
  private readonly backend: Kernels;

  constructor(readonly shape: WorkspaceShape) {
    const { batch: B, time: T, input: I, hidden: H, layers: L, directions: D, gateCount, state: S } = shape;
    const backend = (this.backend = kernels());
    const alloc = (n: number) => {
      const block = backend.alloc(n);
      this.blocks.push(block);
      return block;
    };
    const N = B * T, G = gateCount * H, LD = L * D;
    this.plan = new PackedBatchPlan(B, T);
    this.packedInput = alloc(N * I);
    this.caches = [];
    for (let i = 0; i < LD; i++) {
      this.caches.push({
        gates: alloc(N * G),
        hidden: alloc(N * S),
        cell: shape.isLstm ? alloc(N * H) : undefined,
        cellOutput: S !== H ? alloc(N * H) : undefined,
        hiddenProj: shape.isGru ? alloc(N * G) : undefined,
      });
    }
    this.layerOutputs = [];
    this.droppedInputs = [];
    this.dropoutMasks = [];
    for (let l = 0; l < L; l++) {
      // A unidirectional layer's output is its h_t itself; only two directions need interleaving into a buffer.
      this.layerOutputs.push(D === 1 ? this.caches[l].hidden : alloc(N * D * S));
      // Dropout buffers are only ever used between layers; a 0-length placeholder keeps indices aligned.
      this.droppedInputs.push(alloc(l > 0 ? N * D * S : 0));
      this.dropoutMasks.push(alloc(l > 0 ? N * D * S : 0));
    }
    this.initialHidden = alloc(LD * B * S);
    this.initialCell = alloc(shape.isLstm ? LD * B * H : 0);
    this.biasSum = alloc(G);
    this.stepHiddenPrev = alloc(B * S);
    this.stepCellPrev = alloc(shape.isLstm ? B * H : 0);
    this.hiddenPrev = alloc(N * S);
    this.gateGrads = alloc(N * G);
    this.hiddenProjGrads = alloc(shape.isGru ? N * G : 0);
    this.hiddenGrads = alloc(D > 1 ? N * S : 0);
    this.cellGrads = alloc(shape.isLstm ? N * H : 0);
    this.stepHiddenPrevGrad = alloc(B * S);
    this.stepCellPrevGrad = alloc(shape.isLstm ? B * H : 0);
    this.stepCellOutputGrad = alloc(S !== H ? B * H : 0);
    const widest = Math.max(I, D * S);
    this.layerGradA = alloc(N * widest);
    this.layerGradB = alloc(N * widest);
    this.initialHiddenGrads = alloc(LD * B * S);
    this.initialCellGrads = alloc(shape.isLstm ? LD * B * H : 0);
    this.hiddenGradSquares = new Float64Array(L * T);
    const names = ['layers·directions', 'batch', 'hidden'];
    this.output = new Tensor(alloc(B * T * D * S), [B, T, D * S], ['batch', 'time', 'directions·hidden']);
    this.hN = new Tensor(alloc(LD * B * S), [LD, B, S], names);
    this.cN = shape.isLstm ? new Tensor(alloc(LD * B * H), [LD, B, H], names) : undefined;
    this.dInput = new Tensor(alloc(B * T * I), [B, T, I], ['batch', 'time', 'input']);
    this.dh0 = new Tensor(alloc(LD * B * S), [LD, B, S], names);
    this.dc0 = shape.isLstm ? new Tensor(alloc(LD * B * H), [LD, B, H], names) : undefined;
  }

  fits(batch: number, time: number): boolean {
    return this.shape.batch === batch && this.shape.time === time;
  }

  /**
   * Hand every buffer back to the backend, for a later workspace to reuse (the wasm memory never shrinks, so a
   * dropped workspace would otherwise be lost). The workspace, and every tensor it returned, must not be used
   * afterwards; `hiddenGradSquares` stays readable (ordinary memory). Releasing twice does nothing.
   */
  release(): void {
    for (const block of this.blocks) this.backend.release?.(block);
    this.blocks.length = 0;
  }
}
