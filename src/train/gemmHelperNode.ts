/**
 * Node side of the two-thread GEMM: the spawner that `startGemmHelperThread` needs (src/tensor names no Node
 * module), and the start-up used by the CLI and the training worker. SEQLAB_THREADS=1|2 chooses; the default
 * is 2 where the process may use at least two cores and the WebAssembly backend is active.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { startGemmHelperThread, type GemmHelper, type HelperThread } from '../tensor/wasm';
import type { Kernels, WasmKernels } from '../tensor';

/** Run the helper script in an `eval` Worker and hand it its first message; unref'd so it never keeps a process alive. */
export function spawnNodeHelperThread(source: string): HelperThread {
  const worker = new Worker(`${source}\nrequire('node:worker_threads').parentPort.once('message', start);`, { eval: true });
  worker.unref();
  return worker;
}

/** Threads for kernels from SEQLAB_THREADS (1 or 2), else 2 when at least two cores are available. */
export function threadsFromEnvironment(env: Record<string, string | undefined> = process.env, cores = availableParallelism()): 1 | 2 {
  const value = env.SEQLAB_THREADS?.trim();
  if (value === undefined || value === '') return cores >= 2 ? 2 : 1;
  if (value === '1' || value === '2') return Number(value) as 1 | 2;
  throw new Error(`SEQLAB_THREADS must be 1 or 2, got "${value}"`);
}

function isWasmKernels(k: Kernels): k is WasmKernels {
  return typeof (k as Partial<WasmKernels>).setGemmSplitter === 'function';
}

/**
 * Attach a GEMM helper thread to the active backend when it is the WebAssembly one and two threads are wanted.
 * Returns the helper (to stop it) or null when the process stays on one thread.
 */
export function startKernelThreads(active: Kernels, threads: 1 | 2 = threadsFromEnvironment()): GemmHelper | null {
  if (threads < 2 || !isWasmKernels(active)) return null;
  return startGemmHelperThread(active, spawnNodeHelperThread);
}
