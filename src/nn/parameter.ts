import { Tensor } from '../tensor';

/** A trainable tensor and its gradient, which backward passes accumulate into (never overwrite). */
export class Parameter {
  readonly value: Tensor;
  readonly grad: Tensor;

  constructor(value: Tensor) {
    this.value = value;
    this.grad = Tensor.zeros(value.shape, value.names);
  }

  zeroGrad(): void {
    this.grad.data.fill(0);
  }
}

/** A parameter under its PyTorch state-dict name (`rnn.weight_ih_l0_reverse`), the key in safetensors files. */
export interface NamedParameter {
  readonly name: string;
  readonly parameter: Parameter;
}

/**
 * What every layer offers the trainer, optimizers and checkpoint code. Forward/backward signatures differ by
 * layer (a recurrent layer takes lengths and initial states), so they are not part of this interface.
 *
 * Buffer contract: tensors a layer returns from forward/backward live in workspaces the layer reuses on the
 * next call with the same sizes. Read or copy them before calling the layer again.
 */
export interface Module {
  /** Parameters with their names relative to this module (prefix them when nesting). */
  namedParameters(): NamedParameter[];
  /** Training mode enables dropout; evaluation mode disables it. */
  setTraining(training: boolean): void;
}

export function prefixed(prefix: string, params: NamedParameter[]): NamedParameter[] {
  return params.map((p) => ({ name: prefix ? `${prefix}.${p.name}` : p.name, parameter: p.parameter }));
}

export function zeroGrads(params: readonly NamedParameter[]): void {
  for (const p of params) p.parameter.zeroGrad();
}

export function parameterCount(params: readonly NamedParameter[]): number {
  let n = 0;
  for (const p of params) n += p.parameter.value.size;
  return n;
}
