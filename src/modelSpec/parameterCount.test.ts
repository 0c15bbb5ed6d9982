import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatParameterCount, pendingSizesNote } from './parameterCount';
import { analyzeSpec } from './analyze';
import { specTemplates } from './templates';

test('a count waiting for the data collects each unknown size into one term', () => {
  assert.equal(formatParameterCount(82944, '82944 + vocab·32 + vocab·128 + vocab'), '82,944 + 161·vocab');
  assert.equal(formatParameterCount(50176, '50176 + vocab·64 + tags·128 + tags'), '50,176 + 64·vocab + 129·tags');
  assert.equal(formatParameterCount(0, 'vocab·64'), '64·vocab', 'an embedding alone');
  assert.equal(formatParameterCount(170718), '170,718', 'known: exact');
  assert.equal(pendingSizesNote(), undefined);
  assert.match(pendingSizesNote('50176 + vocab·64 + tags·128 + tags')!, /^vocab = the vocabulary size, tags = the number of tags: known from the data after the first `seqlab check` or run/);
});

test('the formatted count is the formula evaluated: filling in the sizes gives the exact count', () => {
  const tagger = specTemplates().find((t) => t.id === 'tagger')!.text;
  const pending = analyzeSpec(tagger).totals;
  const exact = analyzeSpec(tagger, { dataInfo: { vocabSize: 1000, numClasses: 9 } }).totals;
  const written = formatParameterCount(pending.parameters, pending.parameterFormula);
  const [known, ...terms] = written.split(' + ');
  const sizes: Record<string, number> = { vocab: 1000, tags: 9 };
  const value = Number(known.replace(/,/g, '')) + terms.reduce((sum, term) => {
    const [coefficient, size] = term.includes('·') ? term.split('·') : ['1', term];
    return sum + Number(coefficient.replace(/,/g, '')) * sizes[size];
  }, 0);
  assert.equal(value, exact.parameters);
  assert.equal(exact.parameterFormula, undefined);
});
