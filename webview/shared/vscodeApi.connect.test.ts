import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectPanel, isHostMessage } from './vscodeApi';

/** A stand-in for the webview globals: the page's message listener and VS Code's API object. */
function fakeWebview(storedState: unknown) {
  const listeners: ((event: { data: unknown }) => void)[] = [];
  const posted: unknown[] = [];
  let savedState: unknown = storedState;
  let listenersWhenReadyWasPosted = -1;
  const globals = globalThis as unknown as Record<string, unknown>;
  globals.window = { addEventListener: (_type: string, listener: (event: { data: unknown }) => void) => listeners.push(listener) };
  globals.acquireVsCodeApi = () => ({
    postMessage(message: { type: string }) {
      if (message.type === 'ready') listenersWhenReadyWasPosted = listeners.length;
      posted.push(message);
    },
    getState: () => savedState,
    setState: (state: unknown) => { savedState = state; },
  });
  return {
    posted,
    deliver: (data: unknown) => listeners.forEach((listener) => listener({ data })),
    savedState: () => savedState,
    listenersWhenReadyWasPosted: () => listenersWhenReadyWasPosted,
  };
}

test('only the host message types pass the filter', () => {
  assert.equal(isHostMessage({ type: 'history', events: [] }), true);
  assert.equal(isHostMessage({ type: 'status', state: 'idle' }), true);
  assert.equal(isHostMessage({ type: 'ready' }), false);
  assert.equal(isHostMessage(null), false);
  assert.equal(isHostMessage('history'), false);
});

test('a panel listens before it posts ready, so the replay cannot be missed', () => {
  const page = fakeWebview(undefined);
  connectPanel('gates', { selectedLayer: 0 }, () => {});
  assert.deepEqual(page.posted, [{ type: 'ready', panel: 'gates' }]);
  assert.equal(page.listenersWhenReadyWasPosted(), 1);
});

test('stored UI state is merged over the defaults and saved on change', () => {
  const page = fakeWebview({ smoothingWeight: 0.6 });
  const connection = connectPanel('dashboard', { smoothingWeight: 0.9, logScaleLoss: false }, () => {});
  assert.deepEqual(connection.uiState, { smoothingWeight: 0.6, logScaleLoss: false });
  connection.saveUiState({ logScaleLoss: true });
  assert.deepEqual(page.savedState(), { smoothingWeight: 0.6, logScaleLoss: true });
});

test('foreign messages are ignored and a failing render does not stop later messages', () => {
  const page = fakeWebview(undefined);
  const received: string[] = [];
  connectPanel('predictions', {}, (message) => {
    received.push(message.type);
    if (message.type === 'status') throw new Error('render failed');
  });
  const originalError = console.error;
  console.error = () => {};
  try {
    page.deliver({ type: 'somethingElse' });
    page.deliver({ type: 'status', state: 'idle' });
    page.deliver({ type: 'history', events: [] });
  } finally {
    console.error = originalError;
  }
  assert.deepEqual(received, ['status', 'history']);
});
