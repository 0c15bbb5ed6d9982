import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrainerEvent } from './protocol';
import { dataSummaryEvent, withDataSummary } from './dataSummaryEvent';
import { prepareSynthetic, tinyAddingSpec } from './testing/tinyRuns';

test('the data summary is sent once, right after runStarted (panels reset on runStarted, so never before it)', () => {
  const summary = dataSummaryEvent(prepareSynthetic(tinyAddingSpec()));
  assert.deepEqual(summary.summary.splits, { train: 60, validation: 15, test: 0 });
  const sent: TrainerEvent[] = [];
  const emit = withDataSummary((e) => sent.push(e), summary);
  const started: TrainerEvent = { type: 'runStarted', runId: 'r', runDir: '/r', specName: 's', task: 'regress', parameterCount: 1, totalSteps: 1, epochs: 1, stepsPerEpoch: 1, metricNames: [] };
  emit({ type: 'log', level: 'info', message: 'before' });
  emit(started);
  emit({ type: 'log', level: 'info', message: 'after' });
  emit(started);
  assert.deepEqual(sent.map((e) => e.type), ['log', 'runStarted', 'dataSummary', 'log', 'runStarted']);
  assert.equal(sent[2], summary);
});
