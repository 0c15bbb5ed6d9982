/**
 * A weights file given as an argument (`--init`, `--weights`), checked before anything is built or written:
 * it must be a readable safetensors file of float32 tensors whose names and shapes are the model's parameters,
 * with finite values. Every problem is a `FileError` naming the file, the reason in words.
 */
import { decodeSafetensors, type DecodedSafetensors } from '../nn/safetensors';
import type { LayerInfo } from '../spec/analysisTypes';
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
  for (const [name, tensor] of Object.entries(decoded.tensors)) {
    const index = tensor.data.findIndex((v) => !Number.isFinite(v));
    if (index >= 0) throw new FileError(file, `${option} weights are not finite: ${name}[${index}] is ${tensor.data[index]}`);
  }
}

function list(names: string[]): string {
  const shown = names.slice(0, 4).join(', ');
  return names.length > 4 ? `${shown} and ${names.length - 4} more` : shown;
}
