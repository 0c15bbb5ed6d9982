/**
 * lint/validation-outside-training-range: a forecast whose validation targets lie outside the range of the
 * training rows (a series with a trend). A z-score fitted on the training split maps them beyond anything the
 * network saw, and it ends worse than persistence (the Mauna Loa CO2 example: RMSE 6.8 ppm against 1.3).
 * Predicting the change from the last value (`normalize: "last-value"`) does not depend on the level.
 * Needs the data file's whole text (from `seqlab check` and training, or an editor head that holds the whole
 * file); the split is the loader's.
 */
import { rangeCheck } from '../data/sniff';
import { readNumericColumns } from '../data/series';
import { splitCounts } from '../data/splits';
import type { SpecSource } from './specSource';
import type { CsvSeriesData, SeqModelSpec } from './types';

export function lintValidationRange(source: SpecSource, spec: SeqModelSpec, text: string): void {
  const data = spec.data;
  if (spec.task.type !== 'forecast' || data.source !== 'csv' || data.normalize === 'last-value') return;
  const target = data.target?.[0] ?? data.columns[0];
  const check = validationRangeOf(data, spec.task.horizon ?? 1, target, text);
  if (!check?.trending) return;
  const percent = Math.round(check.outsideShare * 100);
  const fixable = (data.target ?? [target]).every((column) => data.columns.includes(column));
  source.reportAt(
    'warning',
    'lint/validation-outside-training-range',
    `${percent}% of the validation targets of "${target}" lie outside the range of the training rows (the series trends): a ${data.normalize === 'none' ? 'network on raw values' : 'z-score fitted on the training split'} never saw such values, and forecasts there tend to do worse than repeating the last value. Predict the change from the last value instead ("normalize": "last-value").`,
    ['data', 'normalize'],
    'value',
    fixable ? { title: 'Use "last-value"', edits: source.editsToSet(['data', 'normalize'], 'last-value') } : undefined,
  );
}

/** The loader's split of the target column: training rows [0, train−1+W+Hz), validation targets after them. */
function validationRangeOf(data: CsvSeriesData, horizon: number, target: string, text: string) {
  try {
    const { values, rowCount } = readNumericColumns(text, data.path, [target]);
    const counts = splitCounts(rowCount - data.window - horizon + 1, data.split, 'windows');
    const trainingRows = counts.train - 1 + data.window + horizon;
    const validationStart = counts.train + data.window;
    return rangeCheck(values, trainingRows, validationStart, validationStart + counts.validation + horizon - 1);
  } catch {
    return undefined; // unreadable data is reported by the file checks and the loader, not here
  }
}
