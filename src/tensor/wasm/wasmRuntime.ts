import { KERNELS_WASM_BASE64, KERNELS_WASM_MAXIMUM_PAGES, KERNELS_WASM_RELAXED_BASE64 } from './kernelsBinary.generated';

/** The functions the AssemblyScript module exports (pointers are byte addresses, sizes in elements). */
export interface KernelExports {
  /** `bias` (0 for none): a row of N floats added to every row of C after the product, bitwise as addRowVector. */
  gemm(
    transA: number, transB: number, M: number, N: number, K: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number,
    packA: number, packB: number, bias: number,
  ): void;
  /** Packs op(B)[K,N] whole into `dst` (K · N rounded up to GEMM_NR floats) for gemmPackedB. */
  packB(transB: number, N: number, K: number, b: number, ldb: number, dst: number): void;
  /** gemm on columns j0..j0+N of a packB buffer made for `width` columns; `tile`: MR·NR floats of scratch. */
  gemmPackedB(
    transA: number, M: number, N: number, K: number, alpha: number, a: number, lda: number,
    packed: number, width: number, j0: number, beta: number, c: number, ldc: number, packA: number, tile: number, bias: number,
  ): void;
  copyRows(dst: number, ldDst: number, src: number, ldSrc: number, rows: number, cols: number): void;
  add(out: number, x: number, y: number, n: number): void;
  mul(out: number, x: number, y: number, n: number): void;
  axpy(y: number, a: number, x: number, n: number): void;
  scale(x: number, a: number, n: number): void;
  addRowVector(out: number, x: number, bias: number, R: number, C: number): void;
  sumRowsInto(acc: number, x: number, R: number, C: number): void;
  sigmoid(out: number, x: number, n: number): void;
  tanh(out: number, x: number, n: number): void;
  lstmCellForward(h: number, c: number, gates: number, cPrev: number, n: number, H: number, scratch: number): void;
  lstmCellBackward(dGates: number, dcPrev: number, dh: number, dc: number, gates: number, c: number, cPrev: number, n: number, H: number, scratch: number): void;
  gruCellForward(h: number, gates: number, hiddenProj: number, hPrev: number, n: number, H: number, scratch: number): void;
  gruCellBackward(dGatesInput: number, dGatesHidden: number, dhPrev: number, dh: number, gates: number, hiddenProj: number, hPrev: number, n: number, H: number): void;
  rnnTanhCellBackward(dPre: number, dh: number, h: number, n: number): void;
  rnnReluCellBackward(dPre: number, dh: number, h: number, n: number): void;
  adamUpdate(
    values: number, grads: number, m: number, v: number, n: number,
    beta1: number, beta2: number, stepSize: number, bc2Sqrt: number, eps: number, decay: number, l2: number,
  ): void;
  heapBase(): number;
}

/** Blocking constants of assembly/gemm.ts: the pack buffers each thread needs. */
export const GEMM_MR = 4;
export const GEMM_NR = 8;
export const GEMM_KC = 256;
export const GEMM_MC = 128;
export const GEMM_NC = 512;
export const PACK_A_FLOATS = GEMM_MC * GEMM_KC;
export const PACK_B_FLOATS = GEMM_KC * GEMM_NC + GEMM_MR * GEMM_NR;
/** Bytes of float64 scratch a thread running the LSTM/GRU cells needs (CELL_SCRATCH_BYTES of assembly/cells.ts). */
export const CELL_SCRATCH_BYTES = 64 * 4 * 8;
/** Where the edge-tile scratch starts in a PACK_B_FLOATS buffer (gemmPackedB takes it explicitly). */
export const PACK_B_TILE_OFFSET_BYTES = GEMM_KC * GEMM_NC * 4;
/** Floats a whole op(B)[K,N] takes packed (columns rounded up to whole NR panels). */
export function packedBFloats(N: number, K: number): number {
  return K * Math.ceil(N / GEMM_NR) * GEMM_NR;
}

/**
 * The slice of the WebAssembly JS API used here, typed locally: the project's TypeScript lib (ES2022, no DOM)
 * does not declare `WebAssembly`, though every engine SeqLab targets provides it.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** The engine's WebAssembly object, or undefined where there is none. */
export function webAssemblyApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

const PAGE_BYTES = 65536;
const ALIGN_BYTES = 64;

// The smallest module using a SIMD instruction (i8x16.splat + i8x16.popcnt), as wasm-feature-detect does.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/**
 * Which build of the kernels runs: 'relaxed-simd' (GEMM and exp with fused multiply-add) or 'simd' (multiply, then
 * add). Results differ between the two in the last bits; within one build on one machine they are repeatable.
 */
export type KernelsVariant = 'relaxed-simd' | 'simd';

/**
 * The build this engine runs, or null without SIMD. The relaxed build when the engine validates it as it is;
 * else, when `enableRelaxedSimd` can switch relaxed SIMD on (Node 20's V8 11.3 has it behind a flag; newer
 * engines, VS Code's extension host included, ship it), the relaxed build if it validates then; else plain SIMD.
 */
export function selectKernelsVariant(
  api: Pick<WasmApi, 'validate'>, relaxedBytes: Uint8Array, enableRelaxedSimd: () => boolean, allowRelaxed = true,
): KernelsVariant | null {
  if (!api.validate(SIMD_PROBE)) return null;
  if (!allowRelaxed) return 'simd';
  if (api.validate(relaxedBytes)) return 'relaxed-simd';
  if (enableRelaxedSimd() && api.validate(relaxedBytes)) return 'relaxed-simd';
  return 'simd';
}

/**
 * In Node, turn on V8's relaxed SIMD (process-wide, worker threads included; it must precede compiling the
 * module). False where there is no Node or no such flag.
 */
export function enableNodeRelaxedSimd(): boolean {
  try {
    const proc = nodeProcess();
    if (!proc?.versions?.node) return false;
    const v8 = proc.getBuiltinModule?.('node:v8') as { setFlagsFromString?(flags: string): void } | undefined;
    if (typeof v8?.setFlagsFromString !== 'function') return false;
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    return true;
  } catch {
    return false;
  }
}

interface NodeProcessSlice {
  versions?: { node?: string };
  env?: Record<string, string | undefined>;
  getBuiltinModule?(id: string): unknown;
}
function nodeProcess(): NodeProcessSlice | undefined {
  return (globalThis as { process?: NodeProcessSlice }).process;
}

/** SEQLAB_WASM_RELAXED=0 keeps the plain SIMD build (to compare the two, or to reproduce its exact results). */
function relaxedAllowed(): boolean {
  return nodeProcess()?.env?.SEQLAB_WASM_RELAXED?.trim() !== '0';
}

let compiled: { module: WasmModule; variant: KernelsVariant } | null | undefined;

/** True when this JavaScript engine runs WebAssembly SIMD and shared memories (checked once, synchronously). */
export function wasmSimdSupported(): boolean {
  return kernelsModule() !== null;
}

/** The build `kernelsModule` compiled, or null where WebAssembly SIMD is unavailable. */
export function kernelsVariant(): KernelsVariant | null {
  kernelsModule();
  return compiled?.variant ?? null;
}

/** The compiled kernel module, or null where SIMD or SharedArrayBuffer is unavailable. Compiles synchronously. */
export function kernelsModule(): WasmModule | null {
  if (compiled !== undefined) return compiled?.module ?? null;
  compiled = null;
  try {
    const api = webAssemblyApi();
    if (!api || typeof SharedArrayBuffer !== 'function') return null;
    const relaxedBytes = kernelBytes('relaxed-simd');
    const variant = selectKernelsVariant(api, relaxedBytes, enableNodeRelaxedSimd, relaxedAllowed());
    if (variant === null) return null;
    compiled = { module: new api.Module(variant === 'relaxed-simd' ? relaxedBytes : kernelBytes('simd')), variant };
  } catch {
    compiled = null;
  }
  return compiled?.module ?? null;
}

/**
 * A given build, compiled afresh, or null where this engine does not validate it (tests check both builds;
 * call `kernelsModule` first, so the relaxed one has had its chance to be switched on).
 */
export function kernelsModuleOf(variant: KernelsVariant): WasmModule | null {
  const api = webAssemblyApi();
  if (!api || typeof SharedArrayBuffer !== 'function') return null;
  const bytes = kernelBytes(variant);
  return api.validate(bytes) ? new api.Module(bytes) : null;
}

function kernelBytes(variant: KernelsVariant): Uint8Array {
  return base64ToBytes(variant === 'relaxed-simd' ? KERNELS_WASM_RELAXED_BASE64 : KERNELS_WASM_BASE64);
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * One instance of the kernel module over one shared memory, plus an allocator for that memory.
 * The memory is a SharedArrayBuffer, so growing it never detaches the Float32Array views handed out earlier.
 * A WebAssembly memory never shrinks, so `release` puts a block on a free list of its size class and the next
 * `alloc` of that class takes it back: workspaces replaced when shapes change (validation, decoding, a short
 * last batch) cost memory once, not once per epoch. When the reserved space runs out, `alloc` returns null
 * and callers fall back to ordinary arrays (which the kernels copy in and out).
 */
export class WasmRuntime {
  readonly memory: WasmMemory;
  readonly exports: KernelExports;
  /** Every SharedArrayBuffer object `memory.buffer` has returned: views over any of them are ours. */
  private readonly ownBuffers = new WeakSet<ArrayBufferLike>();
  private next: number;
  private float32View: Float32Array;
  /** Released blocks by size class (bytes): their addresses, reused most recent first. */
  private readonly freeBlocks = new Map<number, number[]>();
  /** Size class of every block `alloc` handed out and nobody released yet, by address. */
  private readonly liveBlockClasses = new Map<number, number>();

  constructor(readonly module: WasmModule) {
    const api = webAssemblyApi()!;
    this.memory = new api.Memory({ initial: 32, maximum: KERNELS_WASM_MAXIMUM_PAGES, shared: true });
    const instance = new api.Instance(module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as KernelExports;
    this.next = this.exports.heapBase();
    this.float32View = this.refreshView();
  }

  /** High-water mark of the heap in bytes (benchmarks report it to show steady-state steps allocate nothing). */
  get allocatedBytes(): number {
    return this.next;
  }

  /** Current size of the WebAssembly memory in bytes (it only ever grows). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Bytes sitting on the free lists, ready for reuse. */
  get freeBytes(): number {
    let total = 0;
    for (const [size, addresses] of this.freeBlocks) total += size * addresses.length;
    return total;
  }

  /**
   * A zeroed view of n floats in wasm memory, 64-byte aligned, or null when the reserved space is exhausted.
   * The block is rounded up to its size class, and a released block of that class is reused first.
   */
  alloc(n: number): Float32Array | null {
    const wanted = sizeClassBytes(n * 4);
    const size = this.freeClassServing(wanted);
    let start: number;
    if (size !== undefined) {
      start = this.freeBlocks.get(size)!.pop()!;
      this.heapF32().fill(0, start >> 2, (start >> 2) + n);
    } else {
      start = this.allocBytes(wanted);
      if (start < 0) return null;
    }
    this.liveBlockClasses.set(start, size ?? wanted);
    return new Float32Array(this.float32View.buffer, start, n);
  }

  /**
   * The smallest size class with a free block that can serve `wanted` bytes without wasting more than half of
   * it: a block freed by a large (B, T) then serves a somewhat smaller one instead of the heap growing again.
   */
  private freeClassServing(wanted: number): number | undefined {
    let best: number | undefined;
    for (const [size, addresses] of this.freeBlocks) {
      if (addresses.length > 0 && size >= wanted && size <= 2 * wanted && (best === undefined || size < best)) best = size;
    }
    return best;
  }

  /**
   * Give back a block `alloc` returned, for a later `alloc` of the same size class. The caller must not touch
   * `block` afterwards. Arrays this allocator did not hand out (ordinary arrays, views inside a block, blocks
   * already released) are ignored, so releasing is always safe to attempt.
   */
  release(block: Float32Array): void {
    if (!this.ownBuffers.has(block.buffer)) return;
    const start = block.byteOffset;
    const size = this.liveBlockClasses.get(start);
    if (size === undefined || block.byteLength > size) return;
    this.liveBlockClasses.delete(start);
    const free = this.freeBlocks.get(size);
    if (free) free.push(start);
    else this.freeBlocks.set(size, [start]);
  }

  /** Reserve bytes and return their address, or -1 when the memory cannot grow that far. */
  allocBytes(bytes: number): number {
    const start = (this.next + ALIGN_BYTES - 1) & ~(ALIGN_BYTES - 1);
    const end = start + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE_BYTES);
      try {
        this.memory.grow(Math.max(pages, Math.min(have / PAGE_BYTES, KERNELS_WASM_MAXIMUM_PAGES - have / PAGE_BYTES)));
      } catch {
        try { this.memory.grow(pages); } catch { return -1; }
      }
      this.refreshView();
    }
    this.next = end;
    return start;
  }

  /** Byte address of x[off] when x lives in this memory, else -1. */
  addressOf(x: Float32Array, off: number): number {
    return this.ownBuffers.has(x.buffer) ? x.byteOffset + off * 4 : -1;
  }

  /** A Float32Array over the whole memory as it is now (for staging copies). */
  heapF32(): Float32Array {
    if (this.float32View.buffer.byteLength !== this.memory.buffer.byteLength) this.refreshView();
    return this.float32View;
  }

  private refreshView(): Float32Array {
    const buffer = this.memory.buffer;
    this.ownBuffers.add(buffer);
    this.float32View = new Float32Array(buffer);
    return this.float32View;
  }
}

/**
 * Bytes of the block serving a request: at least 64, else rounded up to a multiple of 1/8 of its power of two,
 * so a reused block wastes under 12.5 % and nearby sizes (B·T changing by a few rows) share a class.
 */
export function sizeClassBytes(bytes: number): number {
  if (bytes <= ALIGN_BYTES) return ALIGN_BYTES;
  const step = 2 ** Math.max(Math.floor(Math.log2(bytes - 1)) - 3, 6);
  return Math.ceil(bytes / step) * step;
}
