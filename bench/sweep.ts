// `npm run bench:sweep`: what a sweep costs on this machine.
//  1. Trials per minute of a forecasting sweep (examples/sweeps/forecast.seqmodel.json, 3 epochs per trial,
//     6 trials) with 1 and with 2 trials at once, each trial on one thread (seqlab.threadsPerRun 1). Wall clock.
//  2. A 30-configuration ASHA sweep (η 3, rungs of 1, 3 and 9 epochs) against the same 30 configurations trained
//     in full (9 epochs each), 2 at once: epochs trained, CPU-seconds, wall time, the best validation RMSE found.
// Trials run in the worker pool exactly as `seqlab sweep` runs them (dist/sweepWorker.js, built first). Cost is
// wall time and CPU-seconds of this process with its workers (machine load does not inflate the latter).
// Every case is measured `--repeats` times (default 3), the cases interleaved so load changes hit all of them;
// figures are medians with the spread (min–max).
// `--asha-only` runs only part 2; `--hidden-min N --hidden-max N` set its hidden-size range (default 8–64).
// `--samplers` runs only part 3: TPE against random sampling on the same budget (`--trials N`, default 24
// configurations of `--epochs N`, default 6, 2 at once), one sweep of each per sampler seed 0…`--seeds N`-1
// (default 3): the best validation RMSE each found. Both share their first 10 configurations (TPE's random start).
// `--rung-overhead` runs only part 4: what going up an ASHA rung costs beyond its epochs — one trial trained 3
// epochs straight against the same trial stopped after epochs 1 and 2 and continued (two resumes: validate,
// rebuild the model, read the checkpoint), in this thread with its data kept as a pool worker keeps it, CPU-s.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeRunIo } from '../src/train/runIo';
import { analyzeSweep } from '../src/train/sweeps/sweepFile';
import { planTrials } from '../src/train/sweeps/trialPlan';
import { createSweepFolder, runSweep } from '../src/train/sweeps/sweepRunner';
import { workerLauncher } from '../src/train/sweeps/trialLaunchers';
import { TrialDataCache } from '../src/train/sweeps/trialData';
import { runTrial } from '../src/train/sweeps/trialRun';
import { RunControl } from '../src/train/runControl';
import { useFastestKernels } from '../src/tensor/backend';
import { readJsonLines } from '../src/train/runFolder';
import { flag, option } from './commandLine';
import { median, spread } from './statistics';

const ashaOnly = flag('--asha-only');
const samplersOnly = flag('--samplers');
const rungOverheadOnly = flag('--rung-overhead');
// Larger hidden sizes make an epoch dearer against a trial's fixed costs (worker start, data, validation, test).
const hiddenMin = Number(option('--hidden-min') ?? 8);
const hiddenMax = Number(option('--hidden-max') ?? 64);
const repeats = Number(option('--repeats') ?? 3);
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

type Measured = Awaited<ReturnType<typeof measure>>;

/** Part 3: TPE against random on the forecasting sweep, sampler seed by sampler seed (interleaved). */
async function compareSamplers(): Promise<void> {
  const seeds = Number(option('--seeds') ?? 3);
  const trials = Number(option('--trials') ?? 24);
  const epochs = Number(option('--epochs') ?? 6);
  const parameters = {
    'training.optimizer.lr': { min: 0.0001, max: 0.1, distribution: 'log-uniform' },
    'model.encoder.hiddenSize': { min: hiddenMin, max: hiddenMax, distribution: 'log-integer' },
    'model.encoder.cell': { values: ['rnn', 'lstm', 'gru'] },
  };
  console.log(`TPE against random: ${trials} configurations × ${epochs} epochs, 2 at once; learning rate 1e-4–0.1 (log-uniform), hidden ${hiddenMin}–${hiddenMax} (log-integer), cell rnn/lstm/gru`);
  const best: Record<'random' | 'tpe', number[]> = { random: [], tpe: [] };
  for (let seed = 0; seed < seeds; seed++) {
    for (const method of ['random', 'tpe'] as const) {
      const m = await measure({ method, trials, samplerSeed: seed, parameters }, epochs, 2);
      best[method].push(m.best);
      console.log(`samplerSeed ${seed} ${method}: best RMSE ${m.best.toFixed(3)}, ${m.seconds.toFixed(0)} s, ${m.cpuSeconds.toFixed(0)} CPU-s; load average ${os.loadavg()[0].toFixed(1)}`);
    }
  }
  const wins = best.tpe.filter((v, i) => v < best.random[i]).length;
  for (const method of ['random', 'tpe'] as const) console.log(`${method}: best validation RMSE median ${median(best[method]).toFixed(3)} (${spread(best[method], 3)}) over ${seeds} sampler seeds`);
  console.log(`TPE found the better configuration in ${wins} of ${seeds} sampler seeds`);
}

/** Part 4: CPU-s of a trial trained in rungs of 1, 2, 3 epochs against 3 epochs straight, per hidden size. */
async function rungOverhead(): Promise<void> {
  useFastestKernels(); // the kernels a trial worker trains with (one thread, as with seqlab.threadsPerRun 1)
  const cache = new TrialDataCache();
  const specPath = path.join(root, 'examples', 'sweeps', 'forecast.seqmodel.json');
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  for (const hidden of [8, 32]) {
    const spec = { ...baseSpec, data: { ...baseSpec.data, path: path.join(root, 'examples', 'data', 'load.csv') }, model: { encoder: { cell: 'lstm', hiddenSize: hidden }, readout: 'hN' }, training: { ...baseSpec.training, epochs: 3 } };
    const specText = JSON.stringify(spec);
    /** CPU-s of one trial trained through the given rung budgets (the last is the spec's 3 epochs). */
    const trial = async (budgets: number[]) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-bench-rungs-'));
      const started = cpu();
      for (const [k, budget] of budgets.entries()) {
        await runTrial({ type: 'trial', specPath, specText, runDir: path.join(dir, 'run'), resume: k > 0, ...(budget < 3 ? { stopAfterEpoch: budget } : {}) }, new RunControl(), () => {}, nodeRunIo, cache);
      }
      const seconds = cpu() - started;
      fs.rmSync(dir, { recursive: true });
      return seconds;
    };
    await trial([3]); // data kept, code warm
    const straight: number[] = [];
    const rungs: number[] = [];
    for (let r = 0; r < repeats; r++) {
      straight.push(await trial([3]));
      rungs.push(await trial([1, 2, 3]));
    }
    const perResume = rungs.map((x, i) => (x - straight[i]) / 2);
    console.log(`hidden ${hidden}: 3 epochs straight ${median(straight).toFixed(3)} CPU-s (${spread(straight, 3)}), in rungs 1/2/3 ${median(rungs).toFixed(3)} (${spread(rungs, 3)}); a resume costs ${(median(perResume) * 1000).toFixed(0)} ms CPU (${spread(perResume.map((x) => x * 1000), 0)}), ${((median(perResume) / (median(straight) / 3)) * 100).toFixed(0)}% of an epoch`);
  }
}

async function main(): Promise<void> {
  const cores = os.availableParallelism();
  console.log(`bench:sweep on ${cores} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; median (min–max) of ${repeats}`);
  if (samplersOnly) return compareSamplers();
  if (rungOverheadOnly) return rungOverhead();

  const grid = { parameters: { 'training.optimizer.lr': { values: [0.001, 0.003, 0.01] }, 'model.encoder.hiddenSize': { values: [16, 32] } } };
  const space = {
    trials: 30, samplerSeed: 1,
    parameters: {
      'training.optimizer.lr': { min: 0.0003, max: 0.03, distribution: 'log-uniform' },
      'model.encoder.hiddenSize': { min: hiddenMin, max: hiddenMax, distribution: 'log-integer' },
    },
  };
  const runs: Record<'one' | 'two' | 'asha' | 'full', Measured[]> = { one: [], two: [], asha: [], full: [] };
  for (let r = 0; r < repeats; r++) {
    if (!ashaOnly) {
      runs.one.push(await measure(grid, 3, 1));
      runs.two.push(await measure(grid, 3, 2));
    }
    runs.asha.push(await measure({ ...space, method: 'asha', asha: { reductionFactor: 3, minEpochs: 1, maxEpochs: 9 } }, 9, 2));
    runs.full.push(await measure({ ...space, method: 'random' }, 9, 2));
    console.log(`repeat ${r + 1} done, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  }
  /** `median (min–max)` of a figure over the repeats. */
  const medianAndSpread = (xs: number[], digits: number) => `${median(xs).toFixed(digits)} (${spread(xs, digits)})`;
  const col = (xs: Measured[], pick: (m: Measured) => number, digits: number) => medianAndSpread(xs.map(pick), digits);
  const perMinute = (m: Measured) => m.trials / (m.seconds / 60);
  if (!ashaOnly) {
    for (const [label, xs] of [['1 at once', runs.one], ['2 at once', runs.two]] as const) {
      console.log(`forecast sweep, 6 trials × 3 epochs, ${label}: ${col(xs, (m) => m.seconds, 1)} s, ${col(xs, perMinute, 2)} trials/min, ${col(xs, (m) => m.cpuSeconds, 1)} CPU-s`);
    }
    console.log(`2 at once against 1: ${(median(runs.two.map(perMinute)) / median(runs.one.map(perMinute))).toFixed(2)}× the trials per minute (medians)`);
  }
  const count = (s: string[], what: string) => s.filter((x) => x === what).length;
  console.log(`hidden sizes ${hiddenMin}–${hiddenMax} (log-integer), learning rates 3e-4–3e-2 (log-uniform), samplerSeed 1`);
  for (const [label, xs] of [['ASHA, 30 configurations (η 3, rungs 1/3/9 epochs), 2 at once', runs.asha], ['30 full runs (9 epochs each), 2 at once', runs.full]] as const) {
    const fates = xs.map((m) => `${count(m.statuses, 'completed')} trained to 9 epochs, ${count(m.statuses, 'pruned')} pruned`);
    console.log(`${label}: ${col(xs, (m) => m.epochsTrained, 0)} epochs, ${col(xs, (m) => m.cpuSeconds, 1)} CPU-s, ${col(xs, (m) => m.seconds, 1)} s, best RMSE ${col(xs, (m) => m.best, 3)} (${[...new Set(fates)].join('; ')})`);
  }
  // Each repeat's ASHA against the full runs of the same repeat (same load), then the median of those ratios.
  const ratio = (pick: (m: Measured) => number) => medianAndSpread(runs.asha.map((a, i) => (pick(a) / pick(runs.full[i])) * 100), 0);
  console.log(`ASHA cost: ${ratio((m) => m.epochsTrained)}% of the epochs, ${ratio((m) => m.cpuSeconds)}% of the CPU time, ${ratio((m) => m.seconds)}% of the wall time`);
}

void main().then(() => process.exit(0));
