/**
 * The runs table panel (webview/runs): one spec's runs or one sweep's trials as a table, overlaid curves of the
 * selected rows, parallel coordinates and the spec diff of two rows. The host sends the table whenever the
 * RunsIndex changes (live while runs train) and a row's curves when the panel asks for them; it answers only
 * for rows it sent, so the panel never names a path of its own. Restorable after a window reload.
 */
import * as vscode from 'vscode';
import { diffSpecs } from '../modelSpec/specDiff';
import type { HostToRunsTable, RunsTable } from '../train/protocol';
import { validateRunsTableMessage } from '../train/runsTableValidate';
import { panelStylesheetUris, panelWebviewOptions } from './panels';
import { effectiveSpec, type RunRecord } from './runRecords';
import type { RunsIndex } from './runsIndex';
import { runCurve, tableOfScope } from './runsTableData';
import type { SweepSessions } from './sweepSessions';
import { buildWebviewHtml, createNonce } from './webviewHtml';

export const RUNS_TABLE_VIEW_TYPE = 'seqlab.runs';
const TITLE = 'SeqLab: Runs Table';

export class RunsTablePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private scope: string | undefined;
  /** The scope of the table last built (the requested one, or the first when that is gone). */
  private shownScope: string | undefined;
  private requestedCurves: string[] = [];
  /** Rows to select once the panel has the table (from the Runs view's selection). */
  private pendingSelection: string[] | undefined;
  /** The records behind the rows last sent: the only folders the panel may ask about. */
  private records = new Map<string, RunRecord>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly index: RunsIndex, private readonly log: (line: string) => void, private readonly sweeps?: SweepSessions) {
    this.disposables.push(vscode.window.registerWebviewPanelSerializer(RUNS_TABLE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => this.adopt(panel),
    }));
    this.disposables.push(index.onDidChange(() => this.sendTableAndCurves()));
  }

  /** Opens (or reveals) the table, showing `scope` when given, with the rows `select` selected. */
  show(scope?: string, select?: string[]): void {
    if (scope !== undefined) this.scope = scope;
    if (select !== undefined && select.length > 0) this.pendingSelection = select;
    if (this.panel) {
      this.panel.reveal(undefined, false);
      this.sendTableAndCurves();
      return;
    }
    this.adopt(vscode.window.createWebviewPanel(RUNS_TABLE_VIEW_TYPE, TITLE, vscode.ViewColumn.Active, panelWebviewOptions(this.extensionUri)));
  }

  isReady(): boolean {
    return this.ready;
  }

  /** The table as the panel would get it now (also for the extension-host tests). */
  table(): RunsTable {
    const { runs, sweeps } = this.index.snapshot();
    const { table, records } = tableOfScope(this.scope, runs, sweeps);
    this.shownScope = table.scope;
    this.records = records;
    return table;
  }

  private post(message: HostToRunsTable): void {
    if (this.ready) void this.panel?.webview.postMessage(message);
  }

  private sendTableAndCurves(): void {
    if (!this.ready) return;
    this.post({ type: 'runsTable', table: this.table() });
    if (this.pendingSelection) {
      this.post({ type: 'select', ids: this.pendingSelection.filter((id) => this.records.has(id)) });
      this.pendingSelection = undefined;
    }
    this.sendCurves(this.requestedCurves);
  }

  private sendCurves(ids: readonly string[]): void {
    const curves = ids.flatMap((id) => {
      const record = this.records.get(id);
      return record ? [runCurve(record)] : [];
    });
    this.post({ type: 'runsCurves', curves });
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.ready = false;
    panel.webview.options = panelWebviewOptions(this.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'seqlab.svg');
    const webview = panel.webview;
    webview.html = buildWebviewHtml({
      panel: 'runs', title: TITLE, cspSource: webview.cspSource, nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'runs.js')).toString(),
      styleUris: panelStylesheetUris(this.extensionUri, webview),
    });
    const subscriptions: vscode.Disposable[] = [];
    // A hidden webview's page is discarded and reloads when shown: it is not ready until it says so again.
    subscriptions.push(panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready = false;
    }));
    subscriptions.push(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    subscriptions.push(panel.onDidDispose(() => {
      if (this.panel === panel) {
        this.panel = undefined;
        this.ready = false;
      }
      for (const subscription of subscriptions) subscription.dispose();
    }));
  }

  private receive(raw: unknown): void {
    const result = validateRunsTableMessage(raw);
    if (!result.ok) {
      this.log(`ignored a message from the runs table: ${result.reason}`);
      return;
    }
    const message = result.message;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendTableAndCurves();
        break;
      case 'setScope':
        this.scope = message.scope;
        this.sendTableAndCurves();
        break;
      case 'restoreScope':
        // After a window reload the host has no scope yet; otherwise its own (Run Sweep's sweep) stands.
        if (this.scope === undefined) {
          this.scope = message.scope;
          this.sendTableAndCurves();
        }
        break;
      case 'requestCurves':
        this.requestedCurves = message.ids.filter((id) => this.records.has(id));
        this.sendCurves(this.requestedCurves);
        break;
      case 'requestSpecDiff': {
        const left = this.records.get(message.left);
        const right = this.records.get(message.right);
        if (left && right) this.post({ type: 'specDiff', left: message.left, right: message.right, differences: diffSpecs(effectiveSpec(left), effectiveSpec(right)) });
        break;
      }
      case 'openRun':
        if (this.records.has(message.id)) void vscode.commands.executeCommand('seqlab.openRun', message.id);
        break;
      case 'stopSweep': {
        // Only the sweep the table shows, and only one this window runs.
        const dir = message.scope.slice('sweep:'.length);
        if (message.scope === this.shownScope && this.sweeps?.get(dir)) this.sweeps.stop(dir);
        else this.log(`ignored stopSweep for ${message.scope}: not the running sweep the table shows`);
        break;
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
