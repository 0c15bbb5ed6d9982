/**
 * Training dashboard: loss (train per step, smoothed; validation per epoch), task metrics, learning rate,
 * gradient norm before and after clipping, run status with Stop and Pause/Resume, and a past run overlaid
 * as dashed lines for comparison.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { HostToWebview, TrainerEvent } from '../../src/train/protocol';
import { applyThemeToChartDefaults, Chart, lineDataset, restyleChart, xyChartConfiguration, yAxis } from '../shared/charts';
import { mixColours, type Rgba } from '../shared/colourScale';
import { addDashboardEvent, dashboardSeriesFrom, emptyDashboardSeries, metricLabel, runStatusText, type DashboardSeries, type HostRunState, type Point } from '../shared/dashboardSeries';
import { appRoot, card, chartCanvas, element, frameScheduler, wideCard } from '../shared/dom';
import { formatCount, formatScalar } from '../../src/format/display';
import { debiasedExponentialMovingAverage } from '../shared/smoothing';
import { testEvaluationView } from '../shared/testEvaluation';
import { dataSummaryView, type SummaryTable } from '../shared/dataSummaryView';
import { onThemeChange, readThemeColours, type ThemeColours } from '../shared/theme';
import { connectPanel } from '../shared/vscodeApi';

interface DashboardUiState {
  smoothingWeight: number;
  logScaleLoss: boolean;
}

const smoothingChoices = [0, 0.6, 0.9, 0.97];

let series: DashboardSeries = emptyDashboardSeries();
let compared: DashboardSeries | undefined;
let hostState: HostRunState | undefined;
let runName: string | undefined;
let theme: ThemeColours = readThemeColours();
applyThemeToChartDefaults(theme);

const connection = connectPanel<DashboardUiState>('dashboard', { smoothingWeight: 0.9, logScaleLoss: false }, handleHostMessage);

// ------------------------------------------------------------------------------------------------ layout

const title = element('h1', {}, 'Training dashboard');
const pauseButton = element('vscode-button', { id: 'pause-button', 'aria-label': 'Pause training', disabled: '' }, 'Pause');
const stopButton = element('vscode-button', { id: 'stop-button', secondary: '', 'aria-label': 'Stop training', disabled: '' }, 'Stop');
const smoothingSelect = element('vscode-single-select', { id: 'smoothing', 'aria-label': 'Loss smoothing' });
for (const weight of smoothingChoices) {
  const option = element('vscode-option', { value: String(weight) }, weight === 0 ? 'No smoothing' : `Smoothing ${weight}`);
  if (weight === connection.uiState.smoothingWeight) option.setAttribute('selected', '');
  smoothingSelect.append(option);
}
const logScaleCheckbox = element('vscode-checkbox', { id: 'log-scale', label: 'Log-scale loss', 'aria-label': 'Log-scale loss axis' });
if (connection.uiState.logScaleLoss) logScaleCheckbox.setAttribute('checked', '');

const runStatus = element('p', { id: 'run-status', class: 'status', role: 'status', 'aria-live': 'polite' }, 'No training run yet');
const problems = element('div', { class: 'problems', role: 'log', 'aria-label': 'Warnings and errors' });
const lossChartParts = chartCanvas('loss-chart', 'Training and validation loss');
lossChartParts.box.classList.add('tall');
const metricsChartParts = chartCanvas('metrics-chart', 'Validation metrics per epoch');
const learningRateChartParts = chartCanvas('lr-chart', 'Learning rate per step');
const gradientNormChartParts = chartCanvas('grad-norm-chart', 'Gradient norm before and after clipping');
const statistics = element('dl', { class: 'stats' });
// The data block: collapsed to its headline, filled once the run's dataSummary arrives, hidden until then.
const dataHeadline = element('span', { class: 'headline' });
const dataDetails = element('div', { class: 'details-body' });
const dataBlock = element('details', { id: 'data-summary', class: 'card wide data-summary', hidden: '' }, element('summary', {}, element('strong', {}, 'Data'), ' · ', dataHeadline), dataDetails);
// The held-out test block: filled once the run's testEvaluation arrives, hidden until then.
const testHeading = element('h2', { id: 'test-evaluation-heading' });
const testBlock = element('section', { id: 'test-evaluation', class: 'card wide held-out', 'aria-labelledby': 'test-evaluation-heading', hidden: '' }, testHeading);

appRoot().append(
  title,
  element('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Run controls' }, pauseButton, stopButton, element('span', { class: 'spacer' }), smoothingSelect, logScaleCheckbox),
  runStatus,
  problems,
  element('div', { class: 'grid' },
    dataBlock,
    testBlock,
    wideCard(card('Loss', lossChartParts.box)),
    card('Run', statistics),
    card('Validation metrics', metricsChartParts.box),
    card('Learning rate', learningRateChartParts.box),
    card('Gradient norm (before / after clipping)', gradientNormChartParts.box),
  ),
);

pauseButton.addEventListener('click', () => {
  if (hostState === 'paused') {
    connection.post({ type: 'resume' });
    hostState = 'running';
  } else if (hostState === 'running') {
    connection.post({ type: 'pause' });
    hostState = 'paused';
  }
  scheduleRender();
});
stopButton.addEventListener('click', () => connection.post({ type: 'stop' }));
smoothingSelect.addEventListener('change', () => {
  const weight = Number(smoothingSelect.value);
  if (smoothingChoices.includes(weight)) connection.saveUiState({ smoothingWeight: weight });
  scheduleRender();
});
logScaleCheckbox.addEventListener('change', () => {
  connection.saveUiState({ logScaleLoss: logScaleCheckbox.checked });
  scheduleRender();
});

// ------------------------------------------------------------------------------------------------ charts

const lossChart = new Chart(lossChartParts.canvas, xyChartConfiguration('step', 'loss'));
const metricsChartConfiguration = xyChartConfiguration('epoch', 'value');
metricsChartConfiguration.options!.scales!.x = { type: 'linear', title: { display: true, text: 'epoch' }, ticks: { precision: 0 } };
const metricsChart = new Chart(metricsChartParts.canvas, metricsChartConfiguration);
const learningRateChart = new Chart(learningRateChartParts.canvas, xyChartConfiguration('step', 'learning rate'));
const gradientNormChart = new Chart(gradientNormChartParts.canvas, xyChartConfiguration('step', '‖g‖', 'logarithmic'));
const allCharts = [lossChart, metricsChart, learningRateChart, gradientNormChart];
for (const chart of allCharts) chart.options.plugins!.decimation = { enabled: true, algorithm: 'lttb', samples: 600 };

const dashed = { borderDash: [6, 4] };

function smoothedPoints(points: readonly Point[], weight: number): Point[] {
  const smoothed = debiasedExponentialMovingAverage(points.map((p) => p.y), weight);
  return points.map((p, i) => ({ x: p.x, y: smoothed[i] }));
}

/** Log axes cannot show zero or negative values. */
function positiveOnly(points: readonly Point[]): Point[] {
  return points.filter((p) => p.y > 0 && Number.isFinite(p.y));
}

function lossDatasets(source: DashboardSeries, label: string, comparison: boolean) {
  const weight = connection.uiState.smoothingWeight;
  const style = comparison ? { ...dashed, borderWidth: 1.25 } : {};
  const alpha = comparison ? 0.7 : 1;
  const withAlpha = (c: Rgba) => ({ ...c, alpha });
  const datasets = [];
  // Opaque, halfway to the background: a see-through line all but vanished on dark themes.
  if (!comparison && weight > 0) datasets.push(lineDataset(`${label}train loss (raw)`, mixColours(theme.blue, theme.background, 0.5), source.trainLoss, { borderWidth: 1, order: 1 }));
  datasets.push(lineDataset(`${label}train loss${weight > 0 ? ' (smoothed)' : ''}`, withAlpha(theme.blue), smoothedPoints(source.trainLoss, weight), { borderWidth: 2, ...style }));
  datasets.push(lineDataset(`${label}validation loss`, withAlpha(theme.orange), source.validationLoss, { borderWidth: 2, pointRadius: 3, ...style }));
  return datasets;
}

function render(): void {
  const logScale = connection.uiState.logScaleLoss;
  const comparisonLabel = compared?.runStarted ? `${compared.runStarted.specName} (compared) · ` : 'compared · ';

  const lossSets = lossDatasets(series, '', false);
  if (compared !== undefined) lossSets.push(...lossDatasets(compared, comparisonLabel, true));
  if (logScale) for (const set of lossSets) set.data = positiveOnly(set.data as Point[]);
  lossChart.data.datasets = lossSets;
  lossChart.options.scales!.y = yAxis(logScale ? 'logarithmic' : 'linear', 'loss') as never;
  lossChart.update('none');

  const metricNames = series.runStarted?.metricNames.length ? series.runStarted.metricNames : Object.keys(series.metrics);
  const metricSets = metricNames.map((name, i) => lineDataset(metricLabel(series, name), theme.palette[i % theme.palette.length], series.metrics[name] ?? [], { pointRadius: 3, borderWidth: 2 }));
  if (compared !== undefined) {
    metricNames.forEach((name, i) => {
      const points = compared!.metrics[name];
      if (points) metricSets.push(lineDataset(`${comparisonLabel}${metricLabel(series, name)}`, { ...theme.palette[i % theme.palette.length], alpha: 0.7 }, points, { pointRadius: 2, ...dashed }));
    });
  }
  metricsChart.data.datasets = metricSets;
  metricsChart.update('none');

  learningRateChart.data.datasets = [lineDataset('learning rate', theme.green, series.learningRate, { borderWidth: 2 })];
  if (compared !== undefined) learningRateChart.data.datasets.push(lineDataset(`${comparisonLabel}learning rate`, { ...theme.green, alpha: 0.7 }, compared.learningRate, dashed));
  learningRateChart.update('none');

  gradientNormChart.data.datasets = [
    lineDataset('before clipping', theme.red, positiveOnly(series.gradientNormBeforeClipping), { order: 1 }),
    lineDataset('after clipping', theme.blue, positiveOnly(series.gradientNormAfterClipping), { borderWidth: 2, order: 0 }),
  ];
  gradientNormChart.update('none');

  renderStatus();
}

function renderStatus(): void {
  const effectiveState: HostRunState | undefined = series.finished !== undefined ? 'finished' : hostState;
  runStatus.textContent = runStatusText(series, effectiveState);
  title.textContent = runName ?? series.runStarted?.specName ? `Training dashboard — ${runName ?? series.runStarted?.specName}` : 'Training dashboard';

  const active = effectiveState === 'running' || effectiveState === 'paused';
  pauseButton.textContent = effectiveState === 'paused' ? 'Resume' : 'Pause';
  pauseButton.setAttribute('aria-label', effectiveState === 'paused' ? 'Resume training' : 'Pause training');
  pauseButton.toggleAttribute('disabled', !active);
  stopButton.toggleAttribute('disabled', !active);

  problems.replaceChildren(...series.problems.map((log) => element('div', { class: log.level }, `${log.level === 'error' ? 'Error' : 'Warning'}: ${log.message}`)));

  const latest = series.latestStep;
  const rows: [string, string][] = [];
  if (series.runStarted) {
    rows.push(['Model', series.runStarted.specName], ['Task', series.runStarted.task], ['Parameters', formatCount(series.runStarted.parameterCount)]);
    if (series.runStarted.kernels) rows.push(['Kernels', series.runStarted.kernels]);
  }
  if (latest) rows.push(['Last loss', formatScalar(latest.loss)], ['Learning rate', formatScalar(latest.lr)], ['Samples/s', formatCount(latest.samplesPerSecond)]);
  const validation = series.latestValidation;
  if (validation?.validationLoss !== undefined) {
    // The latest validation's figures, said to be of an earlier epoch when training went on since (validateEvery).
    const of = series.latestEpoch && series.latestEpoch.epoch !== validation.epoch ? ` (epoch ${validation.epoch})` : '';
    rows.push([`Validation loss${of}`, formatScalar(validation.validationLoss)]);
    for (const [name, value] of Object.entries(validation.metrics)) rows.push([metricLabel(series, name), formatScalar(value)]);
  }
  if (series.bestEpoch?.validationLoss !== undefined) rows.push(['Best epoch', `${series.bestEpoch.epoch} (validation ${formatScalar(series.bestEpoch.validationLoss)})`]);
  if (compared?.finished) rows.push(['Compared run best', formatScalar(compared.finished.bestValidationLoss)]);
  statistics.replaceChildren(...rows.flatMap(([term, value]) => [element('dt', {}, term), element('dd', {}, value)]));

  renderDataSummary();
  renderTestEvaluation();
  lossChartParts.canvas.setAttribute('aria-label', latest ? `Loss chart: train loss ${formatScalar(latest.loss)} at step ${latest.step}` : 'Loss chart: no data yet');
}

function summaryTable(table: SummaryTable): HTMLElement {
  return element('table', {},
    element('caption', {}, table.caption),
    element('thead', {}, element('tr', {}, ...table.header.map((cell) => element('th', { scope: 'col' }, cell)))),
    element('tbody', {}, ...table.rows.map((row) => element('tr', {}, ...row.map((cell, i) => (i === 0 ? element('th', { scope: 'row' }, cell) : element('td', {}, cell)))))),
  );
}

let renderedSummary: unknown;
function renderDataSummary(): void {
  dataBlock.toggleAttribute('hidden', series.dataSummary === undefined);
  // Built once per summary: rebuilding on every frame would close the block under the reader's cursor.
  if (series.dataSummary === undefined || series.dataSummary === renderedSummary) return;
  renderedSummary = series.dataSummary;
  const view = dataSummaryView(series.dataSummary);
  dataHeadline.textContent = view.headline;
  dataDetails.replaceChildren(
    ...(view.facts.length ? [element('p', { class: 'note' }, view.facts.join(' · '))] : []),
    element('div', { class: 'summary-tables' }, ...view.tables.map(summaryTable)),
  );
}

function renderTestEvaluation(): void {
  testBlock.toggleAttribute('hidden', series.test === undefined);
  if (series.test === undefined) return;
  const view = testEvaluationView(series.test, series.runStarted?.metricLabels);
  const pairs = (rows: [string, string][]) => rows.flatMap(([term, value]) => [element('dt', {}, term), element('dd', {}, value)]);
  testHeading.textContent = view.title;
  const parts: Node[] = [testHeading, element('dl', { class: 'stats', 'aria-label': 'Test figures' }, ...pairs(view.figures))];
  if (view.baselines.length > 0) {
    parts.push(element('h3', {}, 'Baselines on the test split'), element('dl', { class: 'stats', 'aria-label': 'Baselines on the test split' }, ...pairs(view.baselines)));
  }
  parts.push(element('p', { class: 'note' }, view.note));
  testBlock.replaceChildren(...parts);
}

const scheduleRender = frameScheduler(render);

// ------------------------------------------------------------------------------------------------ messages

function handleHostMessage(message: HostToWebview): void {
  switch (message.type) {
    case 'history':
      series = dashboardSeriesFrom(message.events);
      compared = message.compare !== undefined ? dashboardSeriesFrom(message.compare) : undefined;
      if (hostState === undefined && series.runStarted !== undefined) hostState = series.finished ? 'finished' : 'running';
      break;
    case 'event':
      applyEvent(message.event);
      break;
    case 'status':
      hostState = message.state;
      if (message.runName !== undefined) runName = message.runName;
      break;
    default:
      return;
  }
  scheduleRender();
}

function applyEvent(event: TrainerEvent): void {
  addDashboardEvent(series, event);
  if (event.type === 'runStarted') hostState = 'running';
  if (event.type === 'runFinished') hostState = 'finished';
}

onThemeChange(() => {
  theme = readThemeColours();
  applyThemeToChartDefaults(theme);
  for (const chart of allCharts) restyleChart(chart, theme);
  render();
});
render();
