/**
 * The webview panels: one per kind, each with a strict nonce CSP and `localResourceRoots` limited to the panel
 * bundles and media. Every message from a panel is validated before use. Panels persist only UI state: on
 * (re)load the script posts `ready` and the host answers with the data (history replay, diagram), which also
 * makes them restorable after a window reload through a serializer.
 */
import * as vscode from 'vscode';
import { readdirSync } from 'node:fs';
import type { HostToWebview, PanelKind, WebviewToHost } from '../train/protocol';
import { PANEL_KINDS, validateWebviewMessage } from '../train/protocolValidate';
import { buildWebviewHtml, createNonce } from './webviewHtml';

export const PANEL_TITLES: Record<PanelKind, string> = {
  dashboard: 'SeqLab: Training Dashboard',
  gates: 'SeqLab: Gate Activations',
  gradients: 'SeqLab: Gradient Flow',
  architecture: 'SeqLab: Architecture',
  predictions: 'SeqLab: Predictions',
};

/**
 * How long to wait for `ready` before trying again with a visible panel: quick retries first, then slower ones
 * for about two minutes.
 */
const READY_RETRY_DELAYS_MS = [5000, 5000, 5000, 10_000, 10_000, 15_000, 20_000, 30_000, 30_000];
/**
 * Setting the HTML again reuses the webview's frame, and a frame restored after a window reload in code-server was
 * seen to fail every load in it; a new panel gets a new frame. So after this many re-renders the panel is replaced
 * (at most MAX_RECREATIONS times in a row).
 */
const RERENDERS_BEFORE_RECREATING = 2;
const MAX_RECREATIONS = 2;

export const panelViewType = (kind: PanelKind) => `seqlab.${kind}`;

export interface PanelHost {
  log(line: string): void;
  /** Messages for a panel that just said `ready`: status and history, or the diagram. */
  initialMessages(kind: PanelKind): HostToWebview[];
  /** A validated message other than `ready`. */
  handleMessage(kind: PanelKind, message: WebviewToHost): void;
  /** For the test API: every validated message, and every refused one. */
  recordMessage(kind: PanelKind, message: WebviewToHost | { refused: string }): void;
}

/** Options of every SeqLab webview (the runs table's too). */
export function panelWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    // Only the panel bundles and media may load; nothing else in the extension or the workspace.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    enableFindWidget: false,
  };
}

/** The shared stylesheets (media/webview/*.css) as webview URIs, in name order. */
export function panelStylesheetUris(extensionUri: vscode.Uri, webview: vscode.Webview): string[] {
  const cssDir = vscode.Uri.joinPath(extensionUri, 'media', 'webview');
  let names: string[] = [];
  try {
    names = readdirSync(cssDir.fsPath).filter((name) => name.endsWith('.css')).sort();
  } catch {
    /* no stylesheets shipped */
  }
  return names.map((name) => webview.asWebviewUri(vscode.Uri.joinPath(cssDir, name)).toString());
}

export class PanelManager implements vscode.Disposable {
  private readonly panels = new Map<PanelKind, vscode.WebviewPanel>();
  private readonly readyPanels = new Set<PanelKind>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly host: PanelHost) {
    for (const kind of PANEL_KINDS) {
      this.disposables.push(vscode.window.registerWebviewPanelSerializer(panelViewType(kind), {
        deserializeWebviewPanel: async (panel) => {
          this.host.log(`restoring the ${kind} panel`);
          this.adopt(kind, panel);
        },
      }));
    }
  }

  isOpen(kind: PanelKind): boolean {
    return this.panels.has(kind);
  }

  isReady(kind: PanelKind): boolean {
    return this.readyPanels.has(kind);
  }

  /**
   * Opens the panel (or reveals it) beside the spec, never over it: in the group of the panels already open, or
   * in a new group beside the active editor.
   */
  show(kind: PanelKind, preserveFocus = false): vscode.WebviewPanel {
    const existing = this.panels.get(kind);
    if (existing) {
      existing.reveal(undefined, preserveFocus);
      return existing;
    }
    const column = [...this.panels.values()].find((open) => open.viewColumn !== undefined)?.viewColumn ?? vscode.ViewColumn.Beside;
    const panel = vscode.window.createWebviewPanel(panelViewType(kind), PANEL_TITLES[kind], { viewColumn: column, preserveFocus }, this.webviewOptions());
    this.adopt(kind, panel);
    return panel;
  }

  /** Sends a message to one panel if it is open and has said `ready` (earlier ones would be lost). */
  post(kind: PanelKind, message: HostToWebview): void {
    if (!this.readyPanels.has(kind)) return;
    void this.panels.get(kind)?.webview.postMessage(message);
  }

  /** Sends a message to every open training panel (all kinds but the architecture diagram). */
  broadcast(message: HostToWebview): void {
    for (const kind of this.panels.keys()) if (kind !== 'architecture') this.post(kind, message);
  }

  /** Re-sends the initial data to every ready panel, e.g. when another run is selected. */
  refreshAll(): void {
    for (const kind of this.readyPanels) for (const message of this.host.initialMessages(kind)) this.post(kind, message);
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return panelWebviewOptions(this.extensionUri);
  }

  private stylesheetUris(webview: vscode.Webview): string[] {
    return panelStylesheetUris(this.extensionUri, webview);
  }

  /** A new panel in the same editor group, with a new frame, in place of one that never loaded its script. */
  private recreate(kind: PanelKind, stale: vscode.WebviewPanel, recreations: number): void {
    this.host.log(`the ${kind} panel is still blank; opening it afresh`);
    const column = stale.viewColumn ?? vscode.ViewColumn.Active;
    const fresh = vscode.window.createWebviewPanel(panelViewType(kind), PANEL_TITLES[kind], { viewColumn: column, preserveFocus: true }, this.webviewOptions());
    this.adopt(kind, fresh, recreations);
  }

  private adopt(kind: PanelKind, panel: vscode.WebviewPanel, recreations = 0): void {
    this.panels.get(kind)?.dispose();
    this.panels.set(kind, panel);
    this.readyPanels.delete(kind);
    panel.webview.options = this.webviewOptions();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'seqlab.svg');
    const webview = panel.webview;
    const render = () => {
      webview.html = buildWebviewHtml({
        panel: kind,
        title: PANEL_TITLES[kind],
        cspSource: webview.cspSource,
        nonce: createNonce(),
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', `${kind}.js`)).toString(),
        styleUris: this.stylesheetUris(webview),
      });
    };
    render();
    // In VS Code for the Web a webview restored at start-up can request its script before the resource service
    // worker serves it, and the panel stays blank. A visible panel that has not said `ready` is rendered again.
    let readyWatchdog: ReturnType<typeof setTimeout> | undefined;
    const watchForReady = () => {
      clearTimeout(readyWatchdog);
      let retries = 0;
      const check = () => {
        if (this.readyPanels.has(kind) || retries >= READY_RETRY_DELAYS_MS.length) return;
        // A hidden panel is not rendered by the workbench; it is watched again when it becomes visible.
        if (!panel.visible) return;
        retries++;
        if (retries > RERENDERS_BEFORE_RECREATING && recreations < MAX_RECREATIONS) {
          this.recreate(kind, panel, recreations + 1);
          return;
        }
        this.host.log(`the ${kind} panel did not load its script; rendering it again (attempt ${retries + 1})`);
        render();
        if (retries < READY_RETRY_DELAYS_MS.length) readyWatchdog = setTimeout(check, READY_RETRY_DELAYS_MS[retries]);
      };
      readyWatchdog = setTimeout(check, READY_RETRY_DELAYS_MS[0]);
    };
    watchForReady();
    const subscriptions: vscode.Disposable[] = [{ dispose: () => clearTimeout(readyWatchdog) }];
    // A hidden webview's page is discarded (no retainContextWhenHidden) and reloads when shown: until it says
    // `ready` again, messages to it would be lost, so it counts as not ready.
    subscriptions.push(panel.onDidChangeViewState(() => {
      if (!panel.visible) this.readyPanels.delete(kind);
      else if (!this.readyPanels.has(kind)) watchForReady();
    }));
    subscriptions.push(webview.onDidReceiveMessage((raw: unknown) => {
      const result = validateWebviewMessage(raw);
      if (!result.ok) {
        this.host.log(`ignored a message from the ${kind} panel: ${result.reason}`);
        this.host.recordMessage(kind, { refused: result.reason });
        return;
      }
      this.host.recordMessage(kind, result.message);
      if (result.message.type === 'ready') {
        if (result.message.panel !== kind) this.host.log(`the ${kind} panel announced itself as ${result.message.panel}`);
        this.readyPanels.add(kind);
        for (const message of this.host.initialMessages(kind)) void webview.postMessage(message);
        return;
      }
      this.host.handleMessage(kind, result.message);
    }));
    subscriptions.push(panel.onDidDispose(() => {
      if (this.panels.get(kind) === panel) {
        this.panels.delete(kind);
        this.readyPanels.delete(kind);
      }
      for (const subscription of subscriptions) subscription.dispose();
    }));
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
