/**
 * Predictions on the validation set, latest epoch: the validation series with one-step-ahead predictions, its
 * residuals over time and their distribution, and forecasts of single samples (forecasting); the same series view
 * and single windows step by step (per-step regression); confusion matrix
 * with per-class precision/recall/F1, the most confident mistakes and per-sample labels (classification);
 * per-tag scores and tagged tokens (tagging); sampled text (generation); source / target / output (seq2seq).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { HostToWebview, PredictionSample, Predictions, Rollout, TestEvaluation, TrainerEvent } from '../../src/train/protocol';
import { applyThemeToChartDefaults, Chart, lineDataset, restyleChart, xyChartConfiguration, type LineChart } from '../shared/charts';
import { formatCssColour, mixColours } from '../shared/colourScale';
import { accuracyOf, rowShares, tagMatches } from '../shared/confusionMatrix';
import { appRoot, card, chartCanvas, element, frameScheduler, wideCard } from '../shared/dom';
import { formatScalar } from '../../src/format/display';
import { checkedRollout, checkedSeries, defaultRolloutHorizon, histogram, residuals, rolloutMeanAbsoluteError, rolloutPoints } from '../shared/forecastSeries';
import { onThemeChange, readThemeColours, type ThemeColours } from '../shared/theme';
import { connectPanel } from '../shared/vscodeApi';

type SampleOf<K extends PredictionSample['kind']> = Extract<PredictionSample, { kind: K }>;

interface PredictionsUiState {
  forecastSample: number;
  /** The rollout's start (a validation step) and length; 0 = the default length. */
  rolloutStart: number;
  rolloutHorizon: number;
}

let latest: Predictions | undefined;
/** The held-out test evaluation of the run, when it had a test split (its series for forecasting). */
let latestTest: TestEvaluation | undefined;
/** The last rollout the host answered with, or why it refused, and whether one is being computed. */
let rollout: Rollout | undefined;
let rolloutNote: string | undefined;
let rolloutPending = false;
/**
 * What the user has typed into the rollout fields and not yet sent: a new epoch's record redraws the panel while
 * a run trains, and the redrawn fields must keep the typing, not fall back to the last request.
 */
const rolloutDraft: { start?: string; horizon?: string } = {};
let theme: ThemeColours = readThemeColours();
applyThemeToChartDefaults(theme);
/** The charts drawn by the last render: destroyed before the next one draws its own. */
let liveCharts: LineChart[] = [];

function drawChart(canvas: HTMLCanvasElement, configuration: ReturnType<typeof xyChartConfiguration>): void {
  requestAnimationFrame(() => {
    if (canvas.isConnected) liveCharts.push(new Chart(canvas, configuration) as unknown as LineChart);
  });
}

const connection = connectPanel<PredictionsUiState>('predictions', { forecastSample: 0, rolloutStart: 0, rolloutHorizon: 0 }, handleHostMessage);

const status = element('p', { class: 'status', id: 'predictions-status', role: 'status', 'aria-live': 'polite' }, 'Waiting for predictions: they are made on validation samples at the end of each epoch.');
const content = element('div', { class: 'grid', id: 'predictions' });
appRoot().append(element('h1', {}, 'Predictions'), status, content);

function samplesOf<K extends PredictionSample['kind']>(kind: K): SampleOf<K>[] {
  return (latest?.samples ?? []).filter((s): s is SampleOf<K> => s.kind === kind);
}

function table(headers: string[], rows: (string | Node)[][], className = 'data'): HTMLTableElement {
  return element('table', { class: className },
    element('thead', {}, element('tr', {}, ...headers.map((h) => element('th', { scope: 'col' }, h)))),
    element('tbody', {}, ...rows.map((cells) => element('tr', {}, ...cells.map((c) => element('td', {}, c))))));
}

function mark(correct: boolean): HTMLElement {
  return element('span', { class: correct ? 'correct' : 'wrong', 'aria-label': correct ? 'correct' : 'wrong' }, correct ? '✓' : '✗');
}

/** A chooser of one of `count` validation samples (its choice kept in the panel's state); `index`: the chosen one. */
function sampleSelect(id: string, label: string, noun: string, count: number): { select: HTMLElement; index: number } {
  const index = Math.min(connection.uiState.forecastSample, count - 1);
  const select = element('vscode-single-select', { id, 'aria-label': label }) as HTMLElement & { value: string };
  for (let i = 0; i < count; i++) {
    const option = element('vscode-option', { value: String(i) }, `${noun} ${i + 1}`);
    if (i === index) option.setAttribute('selected', '');
    select.append(option);
  }
  select.addEventListener('change', () => {
    connection.saveUiState({ forecastSample: Number(select.value) });
    scheduleRender();
  });
  return { select, index };
}

function forecastSection(samples: SampleOf<'forecast'>[]): HTMLElement {
  const { select, index } = sampleSelect('forecast-sample', 'Validation sample', 'Sample', samples.length);
  const sample = samples[index];
  const parts = chartCanvas('forecast-chart', `Forecast against truth for sample ${index + 1}`);
  parts.box.classList.add('tall');
  const errors = sample.truth.map((v, i) => Math.abs(v - (sample.predicted[i] ?? Number.NaN))).filter(Number.isFinite);
  const meanAbsoluteError = errors.length ? errors.reduce((a, b) => a + b, 0) / errors.length : Number.NaN;
  const section = wideCard(card('Forecast against truth', element('div', { class: 'toolbar' }, select), parts.box,
    element('p', { class: 'note' }, `${sample.history.length} past values, ${sample.truth.length} forecast steps · mean absolute error ${formatScalar(meanAbsoluteError)} (this sample)`)));

  const configuration = xyChartConfiguration('time step', 'value');
  const historyLength = sample.history.length;
  // The forecast lines start at the last known value, so they join the history without a gap.
  const lastKnown = historyLength > 0 ? [{ x: historyLength - 1, y: sample.history[historyLength - 1] }] : [];
  configuration.data.datasets = [
    lineDataset('history', theme.foreground, sample.history.map((y, x) => ({ x, y })), { borderWidth: 1.5 }),
    lineDataset('truth', theme.green, [...lastKnown, ...sample.truth.map((y, i) => ({ x: historyLength + i, y }))], { borderWidth: 2, pointRadius: 2 }),
    lineDataset('predicted', theme.blue, [...lastKnown, ...sample.predicted.map((y, i) => ({ x: historyLength + i, y }))], { borderWidth: 2, pointRadius: 2, borderDash: [6, 3] }),
  ];
  drawChart(parts.canvas, configuration);
  return section;
}

/** regress-per-step: one validation window at a time, the target at each of its steps against the prediction. */
function stepsSection(samples: SampleOf<'steps'>[]): HTMLElement {
  const { select, index } = sampleSelect('steps-sample', 'Validation window', 'Window', samples.length);
  const sample = samples[index];
  const parts = chartCanvas('steps-chart', `${sample.target} at each step of validation window ${index + 1}: truth and prediction`);
  parts.box.classList.add('tall');
  const errors = residuals(sample.truth, sample.predicted).map(Math.abs).filter(Number.isFinite);
  const meanAbsoluteError = errors.length ? errors.reduce((a, b) => a + b, 0) / errors.length : Number.NaN;
  const configuration = xyChartConfiguration('step of the window', sample.target);
  configuration.data.datasets = [
    lineDataset('truth', theme.green, sample.truth.map((y, x) => ({ x, y })), { borderWidth: 2, pointRadius: 2 }),
    lineDataset('predicted', theme.blue, sample.predicted.map((y, x) => ({ x, y })), { borderWidth: 2, pointRadius: 2, borderDash: [6, 3] }),
  ];
  drawChart(parts.canvas, configuration);
  return wideCard(card('Per-step predictions of one window', element('div', { class: 'toolbar' }, select), parts.box,
    element('p', { class: 'note', id: 'steps-summary' }, `${sample.truth.length} steps · mean absolute error ${formatScalar(meanAbsoluteError)} (this window)`)));
}

/** The whole series of a split with its one-step-ahead predictions, the residuals over time and their distribution. */
function seriesSection(raw: unknown, split: 'validation' | 'test'): HTMLElement[] {
  const series = checkedSeries(raw);
  if (series === undefined) return [];
  const id = (name: string) => (split === 'validation' ? name : `test-${name}`);
  const Split = split === 'validation' ? 'Validation' : 'Test';
  const steps = series.truth.length;
  const errors = residuals(series.truth, series.predicted);
  const meanAbsolute = errors.reduce((sum, e) => sum + Math.abs(e), 0) / steps;
  // Per-step regression: each step's value as predicted by the window ending at it (not a forecast, no rollout).
  const predictionName = series.perStep ? 'per-step prediction' : 'one-step-ahead prediction';
  const over = chartCanvas(id('series-chart'), `${Split} series of ${series.target} and ${predictionName}s`);
  over.box.classList.add('tall');
  const overConfiguration = xyChartConfiguration(`${split} step`, series.target);
  overConfiguration.data.datasets = [
    lineDataset('truth', theme.green, series.truth.map((y, x) => ({ x, y })), { borderWidth: 1.5 }),
    lineDataset(predictionName, theme.blue, series.predicted.map((y, x) => ({ x, y })), { borderWidth: 1.5, borderDash: [6, 3] }),
  ];
  if (split === 'validation' && !series.perStep) {
    // A click on the series rolls out from there (the nearest validation step).
    overConfiguration.options = {
      ...overConfiguration.options,
      onClick: (_event, _elements, chart) => {
        const x = chart.scales.x.getValueForPixel((_event.x ?? 0) as number);
        if (x === undefined || !Number.isFinite(x)) return;
        postRollout(Math.max(0, Math.min(steps - 1, Math.round(x))), connection.uiState.rolloutHorizon || defaultRolloutHorizon(samplesOf('forecast')[0]));
      },
    };
  }
  drawChart(over.canvas, overConfiguration);

  const overTime = chartCanvas(id('residual-chart'), `Residuals (truth − prediction) over the ${split} series`);
  const overTimeConfiguration = xyChartConfiguration(`${split} step`, 'residual');
  overTimeConfiguration.data.datasets = [lineDataset('truth − prediction', theme.orange, errors.map((y, x) => ({ x, y })), { borderWidth: 1 })];
  drawChart(overTime.canvas, overTimeConfiguration);

  const bins = histogram(errors);
  const distribution = chartCanvas(id('residual-histogram'), `Distribution of the ${split} residuals`);
  const distributionConfiguration = xyChartConfiguration('residual', 'count');
  // Steps at each bin's left edge, closed at the right edge of the last bin.
  const outline = bins.counts.map((count, i) => ({ x: bins.edges[i], y: count })).concat(bins.counts.length ? [{ x: bins.edges[bins.counts.length], y: bins.counts[bins.counts.length - 1] }] : []);
  // Counts start at zero, or the shortest bar would look empty.
  distributionConfiguration.options!.scales!.y = { ...distributionConfiguration.options!.scales!.y, beginAtZero: true };
  distributionConfiguration.data.datasets = [lineDataset('residuals per bin', theme.orange, outline, { stepped: 'before', fill: 'origin', backgroundColor: formatCssColour({ ...theme.orange, alpha: 0.3 }) })];
  drawChart(distribution.canvas, distributionConfiguration);

  const checkpoint = split === 'test' ? ' · the checkpoint validation chose, evaluated once on the held-out split' : '';
  return [
    wideCard(card(`${Split} series: ${series.target}`, over.box,
      element('p', { class: 'note', id: id('series-summary') }, `${steps} ${split} steps · ${series.perStep ? 'each step predicted by the window ending at it (the first target column)' : 'one-step-ahead prediction from each window'} · mean absolute error ${formatScalar(meanAbsolute)}${checkpoint}`))),
    card(`${Split} residuals over time`, overTime.box),
    card(`${Split} residual distribution`, distribution.box),
  ];
}

function numberField(id: string, label: string, value: number, min: number, max: number): { field: HTMLElement; input: HTMLInputElement } {
  const input = element('input', { id, type: 'number', min: String(min), max: String(max), step: '1', value: String(value) });
  return { field: element('label', { class: 'field', for: id }, `${label} `, input), input };
}

/** Whole number in [min, max], or undefined: what the host would refuse is not sent. */
function wholeNumberIn(input: HTMLInputElement, min: number, max: number): number | undefined {
  const value = Number(input.value);
  return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

/**
 * The autoregressive rollout: from a validation step the user picks (typed, or clicked on the series chart), each
 * prediction is fed back as the next input for the chosen number of steps, drawn against what the data did.
 */
function rolloutSection(validationSteps: number): HTMLElement {
  const forecastSample = samplesOf('forecast')[0];
  const horizonDefault = defaultRolloutHorizon(forecastSample);
  const start = numberField('rollout-start', 'from validation step', Math.min(connection.uiState.rolloutStart, validationSteps - 1), 0, validationSteps - 1);
  const horizon = numberField('rollout-horizon', 'for', connection.uiState.rolloutHorizon || horizonDefault, 1, MAX_ROLLOUT_STEPS);
  keepDraft(start.input, 'start');
  keepDraft(horizon.input, 'horizon');
  const button = element('vscode-button', { id: 'rollout-button', 'aria-label': 'Roll out the model from the chosen validation step' }, 'Roll out');
  const request = () => {
    const from = wholeNumberIn(start.input, 0, validationSteps - 1);
    const steps = wholeNumberIn(horizon.input, 1, MAX_ROLLOUT_STEPS);
    if (from === undefined || steps === undefined) {
      rolloutNote = `Choose a validation step from 0 to ${validationSteps - 1} and a length from 1 to ${MAX_ROLLOUT_STEPS} steps.`;
      scheduleRender();
      return;
    }
    postRollout(from, steps);
  };
  button.addEventListener('click', request);
  for (const field of [start.input, horizon.input]) field.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') request();
  });
  const toolbar = element('div', { class: 'toolbar' }, 'Roll out', start.field, horizon.field, element('span', {}, 'steps'), button);
  const explanation = `Each prediction is fed back as the next input (default length: ${forecastSample && forecastSample.truth.length > 1 ? "the spec's horizon" : 'one window'}); click the validation series to pick a step.`;
  const parts: (HTMLElement | string)[] = [toolbar, element('p', { class: 'note' }, explanation)];
  if (rolloutPending) parts.push(element('p', { class: 'note', id: 'rollout-status', role: 'status' }, 'Rolling out with the best epoch\'s weights…'));
  if (rolloutNote) parts.push(element('p', { class: 'note warning', id: 'rollout-status', role: 'alert' }, rolloutNote));
  if (rollout) {
    const points = rolloutPoints(rollout);
    const chart = chartCanvas('rollout-chart', `Rollout of ${rollout.horizon} steps from validation step ${rollout.start}, against the data`);
    chart.box.classList.add('tall');
    const configuration = xyChartConfiguration('validation step', rollout.target);
    const joined = points.history.length ? [points.history[points.history.length - 1]] : [];
    configuration.data.datasets = [
      lineDataset('window', theme.foreground, points.history, { borderWidth: 1.5 }),
      lineDataset('data', theme.green, [...joined, ...points.truth], { borderWidth: 2, pointRadius: 2 }),
      lineDataset('rollout (fed back)', theme.blue, [...joined, ...points.predicted], { borderWidth: 2, pointRadius: 2, borderDash: [6, 3] }),
    ];
    drawChart(chart.canvas, configuration);
    const error = rolloutMeanAbsoluteError(rollout);
    const facts = [
      `${rollout.horizon} steps from validation step ${rollout.start}`,
      rollout.weights ? `weights of epoch ${rollout.weights.epoch} (${rollout.weights.file.split(/[\\/]/).pop()})` : undefined,
      Number.isFinite(error) ? `mean absolute error ${formatScalar(error)} over the steps the data has` : 'the data ends before the rollout begins',
      rollout.fromData.length ? `${rollout.fromData.join(', ')} taken from the data at each step, as if known in advance` : undefined,
      rollout.horizon < rollout.requestedHorizon ? `stopped after ${rollout.horizon} of ${rollout.requestedHorizon} steps: the data ends there` : undefined,
    ].filter((fact): fact is string => fact !== undefined);
    parts.push(chart.box, element('p', { class: 'note', id: 'rollout-summary' }, facts.join(' · ')));
  }
  return wideCard(card('Autoregressive rollout', ...parts));
}

/** Shows the field's unsent typing, if any, and records what is typed next. */
function keepDraft(input: HTMLInputElement, field: keyof typeof rolloutDraft): void {
  const draft = rolloutDraft[field];
  if (draft !== undefined) input.value = draft;
  input.addEventListener('input', () => {
    rolloutDraft[field] = input.value;
  });
}

function postRollout(start: number, horizon: number): void {
  delete rolloutDraft.start;
  delete rolloutDraft.horizon;
  connection.saveUiState({ rolloutStart: start, rolloutHorizon: horizon });
  rolloutPending = true;
  rolloutNote = undefined;
  connection.post({ type: 'rollout', split: 'validation', start, horizon });
  scheduleRender();
}

/** As the host's validator allows (src/train/protocolValidate.ts). */
const MAX_ROLLOUT_STEPS = 1000;

function classScoresSection(labels: readonly string[], scores: NonNullable<Predictions['classScores']>, kind: 'class' | 'tag'): HTMLElement {
  const percent = (v: number) => `${formatScalar(v * 100)}%`;
  return card(`Per ${kind}: precision, recall, F1 (validation set)`, table([kind, 'precision', 'recall', 'F1', 'support'],
    scores.map((s, i) => [labels[i] ?? String(i), percent(s.precision), percent(s.recall), percent(s.f1), String(s.support)])));
}

function mistakesSection(mistakes: NonNullable<Predictions['mistakes']>): HTMLElement {
  if (mistakes.length === 0) return card('Worst mistakes', element('p', { class: 'note' }, 'No wrong prediction on the validation set.'));
  return card('Worst mistakes (most confident wrong predictions, validation set)', table(['input', 'truth', 'predicted', 'confidence'],
    mistakes.map((m) => [m.input, m.truth, m.predicted, `${formatScalar(m.confidence * 100)}%`])));
}

function confusionSection(confusion: NonNullable<Predictions['confusion']>): HTMLElement {
  const shares = rowShares(confusion.counts);
  const header = element('tr', {}, element('th', { scope: 'col' }, 'truth ↓ / predicted →'), ...confusion.labels.map((l) => element('th', { scope: 'col' }, l)));
  const rows = confusion.counts.map((row, truth) => element('tr', {}, element('th', { scope: 'row' }, confusion.labels[truth] ?? String(truth)),
    ...row.map((count, predicted) => {
      const share = shares[truth][predicted];
      const cell = element('td', { class: truth === predicted ? 'diagonal' : '', title: `${confusion.labels[truth]} predicted as ${confusion.labels[predicted]}: ${count} (${Math.round(share * 100)}% of this class)` }, String(count));
      // CSSOM, not a style attribute: the CSP allows the former only.
      cell.style.backgroundColor = formatCssColour(mixColours(theme.background, truth === predicted ? theme.blue : theme.red, share));
      if (share > 0.7) cell.style.color = formatCssColour(theme.background);
      return cell;
    })));
  return card('Confusion matrix (validation set)',
    element('table', { class: 'data confusion', 'aria-label': 'Confusion matrix: rows are the true class, columns the predicted class' }, element('thead', {}, header), element('tbody', {}, ...rows)),
    element('p', { class: 'note' }, `Accuracy ${formatScalar(accuracyOf(confusion.counts) * 100)}% · cell shade = share of the true class (row)`));
}

function classifySection(samples: SampleOf<'classify'>[]): HTMLElement {
  return card('Classified samples', table(['input', 'truth', 'predicted', 'confidence', ''],
    samples.map((s) => [s.input, s.truth, s.predicted, `${formatScalar(s.confidence * 100)}%`, mark(s.truth === s.predicted)])));
}

function tagSection(samples: SampleOf<'tag'>[]): HTMLElement {
  const sentences = samples.map((sample, index) => {
    const matches = tagMatches(sample.truth, sample.predicted, sample.tokens.length);
    const correct = matches.filter(Boolean).length;
    return element('div', { class: 'tagged', role: 'list', 'aria-label': `Sentence ${index + 1}: ${correct} of ${sample.tokens.length} tags correct` },
      ...sample.tokens.map((token, i) => element('span', {
        class: `token${matches[i] ? '' : ' mismatch'}`, role: 'listitem',
        'aria-label': `${token}: predicted ${sample.predicted[i] ?? 'nothing'}${matches[i] ? ', correct' : `, truth ${sample.truth[i] ?? 'nothing'}`}`,
      },
      element('span', { class: 'word' }, token),
      element('span', { class: `tag ${matches[i] ? 'correct' : 'wrong'}` }, sample.predicted[i] ?? '∅'),
      !matches[i] && element('span', { class: 'tag correct' }, sample.truth[i] ?? '∅'))));
  });
  return wideCard(card('Tagged tokens (predicted; the truth under a dashed, wrong tag)', ...sentences));
}

function generateSection(samples: SampleOf<'generate'>[]): HTMLElement {
  return wideCard(card('Sampled text', ...samples.flatMap((s) => [element('p', { class: 'note' }, `temperature ${formatScalar(s.temperature)}`), element('pre', { class: 'sample' }, s.text)])));
}

function seq2seqSection(samples: SampleOf<'seq2seq'>[]): HTMLElement {
  return wideCard(card('Sequence to sequence', table(['source', 'target', 'output', ''], samples.map((s) => [s.source, s.target, s.output, mark(s.output === s.target)]))));
}

function render(): void {
  if (latest === undefined) {
    content.replaceChildren();
    return;
  }
  status.textContent = `Epoch ${latest.epoch} · ${latest.samples.length} validation sample${latest.samples.length === 1 ? '' : 's'}`;
  for (const chart of liveCharts) chart.destroy();
  liveCharts = [];
  const sections: HTMLElement[] = [];
  sections.push(...seriesSection(latest.series, 'validation'));
  const validationSeries = checkedSeries(latest.series);
  if (validationSeries && !validationSeries.perStep) sections.push(rolloutSection(validationSeries.truth.length));
  sections.push(...seriesSection(latestTest?.series, 'test'));
  const forecasts = samplesOf('forecast');
  if (forecasts.length) sections.push(forecastSection(forecasts));
  const windows = samplesOf('steps');
  if (windows.length) sections.push(stepsSection(windows));
  if (latest.confusion && latest.confusion.labels.length) {
    sections.push(confusionSection(latest.confusion));
    if (Array.isArray(latest.classScores) && latest.classScores.length === latest.confusion.labels.length) {
      sections.push(classScoresSection(latest.confusion.labels, latest.classScores, samplesOf('tag').length ? 'tag' : 'class'));
    }
  }
  if (Array.isArray(latest.mistakes)) sections.push(mistakesSection(latest.mistakes));
  const classified = samplesOf('classify');
  if (classified.length) sections.push(classifySection(classified));
  const tagged = samplesOf('tag');
  if (tagged.length) sections.push(tagSection(tagged));
  const generated = samplesOf('generate');
  if (generated.length) sections.push(generateSection(generated));
  const translated = samplesOf('seq2seq');
  if (translated.length) sections.push(seq2seqSection(translated));
  const focused = focusedField();
  content.replaceChildren(...sections);
  restoreFocus(focused);
}

/** The text field being typed in, with its caret: a redraw replaces the element, and typing must go on in the new one. */
function focusedField(): { id: string; caret: number | null } | undefined {
  const active = document.activeElement;
  if (!(active instanceof HTMLInputElement) || !active.id || !content.contains(active)) return undefined;
  // Number inputs have no selection API (selectionStart reads null).
  return { id: active.id, caret: active.type === 'number' ? null : active.selectionStart };
}

function restoreFocus(focused: ReturnType<typeof focusedField>): void {
  if (!focused) return;
  const input = document.getElementById(focused.id);
  if (!(input instanceof HTMLInputElement)) return;
  input.focus();
  if (focused.caret !== null) input.setSelectionRange(focused.caret, focused.caret);
}

const scheduleRender = frameScheduler(render);

/** The last predictions and test evaluation of the latest run in `events` (a new run clears both). */
function absorb(events: readonly TrainerEvent[]): void {
  for (const event of events) {
    if (event.type === 'runStarted') {
      latest = undefined;
      latestTest = undefined;
      rollout = undefined;
      rolloutNote = undefined;
    } else if (event.type === 'predictions' && Array.isArray(event.samples)) latest = event;
    else if (event.type === 'testEvaluation') latestTest = event;
  }
}

function handleHostMessage(message: HostToWebview): void {
  if (message.type === 'history') {
    latest = undefined;
    latestTest = undefined;
    rollout = undefined;
    absorb(message.events);
  } else if (message.type === 'rollout') {
    rolloutPending = false;
    rollout = checkedRollout(message.rollout);
    rolloutNote = rollout ? undefined : 'The rollout the host sent could not be read.';
  } else if (message.type === 'rolloutRefused') {
    rolloutPending = false;
    rollout = undefined;
    rolloutNote = `No rollout: ${typeof message.reason === 'string' ? message.reason : 'refused'}`;
  } else if (message.type === 'event' && ['predictions', 'runStarted', 'testEvaluation'].includes(message.event.type)) absorb([message.event]);
  else return;
  scheduleRender();
}

onThemeChange(() => {
  theme = readThemeColours();
  applyThemeToChartDefaults(theme);
  for (const chart of liveCharts) restyleChart(chart as unknown as Chart, theme);
  render();
});
render();
