/** Confusion-matrix maths for the predictions panel (confusion[truth][predicted] counts). Pure: no DOM. */

/** Each truth row divided by its total (recall per class on the diagonal); an empty row stays all zeros. */
export function rowShares(counts: readonly (readonly number[])[]): number[][] {
  return counts.map((row) => {
    const total = row.reduce((sum, v) => sum + v, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

/** Share of all samples on the diagonal. */
export function accuracyOf(counts: readonly (readonly number[])[]): number {
  let correct = 0;
  let total = 0;
  counts.forEach((row, truth) => row.forEach((v, predicted) => {
    total += v;
    if (truth === predicted) correct += v;
  }));
  return total > 0 ? correct / total : 0;
}

/** Per token: does the predicted tag match the truth? Tokens beyond either list count as wrong. */
export function tagMatches(truth: readonly string[], predicted: readonly string[], tokenCount: number): boolean[] {
  const matches: boolean[] = [];
  for (let i = 0; i < tokenCount; i++) matches.push(truth[i] !== undefined && truth[i] === predicted[i]);
  return matches;
}
