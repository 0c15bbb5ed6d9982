/**
 * Gate activations: for one validation sample, a heatmap over time × units of each gate of the chosen layer
 * (LSTM i, f, g, o and the cell state; GRU r, z, n; RNN h), refreshed with every snapshot; per-gate saturation
 * over training, with each gate's rule for "saturated"; and one unit's trace over the time steps (the input token
 * or value at each step in the tooltip).
 */
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { GateSnapshot, HostToWebview, TrainerEvent } from '../../src/train/protocol';
import { applyThemeToChartDefaults, Chart, lineDataset, restyleChart, xyChartConfiguration } from '../shared/charts';
import { divergingScale, legendStops, sequentialScale, type ColourScale } from '../shared/colourScale';
import { appRoot, card, chartCanvas, element, frameScheduler } from '../shared/dom';
import { formatScalar } from '../../src/format/display';
import { fillHeatmapPixels, gateRangeKind, gateTitle, gateValueRange, orderGateNames, toFloat32Values, unitTrace } from '../shared/gateMaths';
import { onThemeChange, readThemeColours, type ThemeColours } from '../shared/theme';
import { connectPanel } from '../shared/vscodeApi';

interface GatesUiState {
  selectedLayer: number;
  selectedUnit: number;
}

/** A snapshot whose gate arrays are checked Float32Arrays of length T·H. */
type CheckedSnapshot = Omit<GateSnapshot, 'gates'> & { gates: Record<string, Float32Array> };

const latestSnapshotByLayer = new Map<number, CheckedSnapshot>();
/** Per layer: the saturation values of every snapshot, in arrival order (x = step). */
const saturationHistoryByLayer = new Map<number, { step: number; saturation: Record<string, number> }[]>();
let theme: ThemeColours = readThemeColours();
applyThemeToChartDefaults(theme);

const connection = connectPanel<GatesUiState>('gates', { selectedLayer: 0, selectedUnit: 0 }, handleHostMessage);

// ------------------------------------------------------------------------------------------------ layout

const layerSelect = element('vscode-single-select', { id: 'layer-select', 'aria-label': 'Layer' });
const snapshotDescription = element('p', { class: 'status', id: 'snapshot-status', role: 'status', 'aria-live': 'polite' }, 'Waiting for the first gate snapshot (taken on a validation sample during training).');
const heatmaps = element('div', { class: 'heatmaps', role: 'group', 'aria-label': 'Gate heatmaps: time along x, units along y' });
const traceChartParts = chartCanvas('unit-trace-chart', 'Trace of the selected unit over the sequence');
const saturationChartParts = chartCanvas('saturation-chart', 'Share of saturated gate values over training');
/** Each gate's rule for "saturated", as the worker applied it. */
const saturationDefinition = element('p', { class: 'note', id: 'saturation-definition' });
const traceTitle = element('h2', { id: 'trace-title' }, 'Unit trace');
const traceCard = element('section', { class: 'card wide', 'aria-labelledby': 'trace-title' }, traceTitle, traceChartParts.box,
  element('p', { class: 'note' }, 'Click a heatmap row, or focus a heatmap and use ↑/↓ (PageUp/PageDown, Home/End), to choose the unit.'));

appRoot().append(
  element('h1', {}, 'Gate activations'),
  element('div', { class: 'toolbar' }, element('label', { for: 'layer-select' }, 'Layer'), layerSelect),
  snapshotDescription,
  heatmaps,
  element('div', { class: 'grid' }, traceCard, card('Saturation over training (share of saturated values)', saturationChartParts.box, saturationDefinition)),
);

layerSelect.addEventListener('change', () => {
  const layer = Number(layerSelect.value);
  if (!Number.isInteger(layer) || layer < 0) return;
  connection.saveUiState({ selectedLayer: layer });
  connection.post({ type: 'selectLayer', layer });
  scheduleRender();
});

// ------------------------------------------------------------------------------------------------ charts

const traceChartConfiguration = xyChartConfiguration('time step', 'activation');
traceChartConfiguration.options!.parsing = undefined;
traceChartConfiguration.options!.scales!.x = { type: 'category', title: { display: true, text: 'time step' }, ticks: { autoSkip: true, maxRotation: 0 } };
traceChartConfiguration.options!.scales!.y = { type: 'linear', min: -1, max: 1, title: { display: true, text: 'gate activation' } };
traceChartConfiguration.options!.scales!.cellState = { type: 'linear', position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'cell state' } };
// The input at each step goes in the tooltip title, beside its step number.
let traceInputs: readonly string[] = [];
traceChartConfiguration.options!.plugins!.tooltip = {
  callbacks: { title: (items) => items.length === 0 ? '' : `step ${items[0].dataIndex}${traceInputs[items[0].dataIndex] !== undefined ? ` · input ${traceInputs[items[0].dataIndex]}` : ''}` },
};
const traceChart = new Chart(traceChartParts.canvas, traceChartConfiguration);
const saturationConfiguration = xyChartConfiguration('step', 'saturated share');
saturationConfiguration.options!.scales!.y = { type: 'linear', min: 0, max: 1, title: { display: true, text: 'saturated share' } };
const saturationChart = new Chart(saturationChartParts.canvas, saturationConfiguration);

function scaleFor(gateName: string, values: Float32Array): ColourScale {
  const { minimum, maximum } = gateValueRange(gateName, values);
  return gateRangeKind(gateName) === 'sigmoid'
    ? sequentialScale(minimum, maximum, theme.background, theme.blue)
    : divergingScale(minimum, maximum, theme.red, theme.background, theme.blue);
}

function drawLegend(canvas: HTMLCanvasElement, scale: ColourScale): void {
  const stops = legendStops(scale, 64);
  canvas.width = stops.length;
  canvas.height = 1;
  const context = canvas.getContext('2d');
  if (!context) return;
  stops.forEach((stop, i) => {
    context.fillStyle = `rgba(${stop.colour.red}, ${stop.colour.green}, ${stop.colour.blue}, ${stop.colour.alpha})`;
    context.fillRect(i, 0, 1, 1);
  });
}

/** Draws one heatmap scaled to its box without smoothing, and outlines the selected unit's row. */
function drawHeatmap(canvas: HTMLCanvasElement, snapshot: CheckedSnapshot, values: Float32Array, scale: ColourScale, selectedUnit: number): void {
  const { steps, hiddenSize } = snapshot;
  const image = document.createElement('canvas');
  image.width = steps;
  image.height = hiddenSize;
  const imageContext = image.getContext('2d');
  const context = canvas.getContext('2d');
  if (!imageContext || !context) return;
  const pixels = imageContext.createImageData(steps, hiddenSize);
  fillHeatmapPixels(pixels.data, values, steps, hiddenSize, scale);
  imageContext.putImageData(pixels, 0, 0);

  const pixelRatio = window.devicePixelRatio || 1;
  canvas.width = Math.max(steps, Math.round((canvas.clientWidth || 260) * pixelRatio));
  canvas.height = Math.max(hiddenSize, Math.round((canvas.clientHeight || 160) * pixelRatio));
  context.imageSmoothingEnabled = false;
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const rowHeight = canvas.height / hiddenSize;
  context.strokeStyle = `rgba(${theme.focusBorder.red}, ${theme.focusBorder.green}, ${theme.focusBorder.blue}, 1)`;
  context.lineWidth = Math.max(1, pixelRatio * 1.5);
  context.strokeRect(0.5, selectedUnit * rowHeight, canvas.width - 1, Math.max(rowHeight, 2));
}

function selectUnit(unit: number, hiddenSize: number): void {
  const clamped = Math.min(hiddenSize - 1, Math.max(0, unit));
  if (clamped === connection.uiState.selectedUnit) return;
  connection.saveUiState({ selectedUnit: clamped });
  scheduleRender();
}

function heatmapCard(gateName: string, snapshot: CheckedSnapshot, values: Float32Array, selectedUnit: number): HTMLElement {
  const scale = scaleFor(gateName, values);
  const canvas = element('canvas', {
    tabindex: '0',
    role: 'img',
    'data-gate': gateName,
    'aria-label': `${gateTitle(gateName)}: ${snapshot.hiddenSize} units over ${snapshot.steps} steps${gateName in snapshot.saturation ? `, saturated share ${formatScalar(snapshot.saturation[gateName])}` : ''}. Unit ${selectedUnit} selected; arrow keys choose another unit.`,
  });
  canvas.addEventListener('click', (event) => {
    const bounds = canvas.getBoundingClientRect();
    selectUnit(Math.floor(((event.clientY - bounds.top) / bounds.height) * snapshot.hiddenSize), snapshot.hiddenSize);
  });
  canvas.addEventListener('keydown', (event) => {
    const moves: Record<string, number> = { ArrowUp: -1, ArrowDown: 1, PageUp: -8, PageDown: 8 };
    let unit: number | undefined;
    if (event.key in moves) unit = connection.uiState.selectedUnit + moves[event.key];
    else if (event.key === 'Home') unit = 0;
    else if (event.key === 'End') unit = snapshot.hiddenSize - 1;
    if (unit === undefined) return;
    event.preventDefault();
    selectUnit(unit, snapshot.hiddenSize);
  });
  // Taller maps for wider layers, so each unit's row stays clickable (CSSOM: the CSP allows it).
  canvas.style.height = `${Math.min(240, Math.max(120, snapshot.hiddenSize * 4))}px`;
  const legendCanvas = element('canvas', { 'aria-hidden': 'true' });
  drawLegend(legendCanvas, scale);
  const container = element('section', { class: 'card heatmap', 'aria-label': gateTitle(gateName) },
    element('h2', {}, gateTitle(gateName)),
    canvas,
    element('div', { class: 'legend' }, element('span', {}, formatScalar(scale.minimum)), legendCanvas, element('span', {}, formatScalar(scale.maximum)),
    ),
    element('p', { class: 'axis-note' }, `time → ${snapshot.steps} steps · units ↓ ${snapshot.hiddenSize}`),
  );
  requestAnimationFrame(() => drawHeatmap(canvas, snapshot, values, scale, selectedUnit));
  return container;
}

function render(): void {
  const layers = [...new Set([...latestSnapshotByLayer.keys(), ...saturationHistoryByLayer.keys()])].sort((a, b) => a - b);
  const selectedLayer = layers.includes(connection.uiState.selectedLayer) ? connection.uiState.selectedLayer : layers[0] ?? 0;
  if (layerSelect.childElementCount !== layers.length || layerSelect.value !== String(selectedLayer)) {
    layerSelect.replaceChildren(...layers.map((layer) => {
      const option = element('vscode-option', { value: String(layer) }, `Layer ${layer}`);
      if (layer === selectedLayer) option.setAttribute('selected', '');
      return option;
    }));
  }

  const snapshot = latestSnapshotByLayer.get(selectedLayer);
  if (snapshot === undefined) {
    heatmaps.replaceChildren(element('p', { class: 'empty' }, layers.length ? `No snapshot of layer ${selectedLayer} yet.` : 'No gate snapshot yet: they arrive during training.'));
    traceChart.data.datasets = [];
    traceChart.update('none');
  } else {
    const selectedUnit = Math.min(connection.uiState.selectedUnit, snapshot.hiddenSize - 1);
    const gateNames = orderGateNames(Object.keys(snapshot.gates));
    snapshotDescription.textContent = `${snapshot.cell.toUpperCase()} layer ${snapshot.layer} · epoch ${snapshot.epoch}, step ${snapshot.step} · ${snapshot.hiddenSize} units × ${snapshot.steps} time steps · unit ${selectedUnit} selected`;
    // The heatmaps are rebuilt for every snapshot and selection: keep keyboard focus on the same gate.
    const focusedGate = document.activeElement instanceof HTMLCanvasElement ? document.activeElement.getAttribute('data-gate') : null;
    heatmaps.replaceChildren(...gateNames.map((name) => heatmapCard(name, snapshot, snapshot.gates[name], selectedUnit)));
    if (focusedGate !== null) heatmaps.querySelector<HTMLCanvasElement>(`canvas[data-gate="${focusedGate}"]`)?.focus();

    traceTitle.textContent = `Unit ${selectedUnit} over the sequence`;
    traceChart.data.labels = Array.from({ length: snapshot.steps }, (_, t) => String(t));
    traceInputs = snapshot.timeLabels.length === snapshot.steps ? snapshot.timeLabels : [];
    // Gates live in [-1, 1]; the unbounded cell state gets its own right-hand axis so it does not flatten them.
    traceChart.data.datasets = gateNames.map((name, i) =>
      lineDataset(gateTitle(name), theme.palette[i % theme.palette.length], unitTrace(snapshot.gates[name], snapshot.steps, snapshot.hiddenSize, selectedUnit),
        { borderWidth: 2, pointRadius: 2, yAxisID: gateRangeKind(name) === 'unbounded' ? 'cellState' : 'y' }));
    traceChart.options.scales!.cellState!.display = gateNames.some((name) => gateRangeKind(name) === 'unbounded');
    traceChart.update('none');
  }

  const history = saturationHistoryByLayer.get(selectedLayer) ?? [];
  const saturationGates = orderGateNames([...new Set(history.flatMap((entry) => Object.keys(entry.saturation)))]);
  saturationChart.data.datasets = saturationGates.map((name, i) =>
    lineDataset(gateTitle(name), theme.palette[i % theme.palette.length], history.filter((e) => name in e.saturation).map((e) => ({ x: e.step, y: e.saturation[name] })), { borderWidth: 2, pointRadius: 2 }));
  saturationChart.update('none');
  const rules = latestSnapshotByLayer.get(selectedLayer)?.saturationRule ?? {};
  const ruleNames = orderGateNames(Object.keys(rules));
  saturationDefinition.textContent = ruleNames.length
    ? `Saturated means: ${ruleNames.map((name) => `${gateTitle(name)} ${rules[name]}`).join('; ')}. A saturated activation passes almost no gradient.`
    : history.length ? 'Recorded before saturation rules were stored: sigmoid gates only.' : '';
}

const scheduleRender = frameScheduler(render);

// ------------------------------------------------------------------------------------------------ messages

function addSnapshot(raw: GateSnapshot): void {
  const expectedLength = raw.steps * raw.hiddenSize;
  const gates: Record<string, Float32Array> = {};
  const saturation: Record<string, number> = {};
  for (const [name, data] of Object.entries(raw.gates ?? {})) {
    const values = toFloat32Values(data, expectedLength);
    if (values === undefined) continue;
    gates[name] = values;
    // The worker applies each gate's rule (src/train/gateSaturation.ts). Runs recorded before the rules were
    // stored counted "< 0.1 or > 0.9" for every gate: only their sigmoid gates' shares mean what they say.
    const share = raw.saturation?.[name];
    if (typeof share === 'number' && (raw.saturationRule !== undefined || gateRangeKind(name) === 'sigmoid')) saturation[name] = share;
  }
  if (Object.keys(gates).length === 0) return;
  latestSnapshotByLayer.set(raw.layer, { ...raw, gates, saturation });
  const history = saturationHistoryByLayer.get(raw.layer) ?? [];
  history.push({ step: raw.step, saturation });
  saturationHistoryByLayer.set(raw.layer, history);
}

function applyEvent(event: TrainerEvent): void {
  if (event.type === 'runStarted') {
    latestSnapshotByLayer.clear();
    saturationHistoryByLayer.clear();
  } else if (event.type === 'gates') addSnapshot(event);
}

function handleHostMessage(message: HostToWebview): void {
  if (message.type === 'history') {
    latestSnapshotByLayer.clear();
    saturationHistoryByLayer.clear();
    for (const event of message.events) applyEvent(event);
  } else if (message.type === 'event') applyEvent(message.event);
  else return;
  scheduleRender();
}

onThemeChange(() => {
  theme = readThemeColours();
  applyThemeToChartDefaults(theme);
  restyleChart(traceChart, theme);
  restyleChart(saturationChart, theme);
  render();
});
render();
