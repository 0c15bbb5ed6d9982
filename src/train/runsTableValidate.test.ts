import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_REQUESTED_CURVES, validateRunsTableMessage } from './runsTableValidate';

test('the runs table\'s messages pass with exactly their fields', () => {
  assert.deepEqual(validateRunsTableMessage({ type: 'ready', panel: 'runs' }), { ok: true, message: { type: 'ready', panel: 'runs' } });
  assert.deepEqual(validateRunsTableMessage({ type: 'requestCurves', ids: ['/w/a', '/w/b'] }), { ok: true, message: { type: 'requestCurves', ids: ['/w/a', '/w/b'] } });
  assert.deepEqual(validateRunsTableMessage({ type: 'requestSpecDiff', left: '/w/a', right: '/w/b' }).ok, true);
  assert.deepEqual(validateRunsTableMessage({ type: 'setScope', scope: 'spec:sine' }).ok, true);
  assert.deepEqual(validateRunsTableMessage({ type: 'restoreScope', scope: 'spec:sine' }), { ok: true, message: { type: 'restoreScope', scope: 'spec:sine' } });
  assert.deepEqual(validateRunsTableMessage({ type: 'openRun', id: '/w/a' }).ok, true);
  assert.deepEqual(validateRunsTableMessage({ type: 'stopSweep', scope: 'sweep:/w/.seqlab/sweeps/s-1' }), { ok: true, message: { type: 'stopSweep', scope: 'sweep:/w/.seqlab/sweeps/s-1' } });
});

test('anything else is refused with the reason', () => {
  const refused = (value: unknown) => {
    const result = validateRunsTableMessage(value);
    assert.equal(result.ok, false, JSON.stringify(value));
    return result.ok ? '' : result.reason;
  };
  assert.match(refused(null), /not an object/);
  assert.match(refused({ type: 'stop' }), /unknown message type/);
  assert.match(refused({ type: 'ready', panel: 'dashboard' }), /runs/);
  assert.match(refused({ type: 'openRun', id: '/w/a', extra: 1 }), /unexpected field/);
  assert.match(refused({ type: 'requestCurves', ids: '/w/a' }), /ids/);
  assert.match(refused({ type: 'requestCurves', ids: [''] }), /ids/);
  assert.match(refused({ type: 'requestCurves', ids: Array.from({ length: MAX_REQUESTED_CURVES + 1 }, (_, i) => `/w/${i}`) }), /at most/);
  assert.match(refused({ type: 'requestSpecDiff', left: '/w/a', right: 7 }), /row ids/);
  assert.match(refused({ type: 'openRun', id: 'a\0b' }), /row id/);
  assert.match(refused({ type: 'setScope', scope: 'x'.repeat(5000) }), /scope/);
  assert.match(refused({ type: 'restoreScope', scope: 3 }), /restoreScope: scope/);
  // Stop names a sweep scope only (a spec's runs are not a sweep), and nothing more.
  assert.match(refused({ type: 'stopSweep', scope: 'spec:sine' }), /sweep scope/);
  assert.match(refused({ type: 'stopSweep' }), /sweep scope/);
  assert.match(refused({ type: 'stopSweep', scope: 'sweep:/w/s', dir: '/etc' }), /unexpected field/);
});
