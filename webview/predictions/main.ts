/**
 * Predictions on validation samples, latest epoch: forecast against truth (forecasting), confusion matrix and
 * per-sample labels (classification), tagged tokens with truth and prediction (tagging), sampled text
 * (generation), and source / target / output (seq2seq).
 */
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { HostToWebview, PredictionSample, Predictions, TrainerEvent } from '../../src/train/protocol';
import { applyThemeToChartDefaults, Chart, lineDataset, restyleChart, xyChartConfiguration, type LineChart } from '../shared/charts';
import { formatCssColour, mixColours } from '../shared/colourScale';
import { accuracyOf, rowShares, tagMatches } from '../shared/confusionMatrix';
import { appRoot, card, chartCanvas, element, frameScheduler, wideCard } from '../shared/dom';
import { formatScalar } from '../shared/format';
import { onThemeChange, readThemeColours, type ThemeColours } from '../shared/theme';
import { connectPanel } from '../shared/vscodeApi';

type SampleOf<K extends PredictionSample['kind']> = Extract<PredictionSample, { kind: K }>;

interface PredictionsUiState {
  forecastSample: number;
}

let latest: Predictions | undefined;
let theme: ThemeColours = readThemeColours();
applyThemeToChartDefaults(theme);
let forecastChart: LineChart | undefined;

const connection = connectPanel<PredictionsUiState>('predictions', { forecastSample: 0 }, handleHostMessage);

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

function forecastSection(samples: SampleOf<'forecast'>[]): HTMLElement {
  const index = Math.min(connection.uiState.forecastSample, samples.length - 1);
  const sample = samples[index];
  const select = element('vscode-single-select', { id: 'forecast-sample', 'aria-label': 'Validation sample' });
  samples.forEach((_, i) => {
    const option = element('vscode-option', { value: String(i) }, `Sample ${i + 1}`);
    if (i === index) option.setAttribute('selected', '');
    select.append(option);
  });
  select.addEventListener('change', () => {
    connection.saveUiState({ forecastSample: Number(select.value) });
    scheduleRender();
  });
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
  requestAnimationFrame(() => {
    forecastChart?.destroy();
    forecastChart = new Chart(parts.canvas, configuration) as unknown as LineChart;
  });
  return section;
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
  const sections: HTMLElement[] = [];
  const forecasts = samplesOf('forecast');
  if (forecasts.length) sections.push(forecastSection(forecasts));
  if (latest.confusion && latest.confusion.labels.length) sections.push(confusionSection(latest.confusion));
  const classified = samplesOf('classify');
  if (classified.length) sections.push(classifySection(classified));
  const tagged = samplesOf('tag');
  if (tagged.length) sections.push(tagSection(tagged));
  const generated = samplesOf('generate');
  if (generated.length) sections.push(generateSection(generated));
  const translated = samplesOf('seq2seq');
  if (translated.length) sections.push(seq2seqSection(translated));
  if (forecasts.length === 0) {
    forecastChart?.destroy();
    forecastChart = undefined;
  }
  content.replaceChildren(...sections);
}

const scheduleRender = frameScheduler(render);

function lastPredictions(events: readonly TrainerEvent[]): Predictions | undefined {
  let found: Predictions | undefined;
  for (const event of events) {
    if (event.type === 'runStarted') found = undefined;
    else if (event.type === 'predictions' && Array.isArray(event.samples)) found = event;
  }
  return found;
}

function handleHostMessage(message: HostToWebview): void {
  if (message.type === 'history') latest = lastPredictions(message.events);
  else if (message.type === 'event' && (message.event.type === 'predictions' || message.event.type === 'runStarted')) latest = lastPredictions([message.event]);
  else return;
  scheduleRender();
}

onThemeChange(() => {
  theme = readThemeColours();
  applyThemeToChartDefaults(theme);
  if (forecastChart) restyleChart(forecastChart as unknown as Chart, theme);
  render();
});
render();
