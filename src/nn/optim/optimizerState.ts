import { Tensor } from '../../tensor';
import type { DecodedSafetensors } from '../safetensors';
import type { OptimizerState } from './optimizer';

/**
 * An optimizer state as safetensors content, so a checkpoint can store it next to the weights with the same
 * encoder: each buffer becomes a 1-D F32 tensor under its key, kind/lr/step go into the string metadata.
 */
export function optimizerStateToSafetensors(state: OptimizerState): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const tensors: Record<string, Tensor> = {};
  for (const [key, buffer] of Object.entries(state.buffers)) tensors[key] = new Tensor(buffer, [buffer.length]);
  // String(lr) round-trips a float64 exactly (shortest representation that parses back to the same number).
  return { tensors, metadata: { optimizer: state.kind, lr: String(state.lr), step: String(state.step) } };
}

export function optimizerStateFromSafetensors(decoded: DecodedSafetensors): OptimizerState {
  const { optimizer, lr, step } = decoded.metadata;
  if (optimizer === undefined || lr === undefined || step === undefined) {
    throw new Error(`optimizer state: metadata must hold optimizer, lr and step, found keys [${Object.keys(decoded.metadata).join(', ')}]`);
  }
  const learningRate = Number(lr);
  const stepCount = Number(step);
  if (!Number.isFinite(learningRate) || !Number.isInteger(stepCount) || stepCount < 0) {
    throw new Error(`optimizer state: invalid lr '${lr}' or step '${step}'`);
  }
  const buffers: Record<string, Float32Array> = {};
  for (const [key, tensor] of Object.entries(decoded.tensors)) buffers[key] = tensor.data;
  return { kind: optimizer, lr: learningRate, step: stepCount, buffers };
}
