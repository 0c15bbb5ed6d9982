/**
 * `seqlab export --to pytorch`: a runnable PyTorch project that is the same network with the same weights:
 *   model.py          the module (parameter names = SeqLab's state-dict names) and a safetensors reader/writer
 *   train.py          training under 'torchrun' with DistributedDataParallel (or plain python)
 *   check_parity.py   reproduces SeqLab's outputs from reference.safetensors (tolerance 1e-5)
 *   seqlab_data.py    SeqLab's loaders in Python: reads the original data file lazily, same splits and batches
 *   recurrent_probe.py, validation_record.py  the gate, gradient-flow and predictions panels' records (train.py);
 *                     generation.py samples a language model's text as SeqLab does
 *   config.json       the spec, the data's sizes, vocabulary, labels and normalisation statistics, the data file;
 *   model.safetensors the weights
 *   data.safetensors  with `dataMode: 'embed'` (and for synthetic data): the prepared splits as padded arrays
 *   reference.safetensors  a validation batch and SeqLab's outputs on it
 *   README.md         how to check, train (one process or torchrun) and bring the weights back
 */
import * as path from 'node:path';
import { Tensor } from '../tensor';
import { encodeSafetensors } from '../nn/safetensors';
import { resolveDataPath } from '../data/prepare';
import type { SeqModelSpec } from '../modelSpec/types';
import type { Batch, DataSplit, PreparedData } from '../data/types';
import type { SequenceModel } from '../train/model';
import type { RunIo } from '../train/runIo';
import { pythonSources } from './pytorch/pythonSources';

export interface ExportOptions {
  spec: SeqModelSpec;
  data: PreparedData;
  model: SequenceModel;
  /** The weights only (`encodeWeights`): a run checkpoint's optimizer buffers do not belong in the project. */
  weightsBytes: Uint8Array;
  outDir: string;
  io: RunIo;
  /** Examples in the reference batch. */
  referenceSize?: number;
  /** The data file the spec names, resolved (absent for synthetic data). */
  dataFile?: string;
  /** 'stream' (default where there is a data file): train.py reads that file; 'embed': data.safetensors. */
  dataMode?: ExportDataMode;
}

export type ExportDataMode = 'stream' | 'embed';

/** The data file a spec names, resolved beside the spec; undefined for generated (synthetic) data. */
export function specDataFile(spec: SeqModelSpec, specPath: string): string | undefined {
  return spec.data.source === 'synthetic' ? undefined : resolveDataPath(path.dirname(path.resolve(specPath)), spec.data.path);
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
  for (const [name, text] of Object.entries(pythonSources())) write(name, text);
  const info = data.info;
  const dataMode: ExportDataMode = options.dataFile && options.dataMode !== 'embed' ? 'stream' : 'embed';
  const config = {
    spec,
    data: { mode: dataMode, path: options.dataFile ? path.resolve(options.dataFile) : null, seed: spec.training.seed ?? 0 },
    info: {
      kind: info.kind, task: info.task, inputSize: info.inputSize, outputSize: info.outputSize,
      targetVocabSize: info.targetVocabulary?.size ?? null, labels: info.labels ?? null,
      vocabulary: info.vocabulary?.tokens ?? null, targetVocabulary: info.targetVocabulary?.tokens ?? null,
      normalizer: info.normalizer ? info.normalizer.toJSON() : null,
    },
  };
  write('config.json', `${JSON.stringify(config, null, 2)}\n`);
  write('README.md', exportReadme(spec));
  write('model.safetensors', options.weightsBytes);

  if (dataMode === 'embed') {
    const dataTensors: Record<string, Tensor> = {};
    for (const [splitName, split] of [['train', data.train], ['validation', data.validation]] as const) {
      const batch = wholeSplit(split);
      if (batch) Object.assign(dataTensors, batchTensors(batch, info, `${splitName}.`));
    }
    write('data.safetensors', encodeSafetensors(dataTensors, { spec: spec.name }));
  }

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

/**
 * The launch command that works with Debian's torch 1.13 on Python 3.11: its launcher turns the default
 * '--redirects 0 --tee 0' into None (Python 3.11 iterates an IntFlag without its zero and alias members) and
 * crashes before starting a worker; a non-zero value for both avoids the broken path.
 */
export const TORCHRUN_COMMAND = 'torchrun --standalone --nproc_per_node=2 --redirects 1 --tee 1 train.py';

export function exportReadme(spec: SeqModelSpec): string {
  const tf = spec.training.teacherForcing;
  const schedule = spec.task.type !== 'seq2seq'
    ? ''
    : tf
      ? `\nThe decoder follows the spec's teacher-forcing schedule (start ${tf.start}, end ${tf.end ?? tf.start}, decay ${tf.decay ?? 'none'}` +
        `${tf.epochs ? ` over ${tf.epochs} epochs` : ''}) as SeqLab does; each epoch line prints the ratio and how many decoder steps were fed the model's own predictions.\n`
      : '\nThe spec sets no teacher-forcing schedule, so the decoder is always fed the ground truth (ratio 1), as in SeqLab.\n';
  return `# ${spec.name}: exported from SeqLab

The same network as SeqLab's (parameter names, gate order and initial state identical), with its weights, and
SeqLab's data loaders in \`seqlab_data.py\`: they read the original data file named in \`config.json\` (or
\`--data-path FILE\`) lazily, one example at a time from an index of byte offsets (a CSV series: its rows
parsed once, in blocks as windows first touch them, kept in memory or beyond 512 MB in a temporary file; token
examples kept in memory once read, up to 256 MB), with SeqLab's vocabulary, labels and normalisation statistics
(fitted on the training split, in \`config.json\`), the same split of the same examples and the same batches
in the same order for the same seed. LF, CRLF and CR (old Mac) line ends are read as SeqLab reads them.
Another file given with \`--data-path\` gets its normalisation statistics fitted on its own training rows, as
\`seqlab train\` fits them on that file (the run logs it); its vocabulary and labels stay the exported ones,
which the model's sizes are made of. Exported with \`--data embed\` (and for synthetic data), \`data.safetensors\`
holds the prepared splits instead.

    python check_parity.py          # SeqLab's outputs on reference.safetensors, reproduced to 1e-5
    python train.py --epochs 5      # one process
    ${TORCHRUN_COMMAND} --epochs 5
                                    # DistributedDataParallel, 2 processes (gloo on CPU, nccl on GPUs)
    python seqlab_data.py --dump first.safetensors   # the first batches, as SeqLab makes them
${schedule}
## The run folder

\`train.py\` writes a SeqLab run folder (\`--run-dir DIR\`, default \`run/\`), from rank 0, every file atomically:
\`spec.json\`, \`metrics.jsonl\` (one line per epoch: losses, the task's validation metrics), \`model.safetensors\` (the
weights of the last epoch), \`best.safetensors\` (the best validation epoch) and \`report.json\`. Open it in VS Code
with "SeqLab: Open Run…" (dashboard, compare with other runs) or use the weights:
\`seqlab predict SPEC --weights run/best.safetensors --input FILE\`. A PyTorch checkpoint holds weights and their
epoch and step, not SeqLab's trainer state: SeqLab reads it as weights (\`--init\`, predict, export) but does not
\`--resume\` it. \`--json\` prints SeqLab's progress events, one JSON line each, and after each epoch the records of
SeqLab's gate, gradient-flow and predictions panels: the gradient norm ‖∂L/∂h_t‖ of every encoder layer and step on
the epoch's last batch, every gate of each layer on the first validation example, and the validation predictions
(\`recurrent_probe.py\`, \`validation_record.py\`; text sampled by SeqLab's generator with the run's seed, seq2seq
outputs decoded as the spec says).

Every epoch visits SeqLab's batches in SeqLab's order; with several processes each batch is split between them
(strided, as \`DistributedSampler\` strides), so \`--batch-size\` is the batch of all processes together. Each
process's mean loss is weighted by its share of the batch's loss terms (examples, or tokens of per-step tasks;
\`batch_share.py\`) before DDP averages the gradients, so the step is SeqLab's on the whole batch even when the
parts differ (an odd batch size, ragged sentences). A process carries the hidden state of its own rows (stateful
streams, truncated-BPTT chunks).

## Several machines

Start the same command on every machine (each with this folder and the data file at the same path, or
\`--data-path\`), naming one machine's address as the rendezvous endpoint:

    torchrun --nnodes=2 --nproc_per_node=4 --rdzv_id=${spec.name} --rdzv_backend=c10d \\
             --rdzv_endpoint=HOST0:29400 --redirects 1 --tee 1 train.py --epochs 5 --run-dir run

\`--nnodes\` machines with \`--nproc_per_node\` processes each (one per GPU, or per core on CPU): ranks are assigned at
the rendezvous (rank 0 writes the run folder), HOST0:29400 must be reachable from every machine. \`--device cpu\`
uses gloo even where GPUs exist; otherwise nccl is chosen when CUDA is available.

## torch 1.13 on Python 3.11

\`--redirects 1 --tee 1\` are needed with torch 1.13 on Python 3.11 or later (Debian's \`python3-torch\`): without
them the launcher stops with \`AttributeError: 'NoneType' object has no attribute 'get'\` in
\`torch/distributed/elastic/multiprocessing/api.py\`, before any worker starts. Its default \`--redirects 0 --tee 0\`
is parsed by \`Std.from_str\`, which looks the value up by iterating the \`Std\` IntFlag; since Python 3.11 that
iteration skips the zero (\`NONE\`) and alias (\`ALL\`) members, so the lookup returns None. Host names and the
rendezvous backend are not involved. With the flags, each worker's output is also kept in a log file and shown
prefixed \`[default<rank>]:\`. Later torch versions need no flags. Where \`torchrun\` is not on the PATH,
\`python3 -m torch.distributed.run\` takes the same arguments. \`--standalone\` takes port 29400 on this machine;
when another run holds it, give \`--rdzv_backend=c10d --rdzv_endpoint=127.0.0.1:PORT\` instead.
`;
}
