/**
 * chart.js set up for the panels: only the pieces they use are registered (tree-shaken bundle), no animation
 * (live data at ~10 updates/s, and nothing that needs `unsafe-eval`), and theme colours from `--vscode-*`.
 */
import {
  CategoryScale, Chart, Decimation, Filler, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip,
  type ChartConfiguration, type ChartDataset, type ScaleOptionsByType,
} from 'chart.js';
import { formatCssColour, withAlpha, type Rgba } from './colourScale';
import { logAxisTickLabel } from '../../src/format/display';
import type { ThemeColours } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Legend, Tooltip, Filler, Decimation);

export { Chart };
export type LineChart = Chart<'line', (number | null)[] | { x: number; y: number | null }[], unknown>;

export function css(colour: Rgba, alpha?: number): string {
  return formatCssColour(alpha === undefined ? colour : withAlpha(colour, alpha));
}

/** Global defaults from the theme; call again after a theme change, then update the charts. */
export function applyThemeToChartDefaults(theme: ThemeColours): void {
  Chart.defaults.color = css(theme.foreground);
  Chart.defaults.borderColor = css(theme.gridLines, Math.min(theme.gridLines.alpha, 0.35));
  Chart.defaults.font.family = theme.fontFamily;
  Chart.defaults.font.size = Math.max(10, theme.fontSize - 1);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
  Chart.defaults.plugins.tooltip.backgroundColor = css(theme.background, 0.95);
  Chart.defaults.plugins.tooltip.titleColor = css(theme.foreground);
  Chart.defaults.plugins.tooltip.bodyColor = css(theme.foreground);
  Chart.defaults.plugins.tooltip.borderColor = css(theme.focusBorder);
  Chart.defaults.plugins.tooltip.borderWidth = 1;
  Chart.defaults.plugins.legend.labels.boxWidth = 18;
  Chart.defaults.plugins.legend.labels.boxHeight = 2;
}

/** Re-applies scale colours of an existing chart after a theme change (the defaults only reach new charts). */
export function restyleChart(chart: Chart, theme: ThemeColours): void {
  for (const scale of Object.values(chart.options.scales ?? {})) {
    if (scale === undefined) continue;
    const s = scale as Partial<ScaleOptionsByType<'linear'>>;
    if (s.ticks) s.ticks.color = css(theme.foreground);
    if (s.grid) s.grid.color = css(theme.gridLines, Math.min(theme.gridLines.alpha, 0.35));
    if (s.title) s.title.color = css(theme.foreground);
  }
  if (chart.options.plugins?.legend?.labels) chart.options.plugins.legend.labels.color = css(theme.foreground);
  chart.update('none');
}

/** A line series with the panels' common look. */
export function lineDataset(label: string, colour: Rgba, data: ChartDataset<'line'>['data'], extra: Partial<ChartDataset<'line'>> = {}): ChartDataset<'line'> {
  return {
    label,
    data,
    borderColor: css(colour),
    backgroundColor: css(colour),
    borderWidth: 1.5,
    pointRadius: 0,
    pointHoverRadius: 3,
    tension: 0,
    spanGaps: false,
    ...extra,
  };
}

/** Options of a y axis: a logarithmic one is labelled only at powers of ten (10⁻³, 10⁻²…). */
export function yAxis(type: 'linear' | 'logarithmic', title: string) {
  return type === 'logarithmic'
    ? { type, title: { display: true, text: title }, ticks: {
        autoSkip: false,
        callback(this: { min: number; max: number }, value: number | string) {
          return logAxisTickLabel(Number(value), this.min, this.max);
        },
      },
      // Grid lines only where a label is: a line at every 2…9 tick would hatch the plot.
      grid: { lineWidth: (context: { tick?: { label?: unknown } }) => (context.tick?.label ? 1 : 0) } }
    : { type, title: { display: true, text: title } };
}

/** x as a number axis (steps, epochs, time), y linear or logarithmic. */
export function xyChartConfiguration(xTitle: string, yTitle: string, yType: 'linear' | 'logarithmic' = 'linear'): ChartConfiguration<'line'> {
  return {
    type: 'line',
    data: { datasets: [] },
    options: {
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      plugins: { legend: { position: 'bottom' } },
      scales: {
        x: { type: 'linear', title: { display: true, text: xTitle } },
        y: yAxis(yType, yTitle),
      },
    },
  };
}
