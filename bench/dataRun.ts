// One `npm run bench:data` case, alone in this process so that its peak RSS is its own: sets a run up as
// `seqlab train` does (spec analysis, data, baselines, run folder), trains for `seconds` of steps, and prints one
// JSON line: seconds from process start to the end of the first training step, steady samples/s after it, peak RSS.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setUpRun } from '../src/train/session';
import { baselines as computeBaselines, prepareData } from '../src/data';
import type { SeqModelSpec } from '../src/modelSpec/types';
import { train } from '../src/train/trainer';
import { nodeRunIo } from '../src/train/runIo';
import { RunControl } from '../src/train/runControl';
import { useFastestKernels } from '../src/tensor/backend';
import { startKernelThreads } from '../src/train/gemmHelperNode';

// The kernels and threads `seqlab train` runs on (src/cli/main.ts).
startKernelThreads(useFastestKernels());

// mode "train": everything `seqlab train` does before its first step; "data": the data path alone (the spec is read
// as JSON without analysis), to tell what loading the data costs from what checking the spec costs.
const [specPath, secondsArgument, outDir, mode = 'train'] = process.argv.slice(2);
const seconds = Number(secondsArgument ?? 10);
const sinceStart = () => performance.now() / 1000; // performance's origin is this process's start
/** CPU seconds of this process so far (all its threads): what an idle machine's wall clock would show. */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

function report(fields: Record<string, unknown>): never {
  const peakRssMb = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
  process.stdout.write(`${JSON.stringify({ ...fields, peakRssMb })}\n`);
  process.exit(0);
}

function dataOnly(spec: SeqModelSpec, runDir: string) {
  const data = prepareData(spec, path.dirname(path.resolve(specPath)), nodeRunIo, path.resolve(specPath));
  nodeRunIo.makeDirectory(runDir);
  return { spec, data, runDir, baselines: computeBaselines(data) };
}

async function main(): Promise<void> {
  const runDir = path.join(outDir, `run-${process.pid}`);
  const specText = fs.readFileSync(specPath, 'utf8');
  const setup = mode === 'data' ? dataOnly(JSON.parse(specText) as SeqModelSpec, runDir) : setUpRun({ specPath, specText, outDir: runDir }, nodeRunIo);
  const dataReadySeconds = sinceStart();
  const dataReadyCpuSeconds = cpuSeconds();
  // ArrayBuffer bytes held once the data is ready: what a store keeps per example shows here. After a
  // full collection (the child runs with --expose-gc), so that buffers already let go of do not count.
  (globalThis as { gc?: () => void }).gc?.();
  const dataReadyArrayBuffersMb = process.memoryUsage().arrayBuffers / 1e6;
  const batchSize = setup.spec.training.batchSize;
  let first: { time: number; step: number; cpu: number } | undefined;
  let last: { time: number; step: number; cpu: number } | undefined;
  const finish = () => {
    const steadySeconds = last && first ? last.time - first.time : 0;
    report({
      dataReadySeconds,
      firstStepSeconds: first?.time,
      dataReadyCpuSeconds,
      dataReadyArrayBuffersMb,
      firstStepCpuSeconds: first?.cpu,
      samplesPerSecond: steadySeconds > 0 ? ((last!.step - first!.step) * batchSize) / steadySeconds : undefined,
      trainWindows: setup.data.info.trainSize,
      cache: setup.data.info.cache,
    });
  };
  await train({
    spec: setup.spec,
    data: setup.data,
    io: nodeRunIo,
    runDir: setup.runDir,
    control: new RunControl(),
    baselines: setup.baselines,
    resume: false,
    emit: (event) => {
      if (event.type !== 'step') return;
      last = { time: sinceStart(), step: event.step, cpu: cpuSeconds() };
      first ??= last;
      if (last.time - first.time >= seconds) finish();
    },
  });
  finish();
}

main().catch((error: unknown) => report({ error: String((error as Error).message ?? error).split('\n')[0].slice(0, 200) }));
