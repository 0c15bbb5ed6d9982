/**
 * `seqlab train --engine pytorch`: the same run as `seqlab train`, trained by PyTorch. The run folder SeqLab
 * creates gets the exported project in `pytorch/`; its train.py (under torchrun for more than one process) reads the
 * original data file and writes the run folder itself (metrics.jsonl, checkpoints, report.json), printing SeqLab's
 * trainer events as JSON lines, which are relayed here to the terminal, `--json` or the editor's dashboard.
 * Stopping (Ctrl-C, SIGTERM) asks every process to stop; whatever is still alive after a grace period is killed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Rng } from '../tensor';
import type { RunFinished, TrainerEvent } from '../train/protocol';
import type { RunSetup } from '../train/session';
import { SequenceModel } from '../train/model';
import { RUN_FILES, encodeWeights, loadWeights, writeJson } from '../train/runFolder';
import { nodeRunIo } from '../train/runIo';
import { exportPytorch, specDataFile, type ExportDataMode } from './exportPytorch';
import { testBaselinesOnce } from './pytorchTestBaselines';

/** The oldest PyTorch the exported project is tested with (Debian's python3-torch). */
export const MINIMUM_TORCH = '1.13';
/** Seconds a stopped run's processes get to write their report before they are killed. */
const STOP_GRACE_SECONDS = 10;

/** PyTorch cannot be used with the given interpreter: bad input (exit 2), with the way to install it. */
export class PytorchUnavailableError extends Error {}

const INSTALL = 'Install it (Debian/Ubuntu: apt-get install python3-torch; elsewhere: python3 -m pip install torch), '
  + 'or name a Python that has it with --python (in VS Code: the setting seqlab.pythonPath)';

/**
 * The torch version the interpreter has; throws `PytorchUnavailableError` when it has none, or one too old. Read from
 * the installed package's metadata (0.1 s), not by importing torch (1.5–2 s, which train.py then pays again before
 * its first step); a torch without metadata (a source checkout on the path) is imported.
 */
const VERSION_PROBE = 'try:\n from importlib.metadata import version; print(version("torch"))\n'
  + 'except Exception:\n import torch; print(torch.__version__)';

export function checkPytorch(python: string): string {
  const r = spawnSync(python, ['-c', VERSION_PROBE], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw new PytorchUnavailableError(`cannot run the Python interpreter '${python}' (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}). ${INSTALL}.`);
  if (r.status !== 0) {
    const reason = r.stderr.trim().split('\n').at(-1) ?? 'import torch failed';
    throw new PytorchUnavailableError(`PyTorch is not installed for '${python}' (${reason}). ${INSTALL}.`);
  }
  const version = r.stdout.trim();
  if (compareVersions(version, MINIMUM_TORCH) < 0) {
    throw new PytorchUnavailableError(`'${python}' has PyTorch ${version}; the exported project needs ${MINIMUM_TORCH} or later. ${INSTALL}.`);
  }
  return version;
}

/** Compares dotted versions by their leading numbers ('1.13.0a0' ≥ '1.13'). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.+]/).map((p) => parseInt(p, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

export interface PytorchRunOptions {
  specPath: string;
  setup: RunSetup;
  python: string;
  /** Processes on this machine (torchrun's --nproc_per_node); 1 runs train.py directly. */
  nproc: number;
  device?: 'cpu' | 'cuda';
  dataMode?: ExportDataMode;
  initWeights?: string;
  overrides: { epochs?: number; maxSteps?: number; seed?: number };
  emit(event: TrainerEvent): void;
  /** Lines the processes print that are not events (warnings, tracebacks). */
  log(line: string): void;
  /** Registers what a stop request does. */
  onStop?(handler: () => void): void;
}

/** The command that trains the exported project in `projectDir` into `runDir`. */
export function pytorchCommand(options: { python: string; projectDir: string; runDir: string; nproc: number; port: number; device?: string; dataMode?: string; overrides: PytorchRunOptions['overrides'] }): string[] {
  const { python, projectDir, runDir, nproc, port, overrides } = options;
  const trainArgs = [path.join(projectDir, 'train.py'), '--run-dir', runDir, '--json'];
  if (options.device) trainArgs.push('--device', options.device);
  if (options.dataMode) trainArgs.push('--data', options.dataMode);
  if (overrides.epochs !== undefined) trainArgs.push('--epochs', String(overrides.epochs));
  if (overrides.maxSteps !== undefined) trainArgs.push('--max-steps', String(overrides.maxSteps));
  if (overrides.seed !== undefined) trainArgs.push('--seed', String(overrides.seed));
  if (nproc <= 1) return [python, ...trainArgs];
  // A rendezvous on a free local port (--standalone always takes 29400, which another run may hold); the
  // --redirects/--tee flags work around torch 1.13's launcher on Python 3.11 (see exportReadme).
  return [python, '-m', 'torch.distributed.run', '--nnodes=1', `--nproc_per_node=${nproc}`, '--rdzv_backend=c10d',
    `--rdzv_endpoint=127.0.0.1:${port}`, '--redirects', '1', '--tee', '1', ...trainArgs];
}

export async function trainWithPytorch(options: PytorchRunOptions): Promise<RunFinished> {
  const { setup, emit } = options;
  const { spec, data, runDir } = setup;
  const model = new SequenceModel(spec, data.info, new Rng(options.overrides.seed ?? spec.training.seed ?? 0));
  if (options.initWeights) loadWeights(nodeRunIo, options.initWeights, model.namedParameters());
  const projectDir = path.join(runDir, 'pytorch');
  exportPytorch({ spec, data, model, weightsBytes: encodeWeights(model.namedParameters()), outDir: projectDir, io: nodeRunIo, dataFile: specDataFile(spec, options.specPath), dataMode: options.dataMode });
  const [command, ...args] = pytorchCommand({ ...options, projectDir, runDir, port: await freePort(), dataMode: options.dataMode });
  // Its own process group: a stop reaches torchrun and every worker, and nothing outlives this process.
  const child = spawn(command, args, { cwd: projectDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stopRequested = false;
  const stop = () => {
    stopRequested = true;
    stopGroup(child);
  };
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  options.onStop?.(stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  process.on('exit', killOnExit);
  const stderrTail: string[] = [];
  const testBaselines = testBaselinesOnce(data);
  let sawFinished = false;
  const reached = { epochs: 0, steps: 0 };
  const relay = (line: string, fromStderr: boolean) => {
    const text = line.replace(/^\[[^\]]*\]:/, ''); // torchrun's "[default0]:" prefix
    const event = parseEvent(text);
    sawFinished ||= event?.type === 'runFinished';
    if (event?.type === 'epoch') reached.epochs = event.epoch;
    if (event?.type === 'step' || event?.type === 'epoch') reached.steps = event.step;
    if (event?.type === 'testEvaluation') event.baselines = testBaselines();
    if (event) emit(event);
    else if (text.trim()) {
      if (fromStderr) stderrTail.splice(0, Math.max(0, stderrTail.length - 20), text);
      options.log(text);
    }
  };
  readline.createInterface({ input: child.stdout! }).on('line', (l) => relay(l, false));
  readline.createInterface({ input: child.stderr! }).on('line', (l) => relay(l, true));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  process.off('SIGTERM', stop);
  process.off('SIGHUP', stop);
  process.off('exit', killOnExit);
  signalGroup(child, 'SIGKILL'); // a worker left behind by a crashed launcher
  const result = finishedRun(runDir, setup.baselines, code, stderrTail, testBaselines, stopRequested ? reached : undefined);
  if (!sawFinished) emit(result); // train.py ended without saying how (killed, crashed, or stopped before its report)
  return result;
}

/** The event a line of train.py's output holds, when it is one. */
function parseEvent(line: string): TrainerEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as { type?: unknown };
    return typeof value === 'object' && value !== null && typeof value.type === 'string' ? (value as TrainerEvent) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How the run ended, from the report train.py wrote (with SeqLab's baselines added, on the test split too). Without
 * one, a run this launcher was asked to stop is stopped (its last committed checkpoint stays), any other run failed.
 */
function finishedRun(runDir: string, baselines: Record<string, number>, code: number | null, stderrTail: string[], testBaselines: () => Record<string, number>, stoppedAt?: { epochs: number; steps: number }): RunFinished {
  const reportFile = path.join(runDir, RUN_FILES.report);
  if (nodeRunIo.exists(reportFile)) {
    const report = JSON.parse(nodeRunIo.readTextFile(reportFile)) as Record<string, unknown>;
    const test = report.test ? { test: { ...(report.test as object), baselines: testBaselines() } } : {};
    writeJson(nodeRunIo, reportFile, { ...report, baselines, ...test });
    const number = (v: unknown) => (typeof v === 'number' ? v : Number(v));
    return {
      type: 'runFinished', status: report.status as RunFinished['status'], message: String(report.message ?? ''), epochs: number(report.epochs),
      steps: number(report.steps), bestValidationLoss: number(report.bestValidationLoss), bestEpoch: number(report.bestEpoch),
      finalMetrics: (report.finalMetrics ?? {}) as Record<string, number>, seconds: number(report.seconds), runDir,
    };
  }
  if (stoppedAt) {
    const checkpoint = path.join(runDir, RUN_FILES.model);
    const kept = nodeRunIo.exists(checkpoint) ? `; the last checkpoint is kept at ${checkpoint}` : '';
    const message = `stopped after ${stoppedAt.epochs} epoch${stoppedAt.epochs === 1 ? '' : 's'} (${stoppedAt.steps} steps) before the PyTorch processes wrote their report${kept}`;
    const result: RunFinished = { type: 'runFinished', status: 'stopped', message, epochs: stoppedAt.epochs, steps: stoppedAt.steps, bestValidationLoss: NaN, bestEpoch: 0, finalMetrics: {}, seconds: 0, runDir };
    writeJson(nodeRunIo, reportFile, { ...result, type: undefined, engine: 'pytorch', baselines });
    return result;
  }
  const message = `PyTorch training ended with exit code ${code ?? 'none (killed)'} before it wrote ${RUN_FILES.report}${stderrTail.length ? `:\n${stderrTail.join('\n')}` : ''}`;
  const result: RunFinished = { type: 'runFinished', status: 'failed', message, epochs: 0, steps: 0, bestValidationLoss: NaN, bestEpoch: 0, finalMetrics: {}, seconds: 0, runDir };
  writeJson(nodeRunIo, reportFile, { ...result, type: undefined, engine: 'pytorch', baselines });
  return result;
}

/** SIGTERM to the whole group (train.py reports the run as stopped and exits), SIGKILL to what is left after the grace. */
function stopGroup(child: ChildProcess): void {
  if (!signalGroup(child, 'SIGTERM')) return;
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_SECONDS * 1000);
  timer.unref();
  child.on('close', () => clearTimeout(timer));
}

/** Signals the child's process group; false when none of it is left. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-child.pid!, signal);
    return true;
  } catch {
    return false;
  }
}

/** A TCP port free on the loopback interface now (for torchrun's rendezvous). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
