/**
 * SeqLab's baselines on the test split for a PyTorch run: train.py evaluates the best checkpoint on the test split,
 * the baselines come from the data SeqLab prepared, so the run's test figures read as a SeqLab run's
 * (src/train/evaluate.ts evaluateTestSplit). Computed once, and only for a run that evaluated its test split.
 */
import { baselines } from '../data';
import type { PreparedData } from '../data/types';

export function testBaselinesOnce(data: PreparedData): () => Record<string, number> {
  let computed: Record<string, number> | undefined;
  return () => {
    if (!computed) {
      try {
        computed = { ...baselines(data, 'test') };
      } catch {
        computed = {}; // as for a SeqLab run: a baseline is a courtesy, not a reason to fail the evaluation
      }
    }
    return computed;
  };
}
