import { Tensor } from '../../tensor';
import type { RecurrentForwardOptions, RecurrentForwardResult } from './types';

/**
 * Truncated backpropagation through time: a long sequence is cut into chunks; each chunk starts from the
 * previous chunk's final state, but as a constant (detached), so backward stops at the chunk boundary and
 * the returned dh0/dc0 are simply discarded.
 *
 *   const carry = new DetachedState();
 *   for (const chunk of chunks) {
 *     const out = lstm.forward(chunk, carry.initial());  // { h0, c0 } or {} for the first chunk
 *     carry.capture(out);                               // copy h_n/c_n before the layer reuses its buffers
 *     …loss, lstm.backward(…) (ignore dh0/dc0), optimizer step…
 *   }
 *
 * The copy matters: h_n lives in the layer's workspace and the next forward overwrites it. The carry keeps its
 * own buffers, so a steady state allocates nothing. `reset()` starts a new stream (e.g. a new epoch).
 */
export class DetachedState {
  private hidden: Tensor | undefined; // [L·D,B,H]
  private cell: Tensor | undefined; //   [L·D,B,H] (LSTM)
  private hasState = false;

  capture(result: RecurrentForwardResult): void {
    this.hidden = copyInto(this.hidden, result.hN);
    this.cell = result.cN ? copyInto(this.cell, result.cN) : undefined;
    this.hasState = true;
  }

  /** Initial states for the next chunk: the captured ones, or none (zeros) before the first capture. */
  initial(): Pick<RecurrentForwardOptions, 'h0' | 'c0'> {
    if (!this.hasState) return {};
    return this.cell ? { h0: this.hidden, c0: this.cell } : { h0: this.hidden };
  }

  reset(): void {
    this.hasState = false;
  }
}

function copyInto(target: Tensor | undefined, source: Tensor): Tensor {
  const fits = target && target.shape.length === source.shape.length && target.shape.every((d, i) => d === source.shape[i]);
  const out = fits ? target! : Tensor.zeros(source.shape, source.names);
  out.data.set(source.data);
  return out;
}
