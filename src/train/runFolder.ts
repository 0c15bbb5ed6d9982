/**
 * A run is a folder: `.seqlab/runs/<name>-<YYYYMMDD-HHMMSS>/` next to the spec (or the folder given by `--out`):
 *   spec.json            the spec the run trained (defaults applied)
 *   metrics.jsonl        one JSON line per validated epoch
 *   model.safetensors    the latest weights (PyTorch state-dict names) — also the last good checkpoint
 *   best.safetensors     the weights of the best validation epoch
 *   optimizer.safetensors  optimizer buffers (moments), with lr/step in the metadata, for resume
 *   trainer-state.json   epoch, step, best so far, schedule and early-stopping counters, for resume
 *   report.json          how the run ended, final metrics and baselines; `test`: the held-out test evaluation
 * Every file is written whole and atomically through `RunIo`.
 */
import * as path from 'node:path';
import { encodeSafetensors } from '../nn/safetensors';
import { stateDict, loadStateDict } from '../nn/stateDict';
import type { NamedParameter } from '../nn/parameter';
import type { OptimizerState } from '../nn/optim/optimizer';
import { Tensor } from '../tensor';
import type { RunIo } from './runIo';
import { FileError } from './fileErrors';
import { readSafetensorsFile } from './weightsFile';

export const RUN_FILES = {
  spec: 'spec.json',
  metrics: 'metrics.jsonl',
  model: 'model.safetensors',
  best: 'best.safetensors',
  optimizer: 'optimizer.safetensors',
  state: 'trainer-state.json',
  report: 'report.json',
} as const;

/** `forecaster-20261125-104200` (UTC, so names sort by time on every machine). */
export function runFolderName(specName: string, time: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${time.getUTCFullYear()}${p(time.getUTCMonth() + 1)}${p(time.getUTCDate())}-${p(time.getUTCHours())}${p(time.getUTCMinutes())}${p(time.getUTCSeconds())}`;
  const safeName = specName.replace(/[^A-Za-z0-9._-]+/g, '-') || 'run';
  return `${safeName}-${stamp}`;
}

/**
 * Create the run folder of a new run and return it: `outDir` itself when given (it must not exist yet, or be
 * an empty folder), else `.seqlab/runs/<name>-<time>` beside the spec. The folder is created exclusively: when
 * another run took the name first (two runs started in the same second), the next suffix `-2`, `-3`… is tried.
 */
export function newRunDirectory(io: RunIo, specPath: string, specName: string, time: Date, outDir?: string): string {
  if (outDir) {
    if (!io.createDirectoryExclusive(outDir)) checkEmptyOutputFolder(io, outDir);
    return outDir;
  }
  const runs = path.join(path.dirname(path.resolve(specPath)), '.seqlab', 'runs');
  const name = runFolderName(specName, time);
  for (let k = 1; ; k++) {
    const dir = path.join(runs, k === 1 ? name : `${name}-${k}`);
    if (io.createDirectoryExclusive(dir)) return dir;
  }
}

/** An existing `--out` is used only when it is an empty folder: a run never mixes its files with another's. */
function checkEmptyOutputFolder(io: RunIo, outDir: string): void {
  let entries: string[];
  try {
    entries = io.listDirectory(outDir);
  } catch (error) {
    if (error instanceof FileError && error.code === 'ENOTDIR') throw new FileError(outDir, 'is a file, not a folder: --out names the folder the run is written to', error.code);
    throw error;
  }
  if (entries.length > 0) throw new FileError(outDir, `already holds ${entries.length} file${entries.length === 1 ? '' : 's'}: --out needs a new or empty folder (to continue a run there, use --resume)`);
}

export function saveWeights(io: RunIo, filePath: string, params: readonly NamedParameter[], metadata: Record<string, string> = {}): void {
  io.writeFileAtomic(filePath, encodeSafetensors(stateDict(params), { format: 'pt', ...metadata }));
}

/** Load weights by name (strict: every parameter must be present with its shape); returns the file's metadata. */
export function loadWeights(io: RunIo, filePath: string, params: readonly NamedParameter[]): Record<string, string> {
  const decoded = readSafetensorsFile(io, filePath);
  const result = loadStateDict(params, decoded.tensors, { strict: true });
  void result;
  return decoded.metadata;
}

export function saveOptimizerState(io: RunIo, filePath: string, state: OptimizerState): void {
  const tensors: Record<string, Tensor> = {};
  for (const [name, values] of Object.entries(state.buffers)) tensors[name] = new Tensor(values, [values.length]);
  io.writeFileAtomic(filePath, encodeSafetensors(tensors, { kind: state.kind, lr: String(state.lr), step: String(state.step) }));
}

export function loadOptimizerState(io: RunIo, filePath: string): OptimizerState {
  const decoded = readSafetensorsFile(io, filePath);
  const buffers: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(decoded.tensors)) buffers[name] = t.data.slice();
  return { kind: decoded.metadata.kind, lr: Number(decoded.metadata.lr), step: Number(decoded.metadata.step), buffers };
}

export function writeJson(io: RunIo, filePath: string, value: unknown): void {
  io.writeFileAtomic(filePath, `${JSON.stringify(value, jsonNumbers, 2)}\n`);
}

/** metrics.jsonl is small (one line per epoch), so it is rewritten whole: atomic like every other file. */
export function writeJsonLines(io: RunIo, filePath: string, lines: readonly unknown[]): void {
  io.writeFileAtomic(filePath, lines.map((line) => JSON.stringify(line, jsonNumbers)).join('\n') + (lines.length ? '\n' : ''));
}

export function readJsonLines(io: RunIo, filePath: string): unknown[] {
  if (!io.exists(filePath)) return [];
  return io.readTextFile(filePath).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
}

/** JSON has no NaN/Infinity: write them as strings rather than silently as null. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}
