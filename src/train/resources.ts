/**
 * Will this run fit? Memory a training run needs, estimated from shape inference before anything is allocated
 * (parameters, their gradients, the optimizer's buffers, the packed weight copies the recurrent kernels keep,
 * activations kept for backpropagation through time and their gradients, the prepared data), checked against
 * the machine: its RAM and, with the WebAssembly kernels, the memory those kernels can address. A run that
 * cannot fit is refused at once, located at the size to change, instead of failing minutes into training.
 */
import * as os from 'node:os';
import type { JSONPath } from 'jsonc-parser';
import type { LayerInfo, SpecDiagnostic, SpecTotals } from '../modelSpec/analysisTypes';
import { formatBytes, formatCount } from '../format/display';
import { SpecSource } from '../modelSpec/specSource';
import type { SeqModelSpec } from '../modelSpec/types';
import type { DataInfo } from '../data/types';
import { kernels } from '../tensor/backend';
import { KERNELS_WASM_MAXIMUM_PAGES } from '../tensor/wasm/kernelsBinary.generated';

const FLOAT_BYTES = 4;
const WASM_PAGE_BYTES = 65536;
/** The kernels' own scratch (packing panels, staging of batches) needs some room beside the workspaces. */
const KERNEL_HEADROOM = 0.9;
/** Workspace bytes per byte of activations kept for BPTT (see `estimateTrainingMemory`). */
const ACTIVATION_WORKSPACE_FACTOR = 5;

export interface MemoryEstimate {
  parameters: number;
  /** Weights, gradients, optimizer buffers and packed weight copies (bytes). */
  modelBytes: number;
  optimizerBuffers: number;
  /** The workspaces of training and evaluation: activations kept for BPTT, their gradients (bytes). */
  activationBytes: number;
  /** The prepared examples held in memory (bytes). */
  dataBytes: number;
  /** What the kernels allocate: model and activations (bytes). */
  kernelBytes: number;
  totalBytes: number;
  batchSize: number;
  sequenceLength?: number;
}

export interface MachineMemory {
  totalBytes: number;
  freeBytes: number;
  /** The most the active kernels can address (WebAssembly memory), when they have such a limit. */
  kernelLimitBytes?: number;
  kernelsName: string;
}

/** This machine, with the kernels active now (the ones training will use). */
export function machineMemory(): MachineMemory {
  const name = kernels().name;
  const wasm = name.startsWith('wasm');
  return {
    totalBytes: os.totalmem(),
    freeBytes: os.freemem(),
    kernelLimitBytes: wasm ? KERNELS_WASM_MAXIMUM_PAGES * WASM_PAGE_BYTES : undefined,
    kernelsName: name,
  };
}

function optimizerBufferCount(spec: SeqModelSpec): number {
  const optimizer = spec.training.optimizer;
  if (optimizer.type === 'sgd') return optimizer.momentum ? 1 : 0;
  return 2; // Adam and AdamW: first and second moments
}

/**
 * Bytes of the prepared examples, every split (at most: token ids are stored in the narrowest array that holds
 * them). A CSV series is one table whose windows are offsets into it: about a row per example.
 */
function dataBytesOf(spec: SeqModelSpec, info: DataInfo): number {
  const examples = info.trainSize + info.validationSize + info.testSize;
  // Read per batch from the disk cache: in memory only the shuffled order of the training examples, and for ragged
  // data (texts, sentences, pairs) each example's offsets (8 bytes per id column) and class id.
  if (info.cache) return info.trainSize * 4 + (info.kind === 'tokens' && info.task !== 'generate' ? examples * 20 : 0);
  if (spec.data.source === 'csv') return (examples + info.maxLength) * (info.inputSize + info.outputSize) * FLOAT_BYTES;
  const perStep = info.kind === 'series' ? info.inputSize : 1;
  return examples * (info.maxLength * perStep + Math.max(info.outputSize, info.maxLength)) * FLOAT_BYTES;
}

export function estimateTrainingMemory(spec: SeqModelSpec, layers: readonly LayerInfo[], totals: SpecTotals, info: DataInfo): MemoryEstimate {
  const parameters = totals.parameters;
  // The fused recurrent kernels keep a packed copy of each layer's hidden-to-hidden weights.
  let packed = 0;
  for (const layer of layers) {
    const r = layer.recurrent;
    if (!r) continue;
    const gates = r.cell === 'lstm' ? 4 : r.cell === 'gru' ? 3 : 1;
    packed += r.numLayers * r.directions * gates * r.hiddenSize * r.hiddenSize;
  }
  const optimizerBuffers = optimizerBufferCount(spec);
  const modelBytes = (parameters * (2 + optimizerBuffers) + packed) * FLOAT_BYTES;
  // A batch never holds more examples than the training split. The workspaces hold more than BPTT keeps (gate
  // and layer gradients: about 14·H floats per step of an LSTM against the 6·H kept), and evaluation has workspaces
  // of its own: measured, the WebAssembly heap grows by 4.6–4.7× the BPTT figure plus the weights, gradients and
  // optimizer buffers (adding task, LSTM 512 and 1024, batch 50, T 100, Adam and SGD), so 5× is counted.
  const batchSize = Math.min(spec.training.batchSize, Math.max(info.trainSize, 1));
  const activationBytes = ACTIVATION_WORKSPACE_FACTOR * totals.bpttActivationBytes * (batchSize / spec.training.batchSize);
  const dataBytes = dataBytesOf(spec, info);
  const kernelBytes = modelBytes + activationBytes;
  return {
    parameters, modelBytes, optimizerBuffers, activationBytes, dataBytes, kernelBytes,
    totalBytes: kernelBytes + dataBytes, batchSize, sequenceLength: totals.sequenceLength,
  };
}

/** The property to change when the model is too large: the size of the layer holding the most parameters. */
function largestSizePath(layers: readonly LayerInfo[]): { path: JSONPath; name: string; value?: number } {
  let largest: LayerInfo | undefined;
  for (const layer of layers) if (!largest || layer.parameters > largest.parameters) largest = layer;
  if (largest?.kind === 'embedding') return { path: ['model', 'embedding', 'dim'], name: 'model.embedding.dim' };
  if (largest?.kind === 'decoder') return { path: ['model', 'decoder', 'hiddenSize'], name: 'model.decoder.hiddenSize', value: largest.recurrent?.hiddenSize };
  if (largest && (largest.kind === 'linear' || largest.id.startsWith('head'))) return { path: ['model', 'head'], name: 'model.head' };
  const encoder = layers.find((l) => l.id === 'encoder');
  return { path: ['model', 'encoder', 'hiddenSize'], name: 'model.encoder.hiddenSize', value: encoder?.recurrent?.hiddenSize };
}

/**
 * Errors when the estimate does not fit the machine (located at the hidden size or the batch size, whichever
 * dominates, with what would fit), a warning when it fits but not in the memory free right now.
 */
export function resourceDiagnostics(specText: string, spec: SeqModelSpec, layers: readonly LayerInfo[], estimate: MemoryEstimate, machine: MachineMemory): SpecDiagnostic[] {
  const source = new SpecSource(specText);
  const breakdown = `${formatBytes(estimate.modelBytes)} for ${formatCount(estimate.parameters)} parameters with their gradients${estimate.optimizerBuffers ? `, ${spec.training.optimizer.type} state` : ''} and packed weights, `
    + `${formatBytes(estimate.activationBytes)} for activations, their gradients and evaluation over batch ${estimate.batchSize} × T ${estimate.sequenceLength ?? '?'}, `
    + `${formatBytes(estimate.dataBytes)} of prepared data`;
  const limits: { bytes: number; needed: number; what: string }[] = [
    { bytes: machine.totalBytes, needed: estimate.totalBytes, what: `the ${formatBytes(machine.totalBytes)} of memory this machine has` },
  ];
  if (machine.kernelLimitBytes !== undefined) {
    limits.push({ bytes: machine.kernelLimitBytes * KERNEL_HEADROOM, needed: estimate.kernelBytes, what: `the ${formatBytes(machine.kernelLimitBytes)} the WebAssembly kernels can address (${machine.kernelsName})` });
  }
  const exceeded = limits.filter((l) => l.needed > l.bytes).sort((a, b) => a.bytes / a.needed - b.bytes / b.needed)[0];
  if (exceeded) {
    // What the resized part may use; 5 % kept back for the terms that do not scale (biases, the head, the input).
    const room = 0.95 * (exceeded.bytes - (exceeded.needed === estimate.totalBytes ? estimate.dataBytes : 0));
    // When the weights alone leave no room, no batch size can help: the hidden size is what must change.
    const modelDominates = estimate.modelBytes >= estimate.activationBytes || estimate.modelBytes >= room;
    let where: JSONPath;
    let advice: string;
    if (modelDominates) {
      const size = largestSizePath(layers);
      where = size.path;
      // Weights grow with the square of the hidden size, activations linearly: solve model·x² + activations·x = room.
      const a = estimate.modelBytes, b = estimate.activationBytes;
      const x = (-b + Math.sqrt(b * b + 4 * a * Math.max(room, 0))) / (2 * a);
      const fits = size.value ? Math.floor(size.value * x) : undefined;
      advice = `lower ${size.name}${fits ? ` (about ${fits} or less would fit)` : ''}`;
    } else {
      where = ['training', 'batchSize'];
      const fits = Math.floor(estimate.batchSize * Math.max(room - estimate.modelBytes, 0) / estimate.activationBytes);
      advice = `lower training.batchSize${fits >= 1 ? ` (${fits} or less would fit)` : ''}, the sequence length${spec.training.tbpttSteps ? '' : ' (or set training.tbpttSteps)'} or the hidden size`;
    }
    const needed = exceeded.needed;
    const message = `Training this model needs about ${formatBytes(needed)} (${breakdown}), more than ${exceeded.what}: ${advice}.`;
    const range = source.rangeOf(where) ?? source.nearestRange(where);
    return [source.report('error', 'resource/too-large', message, range)];
  }
  if (estimate.totalBytes > machine.freeBytes) {
    const where: JSONPath = ['model', 'encoder', 'hiddenSize'];
    const message = `Training this model needs about ${formatBytes(estimate.totalBytes)} (${breakdown}); only ${formatBytes(machine.freeBytes)} of memory is free now, so the machine may swap or stop the run.`;
    return [source.report('warning', 'resource/low-memory', message, source.rangeOf(where) ?? source.nearestRange(where))];
  }
  return [];
}
