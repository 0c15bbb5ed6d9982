/**
 * How numbers and durations read wherever SeqLab shows them: the panels, the extension's views and status bar, the
 * spec hover and the CLI. One module for both sides: it imports nothing (no DOM, no Node, no vscode), so the
 * webview bundles may import its values, the only module under src/ they may (test/invariants.test.ts).
 */

/** 45 → "45s", 125 → "2m 05s", 3720 → "1h 02m"; negative or non-finite → "—". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** A terminal clock for progress lines and tables: 95 → "1:35", 3725 → "1:02:05"; negative or non-finite → "--:--". */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Integers with thousands separators, independent of the browser's locale (so tests are stable). */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const sign = value < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(value))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Four significant digits; scientific notation for very small or large magnitudes (losses, gradient norms). */
export function formatScalar(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) return value.toExponential(2);
  return String(+value.toPrecision(4));
}

const superscriptDigits: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** Tick label of a logarithmic axis: "10⁻³" at exact powers of ten, "" between them (keeps the axis readable). */
export function powerOfTenLabel(value: number): string {
  if (!(value > 0)) return '';
  const exponent = Math.round(Math.log10(value));
  if (Math.abs(value / 10 ** exponent - 1) > 1e-9) return '';
  if (exponent === 0) return '1';
  if (exponent === 1) return '10';
  return `10${[...String(exponent)].map((c) => superscriptDigits[c]).join('')}`;
}

/**
 * Tick label of a logarithmic axis spanning [minimum, maximum]: over two decades or more only powers of ten are
 * labelled (the 2…9 ticks would overprint); over a narrower span also the 2 and 5 ticks, so the axis keeps labels.
 */
export function logAxisTickLabel(value: number, minimum: number, maximum: number): string {
  const wide = !(minimum > 0 && maximum > minimum) || Math.log10(maximum / minimum) >= 2;
  if (wide || !(value > 0)) return powerOfTenLabel(value);
  // Narrow axis: plain numbers throughout (0.05, 0.1, 0.2), not a mix with 10⁻¹.
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-12);
  return [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9) ? formatScalar(value) : '';
}

/** 1,234 → "1.2 kB"; binary-free SI units as VS Code shows file sizes. */
export function formatBytes(bytes: number): string {
  return withSiPrefix(bytes, 'B');
}

/** FLOPs with an SI prefix: 2.13 MFLOPs. */
export function formatFlops(flops: number): string {
  return withSiPrefix(flops, 'FLOPs');
}

/** A value in steps of 1000 up to tera, as "1.2 kB": two decimals below 10 of a prefix, one above, none unscaled. */
function withSiPrefix(value: number, unit: string): string {
  const prefixes = ['', 'k', 'M', 'G', 'T'];
  let scaled = value;
  let prefix = 0;
  while (scaled >= 1000 && prefix < prefixes.length - 1) {
    scaled /= 1000;
    prefix++;
  }
  return `${prefix === 0 ? scaled : scaled.toFixed(scaled < 10 ? 2 : 1)} ${prefixes[prefix]}${unit}`;
}
