// `npm run bench:engine [-- --steps N] [--python P]`: when does moving to PyTorch pay? One workload (W1's shape: LSTM
// 64×2, window 30, batch 32, forecasting a 2-column CSV of 20,000 rows) trained by `seqlab train` and by
// `seqlab train --engine pytorch` with 1 and with 2 processes (torchrun, gloo on CPU), each reading the CSV from disk
// as it would in use. Figure: the median of the runs' own samples/s reports after the first 10 steps (wall clock,
// all processes together), and the time from the command's start to its first step (setup: data, export, launch).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { option } from './commandLine';

const steps = Number(option('--steps') ?? 150);
const python = option('--python') ?? '/usr/bin/python3';
const CLI = path.join(__dirname, '..', 'bin', 'seqlab.js');

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

interface Measured { samplesPerSecond: number; secondsToFirstStep: number }

function measure(specPath: string, extra: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstStep = NaN;
    let buffered = '';
    const rates: number[] = [];
    const child = spawn(process.execPath, [CLI, 'train', specPath, '--json', '--max-steps', String(steps), ...extra], {
      env: { ...process.env, OPENBLAS_CORETYPE: process.env.OPENBLAS_CORETYPE ?? 'SkylakeX' }, stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const event = JSON.parse(line) as { type: string; step: number; samplesPerSecond: number };
        if (event.type !== 'step') continue;
        if (Number.isNaN(firstStep)) firstStep = (performance.now() - started) / 1000;
        if (event.step > 10) rates.push(event.samplesPerSecond);
      }
    });
    child.on('close', (code) => {
      if (code !== 0 || rates.length === 0) return reject(new Error(`seqlab train ${extra.join(' ')} exited with ${code}`));
      rates.sort((a, b) => a - b);
      resolve({ samplesPerSecond: rates[Math.floor(rates.length / 2)], secondsToFirstStep: firstStep });
    });
  });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'seqlab-bench-engine-'));
  const specPath = workload(dir);
  const cases: [string, string[]][] = [
    ['SeqLab (wasm kernels, its default threads)', []],
    ['PyTorch, 1 process', ['--engine', 'pytorch', '--python', python, '--device', 'cpu', '--nproc', '1']],
    ['PyTorch, 2 processes (torchrun, gloo)', ['--engine', 'pytorch', '--python', python, '--device', 'cpu', '--nproc', '2']],
  ];
  console.log(`W1 shape (LSTM 64×2, T30, B32) on a 20,000-row CSV, ${steps} steps each; load average ${loadavg()[0].toFixed(1)}`);
  console.log('| engine | training samples/s (median) | seconds to first step |\n|---|---|---|');
  for (const [name, extra] of cases) {
    const m = await measure(specPath, extra);
    console.log(`| ${name} | ${Math.round(m.samplesPerSecond).toLocaleString('en-US')} | ${m.secondsToFirstStep.toFixed(1)} |`);
  }
  console.log(`load average after: ${loadavg()[0].toFixed(1)}`);
  fs.rmSync(dir, { recursive: true });
}

void main();
