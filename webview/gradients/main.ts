/**
 * Gradient flow through time: ‖∂L/∂h_t‖ against t on a log axis, one line per layer, the latest snapshot bold
 * and a few earlier ones faded, so a vanishing gradient shows as lines falling towards t = 0. A compared run
 * (e.g. a tanh RNN next to an LSTM on the adding problem) is drawn dashed.
 */
import type { GradientFlow, HostToWebview, TrainerEvent } from '../../src/train/protocol';
import { applyThemeToChartDefaults, Chart, lineDataset, restyleChart, xyChartConfiguration } from '../shared/charts';
import { appRoot, card, chartCanvas, element, frameScheduler, wideCard } from '../shared/dom';
import { formatScalar } from '../../src/format/display';
import { earliestToLatestRatio, gradientFlowLines, normsForLogScale } from '../shared/gradientFlowSeries';
import { onThemeChange, readThemeColours, type ThemeColours } from '../shared/theme';
import { connectPanel } from '../shared/vscodeApi';

/** How many earlier snapshots are drawn faded behind the latest. */
const earlierSnapshotsShown = 3;

let snapshots: GradientFlow[] = [];
let compareSnapshots: GradientFlow[] = [];
let compareName: string | undefined;
let runName: string | undefined;
let theme: ThemeColours = readThemeColours();
applyThemeToChartDefaults(theme);

connectPanel('gradients', {}, handleHostMessage);

const chartParts = chartCanvas('gradient-flow-chart', 'Gradient norm against time step, log scale');
chartParts.box.classList.add('tall');
const status = element('p', { class: 'status', id: 'gradient-status', role: 'status', 'aria-live': 'polite' }, 'Waiting for the first gradient-flow snapshot.');
const summary = element('dl', { class: 'stats', id: 'gradient-summary' });

appRoot().append(
  element('h1', {}, 'Gradient flow through time'),
  status,
  element('div', { class: 'grid' },
    wideCard(card('‖∂L/∂hₜ‖ against t (log scale)', chartParts.box,
      element('p', { class: 'note' }, 'Backpropagation through time carries the loss gradient from the last step towards t = 0. A line that falls by orders of magnitude towards t = 0 is a vanishing gradient: the early inputs barely change the weights.'))),
    card('Earliest ÷ latest step, per layer', summary),
  ),
);

const configuration = xyChartConfiguration('time step t', '‖∂L/∂hₜ‖', 'logarithmic');
configuration.options!.plugins!.legend = {
  position: 'bottom',
  // Faded history lines would crowd the legend: list only the latest snapshot and the compared run.
  labels: { filter: (item, data) => (data.datasets[item.datasetIndex ?? 0] as { order?: number }).order !== 1 },
};
const chart = new Chart(chartParts.canvas, configuration);

function layerColour(layer: number) {
  return theme.palette[layer % theme.palette.length];
}

function render(): void {
  const lines = gradientFlowLines(snapshots, earlierSnapshotsShown);
  const datasets = lines.map((line) => {
    const points = line.values.map((y, t) => ({ x: t, y }));
    const label = line.latest ? `layer ${line.layer} · step ${line.step}` : `layer ${line.layer} · step ${line.step} (earlier)`;
    // order 0 draws on top; earlier snapshots get order 1 (and are left out of the legend).
    return lineDataset(label, { ...layerColour(line.layer), alpha: line.opacity }, points, { borderWidth: line.latest ? 3 : 1.25, order: line.latest ? 0 : 1 });
  });
  const latestCompare = compareSnapshots[compareSnapshots.length - 1];
  if (latestCompare !== undefined) {
    latestCompare.norms.forEach((norms, layer) => {
      datasets.push(lineDataset(`${compareName ?? 'compared run'} · layer ${layer} · step ${latestCompare.step}`, layerColour(layer + 2), normsForLogScale(norms).map((y, t) => ({ x: t, y })), { borderWidth: 2, borderDash: [6, 4], order: 0 }));
    });
  }
  chart.data.datasets = datasets;
  chart.update('none');

  const latest = snapshots[snapshots.length - 1];
  if (latest === undefined) {
    status.textContent = compareSnapshots.length ? 'No snapshot of this run yet; the compared run is drawn dashed.' : 'Waiting for the first gradient-flow snapshot.';
  } else {
    const steps = latest.norms[0]?.length ?? 0;
    const earlierSteps = [...new Set(lines.filter((line) => !line.latest).map((line) => line.step))];
    status.textContent = `${runName ? `${runName} · ` : ''}epoch ${latest.epoch}, step ${latest.step} (bold) · ${latest.norms.length} layer${latest.norms.length === 1 ? '' : 's'} × ${steps} time steps`
      + (earlierSteps.length ? ` · faded: steps ${earlierSteps.join(', ')}` : '');
  }
  const rows: [string, string][] = [];
  latest?.norms.forEach((norms, layer) => rows.push([`layer ${layer}`, describeRatio(earliestToLatestRatio(norms))]));
  latestCompare?.norms.forEach((norms, layer) => rows.push([`${compareName ?? 'compared'} layer ${layer}`, describeRatio(earliestToLatestRatio(norms))]));
  summary.replaceChildren(...rows.flatMap(([term, value]) => [element('dt', {}, term), element('dd', {}, value)]));
  chartParts.canvas.setAttribute('aria-label', `Gradient norm against time step, log scale. ${rows.map(([t, v]) => `${t}: ${v}`).join('; ')}`);
}

function describeRatio(ratio: number | undefined): string {
  if (ratio === undefined) return '—';
  const verdict = ratio < 1e-3 ? 'vanishing' : ratio > 1e3 ? 'exploding' : 'flows';
  return `${formatScalar(ratio)} (${verdict})`;
}

const scheduleRender = frameScheduler(render);

function collect(events: readonly TrainerEvent[]): { flows: GradientFlow[]; name?: string } {
  let flows: GradientFlow[] = [];
  let name: string | undefined;
  for (const event of events) {
    if (event.type === 'runStarted') {
      flows = [];
      name = event.specName;
    } else if (event.type === 'gradFlow' && Array.isArray(event.norms)) flows.push(event);
  }
  return { flows, name };
}

function handleHostMessage(message: HostToWebview): void {
  if (message.type === 'history') {
    const current = collect(message.events);
    snapshots = current.flows;
    runName = current.name;
    const compared = collect(message.compare ?? []);
    compareSnapshots = compared.flows;
    compareName = compared.name;
  } else if (message.type === 'event') {
    const event = message.event;
    if (event.type === 'runStarted') {
      snapshots = [];
      runName = event.specName;
    } else if (event.type === 'gradFlow' && Array.isArray(event.norms)) snapshots.push(event);
    else return;
  } else if (message.type === 'status') {
    if (message.runName !== undefined) runName = message.runName;
  } else return;
  scheduleRender();
}

onThemeChange(() => {
  theme = readThemeColours();
  applyThemeToChartDefaults(theme);
  restyleChart(chart, theme);
  render();
});
render();
