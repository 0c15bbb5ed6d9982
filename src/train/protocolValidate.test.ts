import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateWebviewMessage, PANEL_KINDS } from './protocolValidate';
import type { WebviewToHost } from './protocol';

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
