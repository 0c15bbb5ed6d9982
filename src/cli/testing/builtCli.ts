// The built CLI (dist/cli.js through bin/seqlab.js) as a child process, for the tests that kill a real run.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const CLI = path.join(__dirname, '../../../bin/seqlab.js');

export interface CliChild {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** When to kill: SIGKILL `afterMs` after the run's stdout first satisfies `when`. */
export interface KillMoment {
  when(stdout: string): boolean;
  afterMs: number;
}

/**
 * Runs `seqlab ARGS` on the reference kernels with one thread (the same numbers on every machine). Kill moments
 * count the run's own events, not wall time, so they stay inside the run on a fast machine and a loaded one alike.
 */
export function runBuiltCli(args: string[], kill?: KillMoment): Promise<CliChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, SEQLAB_KERNELS: 'reference', SEQLAB_THREADS: '1' } });
    let stdout = '';
    let stderr = '';
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (kill && !armed && kill.when(stdout)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
