/**
 * Stateful training on one long series (the tutorial's "carry the hidden state from one chunk into the next"):
 * the training windows are cut into B parallel streams of consecutive, non-overlapping chunks, and batch k holds
 * chunk k of every stream, so row b of batch k+1 continues row b of batch k exactly where it ended. The trainer
 * carries the final hidden state of one batch into the next (detached) and resets it at each epoch.
 *
 *   series rows:  [ stream 0: c0 c1 … c(S-1) | stream 1: c0 c1 … c(S-1) | … | stream B-1 … ]
 *   batch k:      [ stream 0 chunk k, stream 1 chunk k, …, stream B-1 chunk k ]
 *
 * The windows of a CSV series are example e = rows [e, e+W) (stride 1), so chunk j is example j·W.
 *
 * Synthetic sine/random-walk examples are independent series of T steps (plus the Hz values that follow). With
 * `training.tbpttSteps = k` each one is a stream of ⌊T/k⌋ chunks of k steps whose target is the Hz values after
 * the chunk (the series' own next values): batch j of a group holds chunk j of B series, and the state resets
 * when the next group of unrelated series starts. Other independent sequences (adding) are refused.
 */
import type { SeqModelSpec } from '../modelSpec/types';
import type { Batch, DataSplit, PreparedData } from '../data/types';
import { ExampleSplit, PackedStore } from '../data/batching';

/** Stateful training cannot run on this spec and data (a setup problem, reported before any run folder exists). */
export class StatefulTrainingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatefulTrainingError';
  }
}

/** The stream layout when `training.stateful` is on, undefined when off; throws StatefulTrainingError when impossible. */
export function statefulPlanFor(spec: SeqModelSpec, data: PreparedData): StatefulPlan | undefined {
  const problem = statefulSpecProblem(spec);
  if (problem) throw new StatefulTrainingError(problem);
  if (!spec.training.stateful?.enabled) return undefined;
  const d = spec.data;
  if (d.source === 'synthetic' && (d.generator === 'sine' || d.generator === 'random-walk')) {
    return planSeriesChunks(data, spec.training.batchSize, spec.training.tbpttSteps, d.generator);
  }
  return planStatefulBatches(data.train, spec.training.batchSize, d.source === 'synthetic' ? `synthetic ${d.generator}` : d.source);
}

/** One training batch of a stateful epoch; `startsStreams` says the rows begin new series (reset the state first). */
export interface StatefulBatch {
  batch: Batch;
  startsStreams: boolean;
}

export interface StatefulPlan {
  /** B: parallel streams (the batch size of every batch). */
  streams: number;
  /** Optimizer steps per epoch. */
  stepsPerEpoch: number;
  /** Steps per chunk. */
  window: number;
  /** For the log: how the series were cut. */
  description: string;
  /** The epoch's batches in stream order (never shuffled: the order is the point). Buffers are reused. */
  batches(): Iterable<StatefulBatch>;
}

/** Why stateful training cannot run on this spec/model, or undefined when it can. */
export function statefulSpecProblem(spec: SeqModelSpec): string | undefined {
  const stateful = spec.training.stateful;
  if (!stateful?.enabled) return undefined;
  if (stateful.detach === false) {
    return 'training.stateful.detach false is not possible: carrying gradients across batches would backpropagate through the whole history (memory grows without bound). Set "detach": true (truncated BPTT between batches).';
  }
  const task = spec.task.type;
  if (task !== 'forecast' && task !== 'regress') return `training.stateful applies to time-series forecast/regress tasks, not ${task}`;
  if (spec.model.encoder.bidirectional) return 'training.stateful needs a unidirectional encoder: a backward direction reads each chunk from its end, so there is no state to carry into the next chunk';
  return undefined;
}

/** The stream layout of a training split of sliding windows, or an Error saying why there is none. */
export function planStatefulBatches(split: DataSplit, batchSize: number, source: string): StatefulPlan {
  if (!(split instanceof ExampleSplit) || !split.store.slidingWindows || split.size < 2) {
    throw new StatefulTrainingError(`training.stateful needs a series read chunk by chunk (data.source "csv", or synthetic sine/random-walk with tbpttSteps); the ${source} examples are independent sequences, so there is no state to carry from one batch to the next`);
  }
  const W = split.store.length(0);
  const chunks = Math.floor((split.size - 1) / W) + 1; // non-overlapping windows at rows 0, W, 2W, …
  const chunksPerStream = Math.floor(chunks / batchSize);
  if (chunksPerStream < 2) {
    throw new StatefulTrainingError(`training.stateful: the training series holds ${chunks} consecutive chunks of ${W} steps, too few for ${batchSize} streams of at least 2 chunks; use batchSize ≤ ${Math.max(1, Math.floor(chunks / 2))}`);
  }
  const indices = new Int32Array(batchSize); // [B] reused: each batch is assembled before the next is asked for
  return {
    streams: batchSize,
    stepsPerEpoch: chunksPerStream,
    window: W,
    description: `${batchSize} streams × ${chunksPerStream} consecutive chunks of ${W} steps`,
    *batches(): Iterable<StatefulBatch> {
      for (let k = 0; k < chunksPerStream; k++) {
        for (let b = 0; b < batchSize; b++) indices[b] = (b * chunksPerStream + k) * W;
        yield { batch: split.assemble(indices), startsStreams: k === 0 };
      }
    },
  };
}

/**
 * Independent synthetic series (sine, random walk) cut into chunks of k steps: groups of B series, each group
 * read chunk by chunk; chunk j's target is the series' Hz values after it (inputs then targets, laid out [Hz,F]).
 */
export function planSeriesChunks(data: PreparedData, batchSize: number, chunkSteps: number | undefined, generator: string): StatefulPlan {
  const split = data.train;
  const F = data.info.inputSize;
  const Hz = data.info.horizon ?? 1;
  if (!(split instanceof ExampleSplit) || !(split.store instanceof PackedStore) || data.info.outputSize !== Hz * F) {
    throw new StatefulTrainingError(`training.stateful on synthetic ${generator}: the targets must be the series' next values`);
  }
  const { inputs, inputOffsets, targets } = split.store.columns;
  const T = split.store.length(0);
  if (chunkSteps === undefined || !Number.isInteger(chunkSteps) || chunkSteps < 1 || chunkSteps >= T) {
    throw new StatefulTrainingError(`training.stateful on synthetic ${generator}: each example is an independent series of ${T} steps; set training.tbpttSteps to the chunk length (1..${T - 1}) to read each series chunk by chunk with the state carried between chunks`);
  }
  const k = chunkSteps;
  const chunksPerSeries = Math.floor(T / k);
  const groups = Math.floor(split.size / batchSize);
  if (groups < 1) throw new StatefulTrainingError(`training.stateful: ${split.size} training series are fewer than batchSize ${batchSize}`);
  const batch: Batch = {
    size: batchSize, steps: k, lengths: new Int32Array(batchSize).fill(k), indices: new Int32Array(batchSize),
    inputs: new Float32Array(batchSize * k * F), // [B,k,F]
    targets: new Float32Array(batchSize * Hz * F), // [B,Hz·F]
  };
  /** Value of feature f at step t of example e's whole series (inputs, then the Hz target steps). */
  const seriesValue = (e: number, t: number, f: number) => (t < T ? inputs![(inputOffsets[e] + t) * F + f] : targets![e * Hz * F + (t - T) * F + f]);
  return {
    streams: batchSize,
    stepsPerEpoch: groups * chunksPerSeries,
    window: k,
    description: `${groups} groups of ${batchSize} series × ${chunksPerSeries} consecutive chunks of ${k} steps (state reset between groups)`,
    *batches(): Iterable<StatefulBatch> {
      for (let g = 0; g < groups; g++) {
        for (let j = 0; j < chunksPerSeries; j++) {
          for (let b = 0; b < batchSize; b++) {
            const e = g * batchSize + b;
            batch.indices[b] = e;
            for (let t = 0; t < k; t++) for (let f = 0; f < F; f++) batch.inputs![(b * k + t) * F + f] = seriesValue(e, j * k + t, f);
            for (let h = 0; h < Hz; h++) for (let f = 0; f < F; f++) batch.targets![b * Hz * F + h * F + f] = seriesValue(e, (j + 1) * k + h, f);
          }
          yield { batch, startsStreams: j === 0 };
        }
      }
    },
  };
}
