/**
 * Checks of a `regress-per-step` spec: the targets are the target columns at every step of the window, read from
 * the same rows as the inputs, so a target that is also an input is the identity (nothing to learn), and
 * `normalize: "last-value"` (the change from a window's last row) has no meaning for values at every step.
 */
import type { SpecSource } from './specSource';
import type { SeqModelSpec } from './types';

export function checkPerStepRegression(source: SpecSource, spec: SeqModelSpec): void {
  const data = spec.data;
  if (spec.task.type !== 'regress-per-step' || data.source !== 'csv') return;
  if (data.normalize === 'last-value') {
    source.reportAt('error', 'semantic/per-step-last-value', '"last-value" predicts the change from a window\'s last row, which only a forecast has; a regress-per-step task predicts the targets at every step: use "zscore".', ['data', 'normalize'], 'value', { title: 'Use "zscore"', edits: source.editsToSet(['data', 'normalize'], 'zscore') });
  }
  if (!data.target) {
    source.reportAt('warning', 'semantic/per-step-target-is-input', `Without "target" the model predicts "${data.columns[0]}", its own input at the same step: the identity, nothing to learn. Name the column(s) to predict at every step (the clean signal beside the noisy one).`, ['data'], 'key');
    return;
  }
  const echoed = data.target.filter((column) => data.columns.includes(column));
  if (echoed.length) {
    source.reportAt('warning', 'semantic/per-step-target-is-input', `${echoed.map((c) => `"${c}"`).join(', ')} ${echoed.length === 1 ? 'is' : 'are'} also an input: the model reads ${echoed.length === 1 ? 'that value' : 'those values'} at the very step it predicts ${echoed.length === 1 ? 'it' : 'them'}, so the identity is a perfect answer. Remove ${echoed.length === 1 ? 'it' : 'them'} from "columns".`, ['data', 'target'], 'value');
  }
}
