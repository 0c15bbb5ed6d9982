/**
 * Parallel coordinates of parameters → metric: one vertical axis per varied parameter and a last one for the
 * metric, one polyline per run or group. A numeric axis is linear, or logarithmic when its positive values span
 * a factor of 20 or more (learning rates); any other axis places its distinct values evenly (cells, booleans).
 * Pure layout in pixels: the panel draws it as SVG.
 */
import { formatScalar } from '../../src/format/display';

export type AxisValue = string | number | boolean | null | undefined;

export interface AxisInput {
  key: string;
  label: string;
}

export interface AxisLayout {
  key: string;
  label: string;
  x: number;
  scale: 'linear' | 'log' | 'categorical';
  ticks: { y: number; label: string }[];
}

export interface LineLayout {
  id: string;
  /** One point per axis; y is undefined where the item has no value on that axis (the line breaks there). */
  points: { x: number; y: number | undefined }[];
}

export interface Box {
  width: number;
  height: number;
  /** Room for labels: above and below the axes, left of the first and right of the last. */
  top: number;
  bottom: number;
  side: number;
}

type Position = (value: AxisValue) => number | undefined;

function axisScale(values: readonly AxisValue[], top: number, bottom: number): { scale: AxisLayout['scale']; position: Position; ticks: AxisLayout['ticks'] } {
  const present = values.filter((value) => value !== undefined);
  const numbers = present.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  const span = bottom - top;
  if (numbers.length > 0 && numbers.length === present.length) {
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    const log = min > 0 && max / min >= 20;
    const transform = (value: number) => (log ? Math.log10(value) : value);
    const low = transform(min);
    const high = transform(max);
    // Higher values higher up; a single value sits mid-axis.
    const position = (value: AxisValue) => (typeof value === 'number' && Number.isFinite(value) && (!log || value > 0)
      ? (high === low ? top + span / 2 : bottom - ((transform(value) - low) / (high - low)) * span) : undefined);
    const tickValues = high === low ? [min] : log
      ? Array.from({ length: 5 }, (_, i) => 10 ** (low + ((high - low) * i) / 4))
      : Array.from({ length: 5 }, (_, i) => min + ((max - min) * i) / 4);
    return { scale: log ? 'log' : 'linear', position, ticks: tickValues.map((value) => ({ y: position(value) as number, label: formatScalar(value) })) };
  }
  const categories = [...new Set(present.map((value) => String(value)))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const position = (value: AxisValue) => {
    if (value === undefined) return undefined;
    const index = categories.indexOf(String(value));
    if (index < 0) return undefined;
    return categories.length === 1 ? top + span / 2 : bottom - (index / (categories.length - 1)) * span;
  };
  return { scale: 'categorical', position, ticks: categories.map((category) => ({ y: position(category) as number, label: category })) };
}

/** Axes evenly across the box, each scaled to its values; one polyline per item. */
export function parallelCoordinates(axes: readonly AxisInput[], items: readonly { id: string; values: Record<string, AxisValue> }[], box: Box): { axes: AxisLayout[]; lines: LineLayout[] } {
  const top = box.top;
  const bottom = box.height - box.bottom;
  const step = axes.length > 1 ? (box.width - 2 * box.side) / (axes.length - 1) : 0;
  const laidOut = axes.map((axis, index) => {
    const { scale, position, ticks } = axisScale(items.map((item) => item.values[axis.key]), top, bottom);
    return { layout: { key: axis.key, label: axis.label, x: axes.length > 1 ? box.side + index * step : box.width / 2, scale, ticks }, position };
  });
  return {
    axes: laidOut.map(({ layout }) => layout),
    lines: items.map((item) => ({ id: item.id, points: laidOut.map(({ layout, position }) => ({ x: layout.x, y: position(item.values[layout.key]) })) })),
  };
}
