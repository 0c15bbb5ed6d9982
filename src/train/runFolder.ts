/**
 * A run is a folder: `.seqlab/runs/<name>-<YYYYMMDD-HHMMSS>/` next to the spec (or the folder given by `--out`):
 *   spec.json            the spec the run trained (defaults applied), written once before the first checkpoint
 *   model.safetensors    THE checkpoint: weights under PyTorch state-dict names, the optimizer's buffers under
 *                        `optimizer.<parameter>.<buffer>`, and the trainer state (step, epoch, RNG states, schedule,
 *                        early-stopping counters, best metric, lr, the divergence reference, the spec) as JSON in
 *                        the safetensors metadata (`seqlab.trainer`, …) — see checkpoint.ts
 *   best.safetensors     the weights of the best validation epoch (weights only), a unit of its own
 *   metrics.jsonl        one JSON line per validated epoch
 *   data-summary.json    the full data summary, written when the run starts (dataSummaryFile.ts)
 *   report.json          how the run ended, final metrics and baselines; `test`: the held-out test evaluation
 * Why one file rather than a checkpoint folder: a file is replaced by one rename on every platform, while a
 * folder cannot be renamed over a non-empty one — switching folders takes two renames (or a symlink, which
 * Windows makes awkward), and a crash between them leaves no checkpoint at the stable path. One file keeps the
 * path users pass to `--weights` stable and makes "weights of step N with optimizer of step M" impossible.
 * Every file is written whole and atomically through `RunIo` (temporary file, fsync, rename, fsync of the folder).
 * Commit order at the end of an epoch: best, metrics, then the checkpoint. A crash between them leaves best and
 * metrics at most one epoch ahead of the checkpoint; `--resume` drops metric lines past the checkpoint and
 * replays that epoch bit for bit, rewriting the same best. Folders of older versions (separate
 * optimizer.safetensors and trainer-state.json) still predict and export; `--resume` refuses them (exit 2).
 */
import * as path from 'node:path';
import { encodeSafetensors } from '../nn/safetensors';
import { stateDict, loadStateDict } from '../nn/stateDict';
import type { NamedParameter } from '../nn/parameter';
import type { RunIo } from './runIo';
import { FileError } from './fileErrors';
import { checkFinite, readSafetensorsFile, weightTensors } from './weightsFile';

export const RUN_FILES = {
  spec: 'spec.json',
  metrics: 'metrics.jsonl',
  model: 'model.safetensors',
  best: 'best.safetensors',
  report: 'report.json',
} as const;

/** Files of run folders written before the checkpoint became one file: recognised to refuse resuming them. */
export const LEGACY_RUN_FILES = { optimizer: 'optimizer.safetensors', state: 'trainer-state.json' } as const;

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

/** Weights only, as PyTorch's `load_state_dict(strict=True)` takes them. */
export function encodeWeights(params: readonly NamedParameter[], metadata: Record<string, string> = {}): Uint8Array {
  return encodeSafetensors(stateDict(params), { format: 'pt', ...metadata });
}

export function saveWeights(io: RunIo, filePath: string, params: readonly NamedParameter[], metadata: Record<string, string> = {}): void {
  io.writeFileAtomic(filePath, encodeWeights(params, metadata));
}

/**
 * Load weights by name (strict: every parameter present with its shape, nothing unknown except a checkpoint's
 * `optimizer.` buffers) after checking they are finite; returns the file's metadata. Errors name the file.
 */
export function loadWeights(io: RunIo, filePath: string, params: readonly NamedParameter[]): Record<string, string> {
  const decoded = readSafetensorsFile(io, filePath);
  const weights = weightTensors(decoded.tensors);
  checkFinite(filePath, weights, (where) => `${where}; weights must be finite numbers`);
  try {
    loadStateDict(params, weights, { strict: true }); // checks every name and shape before copying anything
  } catch (error) {
    throw new FileError(filePath, `does not fit this model: ${(error as Error).message.replace(/^loadStateDict: /, '')}`);
  }
  return decoded.metadata;
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
