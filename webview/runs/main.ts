/**
 * Runs table panel: one row per run or trial (or per configuration, mean ± std over its seeds), a column per
 * varied spec path and for the chosen metric's final, best and test values, duration and samples/s; sortable and
 * filterable. Selected rows are overlaid as curves in one chart (the row's swatch is its curve's colour; a group
 * draws its mean with a ± std band), drawn as parallel coordinates of parameters → metric, and two selected runs
 * can be compared spec against spec. Live: the host sends the table again whenever a run writes an epoch.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { HostToRunsTable, RunCurve, RunsTable, RunsTableToHost } from '../../src/train/protocol';
import type { SpecDifference } from '../../src/modelSpec/specDiff';
import { applyThemeToChartDefaults, Chart, css, lineDataset, restyleChart, xyChartConfiguration } from '../shared/charts';
import { appRoot, card, chartCanvas, element, frameScheduler, svgElement, wideCard } from '../shared/dom';
import { formatCount, formatDuration, formatScalar } from '../../src/format/display';
import { onThemeChange, readThemeColours, type ThemeColours } from '../shared/theme';
import { connectPanel } from '../shared/vscodeApi';
import { parallelCoordinates } from './parallelCoordinates';
import { filterItems, itemCurve, itemParameter, itemStatistic, sortItems, statusLabel, tableItems, type Column, type Figure, type MeanStd, type TableItem } from './runsTableModel';
import { assignColourSlots, slotStyle } from './selectionColours';

interface RunsUiState {
  scope: string | undefined;
  metric: string;
  grouped: boolean;
  filter: string;
  sort: { column: Column; direction: 'ascending' | 'descending' } | undefined;
  selected: string[];
  /** Colour slot per selected item, kept across reloads so colours do not jump. */
  slots: [string, number][];
}

const HOST_TYPES = new Set(['runsTable', 'runsCurves', 'specDiff', 'select']);
const isRunsMessage = (data: unknown): data is HostToRunsTable => typeof data === 'object' && data !== null && HOST_TYPES.has((data as { type?: unknown }).type as string);

let table: RunsTable | undefined;
const curves = new Map<string, RunCurve>();
let specDiff: { left: string; right: string; differences: SpecDifference[] } | undefined;
let theme: ThemeColours = readThemeColours();
applyThemeToChartDefaults(theme);

const connection = connectPanel<RunsUiState, HostToRunsTable, RunsTableToHost>('runs', {
  scope: undefined, metric: 'loss', grouped: false, filter: '', sort: undefined, selected: [], slots: [],
}, handleHostMessage, isRunsMessage);
if (connection.uiState.scope) connection.post({ type: 'restoreScope', scope: connection.uiState.scope });
let slots = new Map(connection.uiState.slots);

// ------------------------------------------------------------------------------------------------ layout

const scopeSelect = element('vscode-single-select', { id: 'scope', 'aria-label': 'Runs to show' });
const metricSelect = element('vscode-single-select', { id: 'metric', 'aria-label': 'Metric' });
const groupCheckbox = element('vscode-checkbox', { id: 'group', label: 'Group seeds (mean ± std)', 'aria-label': 'Group the seeds of each configuration' });
if (connection.uiState.grouped) groupCheckbox.setAttribute('checked', '');
const filterInput = element('input', { id: 'filter', type: 'search', placeholder: 'Filter: words or path=value', 'aria-label': 'Filter rows', value: connection.uiState.filter });
const clearButton = element('vscode-button', { id: 'clear-selection', secondary: '' }, 'Clear selection');
const diffButton = element('vscode-button', { id: 'compare-specs', secondary: '', disabled: '' }, 'Compare specs');
// Shown while the table's sweep runs in this window.
const stopSweepButton = element('vscode-button', { id: 'stop-sweep', hidden: '' }, 'Stop sweep');
const summary = element('p', { id: 'runs-summary', class: 'status', role: 'status', 'aria-live': 'polite' }, 'Waiting for the runs…');
const tableHead = element('thead');
const tableBody = element('tbody');
const runsTable = element('table', { id: 'runs-table', class: 'runs-table' }, tableHead, tableBody);
const overlayParts = chartCanvas('overlay-chart', 'Curves of the selected runs');
overlayParts.box.classList.add('tall');
const overlayData = element('table', { id: 'overlay-data', class: 'overlay-data' });
const parallelSvg = svgElement('svg', { id: 'parallel', role: 'img', 'aria-label': 'Parallel coordinates: parameters to metric' });
const diffBody = element('div', { id: 'spec-diff' }, element('p', { class: 'note' }, 'Select two runs and press Compare specs.'));

appRoot().append(
  element('h1', {}, 'Runs'),
  element('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Table controls' }, scopeSelect, metricSelect, groupCheckbox, filterInput, element('span', { class: 'spacer' }), stopSweepButton, diffButton, clearButton),
  summary,
  element('div', { class: 'grid' },
    wideCard(card('Runs', element('div', { class: 'table-scroll' }, runsTable))),
    wideCard(card('Curves of the selected rows', overlayParts.box, element('details', {}, element('summary', {}, 'Values'), overlayData))),
    wideCard(card('Parameters → metric', element('div', { class: 'parallel-box' }, parallelSvg))),
    wideCard(card('Spec diff', diffBody)),
  ),
);

scopeSelect.addEventListener('change', () => {
  connection.saveUiState({ scope: scopeSelect.value, selected: [], slots: [] });
  slots = new Map();
  connection.post({ type: 'setScope', scope: scopeSelect.value });
});
metricSelect.addEventListener('change', () => {
  connection.saveUiState({ metric: metricSelect.value });
  scheduleRender();
});
groupCheckbox.addEventListener('change', () => {
  connection.saveUiState({ grouped: groupCheckbox.checked, selected: [], slots: [] });
  slots = new Map();
  selectionChanged();
});
filterInput.addEventListener('input', () => {
  connection.saveUiState({ filter: filterInput.value });
  scheduleRender();
});
clearButton.addEventListener('click', () => setSelection([]));
stopSweepButton.addEventListener('click', () => {
  if (table?.sweep?.stoppable) connection.post({ type: 'stopSweep', scope: table.scope });
});
diffButton.addEventListener('click', () => {
  const runs = selectedItems().filter((item) => item.kind === 'run');
  if (runs.length === 2) connection.post({ type: 'requestSpecDiff', left: runs[0].id, right: runs[1].id });
});

// ------------------------------------------------------------------------------------------------ selection

function allItems(): TableItem[] {
  return table ? tableItems(table.rows, connection.uiState.grouped) : [];
}

function selectedItems(): TableItem[] {
  const byId = new Map(allItems().map((item) => [item.id, item]));
  return connection.uiState.selected.flatMap((id) => byId.get(id) ?? []);
}

function setSelection(ids: string[]): void {
  slots = assignColourSlots(slots, ids);
  connection.saveUiState({ selected: ids, slots: [...slots] });
  selectionChanged();
}

let requestedCurves: string | undefined;

/** Asks for the curves of every run behind the selection (a group: all its seeds) when that set changed. */
function selectionChanged(): void {
  const ids = [...new Set(selectedItems().flatMap((item) => item.rows.map((row) => row.id)))];
  const key = JSON.stringify(ids);
  if (key !== requestedCurves) {
    requestedCurves = key;
    connection.post({ type: 'requestCurves', ids });
  }
  scheduleRender();
}

function colourOf(id: string): { colour: string; dashed: boolean } | undefined {
  const slot = slots.get(id);
  if (slot === undefined) return undefined;
  const style = slotStyle(slot, theme.palette.length);
  return { colour: css(theme.palette[style.colourIndex]), dashed: style.dashed };
}

// ------------------------------------------------------------------------------------------------ table

const FIGURES: Figure[] = ['final', 'best', 'test'];

function columns(): { column: Column; label: string; numeric: boolean }[] {
  const metric = connection.uiState.metric;
  const metricLabel = metric === 'loss' ? 'val loss' : metric;
  return [
    { column: { kind: 'name' }, label: 'run', numeric: false },
    { column: { kind: 'status' }, label: 'status', numeric: false },
    ...(table?.parameters ?? []).map((path) => ({ column: { kind: 'param', path } as Column, label: path, numeric: false })),
    ...FIGURES.map((figure) => ({ column: { kind: 'metric', figure, metric } as Column, label: `${figure} ${figure === 'test' && metric === 'loss' ? 'loss' : metricLabel}`, numeric: true })),
    { column: { kind: 'epochs' }, label: 'epochs', numeric: true },
    { column: { kind: 'seconds' }, label: 'duration', numeric: true },
    { column: { kind: 'samplesPerSecond' }, label: 'samples/s', numeric: true },
  ];
}

const sameColumn = (a: Column, b: Column) => JSON.stringify(a) === JSON.stringify(b);

/** A status cell's tooltip: what the word means. */
const STATUS_TITLES: Partial<Record<RunsTable['rows'][number]['status'], string>> = {
  pending: 'queued: planned by the sweep, not started yet',
  running: 'training now',
  pruned: 'pruned: stopped at a rung by the sweep\'s successive halving (ASHA), its metric behind the others',
  'early-stopped': 'stopped early by its own early stopping',
  interrupted: 'interrupted: no report and no recent write (resume continues it)',
};

function statisticText(statistic: MeanStd | undefined, column: Column, grouped: boolean): string {
  if (!statistic) return '—';
  const format = column.kind === 'seconds' ? formatDuration : column.kind === 'samplesPerSecond' || column.kind === 'epochs' ? formatCount : formatScalar;
  // Epochs are counts: their spread says nothing a reader needs.
  return grouped && statistic.count > 1 && column.kind !== 'epochs' ? `${format(statistic.mean)} ± ${format(statistic.std)}` : format(statistic.mean);
}

/** A group is named by its configuration (`cell=lstm · 3 seeds`); a run by its folder. */
function itemName(item: TableItem): string {
  if (item.kind === 'run') return item.label;
  const configuration = (table?.parameters ?? []).filter((path) => path !== table?.seedPath)
    .map((path) => `${path.split('.').at(-1)}=${String(itemParameter(item, path) ?? '—')}`);
  return [...(configuration.length > 0 ? configuration : [item.rows[0].specName]), item.label].join(' · ');
}

function cellText(item: TableItem, column: Column): string {
  switch (column.kind) {
    case 'name': return itemName(item);
    case 'status': {
      const counts = new Map<string, number>();
      for (const row of item.rows) counts.set(statusLabel(row.status), (counts.get(statusLabel(row.status)) ?? 0) + 1);
      return [...counts].map(([status, count]) => (item.kind === 'group' ? `${count} ${status}` : status)).join(', ');
    }
    case 'param': {
      const value = itemParameter(item, column.path);
      return value === undefined ? '—' : typeof value === 'number' ? formatScalar(value) : String(value);
    }
    default: return statisticText(itemStatistic(item, column), column, item.kind === 'group');
  }
}

function renderHead(): void {
  const sort = connection.uiState.sort;
  const headers = columns().map(({ column, label, numeric }) => {
    const active = sort !== undefined && sameColumn(sort.column, column);
    const button = element('button', { class: 'sort', type: 'button', title: `Sort by ${label}` }, label, active ? (sort!.direction === 'ascending' ? ' ▲' : ' ▼') : '');
    button.addEventListener('click', () => {
      const direction = active && sort!.direction === 'ascending' ? 'descending' : 'ascending';
      connection.saveUiState({ sort: { column, direction } });
      scheduleRender();
    });
    return element('th', { scope: 'col', class: numeric ? 'numeric' : '', 'aria-sort': active ? sort!.direction : 'none' }, button);
  });
  tableHead.replaceChildren(element('tr', {}, element('th', { scope: 'col', class: 'select' }, ''), ...headers));
}

function renderBody(items: TableItem[]): void {
  const selected = new Set(connection.uiState.selected);
  const cols = columns();
  tableBody.replaceChildren(...items.map((item) => {
    const checkbox = element('input', { type: 'checkbox', 'aria-label': `Select ${item.label}` });
    checkbox.checked = selected.has(item.id);
    checkbox.addEventListener('change', () => {
      const ids = connection.uiState.selected.filter((id) => id !== item.id);
      setSelection(checkbox.checked ? [...ids, item.id] : ids);
    });
    const swatch = element('span', { class: 'swatch', 'aria-hidden': 'true' });
    const colour = colourOf(item.id);
    if (colour) {
      swatch.style.backgroundColor = colour.colour;
      swatch.classList.toggle('dashed', colour.dashed);
    }
    // A run's status styles its status cell (queued, running, pruned by the sweep… each reads apart) and its row.
    const status = item.kind === 'run' ? item.rows[0].status : undefined;
    const cells = cols.map(({ column, numeric }) => {
      // A figure keeps its full value beside the rounded text: what it means, for readers of the page (and the tests).
      const figure = numeric ? itemStatistic(item, column) : undefined;
      return element(column.kind === 'name' ? 'th' : 'td', {
        class: column.kind === 'status' && status ? `status status-${status}` : numeric ? 'numeric' : '',
        ...(column.kind === 'name' ? { scope: 'row' } : {}),
        ...(column.kind === 'status' && status ? { title: STATUS_TITLES[status] ?? status } : {}),
        ...(figure ? { 'data-value': String(figure.mean) } : {}),
      }, cellText(item, column));
    });
    const tr = element('tr', { 'data-id': item.id, 'data-kind': item.kind, ...(status ? { 'data-status': status } : {}), class: selected.has(item.id) ? 'selected' : '' }, element('td', { class: 'select' }, checkbox, swatch), ...cells);
    if (item.kind === 'run') tr.addEventListener('dblclick', () => connection.post({ type: 'openRun', id: item.id }));
    return tr;
  }));
}

// ------------------------------------------------------------------------------------------------ overlay chart

const overlayChart = new Chart(overlayParts.canvas, xyChartConfiguration('epoch', 'val loss'));
overlayChart.options.scales!.x = { type: 'linear', title: { display: true, text: 'epoch' }, ticks: { precision: 0 } };

function renderOverlay(): void {
  const metric = connection.uiState.metric;
  const datasets: ReturnType<typeof lineDataset>[] = [];
  const dataRows: HTMLElement[] = [];
  for (const item of selectedItems()) {
    const curve = itemCurve(item, curves, metric);
    const colour = colourOf(item.id);
    if (!curve || !colour) continue;
    const slot = slots.get(item.id)!;
    const rgba = theme.palette[slotStyle(slot, theme.palette.length).colourIndex];
    const points = curve.epochs.map((x, i) => ({ x, y: Number.isFinite(curve.values[i]) ? curve.values[i] : null }));
    const label = item.kind === 'group' ? `${itemName(item)} (mean ± std)` : item.label;
    if (curve.band) {
      // The band: the upper edge, then the lower edge filled up to it.
      datasets.push(lineDataset(`${label} +std`, { ...rgba, alpha: 0 }, curve.epochs.map((x, i) => ({ x, y: Number.isFinite(curve.band!.upper[i]) ? curve.band!.upper[i] : null })), { pointRadius: 0 }));
      datasets.push(lineDataset(`${label} −std`, { ...rgba, alpha: 0 }, curve.epochs.map((x, i) => ({ x, y: Number.isFinite(curve.band!.lower[i]) ? curve.band!.lower[i] : null })), { pointRadius: 0, fill: '-1', backgroundColor: css(rgba, 0.18) }));
    }
    datasets.push(lineDataset(label, rgba, points, { borderWidth: 2, pointRadius: 2, ...(colour.dashed ? { borderDash: [6, 4] } : {}) }));
    dataRows.push(element('tr', { 'data-id': item.id, 'data-colour': colour.colour },
      element('th', { scope: 'row' }, label), element('td', { class: 'values' }, curve.values.map((value) => (Number.isFinite(value) ? String(value) : '—')).join(' '))));
  }
  overlayChart.data.datasets = datasets;
  overlayChart.options.scales!.y = { type: 'linear', title: { display: true, text: metric === 'loss' ? 'val loss' : metric } };
  // Band edges stay out of the legend: only the curves are named.
  overlayChart.options.plugins!.legend = { position: 'bottom', labels: { filter: (legendItem) => !/ [+−]std$/.test(legendItem.text) } };
  overlayChart.update('none');
  overlayData.replaceChildren(element('caption', {}, `${metric === 'loss' ? 'val loss' : metric} per epoch`), ...dataRows);
}

// ------------------------------------------------------------------------------------------------ parallel coordinates

function renderParallel(items: TableItem[]): void {
  const metric = connection.uiState.metric;
  const parameters = (table?.parameters ?? []).filter((path) => path !== table?.seedPath || !connection.uiState.grouped);
  const metricKey = '\u0000metric';
  const axes = [...parameters.map((path) => ({ key: path, label: path.split('.').at(-1) ?? path })), { key: metricKey, label: `best ${metric === 'loss' ? 'val loss' : metric}` }];
  const width = Math.max(320, parallelSvg.parentElement?.clientWidth ?? 600);
  const height = 260;
  const layout = parallelCoordinates(axes, items.map((item) => ({
    id: item.id,
    values: { ...Object.fromEntries(parameters.map((path) => [path, itemParameter(item, path)])), [metricKey]: itemStatistic(item, { kind: 'metric', figure: 'best', metric })?.mean },
  })), { width, height, top: 24, bottom: 16, side: 60 });
  parallelSvg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  parallelSvg.setAttribute('width', String(width));
  parallelSvg.setAttribute('height', String(height));
  const children: SVGElement[] = [];
  // Unselected lines first (faint), selected ones on top in their colours.
  const ordered = [...layout.lines].sort((a, b) => Number(slots.has(a.id)) - Number(slots.has(b.id)));
  for (const line of ordered) {
    const colour = colourOf(line.id);
    const segments: string[] = [];
    let pen = 'M';
    for (const point of line.points) {
      if (point.y === undefined) {
        pen = 'M';
        continue;
      }
      segments.push(`${pen}${point.x.toFixed(1)},${point.y.toFixed(1)}`);
      pen = 'L';
    }
    const path = svgElement('path', { d: segments.join(' '), class: colour ? 'line selected' : 'line', 'data-id': line.id });
    if (colour) path.style.stroke = colour.colour;
    if (colour?.dashed) path.setAttribute('stroke-dasharray', '6 4');
    children.push(path);
  }
  layout.axes.forEach((axis, index) => {
    // Tick labels left of each axis, right of the last one (the metric), so none runs off the box.
    const last = index === layout.axes.length - 1 && index > 0;
    const group = svgElement('g', { class: 'axis' });
    group.append(svgElement('line', { x1: axis.x, x2: axis.x, y1: 24, y2: height - 16 }));
    const title = svgElement('text', { x: axis.x, y: 14, class: 'axis-title', 'text-anchor': 'middle' });
    title.textContent = axis.label + (axis.scale === 'log' ? ' (log)' : '');
    group.append(title);
    for (const tick of axis.ticks) {
      const label = svgElement('text', { x: last ? axis.x + 4 : axis.x - 4, y: tick.y + 4, class: 'tick', 'text-anchor': last ? 'start' : 'end' });
      label.textContent = tick.label;
      group.append(label);
    }
    children.push(group);
  });
  parallelSvg.replaceChildren(...children);
}

// ------------------------------------------------------------------------------------------------ spec diff

function renderSpecDiff(): void {
  const runs = selectedItems().filter((item) => item.kind === 'run');
  diffButton.toggleAttribute('disabled', runs.length !== 2);
  if (!specDiff || !table) return;
  const name = (id: string) => table!.rows.find((row) => row.id === id)?.name ?? id;
  const value = (v: SpecDifference['left']) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  if (specDiff.differences.length === 0) {
    diffBody.replaceChildren(element('p', {}, `${name(specDiff.left)} and ${name(specDiff.right)} trained the same spec.`));
    return;
  }
  diffBody.replaceChildren(element('table', { class: 'spec-diff' },
    element('thead', {}, element('tr', {}, element('th', { scope: 'col' }, 'spec path'), element('th', { scope: 'col' }, name(specDiff.left)), element('th', { scope: 'col' }, name(specDiff.right)))),
    element('tbody', {}, ...specDiff.differences.map((difference) => element('tr', {},
      element('th', { scope: 'row' }, difference.path), element('td', {}, value(difference.left)), element('td', {}, value(difference.right))))),
  ));
}

// ------------------------------------------------------------------------------------------------ render

function renderControls(): void {
  if (!table) return;
  const options = (select: HTMLElement, entries: [string, string][], current: string) => {
    select.replaceChildren(...entries.map(([value, label]) => {
      const option = element('vscode-option', { value }, label);
      if (value === current) option.setAttribute('selected', '');
      return option;
    }));
  };
  const scopeKey = table.scopes.map((scope) => `${scope.id}\n${scope.label}`).join('\n') + table.scope;
  if (scopeSelect.dataset.key !== scopeKey) {
    scopeSelect.dataset.key = scopeKey;
    options(scopeSelect, table.scopes.map((scope) => [scope.id, scope.label]), table.scope);
  }
  if (!table.metrics.includes(connection.uiState.metric)) connection.saveUiState({ metric: table.metrics[0] ?? 'loss' });
  const metricKey = table.metrics.join('\n') + connection.uiState.metric;
  if (metricSelect.dataset.key !== metricKey) {
    metricSelect.dataset.key = metricKey;
    options(metricSelect, table.metrics.map((metric) => [metric, metric === 'loss' ? 'val loss' : metric]), connection.uiState.metric);
  }
}

function render(): void {
  renderControls();
  const sort = connection.uiState.sort;
  let items = filterItems(allItems(), connection.uiState.filter);
  if (sort) items = sortItems(items, sort.column, sort.direction);
  renderHead();
  renderBody(items);
  const runCount = table?.rows.length ?? 0;
  const running = table?.rows.filter((row) => row.status === 'running').length ?? 0;
  const parts = [`${runCount} run${runCount === 1 ? '' : 's'}`];
  if (running > 0) parts.push(`${running} running`);
  if (items.length !== allItems().length) parts.push(`${items.length} shown`);
  parts.push(`${connection.uiState.selected.length} selected`);
  if (table?.objective) parts.push(`sweep metric: ${table.objective.direction} ${table.objective.name}`);
  const sweep = table?.sweep;
  // A sweep's rows appear as its trials start: say how far it is.
  if (sweep) parts.unshift(`sweep ${sweep.status}: ${sweep.ended} of ${sweep.trials} trials ended${sweep.running > 0 ? `, ${sweep.running} training` : ''}${sweep.pending > 0 ? `, ${sweep.pending} to start` : ''}`);
  stopSweepButton.toggleAttribute('hidden', !sweep?.stoppable);
  summary.textContent = table ? parts.join(' · ') : 'Waiting for the runs…';
  renderOverlay();
  renderParallel(items);
  renderSpecDiff();
}

const scheduleRender = frameScheduler(render);

function handleHostMessage(message: HostToRunsTable): void {
  switch (message.type) {
    case 'runsTable': {
      const scopeChanged = table !== undefined && table.scope !== message.table.scope;
      table = message.table;
      if (scopeChanged || connection.uiState.scope !== table.scope) connection.saveUiState({ scope: table.scope });
      // Selected items that left the table (another scope, a deleted run) lose their selection and colour.
      const present = new Set(allItems().map((item) => item.id));
      const kept = connection.uiState.selected.filter((id) => present.has(id));
      if (kept.length !== connection.uiState.selected.length) setSelection(kept);
      else selectionChanged();
      return;
    }
    case 'runsCurves':
      curves.clear();
      for (const curve of message.curves) curves.set(curve.id, curve);
      break;
    case 'specDiff':
      specDiff = { left: message.left, right: message.right, differences: message.differences };
      break;
    case 'select': {
      // A run of a group selects its group.
      const wanted = new Set(message.ids);
      setSelection(allItems().filter((item) => item.rows.some((row) => wanted.has(row.id))).map((item) => item.id));
      return;
    }
  }
  scheduleRender();
}

onThemeChange(() => {
  theme = readThemeColours();
  applyThemeToChartDefaults(theme);
  restyleChart(overlayChart, theme);
  render();
});
window.addEventListener('resize', scheduleRender);
render();
