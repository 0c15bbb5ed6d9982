/**
 * A weights file given as an argument (`--init`, `--weights`), checked before anything is built or written:
 * it must be a readable safetensors file of float32 tensors whose names and shapes are the model's parameters,
 * with finite values. Every problem is a `FileError` naming the file, the reason in words.
 */
import { decodeSafetensors, type DecodedSafetensors } from '../nn/safetensors';
import type { LayerInfo } from '../modelSpec/analysisTypes';
import { FileError } from './fileErrors';
import type { RunIo } from './runIo';

/** The prefix of the optimizer's buffers inside a run's checkpoint (checkpoint.ts): no parameter name starts with it. */
export const OPTIMIZER_PREFIX = 'optimizer.';

/** The model's tensors of a weights or checkpoint file: everything but a checkpoint's optimizer buffers. */
export function weightTensors(tensors: DecodedSafetensors['tensors']): DecodedSafetensors['tensors'] {
  return Object.fromEntries(Object.entries(tensors).filter(([name]) => !name.startsWith(OPTIMIZER_PREFIX)));
}

/** Decode a safetensors file; a file that is not one (truncated, F16, bad header…) is a `FileError` naming it. */
export function readSafetensorsFile(io: RunIo, file: string): DecodedSafetensors {
  const bytes = io.readFile(file);
  if (bytes.length === 0) throw new FileError(file, 'is empty, not a safetensors file');
  try {
    return decodeSafetensors(bytes);
  } catch (error) {
    const reason = (error as Error).message.replace(/^decodeSafetensors: /, '');
    throw new FileError(file, `is not a usable safetensors file: ${reason}`);
  }
}

/**
 * Check a weights file against the parameters shape inference expects (the analysis made with the data's
 * sizes): same names, same shapes, every value finite. `option` names the argument in the messages.
 */
export function checkWeightsFile(io: RunIo, file: string, layers: readonly LayerInfo[], option: string): void {
  const decoded = { tensors: weightTensors(readSafetensorsFile(io, file).tensors) }; // a run's checkpoint is weights too
  const expected = new Map(layers.flatMap((l) => l.parameterShapes).map((p) => [p.name, p.shape]));
  const problems: string[] = [];
  const missing = [...expected.keys()].filter((name) => !(name in decoded.tensors));
  const unexpected = Object.keys(decoded.tensors).filter((name) => !expected.has(name));
  if (missing.length) problems.push(`missing ${list(missing)}`);
  if (unexpected.length) problems.push(`has ${list(unexpected)}, which this model does not have`);
  for (const [name, shape] of expected) {
    const tensor = decoded.tensors[name];
    if (tensor && shape.every((d) => d >= 0) && tensor.shape.join('x') !== shape.join('x')) {
      problems.push(`${name} has shape [${tensor.shape.join(', ')}] where this model has [${shape.join(', ')}]`);
    }
  }
  if (problems.length) throw new FileError(file, `${option} weights do not fit this spec's model: ${problems.join('; ')}`);
  checkFinite(file, decoded.tensors, (where) => `${option} weights are not finite: ${where}`);
}

/** The first NaN or ±Infinity among the tensors, by name and index; undefined when all are finite. */
export function firstNonFinite(tensors: Iterable<[string, Float32Array]>): { name: string; index: number; value: number } | undefined {
  for (const [name, data] of tensors) {
    for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return { name, index: i, value: data[i] };
  }
  return undefined;
}

/**
 * Weights and checkpoints hold finite numbers only (a model started from NaN cannot train): a `FileError` naming
 * the file and the first value that is not, `sentence` wording it for the file's use (`name[index] is NaN`).
 */
export function checkFinite(file: string, tensors: Readonly<Record<string, { data: Float32Array }>>, sentence: (where: string) => string): void {
  const bad = firstNonFinite(Object.entries(tensors).map(([name, t]) => [name, t.data]));
  if (bad) throw new FileError(file, sentence(`${bad.name}[${bad.index}] is ${bad.value}`));
}

function list(names: string[]): string {
  const shown = names.slice(0, 4).join(', ');
  return names.length > 4 ? `${shown} and ${names.length - 4} more` : shown;
}
