import { kernels } from '../../tensor';
import { NamedParameter, zeroGrads } from '../parameter';

/**
 * A checkpointable optimizer state: the learning rate, the step count and the per-parameter buffers
 * (moments, momentum) as Float32Arrays keyed `<parameter name>.<buffer>` — e.g. `rnn.weight_ih_l0.exp_avg` —
 * so they can be written next to the weights in a safetensors file.
 */
export interface OptimizerState {
  kind: string;
  lr: number;
  step: number;
  buffers: Record<string, Float32Array>;
}

/**
 * Common ground of SGD, Adam and AdamW: a parameter list, a settable learning rate (schedules write it),
 * per-parameter buffers allocated once, and state save/load. Subclasses implement the update rule.
 */
export abstract class Optimizer {
  lr: number;
  /** Number of `step()` calls so far (PyTorch's per-parameter `step`, identical for all parameters here). */
  stepCount = 0;
  readonly params: readonly NamedParameter[];
  protected abstract readonly kind: string;
  /** Names of the per-parameter buffers, e.g. ['exp_avg', 'exp_avg_sq']. */
  protected abstract readonly bufferNames: readonly string[];
  /** buffers[b][p]: buffer `bufferNames[b]` of parameter p, same length as the parameter. */
  protected buffers: Float32Array[][] = [];

  constructor(params: readonly NamedParameter[], lr: number) {
    if (!(lr >= 0)) throw new Error(`${new.target.name}: learning rate must be ≥ 0, got ${lr}`);
    const seen = new Set<string>();
    for (const p of params) {
      if (seen.has(p.name)) throw new Error(`${new.target.name}: parameter name '${p.name}' appears twice`);
      seen.add(p.name);
    }
    this.params = params;
    this.lr = lr;
  }

  /**
   * Allocate every buffer once, zero-filled (called by subclasses after their fields are set), from the active
   * backend: in wasm memory on the wasm backend, next to the parameters, so the update can run there.
   */
  protected allocateBuffers(): void {
    this.buffers = this.bufferNames.map(() => this.params.map((p) => kernels().alloc(p.parameter.value.size)));
  }

  /** Apply one update from the accumulated gradients. */
  step(): void {
    this.stepCount++;
    for (let p = 0; p < this.params.length; p++) {
      const parameter = this.params[p].parameter;
      this.update(p, parameter.value.data, parameter.grad.data);
    }
  }

  zeroGrad(): void {
    zeroGrads(this.params);
  }

  /** Update parameter p in place (values and grads are the parameter's storage). */
  protected abstract update(p: number, values: Float32Array, grads: Float32Array): void;

  /** A copy of the state: later steps do not change it. */
  stateDict(): OptimizerState {
    const buffers: Record<string, Float32Array> = {};
    this.bufferNames.forEach((bufferName, b) => {
      this.params.forEach((p, i) => {
        buffers[`${p.name}.${bufferName}`] = this.buffers[b][i].slice();
      });
    });
    return { kind: this.kind, lr: this.lr, step: this.stepCount, buffers };
  }

  /** Restore a state saved by the same kind of optimizer over parameters with the same names and sizes. */
  loadStateDict(state: OptimizerState): void {
    if (state.kind !== this.kind) throw new Error(`${this.kind}.loadStateDict: state was saved by ${state.kind}`);
    const problems: string[] = [];
    this.bufferNames.forEach((bufferName) => {
      this.params.forEach((p) => {
        const key = `${p.name}.${bufferName}`;
        const saved = state.buffers[key];
        if (!saved) problems.push(`missing ${key}`);
        else if (saved.length !== p.parameter.value.size) problems.push(`${key} has ${saved.length} values, parameter has ${p.parameter.value.size}`);
      });
    });
    const expected = new Set(this.bufferNames.flatMap((b) => this.params.map((p) => `${p.name}.${b}`)));
    for (const key of Object.keys(state.buffers)) if (!expected.has(key)) problems.push(`unexpected ${key}`);
    if (problems.length > 0) throw new Error(`${this.kind}.loadStateDict: ${problems.join('; ')}`);
    this.bufferNames.forEach((bufferName, b) => {
      this.params.forEach((p, i) => this.buffers[b][i].set(state.buffers[`${p.name}.${bufferName}`]));
    });
    this.lr = state.lr;
    this.stepCount = state.step;
  }
}
