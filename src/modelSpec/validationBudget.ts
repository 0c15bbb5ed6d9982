/**
 * The per-epoch validation budget (`training.validation.maxBatches`) in words, for the shape table of
 * `seqlab check` and the hover: how much of the validation split each epoch sees, and that the test evaluation at
 * the end always covers its whole split.
 */
import type { SeqModelSpec } from './types';
import { formatCount } from '../format/display';

export interface ValidationBudget {
  /** Batches validated per epoch at most (undefined: the whole split). */
  maxBatches?: number;
  batchSize: number;
  /** Validation examples, when the data has been loaded. */
  examples?: number;
}

export function validationBudgetOf(spec: SeqModelSpec, validationExamples?: number): ValidationBudget {
  const budget: ValidationBudget = { batchSize: spec.training.batchSize };
  if (spec.training.validation?.maxBatches !== undefined) budget.maxBatches = spec.training.validation.maxBatches;
  if (validationExamples !== undefined) budget.examples = validationExamples;
  return budget;
}

/** "validation per epoch: 200 of 1,563 batches of 32 (a fixed sample, the same every epoch); …". */
export function validationBudgetText(budget: ValidationBudget): string {
  const count = formatCount;
  const { maxBatches, batchSize, examples } = budget;
  const batches = examples !== undefined ? Math.ceil(examples / batchSize) : undefined;
  const all = (n: number) => `all ${count(n)} batch${n === 1 ? '' : 'es'} (${count(examples!)} example${examples === 1 ? '' : 's'}`;
  let perEpoch: string;
  if (maxBatches === undefined) perEpoch = batches !== undefined ? `${all(batches)})` : 'the whole split';
  else if (batches !== undefined && batches <= maxBatches) perEpoch = `${all(batches)}; budget ${count(maxBatches)})`;
  else if (batches !== undefined) perEpoch = `${count(maxBatches)} of ${count(batches)} batches of ${count(batchSize)} (a fixed sample, the same every epoch)`;
  else perEpoch = `at most ${count(maxBatches)} batches of ${count(batchSize)} (a fixed sample, the same every epoch)`;
  return `validation per epoch: ${perEpoch}; the test evaluation at the end covers its whole split`;
}
