/**
 * Validators for messages that arrive from webviews. A webview is untrusted (its script could be altered, or a
 * future panel could send a malformed message), so the host checks every field before acting on it and drops
 * anything else. Pure functions, no `vscode`: unit tested in plain Node.
 */
import type { PanelKind, WebviewToHost } from './protocol';

export const PANEL_KINDS: readonly PanelKind[] = ['dashboard', 'gates', 'gradients', 'architecture', 'predictions'];

export type ValidationResult = { ok: true; message: WebviewToHost } | { ok: false; reason: string };

// Upper bounds keep a hostile or buggy panel from making the host allocate or loop on absurd numbers.
const MAX_INDEX = 1_000_000;
const MAX_LINE = 10_000_000;
const MAX_PATH_LENGTH = 4096;
/** Longest autoregressive rollout a panel may ask for (a chart has no use for more steps). */
export const MAX_ROLLOUT_HORIZON = 1000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBoundedNonNegativeInteger(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

export function isPanelKind(value: unknown): value is PanelKind {
  return typeof value === 'string' && (PANEL_KINDS as readonly string[]).includes(value);
}

/** Keys each message type may carry besides `type`; anything extra is rejected rather than silently passed on. */
const ALLOWED_KEYS: Record<WebviewToHost['type'], readonly string[]> = {
  ready: ['panel'],
  stop: [],
  pause: [],
  resume: [],
  selectSample: ['index'],
  selectLayer: ['layer'],
  revealLine: ['line'],
  compareWith: ['runDir'],
  setUnrolled: ['unrolled'],
  rollout: ['split', 'start', 'horizon'],
};

function fail(reason: string): ValidationResult {
  return { ok: false, reason };
}

/** Checks one message from a webview; returns it typed when valid, or why it was refused. */
export function validateWebviewMessage(value: unknown): ValidationResult {
  if (!isPlainObject(value)) return fail('message is not an object');
  const type = value.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(ALLOWED_KEYS, type)) {
    return fail(`unknown message type ${JSON.stringify(type)}`);
  }
  const messageType = type as WebviewToHost['type'];
  const allowed = ALLOWED_KEYS[messageType];
  const extraKeys = Object.keys(value).filter((key) => key !== 'type' && !allowed.includes(key));
  if (extraKeys.length > 0) return fail(`${messageType}: unexpected field(s) ${extraKeys.join(', ')}`);

  switch (messageType) {
    case 'ready':
      if (!isPanelKind(value.panel)) return fail(`ready: panel must be one of ${PANEL_KINDS.join(', ')}`);
      return { ok: true, message: { type: 'ready', panel: value.panel } };
    case 'stop':
    case 'pause':
    case 'resume':
      return { ok: true, message: { type: messageType } };
    case 'selectSample':
      if (!isBoundedNonNegativeInteger(value.index, MAX_INDEX)) return fail('selectSample: index must be a non-negative integer');
      return { ok: true, message: { type: 'selectSample', index: value.index } };
    case 'selectLayer':
      if (!isBoundedNonNegativeInteger(value.layer, MAX_INDEX)) return fail('selectLayer: layer must be a non-negative integer');
      return { ok: true, message: { type: 'selectLayer', layer: value.layer } };
    case 'revealLine':
      if (!isBoundedNonNegativeInteger(value.line, MAX_LINE)) return fail('revealLine: line must be a non-negative integer');
      return { ok: true, message: { type: 'revealLine', line: value.line } };
    case 'rollout':
      if (value.split !== 'validation' && value.split !== 'test') return fail('rollout: split must be "validation" or "test"');
      if (!isBoundedNonNegativeInteger(value.start, MAX_INDEX)) return fail('rollout: start must be a non-negative integer');
      if (!isBoundedNonNegativeInteger(value.horizon, MAX_ROLLOUT_HORIZON) || value.horizon < 1) return fail(`rollout: horizon must be an integer from 1 to ${MAX_ROLLOUT_HORIZON}`);
      return { ok: true, message: { type: 'rollout', split: value.split, start: value.start, horizon: value.horizon } };
    case 'compareWith': {
      const runDir = value.runDir;
      if (typeof runDir !== 'string' || runDir.length === 0 || runDir.length > MAX_PATH_LENGTH || runDir.includes('\0')) {
        return fail('compareWith: runDir must be a non-empty path string');
      }
      return { ok: true, message: { type: 'compareWith', runDir } };
    }
    case 'setUnrolled':
      if (typeof value.unrolled !== 'boolean') return fail('setUnrolled: unrolled must be a boolean');
      return { ok: true, message: { type: 'setUnrolled', unrolled: value.unrolled } };
  }
}
