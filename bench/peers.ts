// Runs the peer frameworks (bench/peers) on one workload in a child process and collects their JSON lines.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Workload } from './workloads';

const root = join(new URL('.', import.meta.url).pathname, '..');
const peersDir = join(root, 'bench', 'peers');
const PYTHON = '/usr/bin/python3';

export interface PeerResult {
  framework: string;
  workload?: string;
  mode?: 'train' | 'infer';
  samplesPerSecond?: number;
  gemm1024?: number;
  skipped?: string;
  note?: string;
}

function jsonLines(stdout: string): PeerResult[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as PeerResult);
}

/** PyTorch availability and the OpenBLAS core type that runs here (SkylakeX needs AVX-512; else Haswell). */
export function probeTorch(): { ok: true; coretype: string; message: string } | { ok: false; message: string } {
  if (!existsSync(PYTHON)) return { ok: false, message: `PyTorch: skipped (${PYTHON} not found)` };
  const probe = (coretype: string) => spawnSync(PYTHON, ['-c', 'import torch; torch.mm(torch.randn(256, 256), torch.randn(256, 256)); print(torch.__version__)'], {
    env: { ...process.env, OPENBLAS_CORETYPE: coretype, OMP_NUM_THREADS: '1' }, encoding: 'utf8',
  });
  const best = probe('SkylakeX');
  if (best.status === 0) return { ok: true, coretype: 'SkylakeX', message: `PyTorch ${best.stdout.trim()} with OPENBLAS_CORETYPE=SkylakeX` };
  if (best.stderr?.includes('No module named')) return { ok: false, message: 'PyTorch: skipped (torch is not installed for /usr/bin/python3)' };
  const fallback = probe('Haswell');
  if (fallback.status === 0) {
    return { ok: true, coretype: 'Haswell', message: `PyTorch ${fallback.stdout.trim()} with OPENBLAS_CORETYPE=Haswell (SkylakeX died with ${best.signal ?? `exit ${best.status}`}: this CPU has no AVX-512)` };
  }
  return { ok: false, message: `PyTorch: skipped (torch failed to run: ${(fallback.stderr ?? '').trim().split('\n').pop()})` };
}

export function runTorch(workloads: readonly Workload[], seconds: number, threads: number, coretype: string): PeerResult[] {
  const r = spawnSync(PYTHON, [join(peersDir, 'torch_bench.py'), JSON.stringify(workloads), String(seconds), String(threads)], {
    env: { ...process.env, OPENBLAS_CORETYPE: coretype, OMP_NUM_THREADS: String(threads) }, encoding: 'utf8', maxBuffer: 1 << 24,
  });
  if (r.status !== 0) return [{ framework: 'torch', skipped: `failed: ${(r.stderr ?? '').trim().split('\n').pop()}` }];
  return jsonLines(r.stdout);
}

/** Install TensorFlow.js into bench/peers/node_modules on first use (it is not an extension dependency). */
export function ensureTfjs(): { ok: boolean; message: string } {
  if (existsSync(join(peersDir, 'node_modules', '@tensorflow', 'tfjs-backend-wasm'))) return { ok: true, message: 'TensorFlow.js 4.22 (bench/peers)' };
  console.log('installing TensorFlow.js into bench/peers/node_modules (once)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: peersDir, stdio: 'inherit' });
  return r.status === 0 ? { ok: true, message: 'TensorFlow.js 4.22 (bench/peers, just installed)' } : { ok: false, message: 'TensorFlow.js: skipped (npm install in bench/peers failed)' };
}

/** `only` limits the workloads actually run (the others report a skip) — tfjs-cpu needs minutes for the big ones. */
export function runTfjs(backend: 'wasm' | 'cpu', workloads: readonly Workload[], seconds: number, only?: readonly string[]): PeerResult[] {
  const args = [join(peersDir, 'tfjs.mjs'), backend, JSON.stringify(workloads), String(seconds), ...(only ? [only.join(',') || '-'] : [])];
  const r = spawnSync(process.execPath, args, { cwd: peersDir, encoding: 'utf8', maxBuffer: 1 << 24 });
  const results = jsonLines(r.stdout ?? '');
  if (r.status !== 0) results.push({ framework: `tfjs-${backend}`, skipped: `failed: ${(r.stderr ?? '').trim().split('\n').find((l) => /Error/.test(l)) ?? 'exit ' + r.status}` });
  return results;
}
