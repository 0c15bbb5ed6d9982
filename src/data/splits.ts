/** How many examples go to train / validation / test, and the seeded order for non-chronological data. */
import { Rng } from '../tensor/rng';

export interface SplitFractions {
  validation?: number;
  test?: number;
}

export interface SplitCounts {
  train: number;
  validation: number;
  test: number;
}

/** Default held-out share when a spec gives none. */
export const DEFAULT_VALIDATION_FRACTION = 0.1;

export function splitCounts(count: number, split: SplitFractions | undefined, what: string): SplitCounts {
  const validationFraction = split?.validation ?? DEFAULT_VALIDATION_FRACTION;
  const testFraction = split?.test ?? 0;
  if (!(validationFraction >= 0 && testFraction >= 0 && validationFraction + testFraction < 1)) {
    throw new Error(`split: validation (${validationFraction}) and test (${testFraction}) must be ≥ 0 and sum to less than 1`);
  }
  // At least one validation example whenever a share was asked for: metrics on an empty split mean nothing.
  const validation = validationFraction > 0 ? Math.max(1, Math.round(count * validationFraction)) : 0;
  const test = testFraction > 0 ? Math.max(1, Math.round(count * testFraction)) : 0;
  const train = count - validation - test;
  if (train < 1) throw new Error(`split: ${count} ${what} leave no training examples after holding out ${validation} + ${test}`);
  return { train, validation, test };
}

/** A seeded permutation of 0..count-1 (file data is shuffled before splitting, so the split is not by file order). */
export function seededPermutation(count: number, seed: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  new Rng(seed).shuffle(order);
  return order;
}

/** Train, validation and (when asked for) test made from consecutive ranges [start, end) of the split order. */
export function splitsByRange<S>(counts: SplitCounts, make: (start: number, end: number) => S): { train: S; validation: S; test: S | undefined } {
  const validationEnd = counts.train + counts.validation;
  return {
    train: make(0, counts.train),
    validation: make(counts.train, validationEnd),
    test: counts.test > 0 ? make(validationEnd, validationEnd + counts.test) : undefined,
  };
}
