/**
 * The HTML shell of every panel: a strict Content-Security-Policy (nothing remote, scripts and inline styles only
 * with this page's nonce), the panel's stylesheets and its one script bundle. Pure string building — no `vscode`
 * import — so the policy is unit tested in Node.
 */
import { randomBytes } from 'node:crypto';
import type { PanelKind } from '../train/protocol';

/** 128 random bits from the OS CSPRNG, base64 (a valid CSP nonce value); never Math.random. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/** `cspSource` is the webview's own origin (`webview.cspSource`); nothing else may be loaded. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export interface WebviewHtmlOptions {
  /** The panel's name on `<body data-panel>`: a PanelKind, or `runs` for the runs table. */
  panel: PanelKind | 'runs';
  title: string;
  cspSource: string;
  nonce: string;
  /** `webview.asWebviewUri(dist/webview/<panel>.js)` as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(...)` of each stylesheet, in order. */
  styleUris: string[];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export function buildWebviewHtml(options: WebviewHtmlOptions): string {
  const nonce = escapeHtml(options.nonce);
  const styles = options.styleUris.map((uri) => `  <link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(uri)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(options.cspSource, options.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeHtml(options.title)}</title>
${styles}
</head>
<body data-panel="${options.panel}">
  <main id="app" aria-label="${escapeHtml(options.title)}"></main>
  <script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
