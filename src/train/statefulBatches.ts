/**
 * Stateful training on one long series (the tutorial's "carry the hidden state from one chunk into the next"):
 * the training windows are cut into B parallel streams of consecutive, non-overlapping chunks, and batch k holds
 * chunk k of every stream, so row b of batch k+1 continues row b of batch k exactly where it ended. The trainer
 * carries the final hidden state of one batch into the next (detached) and resets it at each epoch.
 *
 *   series rows:  [ stream 0: c0 c1 … c(S-1) | stream 1: c0 c1 … c(S-1) | … | stream B-1 … ]
 *   batch k:      [ stream 0 chunk k, stream 1 chunk k, …, stream B-1 chunk k ]
 *
 * The windows of a CSV series are example e = rows [e, e+W) (stride 1), so chunk j is example j·W. Synthetic
 * sine/random-walk examples are independent sequences, not windows of one series: carrying a state between them
 * would feed one series' memory into an unrelated one, so they are refused with an explanation.
 */
import type { SeqModelSpec } from '../spec/types';
import type { Batch, DataSplit, PreparedData } from '../data/types';
import { ExampleSplit, type Example } from '../data/batching';

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
  const source = spec.data.source === 'synthetic' ? `synthetic ${spec.data.generator}` : spec.data.source;
  return planStatefulBatches(data.train, spec.training.batchSize, source);
}

export interface StatefulPlan {
  /** B: parallel streams (the batch size of every batch). */
  streams: number;
  /** S: consecutive chunks per stream = steps per epoch. */
  chunksPerStream: number;
  /** W: steps per chunk (the window). */
  window: number;
  /** Example indices of batch k (k = 0..S-1), row b = stream b. */
  batchIndices(k: number): Int32Array;
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

/** True when example e+1 is example e shifted by one step (sliding windows of one series). */
export function isSlidingWindowSeries(examples: readonly Example[], featureCount: number): boolean {
  if (examples.length < 2) return false;
  const W = examples[0].length;
  const I = featureCount;
  for (let e = 0; e + 1 < examples.length; e++) {
    const current = examples[e].inputs;
    const next = examples[e + 1].inputs;
    if (!current || !next || examples[e].length !== W || examples[e + 1].length !== W) return false;
    for (let i = 0; i < (W - 1) * I; i++) if (next[i] !== current[i + I]) return false;
  }
  return true;
}

/** The stream layout of a training split of sliding windows, or an Error saying why there is none. */
export function planStatefulBatches(split: DataSplit, batchSize: number, source: string): StatefulPlan {
  if (!(split instanceof ExampleSplit) || !isSlidingWindowSeries(split.examples, split.layout.featureCount)) {
    throw new StatefulTrainingError(`training.stateful needs one long series cut into consecutive windows (data.source "csv"); the ${source} examples are independent sequences, so there is no state to carry from one batch to the next`);
  }
  const W = split.examples[0].length;
  const chunks = Math.floor((split.size - 1) / W) + 1; // non-overlapping windows at rows 0, W, 2W, …
  const chunksPerStream = Math.floor(chunks / batchSize);
  if (chunksPerStream < 2) {
    throw new StatefulTrainingError(`training.stateful: the training series holds ${chunks} consecutive chunks of ${W} steps, too few for ${batchSize} streams of at least 2 chunks; use batchSize ≤ ${Math.max(1, Math.floor(chunks / 2))}`);
  }
  const indices = new Int32Array(batchSize); // reused: the trainer assembles the batch at once
  return {
    streams: batchSize,
    chunksPerStream,
    window: W,
    batchIndices(k: number): Int32Array {
      for (let b = 0; b < batchSize; b++) indices[b] = (b * chunksPerStream + k) * W;
      return indices;
    },
  };
}

/** The batches of one stateful epoch, in stream order (no shuffle: the order is the point). */
export function* statefulBatches(split: DataSplit, plan: StatefulPlan): Iterable<Batch> {
  const examples = split as ExampleSplit;
  for (let k = 0; k < plan.chunksPerStream; k++) yield examples.assemble(plan.batchIndices(k));
}
