import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePanelRecord, validateWebviewMessage, PANEL_KINDS } from './protocolValidate';
import type { GateSnapshot, GradientFlow, Predictions, WebviewToHost } from './protocol';

const validMessages: WebviewToHost[] = [
  ...PANEL_KINDS.map((panel) => ({ type: 'ready', panel }) as WebviewToHost),
  { type: 'stop' },
  { type: 'pause' },
  { type: 'resume' },
  { type: 'selectSample', index: 0 },
  { type: 'selectSample', index: 17 },
  { type: 'selectLayer', layer: 2 },
  { type: 'revealLine', line: 41 },
  { type: 'compareWith', runDir: '/workspace/.seqlab/runs/forecaster-20260101-120000' },
  { type: 'setUnrolled', unrolled: true },
  { type: 'setUnrolled', unrolled: false },
  { type: 'rollout', split: 'validation', start: 0, horizon: 1 },
  { type: 'rollout', split: 'test', start: 12, horizon: 1000 },
];

test('every well-formed WebviewToHost message is accepted and returned unchanged', () => {
  for (const message of validMessages) {
    const result = validateWebviewMessage(structuredClone(message));
    assert.ok(result.ok, `${JSON.stringify(message)} refused: ${result.ok ? '' : result.reason}`);
    assert.deepEqual(result.message, message);
  }
});

const invalidMessages: [string, unknown][] = [
  ['null', null],
  ['a string', 'stop'],
  ['an array', [{ type: 'stop' }]],
  ['no type', { panel: 'dashboard' }],
  ['unknown type', { type: 'deleteEverything' }],
  ['inherited key as type', { type: 'toString' }],
  ['unknown panel', { type: 'ready', panel: 'terminal' }],
  ['missing panel', { type: 'ready' }],
  ['extra field', { type: 'stop', force: true }],
  ['negative index', { type: 'selectSample', index: -1 }],
  ['fractional index', { type: 'selectSample', index: 1.5 }],
  ['string index', { type: 'selectSample', index: '3' }],
  ['NaN layer', { type: 'selectLayer', layer: Number.NaN }],
  ['huge line', { type: 'revealLine', line: 1e12 }],
  ['infinite line', { type: 'revealLine', line: Number.POSITIVE_INFINITY }],
  ['empty runDir', { type: 'compareWith', runDir: '' }],
  ['numeric runDir', { type: 'compareWith', runDir: 42 }],
  ['NUL in runDir', { type: 'compareWith', runDir: '/tmp/a\0b' }],
  ['overlong runDir', { type: 'compareWith', runDir: 'x'.repeat(5000) }],
  ['truthy string for boolean', { type: 'setUnrolled', unrolled: 'yes' }],
  ['rollout of the training split', { type: 'rollout', split: 'train', start: 0, horizon: 5 }],
  ['rollout without a split', { type: 'rollout', start: 0, horizon: 5 }],
  ['negative rollout start', { type: 'rollout', split: 'validation', start: -1, horizon: 5 }],
  ['fractional rollout start', { type: 'rollout', split: 'validation', start: 0.5, horizon: 5 }],
  ['zero horizon', { type: 'rollout', split: 'validation', start: 0, horizon: 0 }],
  ['horizon past the limit', { type: 'rollout', split: 'validation', start: 0, horizon: 1001 }],
  ['string horizon', { type: 'rollout', split: 'validation', start: 0, horizon: '12' }],
  ['rollout with an extra field', { type: 'rollout', split: 'validation', start: 0, horizon: 5, weights: '/etc/passwd' }],
];

test('malformed messages are refused with a reason naming the problem', () => {
  for (const [label, message] of invalidMessages) {
    const result = validateWebviewMessage(message);
    assert.equal(result.ok, false, `${label} was accepted`);
    if (!result.ok) assert.ok(result.reason.length > 0, `${label}: empty reason`);
  }
});

test('the validator copies only known fields, so a valid message carries nothing unexpected', () => {
  const result = validateWebviewMessage({ type: 'revealLine', line: 3 });
  assert.ok(result.ok);
  assert.deepEqual(Object.keys(result.message).sort(), ['line', 'type']);
});

const gates: GateSnapshot = {
  type: 'gates', epoch: 1, step: 4, cell: 'lstm', layer: 0, hiddenSize: 2, steps: 2, timeLabels: ['0.10', '-0.25'],
  gates: { input: [0.5, 0.6, 0.7, 0.8], forget: [0.9, 0.95, 0.1, 0.2], cell: [-0.3, 0.2, 0.99, 0], output: [0.5, 0.5, 0.5, 0.5], cellState: [2.1, -0.2, 0.3, 0] } as unknown as Record<string, Float32Array>,
  saturation: { input: 0, forget: 0.5, cell: 0.25, output: 0, cellState: 0.25 }, saturationRule: { input: 'below 0.1 or above 0.9' },
};
const flow: GradientFlow = { type: 'gradFlow', epoch: 2, step: 8, norms: [[0.1, 0.2, 0], [1e-9, 3, 4]] };
const predictions: Predictions = {
  type: 'predictions', epoch: 1,
  samples: [{ kind: 'classify', input: 'good film', truth: 'pos', predicted: 'neg', confidence: 0.7 }, { kind: 'tag', tokens: ['a', 'b'], truth: ['O', 'B'], predicted: ['O', 'O'] },
    { kind: 'forecast', history: [1, 2], truth: [3, 4], predicted: [3.5, 4.5] }, { kind: 'steps', target: 'load', truth: [1, 2, 3], predicted: [1.5, 2, 2.5] },
    { kind: 'generate', text: 'the cat', temperature: 0.8 }, { kind: 'seq2seq', source: 'a b', target: 'b a', output: 'b b' }],
  confusion: { labels: ['neg', 'pos'], counts: [[3, 1], [2, 4]] },
  classScores: [{ precision: 0.6, recall: 0.75, f1: 2 / 3, support: 4 }, { precision: 0.8, recall: 2 / 3, f1: 8 / 11, support: 6 }],
  series: { target: 'load', truth: [1, 2, 3], predicted: [1.1, 2.2, 2.9] },
  mistakes: [{ input: 'dull', truth: 'neg', predicted: 'pos', confidence: 0.9 }],
};

test('the panels\' records from another process are accepted when every field is what protocol.ts says', () => {
  const perStep = { ...predictions, confusion: undefined, classScores: undefined, mistakes: undefined, series: { ...predictions.series!, perStep: true } };
  for (const record of [gates, flow, predictions, perStep, { ...predictions, confusion: undefined, classScores: undefined, series: undefined, mistakes: undefined }]) {
    const json = JSON.parse(JSON.stringify(record));
    const result = validatePanelRecord(json);
    assert.ok(result.ok, `${record.type} refused: ${result.ok ? '' : result.reason}`);
    assert.deepEqual(result.record, json);
  }
});

const badRecords: [string, unknown][] = [
  ['not an object', [gates]],
  ['unknown type', { ...flow, type: 'weights' }],
  ['negative epoch', { ...flow, epoch: -1 }],
  ['a NaN norm (JSON has none: a string)', { ...flow, norms: [[0.1, 'NaN']] }],
  ['a negative norm', { ...flow, norms: [[-1]] }],
  ['gate values fewer than steps × hiddenSize', { ...gates, gates: { ...gates.gates, input: [0.5, 0.6, 0.7] } }],
  ['a gate the cell does not have', { ...gates, gates: { ...gates.gates, reset: [0, 0, 0, 0] } }],
  ['a time label missing', { ...gates, timeLabels: ['0.10'] }],
  ['a saturation share above 1', { ...gates, saturation: { input: 1.5 } }],
  ['an unknown cell', { ...gates, cell: 'transformer' }],
  ['a sample of no known kind', { ...predictions, samples: [{ kind: 'image' }] }],
  ['a tag sample with fewer predictions than tokens', { ...predictions, samples: [{ kind: 'tag', tokens: ['a', 'b'], truth: ['O', 'B'], predicted: ['O'] }] }],
  ['a confusion matrix that is not square', { ...predictions, confusion: { labels: ['neg', 'pos'], counts: [[3, 1]] } }],
  ['a fractional count', { ...predictions, confusion: { labels: ['neg', 'pos'], counts: [[3, 1.5], [2, 4]] } }],
  ['class scores without their confusion matrix', { ...predictions, confusion: undefined }],
  ['a per-step sample with fewer predictions than steps', { ...predictions, samples: [{ kind: 'steps', target: 'load', truth: [1, 2], predicted: [1] }] }],
  ['a per-step sample without its target', { ...predictions, samples: [{ kind: 'steps', truth: [1], predicted: [1] }] }],
  ['a series whose perStep is not true or false', { ...predictions, series: { target: 'load', truth: [1], predicted: [1], perStep: 'yes' } }],
  ['a series with fewer predictions than values', { ...predictions, series: { target: 'load', truth: [1, 2], predicted: [1] } }],
  ['a mistake with a confidence above 1', { ...predictions, mistakes: [{ input: 'x', truth: 'a', predicted: 'b', confidence: 2 }] }],
];

test('a malformed panel record is refused with its reason', () => {
  for (const [what, record] of badRecords) {
    const result = validatePanelRecord(JSON.parse(JSON.stringify(record)));
    assert.equal(result.ok, false, `${what}: accepted`);
    assert.ok(!result.ok && result.reason.length > 0);
  }
});
