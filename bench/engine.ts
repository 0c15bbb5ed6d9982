// `npm run bench:engine [-- --steps N] [--repeat N] [--python P]`: when does moving to PyTorch pay? One workload (W1's
// shape: LSTM 64×2, window 30, batch 32, forecasting a 2-column CSV of 20,000 rows) trained by `seqlab train` and by
// `seqlab train --engine pytorch` with 1 and with 2 processes (torchrun, gloo on CPU), each reading the CSV from disk
// as it would in use, and a bare `nn.LSTM` of the same shape on one random batch (what PyTorch costs without the
// project around it). Figure: the median of a run's own samples/s reports after its first 10 steps (wall clock, all
// processes together), and the time from the command's start to its first step (setup: data, export, launch).
// Beside it, samples per CPU-second of the run's process tree over the same steps (all processes and threads), which
// a loaded machine moves far less than the wall clock. With --repeat N the cases run N times, interleaved (each case
// once, then again), and the table gives the median and the spread (min–max) of the N figures, with the load average
// before each round. --baseline-cli FILE (another checkout's bin/seqlab.js, built) adds its PyTorch runs to each
// round, to measure a change of the exported project against its parent.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { option } from './commandLine';
import { median, spread } from './statistics';

const steps = Number(option('--steps') ?? 150);
const repeat = Number(option('--repeat') ?? 1);
const python = option('--python') ?? '/usr/bin/python3';
const CLI = path.join(__dirname, '..', 'bin', 'seqlab.js');
const baselineCli = option('--baseline-cli');
const BATCH = 32;
const BARE_LSTM = path.join(__dirname, 'peers', 'torch_bare_lstm.py');
// OpenBLAS's AVX-512 kernels; an OPENBLAS_CORETYPE in the environment wins (Haswell on a CPU without AVX-512).
const env = { ...process.env, OPENBLAS_CORETYPE: process.env.OPENBLAS_CORETYPE ?? 'SkylakeX' };

function workload(dir: string): string {
  const rows = ['t,load,temp'];
  for (let i = 0; i < 20_000; i++) rows.push(`${i},${(Math.sin(i / 24) * 10 + Math.sin(i / 168) * 4 + 50).toFixed(3)},${(Math.cos(i / 24) * 5 + 12).toFixed(3)}`);
  fs.writeFileSync(path.join(dir, 'load.csv'), `${rows.join('\n')}\n`);
  const specPath = path.join(dir, 'w1.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify({
    name: 'w1', task: { type: 'forecast' }, data: { source: 'csv', path: 'load.csv', columns: ['load', 'temp'], target: ['load'], window: 30 },
    model: { encoder: { cell: 'lstm', hiddenSize: 64, numLayers: 2 } },
    training: { epochs: 1, batchSize: 32, seed: 1, optimizer: { type: 'adam', lr: 0.001 }, clipGradNorm: 1 },
  }));
  return specPath;
}

/**
 * Which BLAS library torch calls for its matrix products here. Debian's torch links the system `libblas.so.3`, which
 * is the slow reference BLAS (libblas3) unless an optimised one is installed: with it PyTorch trains this workload
 * several times slower (bench/README.md measures it).
 */
function blasInUse(): string {
  const probe = spawnSync(python, ['-c', 'import torch; torch.mm(torch.ones(64, 64), torch.ones(64, 64)); '
    + 'print(torch.__version__, " ".join(sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l})))'], { env, encoding: 'utf8' });
  if (probe.status !== 0) return `torch did not run (${probe.signal ?? `exit ${probe.status}`}: ${(probe.stderr ?? '').trim().split('\n').pop()})`;
  const [version, ...libraries] = probe.stdout.trim().split(' ');
  const library = libraries.join(' ');
  // Debian's reference BLAS lives in …/blas/ (an optimised one's libblas.so.3 in its own folder, e.g. openblas-openmp/).
  const reference = /\/blas\/libblas\.so/.test(library);
  return `PyTorch ${version}, BLAS ${library || 'not found'}, OPENBLAS_CORETYPE=${env.OPENBLAS_CORETYPE}`
    + (reference ? ' — the reference BLAS: install an optimised one (Debian: apt-get install libopenblas0-openmp)' : '');
}

interface Measured { samplesPerSecond: number; samplesPerCpuSecond: number; secondsToFirstStep: number }

/** CPU seconds (user + system, all threads) used so far by a process and its descendants, from /proc (Linux). */
function treeCpuSeconds(root: number): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try { stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8'); } catch { continue; } // it just ended
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
    const pid = Number(name), parent = Number(fields[1]);
    ticks.set(pid, Number(fields[11]) + Number(fields[12])); // utime, stime (fields 14, 15)
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  let total = 0;
  for (const stack = [root]; stack.length > 0;) {
    const pid = stack.pop() as number;
    total += ticks.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total / 100; // USER_HZ: 100 on Linux
}

function measure(command: string[], what: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstStep = NaN;
    let buffered = '';
    const rates: number[] = [];
    let steady: { step: number; cpu: number } | undefined;
    let last = { step: 0, cpu: 0 };
    const child = spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const event = JSON.parse(line) as { type: string; step: number; samplesPerSecond: number };
        if (event.type !== 'step') continue;
        if (Number.isNaN(firstStep)) firstStep = (performance.now() - started) / 1000;
        if (event.step <= 10) continue;
        rates.push(event.samplesPerSecond);
        last = { step: event.step, cpu: treeCpuSeconds(child.pid as number) };
        steady ??= last;
      }
    });
    child.on('close', (code) => {
      if (code !== 0 || rates.length === 0 || !steady) return reject(new Error(`${what} exited with ${code}`));
      const samplesPerCpuSecond = ((last.step - steady.step) * BATCH) / Math.max(1e-9, last.cpu - steady.cpu);
      resolve({ samplesPerSecond: median(rates), samplesPerCpuSecond, secondsToFirstStep: firstStep });
    });
  });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'seqlab-bench-engine-'));
  const specPath = workload(dir);
  const train = (cli: string, extra: string[]) => [process.execPath, cli, 'train', specPath, '--json', '--max-steps', String(steps), ...extra];
  const pytorch = (nproc: number) => ['--engine', 'pytorch', '--python', python, '--device', 'cpu', '--nproc', String(nproc)];
  const cases: [string, string[]][] = [
    ['SeqLab (wasm kernels, its default threads)', train(CLI, [])],
    ['PyTorch, 1 process', train(CLI, pytorch(1))],
    ['PyTorch, 2 processes (torchrun, gloo)', train(CLI, pytorch(2))],
    ...(baselineCli ? [
      ['PyTorch, 1 process, baseline', train(baselineCli, pytorch(1))],
      ['PyTorch, 2 processes, baseline', train(baselineCli, pytorch(2))],
    ] as [string, string[]][] : []),
    ['bare nn.LSTM + Linear, Adam, one random batch (1 process)', [python, BARE_LSTM, String(steps)]],
  ];
  console.log(`W1 shape (LSTM 64×2, T30, B32) on a 20,000-row CSV, ${steps} steps each, ${repeat} round(s) interleaved`);
  console.log(blasInUse());
  const results = cases.map(() => [] as Measured[]);
  const loads: number[] = [];
  for (let round = 0; round < repeat; round++) {
    loads.push(loadavg()[0]);
    for (const [i, [name, command]] of cases.entries()) results[i].push(await measure(command, name));
  }
  loads.push(loadavg()[0]);
  const many = repeat > 1;
  const figure = (xs: number[], digits: number) => (digits === 0 ? Math.round(median(xs)).toLocaleString('en-US') : median(xs).toFixed(digits))
    + (many ? ` (${spread(xs, digits)})` : '');
  const range = many ? ' (median, min–max)' : '';
  console.log(`| engine | training samples/s${range} | samples per CPU-second${range} | seconds to first step${range} |\n|---|---|---|---|`);
  for (const [i, [name]] of cases.entries()) {
    const m = results[i];
    console.log(`| ${name} | ${figure(m.map((r) => r.samplesPerSecond), 0)} | ${figure(m.map((r) => r.samplesPerCpuSecond), 0)} | ${figure(m.map((r) => r.secondsToFirstStep), 1)} |`);
  }
  console.log(`load average (1 min) before each round and at the end: ${loads.map((l) => l.toFixed(1)).join(', ')}`);
  fs.rmSync(dir, { recursive: true });
}

void main();
