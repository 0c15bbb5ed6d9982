/**
 * `seqlab` entry point (bundled to dist/cli.js, started by bin/seqlab.js): wires the process to the commands.
 * Ctrl-C once asks the trainer to stop after the current step (checkpoint kept); twice quits at once.
 */
import { useFastestKernels } from '../tensor/backend';
import { startKernelThreads } from '../train/gemmHelperNode';
import { main } from './commands';

// WebAssembly SIMD kernels where the engine has them (SEQLAB_KERNELS=reference|wasm overrides), with a second
// thread for large GEMMs on ≥ 2 cores (SEQLAB_THREADS=1 keeps one).
startKernelThreads(useFastestKernels());
const control = { handler: undefined as (() => void) | undefined };
process.on('SIGINT', () => {
  if (control.handler) {
    process.stderr.write('\nstopping after this step (Ctrl-C again to quit at once)\n');
    const h = control.handler;
    control.handler = undefined;
    h();
  } else process.exit(130);
});
void main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
  onInterrupt: (h) => {
    control.handler = h;
  },
}).then((code) => {
  process.exitCode = code;
});
