/**
 * A parameter count as every view writes it (CodeLens, hover, `seqlab check`, the architecture diagram): exact
 * once the data's sizes are known ("170,718"), otherwise the known part and the data-dependent terms collected
 * per size ("82,944 + 161·vocab"), with a note of what those sizes wait for. `formula` is a layer's or the
 * totals' `parameterFormula` ("82944 + vocab·32 + vocab·128 + vocab").
 */
import { formatCount } from '../format/display';

/** "82,944 + 161·vocab + 129·tags": the count with its unknown sizes, each with one coefficient. */
export function formatParameterCount(parameters: number, formula?: string): string {
  const coefficients = new Map<string, number>();
  for (const term of formula?.split(' + ') ?? []) {
    if (/^\d+$/.test(term)) continue; // the known part, already in `parameters`
    const factors = term.split('·');
    const known = factors.filter((factor) => /^\d+$/.test(factor)).reduce((product, factor) => product * Number(factor), 1);
    const unknown = factors.filter((factor) => !/^\d+$/.test(factor)).join('·');
    coefficients.set(unknown, (coefficients.get(unknown) ?? 0) + known);
  }
  const terms = [...coefficients].map(([size, coefficient]) => (coefficient === 1 ? size : `${formatCount(coefficient)}·${size}`));
  if (parameters === 0 && terms.length > 0) return terms.join(' + ');
  return [formatCount(parameters), ...terms].join(' + ');
}

const SIZE_WORDS: Record<string, string> = {
  vocab: 'the vocabulary size', tgt_vocab: 'the target vocabulary size', tags: 'the number of tags', classes: 'the number of classes',
};

/** What the unknown sizes of a count are and when they become known; undefined when the count is exact. */
export function pendingSizesNote(formula?: string): string | undefined {
  const sizes = [...new Set((formula?.split(/ \+ |·/) ?? []).filter((factor) => factor !== '' && !/^\d+$/.test(factor)))];
  if (sizes.length === 0) return undefined;
  const described = sizes.map((size) => `${size} = ${SIZE_WORDS[size] ?? size}`).join(', ');
  return `${described}: known from the data after the first \`seqlab check\` or run of this spec`;
}
