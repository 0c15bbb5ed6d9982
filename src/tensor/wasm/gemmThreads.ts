import type { GemmSplitter, WasmKernels } from './wasmKernels';
import { GEMM_MR, GEMM_NR, PACK_A_FLOATS, PACK_B_FLOATS } from './wasmRuntime';

/**
 * A second thread for large GEMMs. The helper instantiates the same module on the same shared memory and
 * sleeps in Atomics.wait; the caller writes a half-problem into a small shared control block, wakes it,
 * computes the other half itself and waits for the helper's flag. The call stays synchronous for the layers.
 *
 * Creating threads is the host's business, so the host passes a `spawn` that runs `GEMM_HELPER_SOURCE` (which
 * defines `start(init)`) in a new thread and calls `start` with the first message that thread receives — in
 * Node, an `eval` Worker whose script is `source` plus one line handing `parentPort`'s first message to
 * `start` (see bench/run.ts); in a browser, a Blob-URL Worker of `source + 'self.onmessage = (e) =>
 * start(e.data);'`. This module uses no host API.
 */
export interface HelperThread {
  postMessage(message: unknown): void;
  terminate(): unknown;
}
export type SpawnHelperThread = (scriptSource: string) => HelperThread;

// Control block layout (Int32 slots; alpha/beta are read through a Float32 view of the same slot).
const CMD = 0, DONE = 1, ARGS = 2;
const CMD_IDLE = 0, CMD_GEMM = 1, CMD_QUIT = 2;
const SLOT_ALPHA = ARGS + 5, SLOT_BETA = ARGS + 10;

/** The helper thread's script: defines `start(init)`; the host's spawner delivers the first message to it. */
export const GEMM_HELPER_SOURCE = `
'use strict';
function start(init) {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const gemm = instance.exports.gemm;
  const ctl = new Int32Array(init.control);
  const f32 = new Float32Array(init.control);
  for (;;) {
    Atomics.wait(ctl, ${CMD}, ${CMD_IDLE});
    const cmd = Atomics.load(ctl, ${CMD});
    if (cmd === ${CMD_QUIT}) break;
    if (cmd !== ${CMD_GEMM}) continue;
    const a = ${ARGS};
    gemm(ctl[a], ctl[a + 1], ctl[a + 2], ctl[a + 3], ctl[a + 4], f32[${SLOT_ALPHA}], ctl[a + 6], ctl[a + 7],
      ctl[a + 8], ctl[a + 9], f32[${SLOT_BETA}], ctl[a + 11], ctl[a + 12], init.packA, init.packB);
    Atomics.store(ctl, ${CMD}, ${CMD_IDLE});
    Atomics.store(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
}
`;

/** GEMMs below this many multiply-adds run on one thread: waking a helper costs tens of microseconds. */
export const DEFAULT_SPLIT_THRESHOLD = 1 << 21;

export interface GemmHelper {
  /** Stop the helper thread and let the backend compute alone again. */
  stop(): void;
  /** GEMMs split so far (benchmarks report it). */
  readonly splits: number;
}

/** Attach one helper thread to `kernels`: from now on large GEMMs are split in two halves by rows or columns. */
export function startGemmHelperThread(kernels: WasmKernels, spawn: SpawnHelperThread, threshold = DEFAULT_SPLIT_THRESHOLD): GemmHelper {
  const runtime = kernels.runtime;
  const control = new SharedArrayBuffer(16 * 4);
  const ctl = new Int32Array(control);
  const f32 = new Float32Array(control);
  const packA = runtime.allocBytes(PACK_A_FLOATS * 4);
  const packB = runtime.allocBytes(PACK_B_FLOATS * 4);
  if (packA < 0 || packB < 0) throw new RangeError('gemm helper: no room for pack buffers in wasm memory');
  const thread = spawn(GEMM_HELPER_SOURCE);
  thread.postMessage({ module: runtime.module, memory: runtime.memory, control, packA, packB });
  const wasm = runtime.exports;
  let splits = 0;

  const splitter: GemmSplitter = {
    tryGemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc) {
      if (M * N * Math.max(K, 1) < threshold) return false;
      // Split the longer side of C, at a multiple of the micro-tile so both halves run full tiles.
      const byRows = M >= N;
      const tile = byRows ? GEMM_MR : GEMM_NR;
      const length = byRows ? M : N;
      const first = Math.round(length / 2 / tile) * tile;
      if (first <= 0 || first >= length) return false;
      let a2 = a, b2 = b, c2 = c, M2 = M, N2 = N;
      if (byRows) {
        a2 = a + (transA ? first : first * lda) * 4;
        c2 = c + first * ldc * 4;
        M2 = M - first;
      } else {
        b2 = b + (transB ? first * ldb : first) * 4;
        c2 = c + first * 4;
        N2 = N - first;
      }
      ctl.set([transA, transB, M2, N2, K, 0, a2, lda, b2, ldb, 0, c2, ldc], ARGS);
      f32[SLOT_ALPHA] = alpha;
      f32[SLOT_BETA] = beta;
      Atomics.store(ctl, DONE, 0);
      Atomics.store(ctl, CMD, CMD_GEMM);
      Atomics.notify(ctl, CMD);
      wasm.gemm(transA, transB, byRows ? first : M, byRows ? N : first, K, alpha, a, lda, b, ldb, beta, c, ldc, kernels.packA, kernels.packB);
      // The halves are about equal: spin briefly before sleeping, the helper is usually nearly done.
      for (let spin = 0; spin < 2000 && Atomics.load(ctl, DONE) === 0; spin++);
      while (Atomics.load(ctl, DONE) === 0) Atomics.wait(ctl, DONE, 0, 1000);
      splits++;
      return true;
    },
  };
  kernels.setGemmSplitter(splitter);

  return {
    stop() {
      kernels.setGemmSplitter(null);
      Atomics.store(ctl, CMD, CMD_QUIT);
      Atomics.notify(ctl, CMD);
      thread.terminate();
    },
    get splits() {
      return splits;
    },
  };
}
