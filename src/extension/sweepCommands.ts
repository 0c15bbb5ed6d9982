/**
 * The sweep commands: Run Sweep (palette, CodeLens, editor title, Explorer), Resume Sweep and Stop Sweep (palette
 * and the Runs view), Delete Sweep… (the Runs view, after a modal confirmation). A thin shell: the check is
 * `prepareSweep` (src/train/sweeps/sweepStart.ts, as `seqlab sweep` checks) in a worker (sweepCheck.ts), the
 * running is `SweepSessions` over the core's sweep runner, the table is the runs table panel showing the sweep's scope.
 */
import * as vscode from 'vscode';
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { pickDocument } from './pickDocument';
import { SWEEP_FILE_SUFFIX } from '../train/sweeps/sweepFile';
import type { SweepPreparation } from '../train/sweeps/sweepStart';
import type { SweepCheckRequest } from '../train/protocol';
import type { RunsIndex } from './runsIndex';
import type { RunsTablePanel } from './runsTablePanel';
import { scopeOfSweep } from './runsTableData';
import { sweepStatus, type RunsTreeNode } from './runsTreeModel';
import { isSweepDocument, openSpecTexts, type SweepLanguageFeatures } from './sweepLanguage';
import type { SweepSessions } from './sweepSessions';

export interface SweepCommandContext {
  extensionContext: vscode.ExtensionContext;
  sweeps: SweepSessions;
  language: SweepLanguageFeatures;
  index: RunsIndex;
  table: RunsTablePanel;
  log(line: string): void;
  /** The pre-start check, in a worker (sweepCheck.ts); `undefined` when cancelled. */
  checkSweep(request: Omit<SweepCheckRequest, 'type'>, onProgress: (checked: number, total: number) => void, cancel: AbortSignal): Promise<SweepPreparation | undefined>;
}

function pickSweepDocument(uri: unknown): Promise<vscode.TextDocument | undefined> {
  return pickDocument(uri, {
    suffix: SWEEP_FILE_SUFFIX, isKind: isSweepDocument, pickTitle: 'SeqLab: run which sweep?', pickPlaceholder: 'Pick a *.seqsweep.json file',
    whenNone: async () => void vscode.window.showWarningMessage('SeqLab: no *.seqsweep.json sweep file in this workspace.'),
  });
}

/** A sweep folder from a Runs view node, a path (links, tests), or picked among the sweeps `fits` accepts. */
async function pickSweepFolder(context: SweepCommandContext, argument: unknown, title: string, fits: (dir: string) => boolean): Promise<string | undefined> {
  if (typeof argument === 'string') return argument;
  const node = argument as RunsTreeNode | undefined;
  if (node?.kind === 'sweep') return node.dir;
  const { sweeps } = context.index.snapshot();
  const candidates = sweeps.filter((sweep) => fits(sweep.dir));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`SeqLab: no sweep to ${title.toLowerCase()}.`);
    return undefined;
  }
  if (candidates.length === 1) return candidates[0].dir;
  const picked = await vscode.window.showQuickPick(
    candidates.map((sweep) => ({ label: basename(sweep.dir), description: sweepStatus(sweep), detail: vscode.workspace.asRelativePath(sweep.dir), dir: sweep.dir })),
    { title: `SeqLab: ${title} which sweep?` },
  );
  return picked?.dir;
}

/** Tell how the sweep ended, once it has. */
function reportOutcome(context: SweepCommandContext, dir: string): void {
  const active = context.sweeps.get(dir);
  if (!active) return;
  void active.outcome.then((outcome) => {
    const name = active.sweep.name;
    if ('error' in outcome) void vscode.window.showErrorMessage(`SeqLab: sweep ${name} failed: ${outcome.error}`);
    else if (outcome.finished) void vscode.window.showInformationMessage(`SeqLab: sweep ${name} finished: ${outcome.state.trials.length} trials.`, 'Show Runs Table').then((choice) => {
      if (choice) context.table.show(scopeOfSweep(dir));
    });
    else void vscode.window.showInformationMessage(`SeqLab: sweep ${name} stopped; Resume Sweep continues it.`);
  });
}

async function runSweepCommand(context: SweepCommandContext, uri: unknown): Promise<string | undefined> {
  const document = await pickSweepDocument(uri);
  if (!document) return undefined;
  const name = basename(document.uri.fsPath);
  // Every trial validated as `seqlab train` would (the data loaded): in a worker, a moment for a large sweep, so say so.
  const started = Date.now();
  const preparation = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `SeqLab: checking every trial of ${name}`, cancellable: true }, (progress, token) => {
    const cancel = new AbortController();
    token.onCancellationRequested(() => cancel.abort());
    let reported = 0;
    return context.checkSweep({ sweepPath: document.uri.fsPath, sweepText: document.getText(), openSpecs: openSpecTexts() }, (checked, total) => {
      progress.report({ message: `${checked} of ${total} trials checked`, increment: ((checked - reported) / total) * 100 });
      reported = checked;
    }, cancel.signal);
  });
  if (!preparation) {
    context.log(`sweep ${name}: the check was cancelled; nothing started`);
    return undefined;
  }
  context.log(`sweep ${name}: checked in ${Date.now() - started} ms (in a worker)`);
  context.language.showCheckResult(document.uri, preparation.diagnostics);
  if (!preparation.prepared) {
    const errors = preparation.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    context.log(`sweep ${name} not started: ${errors.length} error(s)`);
    void vscode.window.showErrorMessage(
      `SeqLab: ${name} has ${errors.length} error${errors.length === 1 ? '' : 's'}${first ? ` (line ${first.range.start.line + 1}: ${first.message})` : ''}; no trial was started.`,
      'Show Problems',
    ).then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return undefined;
  }
  const active = context.sweeps.start(preparation.prepared);
  reportOutcome(context, active.dir);
  context.index.refreshNow();
  context.table.show(scopeOfSweep(active.dir));
  return active.dir;
}

export function registerSweepCommands(context: SweepCommandContext): void {
  const { sweeps, index } = context;
  const handlers: Record<string, (argument?: unknown) => unknown> = {
    'seqlab.runSweep': (uri) => runSweepCommand(context, uri),
    'seqlab.resumeSweep': async (argument) => {
      const interrupted = (dir: string) => {
        const sweep = index.snapshot().sweeps.find((candidate) => candidate.dir === dir);
        return sweep !== undefined && !sweeps.get(dir) && sweepStatus(sweep) === 'interrupted';
      };
      const dir = await pickSweepFolder(context, argument, 'Resume', interrupted);
      if (!dir) return undefined;
      sweeps.resume(dir);
      reportOutcome(context, dir);
      index.refreshNow();
      context.table.show(scopeOfSweep(dir));
      return dir;
    },
    'seqlab.stopSweep': async (argument) => {
      const dir = await pickSweepFolder(context, argument, 'Stop', (candidate) => sweeps.get(candidate)?.state === 'running');
      if (!dir) return undefined;
      if (!sweeps.stop(dir)) void vscode.window.showInformationMessage(`SeqLab: ${basename(dir)} is not running in this window.`);
      return dir;
    },
    'seqlab.deleteSweep': async (argument) => {
      const dir = await pickSweepFolder(context, argument, 'Delete', (candidate) => !sweeps.get(candidate));
      if (!dir) return undefined;
      const sweep = index.snapshot().sweeps.find((candidate) => candidate.dir === dir);
      if (sweeps.get(dir) || (sweep && sweepStatus(sweep) === 'running')) {
        void vscode.window.showWarningMessage('SeqLab: a running sweep cannot be deleted; stop it first.');
        return undefined;
      }
      const trials = sweep?.trials.length ?? 0;
      const choice = await vscode.window.showWarningMessage(`Delete the sweep ${basename(dir)} and its ${trials} trial${trials === 1 ? '' : 's'}?`, {
        modal: true, detail: `Its folder (every trial's weights, metrics and report, and the sweep's state) is removed from the disk:\n${dir}`,
      }, 'Delete');
      if (choice !== 'Delete') return undefined;
      rmSync(dir, { recursive: true, force: true });
      context.log(`deleted the sweep ${dir}`);
      index.refreshNow();
      return dir;
    },
  };
  for (const [id, handler] of Object.entries(handlers)) {
    context.extensionContext.subscriptions.push(vscode.commands.registerCommand(id, async (argument?: unknown) => {
      try {
        return await handler(argument);
      } catch (error) {
        context.log(`${id} failed: ${(error as Error).stack ?? String(error)}`);
        void vscode.window.showErrorMessage(`SeqLab: ${(error as Error).message}`);
        return undefined;
      }
    }));
  }
  // The palette offers Stop Sweep only while a sweep runs here.
  const syncContext = () => void vscode.commands.executeCommand('setContext', 'seqlab.sweepActive', [...sweeps.states().values()].includes('running'));
  const subscription = sweeps.onDidChange(syncContext);
  context.extensionContext.subscriptions.push({ dispose: () => subscription.dispose() });
}
