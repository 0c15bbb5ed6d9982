/**
 * The SeqLab Runs view in the Explorer side bar and its actions: open dashboard, resume, stop, compare (overlay
 * on the dashboard), compare specs, reveal folder, export, delete. The nodes come from `runsTreeModel.ts` (pure)
 * over the `RunsIndex`; this file is only the VS Code glue.
 */
import * as vscode from 'vscode';
import { readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { diffSpecs, formatSpecDiff } from '../modelSpec/specDiff';
import type { TrainingRunManager } from './runManager';
import type { RunsIndex } from './runsIndex';
import { effectiveSpec, RunRecordReader, specFileOfRun } from './runRecords';
import { buildRunsTree, STATUS_ICONS, SWEEP_STATUS_ICONS, type RunNode, type RunsTreeNode } from './runsTreeModel';
import type { SessionState } from './sessionState';
import type { PanelManager } from './panels';
import type { RunsTablePanel } from './runsTablePanel';
import { scopeOfRun, scopeOfSpec, scopeOfSweep } from './runsTableData';

export const RUNS_VIEW_ID = 'seqlab.runs';
const SPEC_DIFF_SCHEME = 'seqlab-spec-diff';

class RunsTreeProvider implements vscode.TreeDataProvider<RunsTreeNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly index: RunsIndex) {
    index.onDidChange(() => this.changed.fire());
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    const collapsed = node.kind === 'run' ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Expanded;
    const item = new vscode.TreeItem(node.label, collapsed);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    if (node.kind === 'run') {
      const icon = STATUS_ICONS[node.status];
      item.iconPath = new vscode.ThemeIcon(icon.icon, icon.colour ? new vscode.ThemeColor(icon.colour) : undefined);
      item.contextValue = node.contextValue;
      item.command = { command: 'seqlab.runs.openDashboard', title: 'Open Dashboard', arguments: [node] };
    } else if (node.kind === 'sweep') {
      const icon = SWEEP_STATUS_ICONS[node.status];
      item.iconPath = new vscode.ThemeIcon(icon.icon, icon.colour ? new vscode.ThemeColor(icon.colour) : undefined);
      item.contextValue = node.contextValue;
    } else {
      item.iconPath = new vscode.ThemeIcon('file-code');
      item.contextValue = 'seqlabSpec';
    }
    return item;
  }

  getChildren(node?: RunsTreeNode): RunsTreeNode[] {
    if (node) return node.kind === 'run' ? [] : node.children;
    const { runs, sweeps } = this.index.snapshot();
    return buildRunsTree(runs, sweeps);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The spec diff of two runs as a read-only document (`seqlab-spec-diff:` URIs carry both run folders). */
class SpecDiffDocuments implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const { left, right } = JSON.parse(uri.query) as { left: string; right: string };
    const reader = new RunRecordReader();
    const read = (runDir: string) => {
      const record = reader.readRun(runDir);
      if (!record?.spec) throw new Error(`${join(runDir, 'spec.json')} cannot be read`);
      return effectiveSpec(record);
    };
    return formatSpecDiff(`${basename(left)} (${left})`, `${basename(right)} (${right})`, diffSpecs(read(left), read(right)));
  }
}

export function specDiffUri(left: string, right: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SPEC_DIFF_SCHEME, path: `/${basename(left)} ↔ ${basename(right)}.txt`, query: JSON.stringify({ left, right }) });
}

export interface RunsTreeContext {
  extensionContext: vscode.ExtensionContext;
  index: RunsIndex;
  runs: TrainingRunManager;
  session: SessionState;
  panels: PanelManager;
  table: RunsTablePanel;
  log(line: string): void;
}

/** Run nodes a command acts on: the clicked one, or all selected when it is among them. */
function targets(node: unknown, selection: unknown): RunNode[] {
  const selected = Array.isArray(selection) ? selection.filter((item): item is RunNode => (item as RunsTreeNode | undefined)?.kind === 'run') : [];
  const clicked = (node as RunsTreeNode | undefined)?.kind === 'run' ? (node as RunNode) : undefined;
  if (clicked && selected.some((item) => item.id === clicked.id)) return selected;
  return clicked ? [clicked] : selected;
}

/** A run folder from a node, or picked from all runs (palette). */
async function pickRun(index: RunsIndex, title: string, exclude?: string): Promise<string | undefined> {
  const { runs, sweeps } = index.snapshot();
  const items = [
    ...runs.map((entry) => ({ label: entry.record.name, description: `${entry.record.specName} · ${entry.status}`, runDir: entry.record.runDir })),
    ...sweeps.flatMap((sweep) => sweep.trials.filter((trial) => trial.record).map((trial) => ({ label: `${sweep.name} / ${trial.id}`, description: trial.status, runDir: trial.runDir }))),
  ].filter((item) => item.runDir !== exclude);
  if (items.length === 0) {
    void vscode.window.showInformationMessage('SeqLab: no other run to compare with.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true }))?.runDir;
}

/** Where resume and export find the spec: the file the run came from (a trial: its sweep's base spec), else the run's own copy. */
function specPathOfRun(index: RunsIndex, runDir: string): string {
  const { runs, sweeps } = index.snapshot();
  const record = runs.find((entry) => entry.record.runDir === runDir)?.record;
  const sweep = sweeps.find((candidate) => candidate.trials.some((trial) => trial.runDir === runDir));
  return (record && specFileOfRun(runDir, record.specName)) ?? sweep?.baseSpec ?? join(runDir, 'spec.json');
}

export function registerRunsTree(context: RunsTreeContext): void {
  const { index } = context;
  const provider = new RunsTreeProvider(index);
  const view = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  const subscriptions: vscode.Disposable[] = [provider, view, vscode.workspace.registerTextDocumentContentProvider(SPEC_DIFF_SCHEME, new SpecDiffDocuments())];

  const showSpecDiff = async (left: string, right: string) => {
    const document = await vscode.workspace.openTextDocument(specDiffUri(left, right));
    await vscode.window.showTextDocument(document, { preview: true });
    return document.getText();
  };

  const handlers: Record<string, (node?: unknown, selection?: unknown) => unknown> = {
    'seqlab.runs.refresh': () => index.refreshNow(),
    // From a spec, sweep or run node: the table of that spec's runs or that sweep's trials.
    // With runs selected in the view, they are selected in the table (their curves overlaid).
    'seqlab.showRunsTable': (node, selection) => {
      const clicked = node as RunsTreeNode | undefined;
      const { runs, sweeps } = index.snapshot();
      const scope = clicked?.kind === 'spec' ? scopeOfSpec(clicked.label) : clicked?.kind === 'sweep' ? scopeOfSweep(clicked.dir)
        : clicked?.kind === 'run' ? scopeOfRun(clicked.runDir, runs, sweeps) : undefined;
      context.table.show(scope, targets(node, selection).map((run) => run.runDir));
      return context.table.table();
    },
    'seqlab.runs.openDashboard': (node) => {
      const [run] = targets(node, undefined);
      if (!run) return undefined;
      if (run.liveRunId) {
        const live = context.runs.get(run.liveRunId);
        if (live) context.session.showLiveRun(live);
        context.panels.show('dashboard');
        return run.runDir;
      }
      return vscode.commands.executeCommand('seqlab.openRun', run.runDir);
    },
    'seqlab.runs.compare': (node) => {
      const [run] = targets(node, undefined);
      return run ? vscode.commands.executeCommand('seqlab.compareRuns', run.runDir) : undefined;
    },
    'seqlab.runs.compareSpecs': async (node, selection) => {
      const chosen = targets(node, selection).map((run) => run.runDir);
      if (chosen.length > 2) {
        void vscode.window.showInformationMessage('SeqLab: Compare Specs compares two runs; select two.');
        return undefined;
      }
      const left = chosen[0] ?? (await pickRun(index, 'SeqLab: Compare the spec of which run?'));
      if (!left) return undefined;
      const right = chosen[1] ?? (await pickRun(index, `SeqLab: Compare ${basename(left)}'s spec with which run?`, left));
      return right ? showSpecDiff(left, right) : undefined;
    },
    'seqlab.runs.stop': (node) => {
      for (const run of targets(node, undefined)) if (run.liveRunId) context.runs.stop(run.liveRunId);
    },
    'seqlab.runs.resume': (node) => {
      const [run] = targets(node, undefined);
      if (!run) return undefined;
      const specPath = specPathOfRun(index, run.runDir);
      // The run's own spec.json: resuming continues what was trained, even if the spec file changed since.
      const specText = readFileSync(join(run.runDir, 'spec.json'), 'utf8');
      const started = context.runs.start({ type: 'start', specPath, specText, resumeFrom: run.runDir });
      context.session.showLiveRun(started);
      context.panels.show('dashboard', true);
      index.scheduleRefresh();
      return started.id;
    },
    'seqlab.runs.revealFolder': (node) => {
      const [run] = targets(node, undefined);
      return run ? vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(run.runDir)) : undefined;
    },
    'seqlab.runs.export': (node) => {
      const [run] = targets(node, undefined);
      if (!run) return undefined;
      // A trial's model is its own spec (the sweep changed it), not the base spec's.
      const specPath = run.trial ? join(run.runDir, 'spec.json') : specPathOfRun(index, run.runDir);
      return vscode.commands.executeCommand('seqlab.exportPyTorch', vscode.Uri.file(specPath), run.runDir);
    },
    'seqlab.runs.delete': async (node, selection) => {
      const runs = targets(node, selection).filter((run) => !run.trial);
      if (runs.length === 0) return undefined;
      if (runs.some((run) => run.liveRunId || run.status === 'running')) {
        void vscode.window.showWarningMessage('SeqLab: a running run cannot be deleted; stop it first.');
        return undefined;
      }
      const what = runs.length === 1 ? `the run ${basename(runs[0].runDir)}` : `${runs.length} runs`;
      const choice = await vscode.window.showWarningMessage(`Delete ${what}?`, {
        modal: true, detail: `Its folder (weights, metrics, report) is removed from the disk:\n${runs.map((run) => run.runDir).join('\n')}`,
      }, 'Delete');
      if (choice !== 'Delete') return undefined;
      for (const run of runs) rmSync(run.runDir, { recursive: true, force: true });
      context.log(`deleted ${runs.map((run) => run.runDir).join(', ')}`);
      index.refreshNow();
      return runs.map((run) => run.runDir);
    },
  };
  for (const [id, handler] of Object.entries(handlers)) {
    subscriptions.push(vscode.commands.registerCommand(id, async (node?: unknown, selection?: unknown) => {
      try {
        return await handler(node, selection);
      } catch (error) {
        context.log(`${id} failed: ${(error as Error).stack ?? String(error)}`);
        void vscode.window.showErrorMessage(`SeqLab: ${(error as Error).message}`);
        return undefined;
      }
    }));
  }
  context.extensionContext.subscriptions.push(...subscriptions);
}
