/**
 * Colours from the VS Code theme's CSS variables (the only colour source, so light, dark and high-contrast
 * themes all read well), and a hook to redraw when the user switches theme.
 */
import { parseCssColour, type Rgba } from './colourScale';

export interface ThemeColours {
  foreground: Rgba;
  background: Rgba;
  gridLines: Rgba;
  focusBorder: Rgba;
  /** The charts.* palette in a fixed order: series i uses palette[i % length]. */
  palette: Rgba[];
  blue: Rgba;
  red: Rgba;
  green: Rgba;
  yellow: Rgba;
  orange: Rgba;
  purple: Rgba;
  fontFamily: string;
  fontSize: number;
}

function readVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
}

/** The first of `names` that the theme defines and that parses, else `fallback` (a neutral grey is never invisible). */
function themeColour(names: string[], fallback: string): Rgba {
  for (const name of names) {
    const colour = parseCssColour(readVariable(name));
    if (colour !== undefined) return colour;
  }
  return parseCssColour(fallback) as Rgba;
}

export function readThemeColours(): ThemeColours {
  const foreground = themeColour(['--vscode-charts-foreground', '--vscode-editor-foreground', '--vscode-foreground'], '#808080');
  const background = themeColour(['--vscode-editor-background'], '#808080');
  const blue = themeColour(['--vscode-charts-blue'], '#808080');
  const red = themeColour(['--vscode-charts-red'], '#808080');
  const green = themeColour(['--vscode-charts-green'], '#808080');
  const yellow = themeColour(['--vscode-charts-yellow'], '#808080');
  const orange = themeColour(['--vscode-charts-orange'], '#808080');
  const purple = themeColour(['--vscode-charts-purple'], '#808080');
  const fontSize = parseFloat(readVariable('--vscode-font-size'));
  return {
    foreground,
    background,
    gridLines: themeColour(['--vscode-charts-lines'], '#80808080'),
    focusBorder: themeColour(['--vscode-focusBorder'], '#808080'),
    palette: [blue, orange, green, purple, red, yellow],
    blue, red, green, yellow, orange, purple,
    fontFamily: readVariable('--vscode-font-family') || 'sans-serif',
    fontSize: Number.isFinite(fontSize) ? fontSize : 13,
  };
}

/** VS Code swaps the body's theme class (vscode-light / vscode-dark / vscode-high-contrast) and the variables. */
export function onThemeChange(redraw: () => void): void {
  new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
