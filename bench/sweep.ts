// `npm run bench:sweep`: what a sweep costs on this machine.
//  1. Trials per minute of a forecasting sweep (examples/sweeps/forecast.seqmodel.json, 3 epochs per trial,
//     6 trials) with 1 and with 2 trials at once, each trial on one thread (seqlab.threadsPerRun 1). Wall clock.
//  2. A 30-configuration ASHA sweep (η 3, rungs of 1, 3 and 9 epochs) against the same 30 configurations trained
//     in full (9 epochs each), 2 at once: epochs trained, wall time, and the best validation RMSE each found.
// Trials run in worker threads exactly as `seqlab sweep` runs them (dist/sweepWorker.js, built first). Cost is
// wall time and CPU-seconds of this process with its workers (machine load does not inflate the latter).
// `--asha-only` runs only part 2; `--hidden-min N --hidden-max N` set its hidden-size range (default 8–64).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeRunIo } from '../src/train/runIo';
import { analyzeSweep } from '../src/train/sweeps/sweepFile';
import { planTrials } from '../src/train/sweeps/trialPlan';
import { createSweepFolder, runSweep } from '../src/train/sweeps/sweepRunner';
import { workerLauncher } from '../src/train/sweeps/trialLaunchers';
import { readJsonLines } from '../src/train/runFolder';
import { flag, option } from './commandLine';

const ashaOnly = flag('--asha-only');
// Larger hidden sizes make an epoch dearer against a trial's fixed costs (worker start, data, validation, test).
const hiddenMin = Number(option('--hidden-min') ?? 8);
const hiddenMax = Number(option('--hidden-max') ?? 64);
const root = path.join(new URL('.', import.meta.url).pathname, '..');
const worker = path.join(root, 'dist', 'sweepWorker.js');
const baseSpec = JSON.parse(fs.readFileSync(path.join(root, 'examples', 'sweeps', 'forecast.seqmodel.json'), 'utf8')) as Record<string, unknown> & { data: Record<string, unknown>; training: Record<string, unknown> };

/** Run a sweep given as JSON (base spec with `epochs`) in a fresh folder; wall seconds, epochs trained, best metric. */
async function measure(sweepJson: Record<string, unknown>, epochs: number, parallel: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-bench-sweep-'));
  const spec = { ...baseSpec, data: { ...baseSpec.data, path: path.join(root, 'examples', 'data', 'load.csv') }, training: { ...baseSpec.training, epochs } };
  fs.writeFileSync(path.join(dir, 'forecast.seqmodel.json'), JSON.stringify(spec, null, 2));
  const sweepPath = path.join(dir, 'bench.seqsweep.json');
  const analysis = analyzeSweep(JSON.stringify({ spec: 'forecast.seqmodel.json', metric: { name: 'rmse' }, ...sweepJson }), { sweepPath, readSpec: (p) => fs.readFileSync(p, 'utf8') });
  if (!analysis.sweep) throw new Error(analysis.diagnostics.map((d) => d.message).join('\n'));
  const sweepDir = createSweepFolder(nodeRunIo, analysis.sweep, planTrials(analysis.sweep), new Date());
  const started = performance.now();
  const cpuStarted = process.cpuUsage(); // this process and its worker threads: the cost, whatever else loads the machine
  const outcome = await runSweep({ dir: sweepDir, sweep: analysis.sweep, baseSpecText: analysis.baseSpecText!, io: nodeRunIo, launcher: workerLauncher(worker, 1), parallel });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const trials = outcome.state.trials;
  const epochsTrained = trials.reduce((n, t) => n + readJsonLines(nodeRunIo, path.join(sweepDir, t.runDir, 'metrics.jsonl')).length, 0);
  const best = Math.min(...trials.map((t) => t.metric ?? Infinity));
  fs.rmSync(dir, { recursive: true });
  return { seconds, cpuSeconds, trials: trials.length, epochsTrained, best, statuses: trials.map((t) => t.status) };
}

async function main(): Promise<void> {
  const cores = os.availableParallelism();
  console.log(`bench:sweep on ${cores} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const grid = { parameters: { 'training.optimizer.lr': { values: [0.001, 0.003, 0.01] }, 'model.encoder.hiddenSize': { values: [16, 32] } } };
  for (const parallel of [1, 2]) {
    if (ashaOnly) break;
    const r = await measure(grid, 3, parallel);
    console.log(`forecast sweep, 6 trials × 3 epochs, ${parallel} at once: ${r.seconds.toFixed(1)} s, ${(r.trials / (r.seconds / 60)).toFixed(2)} trials/min (${r.cpuSeconds.toFixed(0)} CPU-s)`);
  }

  const space = {
    trials: 30, samplerSeed: 1,
    parameters: {
      'training.optimizer.lr': { min: 0.0003, max: 0.03, distribution: 'log-uniform' },
      'model.encoder.hiddenSize': { min: hiddenMin, max: hiddenMax, distribution: 'log-integer' },
    },
  };
  const asha = await measure({ ...space, method: 'asha', asha: { reductionFactor: 3, minEpochs: 1, maxEpochs: 9 } }, 9, 2);
  const full = await measure({ ...space, method: 'random' }, 9, 2);
  const count = (s: string[], what: string) => s.filter((x) => x === what).length;
  console.log(`hidden sizes ${hiddenMin}–${hiddenMax} (log-integer), learning rates 3e-4–3e-2 (log-uniform), samplerSeed 1`);
  console.log(`ASHA, 30 configurations (η 3, rungs 1/3/9 epochs), 2 at once: ${asha.epochsTrained} epochs, ${asha.seconds.toFixed(0)} s, ${asha.cpuSeconds.toFixed(0)} CPU-s, best RMSE ${asha.best.toFixed(3)} (${count(asha.statuses, 'completed')} trained to 9 epochs, ${count(asha.statuses, 'pruned')} pruned)`);
  console.log(`30 full runs (9 epochs each), 2 at once:                  ${full.epochsTrained} epochs, ${full.seconds.toFixed(0)} s, ${full.cpuSeconds.toFixed(0)} CPU-s, best RMSE ${full.best.toFixed(3)}`);
  console.log(`ASHA cost: ${(asha.epochsTrained / full.epochsTrained * 100).toFixed(0)}% of the epochs, ${(asha.cpuSeconds / full.cpuSeconds * 100).toFixed(0)}% of the CPU time, ${(asha.seconds / full.seconds * 100).toFixed(0)}% of the wall time`);
}

void main().then(() => process.exit(0));
