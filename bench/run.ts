// `npm run bench`: throughput of the kernels on the active backend. Workloads W1–W5 join as the layers land.
import { kernels, Rng } from '../src/tensor';

function gemmGflops(n: number, seconds = 1): number {
  const k = kernels();
  const rng = new Rng(1);
  const A = k.alloc(n * n), B = k.alloc(n * n), C = k.alloc(n * n);
  rng.fillNormal(A); rng.fillNormal(B);
  let iterations = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000 || iterations < 1) {
    k.gemm(false, false, n, n, n, 1, A, 0, n, B, 0, n, 0, C, 0, n);
    iterations++;
  }
  const elapsed = (performance.now() - start) / 1000;
  return (2 * n * n * n * iterations) / elapsed / 1e9;
}

for (const n of [64, 256, 512]) console.log(`GEMM ${n}x${n} (${kernels().name}): ${gemmGflops(n).toFixed(2)} GFLOP/s`);
