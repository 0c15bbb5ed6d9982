/**
 * Validators for messages that arrive from webviews, and for the panels' records that arrive from another process
 * (a PyTorch run's train.py). A webview is untrusted (its script could be altered, or a future panel could send a
 * malformed message), so the host checks every field before acting on it and drops anything else; so it does with
 * what an external program prints. Pure functions, no `vscode`: unit tested in plain Node.
 */
import type { GateSnapshot, GradientFlow, PanelKind, Predictions, WebviewToHost } from './protocol';

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

// --------------------------------------------------------------------------- panel records from another process

/**
 * The panels' records (`gates`, `gradFlow`, `predictions`) as they arrive from another process — a PyTorch run's
 * train.py prints them as JSON lines — checked before a panel draws them: every field of the type in protocol.ts,
 * arrays as long as the record says, figures finite (shares and scores within [0, 1]). A gate's values arrive as
 * plain arrays and stay so (the gates panel takes either).
 */
export type PanelRecordResult = { ok: true; record: GateSnapshot | GradientFlow | Predictions } | { ok: false; reason: string };

const refuse = (reason: string): PanelRecordResult => ({ ok: false, reason });

const GATE_NAMES: Record<GateSnapshot['cell'], readonly string[]> = {
  rnn: ['hidden'], lstm: ['input', 'forget', 'cell', 'output', 'cellState'], gru: ['reset', 'update', 'candidate'],
};

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isShare = (value: unknown): boolean => isFiniteNumber(value) && value >= 0 && value <= 1;
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const isNumberArray = (value: unknown, length?: number): value is number[] =>
  (Array.isArray(value) || value instanceof Float32Array) && (length === undefined || value.length === length) && Array.prototype.every.call(value, isFiniteNumber);
const isCount = (value: unknown): boolean => isBoundedNonNegativeInteger(value, Number.MAX_SAFE_INTEGER);

export function validatePanelRecord(value: unknown): PanelRecordResult {
  if (!isPlainObject(value)) return refuse('record is not an object');
  const where = String(value.type);
  if (!isCount(value.epoch)) return refuse(`${where}: epoch must be a non-negative integer`);
  if (value.type === 'gradFlow') {
    if (!isCount(value.step)) return refuse('gradFlow: step must be a non-negative integer');
    if (!Array.isArray(value.norms) || !value.norms.every((row) => isNumberArray(row) && row.every((norm) => norm >= 0))) return refuse('gradFlow: norms must be rows of non-negative numbers');
    return { ok: true, record: value as unknown as GradientFlow };
  }
  if (value.type === 'gates') return validateGates(value);
  if (value.type === 'predictions') return validatePredictions(value);
  return refuse(`unknown record type ${JSON.stringify(value.type)}`);
}

function validateGates(value: Record<string, unknown>): PanelRecordResult {
  const cell = value.cell as GateSnapshot['cell'];
  if (!Object.prototype.hasOwnProperty.call(GATE_NAMES, cell)) return refuse('gates: cell must be rnn, lstm or gru');
  if (!isCount(value.step) || !isCount(value.layer) || !isCount(value.steps)) return refuse('gates: step, layer and steps must be non-negative integers');
  if (!isCount(value.hiddenSize) || (value.hiddenSize as number) < 1) return refuse('gates: hiddenSize must be a positive integer');
  if (!isStringArray(value.timeLabels) || value.timeLabels.length !== value.steps) return refuse('gates: one time label per step');
  const gates = value.gates;
  if (!isPlainObject(gates)) return refuse('gates: gates must be an object');
  const length = (value.steps as number) * (value.hiddenSize as number);
  for (const [name, values] of Object.entries(gates)) {
    if (!GATE_NAMES[cell].includes(name)) return refuse(`gates: ${cell} has no gate ${JSON.stringify(name)}`);
    if (!isNumberArray(values, length)) return refuse(`gates: ${name} must hold steps × hiddenSize = ${length} finite numbers`);
  }
  if (!isPlainObject(value.saturation) || !Object.entries(value.saturation).every(([name, share]) => name in gates && isShare(share))) return refuse('gates: saturation must give shares in [0, 1] of its gates');
  if (value.saturationRule !== undefined && (!isPlainObject(value.saturationRule) || !Object.values(value.saturationRule).every((rule) => typeof rule === 'string'))) return refuse('gates: saturationRule must be words per gate');
  return { ok: true, record: value as unknown as GateSnapshot };
}

function validateSample(sample: unknown): boolean {
  if (!isPlainObject(sample)) return false;
  switch (sample.kind) {
    case 'forecast': return isNumberArray(sample.history) && isNumberArray(sample.truth) && isNumberArray(sample.predicted, sample.truth.length);
    case 'classify': return typeof sample.input === 'string' && typeof sample.truth === 'string' && typeof sample.predicted === 'string' && isShare(sample.confidence);
    case 'tag': return isStringArray(sample.tokens) && isStringArray(sample.truth) && isStringArray(sample.predicted) && sample.truth.length === sample.tokens.length && sample.predicted.length === sample.tokens.length;
    case 'steps': return typeof sample.target === 'string' && isNumberArray(sample.truth) && isNumberArray(sample.predicted, sample.truth.length);
    case 'generate': return typeof sample.text === 'string' && isFiniteNumber(sample.temperature);
    case 'seq2seq': return typeof sample.source === 'string' && typeof sample.target === 'string' && typeof sample.output === 'string';
    default: return false;
  }
}

function validatePredictions(value: Record<string, unknown>): PanelRecordResult {
  if (!Array.isArray(value.samples) || !value.samples.every(validateSample)) return refuse('predictions: samples must be forecast, classify, tag, steps, generate or seq2seq samples');
  const confusion = value.confusion;
  let classes: number | undefined;
  if (confusion !== undefined) {
    if (!isPlainObject(confusion) || !isStringArray(confusion.labels)) return refuse('predictions: confusion must have labels');
    classes = confusion.labels.length;
    if (!Array.isArray(confusion.counts) || confusion.counts.length !== classes || !confusion.counts.every((row) => Array.isArray(row) && row.length === classes && row.every(isCount))) return refuse('predictions: confusion counts must be labels × labels counts');
  }
  if (value.classScores !== undefined) {
    if (!Array.isArray(value.classScores) || value.classScores.length !== classes) return refuse('predictions: one class score per confusion label');
    if (!value.classScores.every((s) => isPlainObject(s) && isShare(s.precision) && isShare(s.recall) && isShare(s.f1) && isCount(s.support))) return refuse('predictions: class scores must be precision, recall and F1 in [0, 1] and a support count');
  }
  const series = value.series;
  if (series !== undefined && !(isPlainObject(series) && typeof series.target === 'string' && isNumberArray(series.truth) && isNumberArray(series.predicted, series.truth.length) && (series.perStep === undefined || typeof series.perStep === 'boolean'))) return refuse('predictions: series must be a target, equally long truth and predicted values, and perStep true or false');
  if (value.mistakes !== undefined && !(Array.isArray(value.mistakes) && value.mistakes.every((m) => isPlainObject(m) && typeof m.input === 'string' && typeof m.truth === 'string' && typeof m.predicted === 'string' && isShare(m.confidence)))) return refuse('predictions: mistakes must be inputs, labels and confidences');
  return { ok: true, record: value as unknown as Predictions };
}
