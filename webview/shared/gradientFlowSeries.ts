/**
 * Gradient-flow maths: which snapshots to draw (the latest bold, a few earlier ones faded) and how to make
 * norms safe for a logarithmic axis. Pure: no DOM.
 */
import type { GradientFlow } from '../../src/train/protocol';

/** Indices of the snapshots to draw, oldest first: up to `earlierCount` evenly spaced earlier ones, then the latest. */
export function snapshotIndicesToDraw(snapshotCount: number, earlierCount: number): number[] {
  if (snapshotCount <= 0) return [];
  const latest = snapshotCount - 1;
  const earlierAvailable = latest; // indices 0..latest-1
  const take = Math.min(earlierCount, earlierAvailable);
  const indices = new Set<number>();
  // Spread over the history, always including the very first snapshot (the untrained model).
  for (let i = 0; i < take; i++) indices.add(take === 1 ? 0 : Math.round((i * (earlierAvailable - 1)) / (take - 1)));
  return [...indices].sort((a, b) => a - b).concat(latest);
}

/** Opacity of a drawn snapshot: the latest 1, earlier ones fading with age (oldest faintest). */
export function snapshotOpacity(position: number, drawnCount: number): number {
  if (position === drawnCount - 1) return 1;
  return 0.2 + (0.35 * (position + 1)) / Math.max(1, drawnCount - 1);
}

/** A logarithmic axis cannot show 0 or negative values: those become gaps (null) instead of breaking the scale. */
export function normsForLogScale(norms: readonly number[]): (number | null)[] {
  return norms.map((v) => (Number.isFinite(v) && v > 0 ? v : null));
}

/** ‖∂L/∂h_0‖ / ‖∂L/∂h_{T-1}‖ for one layer: far below 1 means the gradient vanishes going back in time. */
export function earliestToLatestRatio(norms: readonly number[]): number | undefined {
  if (norms.length < 2) return undefined;
  const first = norms[0];
  const last = norms[norms.length - 1];
  if (!(Number.isFinite(first) && Number.isFinite(last) && last > 0)) return undefined;
  return first / last;
}

export interface GradientFlowLine {
  layer: number;
  step: number;
  epoch: number;
  latest: boolean;
  opacity: number;
  /** [T] values, null where the log axis cannot draw them. */
  values: (number | null)[];
}

/** The lines of the chart for a history of snapshots: per drawn snapshot, one line per layer. */
export function gradientFlowLines(snapshots: readonly GradientFlow[], earlierCount: number): GradientFlowLine[] {
  const indices = snapshotIndicesToDraw(snapshots.length, earlierCount);
  const lines: GradientFlowLine[] = [];
  indices.forEach((snapshotIndex, position) => {
    const snapshot = snapshots[snapshotIndex];
    const latest = position === indices.length - 1;
    snapshot.norms.forEach((layerNorms, layer) => {
      lines.push({ layer, step: snapshot.step, epoch: snapshot.epoch, latest, opacity: snapshotOpacity(position, indices.length), values: normsForLogScale(layerNorms) });
    });
  });
  return lines;
}
