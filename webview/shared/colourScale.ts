/**
 * Colour maths for heatmaps and legends, on colours read from the theme's `--vscode-*` variables, so a
 * heatmap is readable on light, dark and high-contrast backgrounds alike. Pure: no DOM.
 */

export interface Rgba {
  red: number; // 0..255
  green: number;
  blue: number;
  alpha: number; // 0..1
}

/** Parses the colour forms VS Code themes use in CSS variables: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba(). */
export function parseCssColour(text: string): Rgba | undefined {
  const trimmed = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(trimmed);
  if (hex) {
    let digits = hex[1];
    if (digits.length === 3 || digits.length === 4) digits = [...digits].map((d) => d + d).join('');
    if (digits.length !== 6 && digits.length !== 8) return undefined;
    const byte = (i: number) => parseInt(digits.slice(i, i + 2), 16);
    return { red: byte(0), green: byte(2), blue: byte(4), alpha: digits.length === 8 ? byte(6) / 255 : 1 };
  }
  const functional = /^rgba?\(\s*([^)]*)\)$/.exec(trimmed);
  if (functional) {
    const parts = functional[1].split(/[\s,/]+/).filter((p) => p.length > 0);
    if (parts.length < 3 || parts.length > 4) return undefined;
    const channel = (p: string) => (p.endsWith('%') ? (parseFloat(p) / 100) * 255 : parseFloat(p));
    const alphaPart = parts[3];
    const alpha = alphaPart === undefined ? 1 : alphaPart.endsWith('%') ? parseFloat(alphaPart) / 100 : parseFloat(alphaPart);
    const values = [channel(parts[0]), channel(parts[1]), channel(parts[2]), alpha];
    if (values.some((v) => !Number.isFinite(v))) return undefined;
    return { red: values[0], green: values[1], blue: values[2], alpha: values[3] };
  }
  return undefined;
}

export function formatCssColour(colour: Rgba): string {
  const round = (v: number) => Math.round(Math.min(255, Math.max(0, v)));
  return `rgba(${round(colour.red)}, ${round(colour.green)}, ${round(colour.blue)}, ${+Math.min(1, Math.max(0, colour.alpha)).toFixed(3)})`;
}

/** The same colour with another alpha: faded lines and compare overlays. */
export function withAlpha(colour: Rgba, alpha: number): Rgba {
  return { ...colour, alpha };
}

/** Straight interpolation from `from` (t = 0) to `to` (t = 1), t clamped to [0, 1]. */
export function mixColours(from: Rgba, to: Rgba, t: number): Rgba {
  const s = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  return {
    red: from.red + (to.red - from.red) * s,
    green: from.green + (to.green - from.green) * s,
    blue: from.blue + (to.blue - from.blue) * s,
    alpha: from.alpha + (to.alpha - from.alpha) * s,
  };
}

/** Maps a value to a colour. `minimum`/`maximum` are the ends of the legend. */
export interface ColourScale {
  minimum: number;
  maximum: number;
  colourOf(value: number): Rgba;
}

/** Background at `minimum` to `high` at `maximum`: sigmoid gates (0 = closed, 1 = open). */
export function sequentialScale(minimum: number, maximum: number, background: Rgba, high: Rgba): ColourScale {
  const span = maximum - minimum || 1;
  return { minimum, maximum, colourOf: (value) => mixColours(background, high, (value - minimum) / span) };
}

/** `negative` at `minimum`, background at the midpoint, `positive` at `maximum`: tanh values and the cell state. */
export function divergingScale(minimum: number, maximum: number, negative: Rgba, background: Rgba, positive: Rgba): ColourScale {
  const middle = (minimum + maximum) / 2;
  const halfSpan = (maximum - minimum) / 2 || 1;
  return {
    minimum,
    maximum,
    colourOf: (value) => {
      const t = (value - middle) / halfSpan;
      return t >= 0 ? mixColours(background, positive, t) : mixColours(background, negative, -t);
    },
  };
}

/** Evenly spaced legend stops from minimum to maximum (count ≥ 2). */
export function legendStops(scale: ColourScale, count: number): { value: number; colour: Rgba }[] {
  const stops: { value: number; colour: Rgba }[] = [];
  for (let i = 0; i < count; i++) {
    const value = scale.minimum + ((scale.maximum - scale.minimum) * i) / (count - 1);
    stops.push({ value, colour: scale.colourOf(value) });
  }
  return stops;
}
