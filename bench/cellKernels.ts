// The fused cell kernels and sigmoid/tanh of the active backend alone, per call, on the W1 (32×64) and W5 (64×128)
// shapes: best of 7 repetitions of CPU time. `node --import tsx bench/cellKernels.ts`; SEQLAB_WASM_RELAXED=0
// measures the plain-SIMD build.
import { Rng, useFastestKernels, type WasmKernels } from '../src/tensor';

const k = useFastestKernels();
// Arrays in wasm memory, as the layers allocate them (arrays outside it take the reference kernels).
const alloc = (n: number): Float32Array => (k.name.startsWith('wasm') ? (k as WasmKernels).alloc(n) : new Float32Array(n));
console.log(`cell kernels — backend ${k.name}, µs per call (CPU time, best of 7)`);

function microseconds(fn: () => void, reps: number): number {
  for (let i = 0; i < 50; i++) fn();
  let best = Infinity;
  for (let trial = 0; trial < 7; trial++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) fn();
    const d = process.cpuUsage(t0);
    best = Math.min(best, (d.user + d.system) / reps);
  }
  return best;
}

const rng = new Rng(1);
const rows: string[][] = [];
for (const [n, H] of [[32, 64], [64, 128]]) {
  const fill = (a: Float32Array, scale = 1): Float32Array => { rng.fillNormal(a); for (let i = 0; i < a.length; i++) a[i] *= scale; return a; };
  const pre4 = fill(alloc(n * 4 * H), 2), gates4 = alloc(n * 4 * H), pre3 = fill(alloc(n * 3 * H), 2), gates3 = alloc(n * 3 * H);
  const h = alloc(n * H), c = alloc(n * H), prev = fill(alloc(n * H)), dh = fill(alloc(n * H)), dc = fill(alloc(n * H));
  const dG = alloc(n * 4 * H), dPrev = alloc(n * H), proj = fill(alloc(n * 3 * H)), dIn = alloc(n * 3 * H), dHid = alloc(n * 3 * H);
  const reps = Math.round(2e6 / (n * H));
  // Forward kernels overwrite their gates with activations: each call starts from a fresh copy (≈ 1 µs).
  const lstmForward = () => { gates4.set(pre4); k.lstmCellForward(h, 0, c, 0, gates4, 0, prev, 0, n, H); };
  const gruForward = () => { gates3.set(pre3); k.gruCellForward(h, 0, gates3, 0, proj, 0, prev, 0, n, H); };
  lstmForward(); gruForward();
  rows.push([`${n}×${H}`, ...[
    lstmForward,
    () => k.lstmCellBackward(dG, 0, dPrev, 0, dh, 0, dc, 0, gates4, 0, c, 0, prev, 0, n, H),
    gruForward,
    () => k.gruCellBackward(dIn, 0, dHid, 0, dPrev, 0, dh, 0, gates3, 0, proj, 0, prev, 0, n, H),
    () => k.sigmoid(dG, 0, pre4, 0, n * 4 * H),
    () => k.tanh(dG, 0, pre4, 0, n * 4 * H),
  ].map((fn) => microseconds(fn, reps).toFixed(1))]);
}
console.log('shape     LSTM fwd   LSTM bwd    GRU fwd    GRU bwd   sigmoid n·4H   tanh n·4H');
for (const r of rows) console.log(r[0].padEnd(8) + r.slice(1).map((v, i) => v.padStart(i >= 4 ? 15 : 11)).join(''));
