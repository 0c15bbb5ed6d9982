/**
 * The dashboard's held-out test block: what the `testEvaluation` event says, as the text the panel shows.
 * Pure: no DOM (the panel puts these strings in as text, never as markup).
 */
import type { TestEvaluation } from '../../src/train/protocol';
import { formatCount, formatScalar } from '../../src/format/display';

export interface TestEvaluationView {
  /** "Test (held out, best checkpoint of epoch 7)". */
  title: string;
  /** Why these figures stand apart from the validation ones. */
  note: string;
  /** [name, value]: loss first, then the task's metrics. */
  figures: [string, string][];
  /** [name, value]: the baselines computed on the test split. */
  baselines: [string, string][];
}

/** `labels`: names as people write them (`RunStarted.metricLabels`); raw names without. */
export function testEvaluationView(test: TestEvaluation, labels: Record<string, string> = {}): TestEvaluationView {
  const weights = test.checkpoint === 'best' ? 'best checkpoint' : 'final weights';
  const examples = `${formatCount(test.size)} test example${test.size === 1 ? '' : 's'}`;
  const chosen = test.checkpoint === 'best'
    ? 'validation chose the checkpoint; the test split was not used for choosing'
    : 'no validation epoch chose a checkpoint, so the final weights were evaluated';
  return {
    title: `Test (held out, ${weights} of epoch ${test.epoch})`,
    note: `Evaluated once, after training, on all ${examples}: ${chosen}.`,
    figures: [['loss', formatScalar(test.loss)], ...Object.entries(test.metrics).map(([name, value]): [string, string] => [labels[name] ?? name, formatScalar(value)])],
    baselines: Object.entries(test.baselines).map(([name, value]): [string, string] => [labels[name] ?? name, formatScalar(value)]),
  };
}
