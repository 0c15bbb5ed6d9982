// `npm run bench:editor [-- --seconds S] [--spec examples/sentiment.seqmodel.json]`: what a running training costs
// the editor. The extension trains in a worker thread of the extension host (dist/worker.js, as runManager.ts
// starts it), so this process plays the extension host: while the worker trains a bundled example, it measures
//  - its event loop's delay (perf_hooks.monitorEventLoopDelay, beyond its 1 ms timer): how late the extension's
//    callbacks run;
//  - a probe every 25 ms doing what the spec editor does per keystroke: analyzeSpec on the spec text and a hover
//    on its recurrent layer (the diagnostics and the shape annotations), timed on the wall clock;
// idle, then with seqlab.threadsPerRun 1 (SEQLAB_THREADS=1) and 2 (the default: a helper thread shares the steps).
// The editor's own window (the renderer process) competes for the same cores and is not measured here.
// Then the editor with a large data file (bench/editorDataFile.ts): per-keystroke analysis and memory growth with a
// generated 2 MB and 200 MB CSV named by the spec. `--only data-file` runs just that; `--data-mb 2,200` picks sizes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { analyzeSpec, hoverAt } from '../src/modelSpec';
import type { StartTraining, TrainerEvent } from '../src/train/protocol';
import { option } from './commandLine';
import { measureDataFileCases } from './editorDataFile';

const seconds = Number(option('--seconds') ?? 8);
const specPath = resolve(option('--spec') ?? 'examples/sentiment.seqmodel.json');
const specText = readFileSync(specPath, 'utf8');
const workerScript = resolve('dist/worker.js');
const PROBE_EVERY_MS = 25;
/** The delay monitor's timer period; its samples include it, so the table reports what lies beyond it. */
const DELAY_RESOLUTION_MS = 1;

interface Measured {
  delayP50: number; delayP99: number; delayMax: number;
  probeP50: number; probeP99: number;
  stepsPerSecond?: number;
}

/** The editor's per-keystroke work, once: full analysis of the spec, then a hover on its encoder. */
function probe(): number {
  const started = performance.now();
  const analysis = analyzeSpec(specText, { specPath });
  hoverAt(analysis, specText.indexOf('"encoder"') + 2);
  return performance.now() - started;
}

async function measure(durationMs: number): Promise<Omit<Measured, 'stepsPerSecond'>> {
  const histogram = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
  const probes = createHistogram(); // in nanoseconds, as the delay monitor's
  histogram.enable();
  await new Promise<void>((done) => {
    const until = performance.now() + durationMs;
    const tick = () => {
      probes.record(Math.max(1, Math.round(probe() * 1e6)));
      if (performance.now() < until) setTimeout(tick, PROBE_EVERY_MS);
      else done();
    };
    tick();
  });
  histogram.disable();
  const delayMs = (ns: number) => Math.max(0, ns / 1e6 - DELAY_RESOLUTION_MS);
  return {
    delayP50: delayMs(histogram.percentile(50)), delayP99: delayMs(histogram.percentile(99)), delayMax: delayMs(histogram.max),
    probeP50: probes.percentile(50) / 1e6, probeP99: probes.percentile(99) / 1e6,
  };
}

/** Trains in a worker (threads: SEQLAB_THREADS) and measures once training steps are flowing. */
async function measureWhileTraining(threads: 1 | 2): Promise<Measured> {
  const outDir = mkdtempSync(join(tmpdir(), 'seqlab-editor-bench-'));
  const worker = new Worker(workerScript, { env: { ...process.env, SEQLAB_THREADS: String(threads) } });
  let steps = 0;
  let failed: string | undefined;
  let firstStep: () => void = () => {};
  const started = new Promise<void>((res) => { firstStep = res; });
  worker.on('message', (event: TrainerEvent) => {
    if (event.type === 'step') {
      steps++;
      firstStep();
    } else if (event.type === 'runFinished') {
      failed = `the run ended (${event.status}: ${event.message}) before the measurement did`;
      firstStep();
    }
  });
  worker.on('error', (error) => { failed = error.message; firstStep(); });
  // Long enough to outlast the measurement: many epochs, no early stopping.
  const spec = JSON.parse(specText);
  delete spec.training.earlyStopping;
  const command: StartTraining = { type: 'start', specPath, specText: JSON.stringify(spec), outDir, overrides: { epochs: 10_000 } };
  worker.postMessage(command);
  await started;
  if (failed) throw new Error(`training: ${failed}`);
  await new Promise((r) => setTimeout(r, 1000)); // past the first epoch's warm-up
  const stepsBefore = steps, t0 = performance.now();
  const measured = await measure(seconds * 1000);
  const stepsPerSecond = (steps - stepsBefore) / ((performance.now() - t0) / 1000);
  await worker.terminate();
  if (failed) throw new Error(`training: ${failed}`);
  rmSync(outDir, { recursive: true, force: true });
  return { ...measured, stepsPerSecond };
}

const f = (x: number) => x.toFixed(2);
console.log(`Editor responsiveness while training — ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const row = (name: string, m: Measured) =>
  console.log(`| ${name} | ${f(m.delayP50)} | ${f(m.delayP99)} | ${f(m.delayMax)} | ${f(m.probeP50)} | ${f(m.probeP99)} | ${m.stepsPerSecond === undefined ? '—' : m.stepsPerSecond.toFixed(1)} |`);
async function main(): Promise<void> {
  if (option('--only') !== 'data-file') {
    console.log(`spec ${specPath}; ${seconds} s per row; probe = analyzeSpec + hover every ${PROBE_EVERY_MS} ms (wall-clock ms)\n`);
    console.log('| extension host | event-loop delay p50 | p99 | max | probe p50 | probe p99 | training steps/s |');
    console.log('|---|---|---|---|---|---|---|');
    for (let i = 0; i < 300; i++) probe(); // compiled before anything is timed
    row('idle', await measure(seconds * 1000));
    row('training, threadsPerRun 1', await measureWhileTraining(1));
    row('training, threadsPerRun 2', await measureWhileTraining(2));
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'seqlab-editor-data-'));
  try {
    await measureDataFileCases(dataDir, (option('--data-mb') ?? '2,200').split(',').map(Number));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
