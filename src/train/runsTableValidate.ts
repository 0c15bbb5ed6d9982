/**
 * Validation of what the runs table panel sends (see runsTableProtocol.ts): every field checked, extra fields
 * refused, ids bounded. Whether an id names a row the host sent is checked by the host, which knows its rows.
 * Pure, no `vscode`: unit tested.
 */
import type { RunsTableToHost } from './runsTableProtocol';

export type RunsTableValidation = { ok: true; message: RunsTableToHost } | { ok: false; reason: string };

const MAX_ID_LENGTH = 4096;
/** More curves than anyone can tell apart in one chart; also bounds the host's reads per request. */
export const MAX_REQUESTED_CURVES = 200;

const ALLOWED_KEYS: Record<RunsTableToHost['type'], readonly string[]> = {
  ready: ['panel'],
  setScope: ['scope'],
  restoreScope: ['scope'],
  requestCurves: ['ids'],
  requestSpecDiff: ['left', 'right'],
  openRun: ['id'],
  stopSweep: ['scope'],
};

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH && !value.includes('\0');

export function validateRunsTableMessage(value: unknown): RunsTableValidation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'message is not an object' };
  const fields = value as Record<string, unknown>;
  const type = fields.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(ALLOWED_KEYS, type)) return { ok: false, reason: `unknown message type ${JSON.stringify(type)}` };
  const messageType = type as RunsTableToHost['type'];
  const extra = Object.keys(fields).filter((key) => key !== 'type' && !ALLOWED_KEYS[messageType].includes(key));
  if (extra.length > 0) return { ok: false, reason: `${messageType}: unexpected field(s) ${extra.join(', ')}` };
  switch (messageType) {
    case 'ready':
      return fields.panel === 'runs' ? { ok: true, message: { type: 'ready', panel: 'runs' } } : { ok: false, reason: 'ready: panel must be "runs"' };
    case 'setScope':
    case 'restoreScope':
      return isId(fields.scope) ? { ok: true, message: { type: messageType, scope: fields.scope } } : { ok: false, reason: `${messageType}: scope must be a non-empty string` };
    case 'requestCurves': {
      const ids = fields.ids;
      if (!Array.isArray(ids) || ids.length > MAX_REQUESTED_CURVES || !ids.every(isId)) return { ok: false, reason: `requestCurves: ids must be at most ${MAX_REQUESTED_CURVES} non-empty strings` };
      return { ok: true, message: { type: 'requestCurves', ids: [...ids] } };
    }
    case 'requestSpecDiff':
      if (!isId(fields.left) || !isId(fields.right)) return { ok: false, reason: 'requestSpecDiff: left and right must be row ids' };
      return { ok: true, message: { type: 'requestSpecDiff', left: fields.left, right: fields.right } };
    case 'openRun':
      return isId(fields.id) ? { ok: true, message: { type: 'openRun', id: fields.id } } : { ok: false, reason: 'openRun: id must be a row id' };
    case 'stopSweep':
      return isId(fields.scope) && fields.scope.startsWith('sweep:') ? { ok: true, message: { type: 'stopSweep', scope: fields.scope } } : { ok: false, reason: 'stopSweep: scope must be a sweep scope' };
  }
}
