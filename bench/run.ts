// `npm run bench [-- --vs-peers] [--seconds S] [--only W1,W4]`: throughput of SeqLab's kernels and layers.
//  1. GEMM 64/256/1024 GFLOP/s: reference kernel, WebAssembly SIMD on 1 thread and on 2 threads.
//  2. Workloads W1–W5 (core issue): training and inference samples/s and GFLOP/s, 1 and 2 threads.
//  3. Float32Arrays and wasm bytes allocated by steady-state training steps (must be 0).
//  4. Packed variable-length batch vs the same batch padded.
//  5. With --vs-peers: PyTorch and TensorFlow.js (wasm, cpu) on the same workloads in the same run, interleaved
//     workload by workload so that machine load hits every framework alike, then a table of ratios.
import { loadavg } from 'node:os';
import { referenceKernels, Rng, useFastestKernels, type Kernels, type WasmKernels } from '../src/tensor';
import { startGemmHelperThread, type GemmHelper } from '../src/tensor/wasm';
import { spawnNodeHelperThread } from '../src/train/gemmHelperNode';
import { countFloat32Arrays } from './allocationCounter';
import { flag, option } from './commandLine';
import { ensureTfjs, probeTorch, runTfjs, runTorch, type PeerResult } from './peers';
import { buildSeqlabWorkload } from './seqlabWorkloads';
import { forwardFlops, trainingFlops, WORKLOADS, type Workload } from './workloads';

const vsPeers = flag('--vs-peers');
const seconds = Number(option('--seconds') ?? 2);
const only = option('--only')?.split(',');
const workloads = WORKLOADS.filter((w) => !only || only.includes(w.id));
// tfjs-cpu needs minutes per step on the larger workloads (issue 5: W2 at 0.09 samples/s).
const TFJS_CPU_WORKLOADS = ['W1', 'W4'];

const fixed = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const thousands = (x: number) => (Number.isFinite(x) ? (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)) : '—');

/** Seconds of CPU this process has used (user + system, all its threads). */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Calls per second of `step`: a warm-up, then calls until `budget` seconds have passed (at least `minCalls`).
 * Single-thread figures are per CPU-second of this process, so that other processes on a shared machine do
 * not count against us (the peers measure the same way); `clock: 'wall'` is for the two-thread figures.
 */
function rate(step: () => void, budget = seconds, minCalls = 2, clock: 'cpu' | 'wall' = 'cpu'): number {
  step();
  let calls = 0;
  const now = clock === 'cpu' ? cpuSeconds : () => performance.now() / 1000;
  const start = now(), wallStart = performance.now();
  while (calls < minCalls || (now() - start < budget && performance.now() - wallStart < 20 * budget * 1000)) {
    step();
    calls++;
  }
  return calls / (now() - start);
}

function gemmGflops(k: Kernels, n: number, budget: number, clock: 'cpu' | 'wall' = 'cpu'): number {
  const rng = new Rng(1);
  const A = k.alloc(n * n), B = k.alloc(n * n), C = k.alloc(n * n);
  rng.fillNormal(A); rng.fillNormal(B);
  const perSecond = rate(() => k.gemm(false, false, n, n, n, 1, A, 0, n, B, 0, n, 0, C, 0, n), budget, 1, clock);
  return (2 * n ** 3 * perSecond) / 1e9;
}

/** Wall-clock GFLOP/s of an n² GEMM on 1 and on 2 threads, alternating call by call so that load hits both alike. */
function gemmWallOneVsTwo(k: WasmKernels, h: GemmHelper, n: number, budget: number): [number, number] {
  const rng = new Rng(1);
  const A = k.alloc(n * n), B = k.alloc(n * n), C = k.alloc(n * n);
  rng.fillNormal(A); rng.fillNormal(B);
  const wallMs = [0, 0];
  let calls = 0;
  k.gemm(false, false, n, n, n, 1, A, 0, n, B, 0, n, 0, C, 0, n);
  for (; calls < 2 || wallMs[0] + wallMs[1] < budget * 1000; calls++) {
    for (const threads of [1, 2]) {
      h.enabled = threads === 2;
      const t = performance.now();
      k.gemm(false, false, n, n, n, 1, A, 0, n, B, 0, n, 0, C, 0, n);
      wallMs[threads - 1] += performance.now() - t;
    }
  }
  return [(2 * n ** 3 * calls) / wallMs[0] / 1e6, (2 * n ** 3 * calls) / wallMs[1] / 1e6];
}

/**
 * Wall-clock samples/s of `step` (one batch of B) on 1 and on 2 threads, alternating blocks of STEPS_PER_BLOCK
 * steps so that load changes hit both alike. After each switch one untimed step lets the helper wake up (and its
 * split chooser see the new state), as a running training's helper always is. The helper's split statistics count
 * these steps only.
 */
const STEPS_PER_BLOCK = 5;
function wallOneVsTwo(step: () => void, h: GemmHelper, B: number): { one: number; two: number; share: string } {
  const [splits, helperStripes, stripes] = [h.splits, h.helperStripes, h.stripes];
  const wallMs = [0, 0];
  let steps = 0;
  for (; steps < 2 * STEPS_PER_BLOCK || wallMs[0] + wallMs[1] < 2 * seconds * 1000; steps += STEPS_PER_BLOCK) {
    for (const threads of [1, 2]) {
      h.enabled = threads === 2;
      step();
      const t = performance.now();
      for (let i = 0; i < STEPS_PER_BLOCK; i++) step();
      wallMs[threads - 1] += performance.now() - t;
    }
  }
  const one = (1000 * steps * B) / wallMs[0], two = (1000 * steps * B) / wallMs[1];
  const share = `1 thread ${thousands(one)}, 2 threads ${thousands(two)} samples/s (×${fixed(two / one, 2)}); ${h.splits - splits} GEMMs split, the helper computed ${h.helperStripes - helperStripes} of their ${h.stripes - stripes} stripes`;
  return { one, two, share };
}

// ───────────────────────────────────────────── set-up ─────────────────────────────────────────────
const fastest = useFastestKernels();
const wasm = fastest.name.startsWith('wasm') ? (fastest as WasmKernels) : null;
console.log(`SeqLab bench — backend ${fastest.name}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log('(the machine may be shared: absolute figures move between runs, ratios within one run are what count;');
console.log(' 1-thread rates are per CPU-second of the measuring process, for SeqLab and peers alike; 2-thread rates are wall-clock)\n');

// ───────────────────────────────────────────── 1. GEMM ─────────────────────────────────────────────
console.log('GEMM C = A·B, square n (GFLOP/s; 1 thread per CPU-second, and wall-clock 1 vs 2 threads alternating call by call)');
console.log('    n   reference   wasm 1 thread   wall 1 thread   wall 2 threads');
let helper: GemmHelper | null = null;
const gemmWasm1024: number[] = [];
for (const n of [64, 256, 1024]) {
  const reference = gemmGflops(referenceKernels, n, n === 1024 ? 0.5 : seconds / 2);
  let one = NaN, oneWall = NaN, two = NaN;
  if (wasm) {
    one = gemmGflops(wasm, n, seconds / 2);
    // Every GEMM split here (this row measures the split itself; training chooses by measured cost).
    helper = startGemmHelperThread(wasm, spawnNodeHelperThread, { threshold: 1, alwaysSplit: true });
    [oneWall, two] = gemmWallOneVsTwo(wasm, helper, n, seconds);
    helper.stop();
    helper = null;
    if (n === 1024) gemmWasm1024.push(one, two, oneWall);
  }
  console.log(`${String(n).padStart(5)}   ${fixed(reference, 2).padStart(9)}   ${fixed(one, 2).padStart(13)}   ${fixed(oneWall, 2).padStart(13)}   ${fixed(two, 2).padStart(14)}`);
}

// ─────────────────────────────────── 2–3. workloads, allocations ───────────────────────────────────
interface Row {
  workload: Workload; train: number; infer: number; train2: number; train1Wall: number; infer2: number; infer1Wall: number;
  peers: PeerResult[];
}
const rows: Row[] = [];
const splitShare = new Map<string, string>();
const torch = vsPeers ? probeTorch() : null;
const tfjs = vsPeers ? ensureTfjs() : null;
if (vsPeers) console.log(`\npeers: ${torch!.message}; ${tfjs!.message}`);

console.log('\nWorkloads (SeqLab, real layers: Embedding/LSTM/GRU/Linear/loss/Adam; samples/s, GFLOP/s)');
console.log('workload                              train 1t   GFLOP/s   train 2t   infer 1t   GFLOP/s   infer 2t   new Float32Arrays/step   new wasm bytes/step');
for (const w of workloads) {
  const runner = buildSeqlabWorkload(w);
  runner.trainStep();
  runner.trainStep(); // workspaces for this (B, T) now exist
  const bytesBefore = wasm?.runtime.allocatedBytes ?? 0;
  const steadySteps = 3;
  const arrays = countFloat32Arrays(() => { for (let i = 0; i < steadySteps; i++) runner.trainStep(); }) / steadySteps;
  const bytes = ((wasm?.runtime.allocatedBytes ?? 0) - bytesBefore) / steadySteps;
  const train = rate(() => runner.trainStep()) * w.B;
  const infer = rate(() => runner.inferStep()) * w.B;
  let train2 = NaN, train1Wall = NaN, infer2 = NaN, infer1Wall = NaN;
  if (wasm) {
    // As the CLI and the training worker run it: default threshold, split only where it measures faster.
    helper = startGemmHelperThread(wasm, spawnNodeHelperThread);
    const training = wallOneVsTwo(() => runner.trainStep(), helper, w.B);
    const inference = wallOneVsTwo(() => runner.inferStep(), helper, w.B);
    [train1Wall, train2, infer1Wall, infer2] = [training.one, training.two, inference.one, inference.two];
    splitShare.set(w.id, `wall-clock, alternating blocks of ${STEPS_PER_BLOCK} steps: training ${training.share}; inference ${inference.share}`);
    helper.stop();
    helper = null;
  }
  const trainGflops = (trainingFlops(w) * train) / w.B / 1e9;
  const inferGflops = (forwardFlops(w) * infer) / w.B / 1e9;
  console.log(
    `${`${w.id} ${w.title}`.padEnd(36)}  ${thousands(train).padStart(8)}   ${fixed(trainGflops, 2).padStart(7)}   ${thousands(train2).padStart(8)}   ${thousands(infer).padStart(8)}   ${fixed(inferGflops, 2).padStart(7)}   ${thousands(infer2).padStart(8)}   ${fixed(arrays, 0).padStart(22)}   ${fixed(bytes, 0).padStart(19)}`,
  );
  const peers: PeerResult[] = [];
  if (torch?.ok) peers.push(...runTorch([w], seconds, 1, torch.coretype));
  if (tfjs?.ok) {
    peers.push(...runTfjs('wasm', [w], seconds));
    peers.push(...runTfjs('cpu', [w], seconds, TFJS_CPU_WORKLOADS));
  }
  rows.push({ workload: w, train, infer, train2, train1Wall, infer2, infer1Wall, peers });
}

for (const [id, share] of splitShare) console.log(`  2 threads, ${id}: ${share}`);

// ─────────────────────────────────────── 4. packed vs padded ───────────────────────────────────────
{
  const w = WORKLOADS.find((x) => x.id === 'W5')!;
  const rng = new Rng(9);
  const lengths = new Int32Array(w.B);
  for (let b = 0; b < w.B; b++) lengths[b] = 1 + Math.floor(rng.uniform() * w.T); // U{1..T}: about half is padding
  const realFraction = lengths.reduce((s, x) => s + x, 0) / (w.B * w.T);
  const padded = buildSeqlabWorkload(w, 1);
  const packed = buildSeqlabWorkload(w, 1, lengths);
  // Alternate the two, step by step, so that changes in machine load hit both alike.
  padded.trainStep(); packed.trainStep();
  let paddedMs = 0, packedMs = 0;
  for (let round = 0; round < 4 || paddedMs + packedMs < seconds * 1000; round++) {
    let t = cpuSeconds();
    padded.trainStep();
    paddedMs += (cpuSeconds() - t) * 1000;
    t = cpuSeconds();
    packed.trainStep();
    packedMs += (cpuSeconds() - t) * 1000;
  }
  const paddedRate = 1 / paddedMs, packedRate = 1 / packedMs; // per round
  console.log(`\nPacked vs padded (W5 shapes, lengths U{1..${w.T}}: ${(100 * realFraction).toFixed(0)}% real steps)`);
  console.log(`  training, same number of steps: padded ${fixed(paddedMs, 0)} CPU-ms, packed ${fixed(packedMs, 0)} CPU-ms → packed takes ${(100 * paddedRate / packedRate).toFixed(0)}% of the padded time (ideal ${(100 * realFraction).toFixed(0)}%)`);
}

// ───────────────────────────────────────────── 5. peers ─────────────────────────────────────────────
if (vsPeers) {
  const gemmPeers: PeerResult[] = [];
  if (torch?.ok) gemmPeers.push(...runTorch([], seconds, 1, torch.coretype), ...runTorch([], seconds, 2, torch.coretype));
  if (tfjs?.ok) gemmPeers.push(...runTfjs('wasm', [], seconds), ...runTfjs('cpu', [], 0.5));
  const find = (r: Row, framework: string, mode: 'train' | 'infer') => r.peers.find((p) => p.framework === framework && p.workload === r.workload.id && p.mode === mode)?.samplesPerSecond ?? NaN;
  const ratio = (ours: number, theirs: number) => (Number.isFinite(ours) && Number.isFinite(theirs) ? `${(ours / theirs).toFixed(2)}×` : '—');
  for (const mode of ['train', 'infer'] as const) {
    const train = mode === 'train';
    console.log(`\n${train ? 'Training' : 'Inference'} samples/s, one run (SeqLab 1 thread per CPU-second, and 2 threads wall-clock; ratio = SeqLab / peer, 1 thread)`);
    console.log('| workload | SeqLab | PyTorch | SeqLab/PyTorch | tfjs-wasm | SeqLab/tfjs-wasm | tfjs-cpu | SeqLab/tfjs-cpu | SeqLab 2 threads | 2t/PyTorch |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      const [ours, two, oneWall] = train ? [r.train, r.train2, r.train1Wall] : [r.infer, r.infer2, r.infer1Wall];
      const [pt, tw, tc] = ['torch', 'tfjs-wasm', 'tfjs-cpu'].map((f) => find(r, f, mode));
      console.log(`| ${r.workload.id} | ${thousands(ours)} | ${thousands(pt)} | ${ratio(ours, pt)} | ${thousands(tw)} | ${ratio(ours, tw)} | ${thousands(tc)} | ${ratio(ours, tc)} | ${thousands(two)} (1t wall ${thousands(oneWall)}) | ${ratio(two, pt)} |`);
    }
  }
  const g = (framework: string) => gemmPeers.find((p) => p.framework === framework)?.gemm1024 ?? NaN;
  console.log('\nGEMM 1024² GFLOP/s: ' + [
    `SeqLab wasm ${fixed(gemmWasm1024[0] ?? NaN)} (wall-clock: 2 threads ${fixed(gemmWasm1024[1] ?? NaN)} vs 1 thread ${fixed(gemmWasm1024[2] ?? NaN)})`,
    `PyTorch ${fixed(g('torch'))} (2 threads ${fixed(g('torch-2t'))})`,
    `tfjs-wasm ${fixed(g('tfjs-wasm'))}`,
    `tfjs-cpu ${fixed(g('tfjs-cpu'), 2)}`,
  ].join(', '));
  const notes = new Set(rows.flatMap((r) => r.peers).filter((p) => p.note || p.skipped).map((p) => `${p.framework}${p.workload ? ' ' + p.workload : ''}: ${p.note ?? 'skipped, ' + p.skipped}`));
  for (const n of notes) console.log(`  note — ${n}`);
}
