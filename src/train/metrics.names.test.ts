import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricDisplayName, metricDisplayNames, metricNamesFor } from './metrics';

test('metric and baseline names are written as people write them', () => {
  assert.equal(metricDisplayName('tokenAccuracy'), 'token accuracy');
  assert.equal(metricDisplayName('exactMatch'), 'exact match');
  assert.equal(metricDisplayName('rmse'), 'RMSE');
  assert.equal(metricDisplayName('f1'), 'F1');
  assert.equal(metricDisplayName('accuracy'), 'accuracy');
  assert.equal(metricDisplayName('persistenceRmse'), 'persistence RMSE');
  assert.equal(metricDisplayName('mostFrequentTagAccuracy'), 'most frequent tag accuracy');
});

test('no task shows a name in camelCase or an acronym in lower case', () => {
  for (const task of ['forecast', 'regress', 'classify', 'tag', 'generate', 'seq2seq'] as const) {
    for (const [name, label] of Object.entries(metricDisplayNames(metricNamesFor(task)))) {
      assert.doesNotMatch(label, /[a-z][A-Z]|\b(mse|rmse|mae|f1)\b/, `${task} ${name} → ${label}`);
    }
  }
});
