/**
 * Temporaries on the JavaScript heap. `Tensor.zeros` and `clone()` allocate from the active kernel backend,
 * whose WebAssembly memory never shrinks and reuses only blocks released explicitly (layers allocate their
 * workspaces there once and release them when evicted).
 * The trainer's per-step scratch (readouts, bridged states, decoding states) has shapes that vary with the batch,
 * so it lives on the garbage-collected heap instead; kernels accept such arrays (staged in when needed).
 */
import { Tensor, sizeOf } from '../tensor';

export function heapZeros(shape: readonly number[]): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)), [...shape]);
}

export function heapCopy(t: Tensor): Tensor {
  return new Tensor(Float32Array.from(t.data), t.shape, t.names);
}
