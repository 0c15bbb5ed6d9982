/**
 * `seqlab export --to pytorch`: a runnable PyTorch project that is the same network with the same weights:
 *   model.py          the module (parameter names = SeqLab's state-dict names) and a safetensors reader/writer
 *   train.py          training under 'torchrun' with DistributedDataParallel (or plain python)
 *   check_parity.py   reproduces SeqLab's outputs from reference.safetensors (tolerance 1e-5)
 *   config.json       the spec and the data's sizes;  model.safetensors  the weights
 *   data.safetensors  the prepared splits (padded arrays, lengths) so no loader needs porting
 *   reference.safetensors  a validation batch and SeqLab's outputs on it
 */
import * as path from 'node:path';
import { Tensor } from '../tensor';
import { encodeSafetensors } from '../nn/safetensors';
import type { SeqModelSpec } from '../spec/types';
import type { Batch, DataSplit, PreparedData } from '../data/types';
import type { SequenceModel } from '../train/model';
import type { RunIo } from '../train/runIo';
import { PYTHON_SOURCES } from './pytorch/pythonSources';

export interface ExportOptions {
  spec: SeqModelSpec;
  data: PreparedData;
  model: SequenceModel;
  weightsBytes: Uint8Array;
  outDir: string;
  io: RunIo;
  /** Examples in the reference batch. */
  referenceSize?: number;
}

/** The batch's arrays under the names train.py and check_parity.py read (integers stored exactly as F32). */
export function batchTensors(batch: Batch, info: PreparedData['info'], prefix = ''): Record<string, Tensor> {
  const B = batch.size;
  const T = batch.steps;
  const out: Record<string, Tensor> = {};
  const put = (name: string, values: ArrayLike<number>, shape: number[]) => {
    out[`${prefix}${name}`] = Tensor.from(values, shape);
  };
  if (batch.inputs) put('inputs', batch.inputs.subarray(0, B * T * info.inputSize), [B, T, info.inputSize]);
  if (batch.inputIds) put('input_ids', batch.inputIds.subarray(0, B * T), [B, T]);
  put('lengths', batch.lengths.subarray(0, B), [B]);
  if (batch.targets) put('targets', batch.targets.subarray(0, B * info.outputSize), [B, info.outputSize]);
  if (batch.targetIds) {
    const perStep = info.task === 'classify' ? 1 : batch.targetSteps ?? T;
    put('target_ids', batch.targetIds.subarray(0, B * perStep), info.task === 'classify' ? [B] : [B, perStep]);
  }
  if (batch.decoderInputIds) put('decoder_input_ids', batch.decoderInputIds.subarray(0, B * (batch.targetSteps ?? 0)), [B, batch.targetSteps ?? 0]);
  if (batch.targetLengths) put('target_lengths', batch.targetLengths.subarray(0, B), [B]);
  return out;
}

/** A whole split as one padded batch. */
function wholeSplit(split: DataSplit): Batch | undefined {
  if (split.size === 0) return undefined;
  for (const batch of split.batches(split.size, { shuffle: false })) return batch;
  return undefined;
}

export function exportPytorch(options: ExportOptions): string[] {
  const { spec, data, model, io, outDir } = options;
  io.makeDirectory(outDir);
  const written: string[] = [];
  const write = (name: string, contents: Uint8Array | string) => {
    io.writeFileAtomic(path.join(outDir, name), contents);
    written.push(name);
  };
  for (const [name, text] of Object.entries(PYTHON_SOURCES)) write(name, text);
  const info = data.info;
  const config = {
    spec,
    info: {
      kind: info.kind, task: info.task, inputSize: info.inputSize, outputSize: info.outputSize,
      targetVocabSize: info.targetVocabulary?.size ?? null, labels: info.labels ?? null,
      vocabulary: info.vocabulary?.tokens ?? null, targetVocabulary: info.targetVocabulary?.tokens ?? null,
      normalizer: info.normalizer ? info.normalizer.toJSON() : null,
    },
  };
  write('config.json', `${JSON.stringify(config, null, 2)}\n`);
  write('model.safetensors', options.weightsBytes);

  const dataTensors: Record<string, Tensor> = {};
  for (const [splitName, split] of [['train', data.train], ['validation', data.validation]] as const) {
    const batch = wholeSplit(split);
    if (batch) Object.assign(dataTensors, batchTensors(batch, info, `${splitName}.`));
  }
  write('data.safetensors', encodeSafetensors(dataTensors, { spec: spec.name }));

  const source = data.validation.size > 0 ? data.validation : data.train;
  model.setTraining(false);
  for (const batch of source.batches(options.referenceSize ?? 8, { shuffle: false })) {
    const reference = batchTensors(batch, info);
    const outputs = model.forward(batch);
    reference.outputs = outputs.clone();
    write('reference.safetensors', encodeSafetensors(reference, { spec: spec.name }));
    break;
  }
  return written;
}
