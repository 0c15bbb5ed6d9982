import { Tensor, formatShape } from '../tensor';
import { NamedParameter } from './parameter';
import { sameShape } from './workspace';

/**
 * The parameters by PyTorch state-dict name, sharing storage with the model (encode it, or clone what you
 * keep). With `encodeSafetensors` this writes a file PyTorch's `load_state_dict` accepts unchanged.
 */
export function stateDict(params: readonly NamedParameter[]): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const p of params) out[p.name] = p.parameter.value;
  return out;
}

export interface LoadStateDictOptions {
  /** Require exactly the model's keys (PyTorch's default). Non-strict loading skips missing/unexpected keys. */
  strict?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * Copy `tensors` into the parameters with the same names. Everything is checked before anything is
 * copied, so a failed load leaves the model as it was. A shape mismatch is an error even when not strict,
 * as in PyTorch.
 */
export function loadStateDict(params: readonly NamedParameter[], tensors: Record<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
  const strict = options.strict ?? true;
  const modelNames = new Set(params.map((p) => p.name));
  const missingKeys = params.filter((p) => !(p.name in tensors)).map((p) => p.name);
  const unexpectedKeys = Object.keys(tensors).filter((name) => !modelNames.has(name));
  const problems: string[] = [];
  for (const p of params) {
    const t = tensors[p.name];
    if (t && !sameShape(t.shape, p.parameter.value.shape)) {
      problems.push(`size mismatch for ${p.name}: checkpoint has shape ${formatShape(t.shape)}, model has shape ${formatShape(p.parameter.value.shape)}`);
    }
  }
  if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.join(', ')}`);
  if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
  if (problems.length > 0) throw new Error(`loadStateDict: ${problems.join('; ')}`);
  for (const p of params) {
    const t = tensors[p.name];
    if (t) p.parameter.value.data.set(t.data);
  }
  return { missingKeys, unexpectedKeys };
}
