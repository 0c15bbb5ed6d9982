/**
 * A PyTorch run seen by the run manager as a worker: `seqlab train --engine pytorch --json` in a process group of its
 * own, whose JSON event lines become the worker's messages, so the dashboard follows it live (steps, epochs — the
 * lines train.py also commits to metrics.jsonl) and replays it like any run. Stop sends SIGTERM to the group (the
 * CLI stops PyTorch's group in turn and reports the run as stopped); pause is not offered. No `vscode` import.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import type { RunFinished, StartTraining, WorkerCommand } from '../train/protocol';
import { validatePanelRecord } from '../train/protocolValidate';
import type { WorkerLike } from './runManager';

export interface PytorchEngineSettings {
  /** The interpreter with PyTorch (`seqlab.pythonPath`). */
  python: string;
  /** Processes on this machine (`seqlab.pytorchProcesses`). */
  nproc: number;
}

type Listener = (value: never) => void;

export class PytorchRunProcess implements WorkerLike {
  private child?: ChildProcess;
  private readonly listeners = { message: [] as Listener[], error: [] as Listener[], exit: [] as Listener[] };
  private finished = false;
  private readonly stderrTail: string[] = [];

  constructor(
    private readonly cliPath: string,
    private readonly settings: PytorchEngineSettings,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  on(event: 'message' | 'error' | 'exit', listener: (value: never) => void): this {
    this.listeners[event].push(listener);
    return this;
  }

  postMessage(message: WorkerCommand): void {
    if (message.type === 'start') this.start(message);
    else if (message.type === 'stop') this.signal('SIGTERM');
    else this.send({ type: 'log', level: 'warning', message: 'A PyTorch run cannot pause; Stop ends it (its last epoch stays saved).' });
  }

  terminate(): Promise<number> {
    // After its runFinished the process is writing its last lines and exits by itself; before it, this is a stop.
    if (!this.finished) this.signal('SIGTERM');
    return Promise.resolve(0);
  }

  private start(command: StartTraining): void {
    const args = [this.cliPath, 'train', command.specPath, '--engine', 'pytorch', '--json', '--gates', '--python', this.settings.python, '--nproc', String(this.settings.nproc)];
    const overrides = command.overrides ?? {};
    if (overrides.epochs !== undefined) args.push('--epochs', String(overrides.epochs));
    if (overrides.maxSteps !== undefined) args.push('--max-steps', String(overrides.maxSteps));
    if (overrides.seed !== undefined) args.push('--seed', String(overrides.seed));
    if (command.initWeights) args.push('--init', command.initWeights);
    if (command.outDir) args.push('--out', command.outDir);
    // In desktop VS Code process.execPath is the Electron binary; ELECTRON_RUN_AS_NODE makes it plain Node.
    const child = spawn(process.execPath, args, { env: { ...this.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    readline.createInterface({ input: child.stdout! }).on('line', (line) => this.relay(line));
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      if (!line.trim()) return;
      this.stderrTail.splice(0, Math.max(0, this.stderrTail.length - 10), line);
      this.send({ type: 'log', level: 'info', message: line });
    });
    child.on('error', (error) => this.listeners.error.forEach((l) => (l as (e: Error) => void)(error)));
    child.on('close', (code) => {
      if (!this.finished) {
        // Refused before it started (no PyTorch, bad spec): the CLI's sentence is the reason.
        const message = this.stderrTail.join('\n') || `seqlab train --engine pytorch exited with code ${code}`;
        const failed: RunFinished = { type: 'runFinished', status: 'failed', message, epochs: 0, steps: 0, bestValidationLoss: NaN, bestEpoch: 0, finalMetrics: {}, seconds: 0, runDir: '' };
        this.relay(JSON.stringify(failed));
      }
      this.listeners.exit.forEach((l) => (l as (c: number) => void)(code ?? 1));
    });
  }

  private relay(line: string): void {
    if (!line.startsWith('{')) return;
    let value: { type?: unknown };
    try {
      value = JSON.parse(line) as { type?: unknown };
    } catch {
      return;
    }
    if (value.type === 'summary') return; // the CLI's closing table, not a trainer event
    if (value.type === 'runFinished') this.finished = true;
    if (value.type === 'gates' || value.type === 'gradFlow' || value.type === 'predictions') {
      // Another program's output: a panel draws only a record whose every field is as protocol.ts says.
      const checked = validatePanelRecord(value);
      if (!checked.ok) {
        this.send({ type: 'log', level: 'warning', message: `A ${value.type} record of the PyTorch run was left out: ${checked.reason}` });
        return;
      }
    }
    this.send(value);
  }

  private send(message: unknown): void {
    this.listeners.message.forEach((l) => (l as (m: unknown) => void)(message));
  }

  private signal(signal: NodeJS.Signals): void {
    if (!this.child?.pid || this.child.exitCode !== null) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      /* the group is gone already */
    }
  }
}
