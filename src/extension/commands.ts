/**
 * The "SeqLab" commands of the palette, editor title and CodeLens. Each is a thin shell over the run manager,
 * the panels and the CLI; none holds logic the CLI or the trainer also needs.
 */
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pickDocument } from './pickDocument';
import type { PanelKind, StartTraining } from '../train/protocol';
import { specTemplates, templateDataFile, type SpecTemplate } from '../modelSpec';
import type { TrainingRun, TrainingRunManager } from './runManager';
import { isSpecDocument, SPEC_FILE_SUFFIX, type SpecLanguageFeatures } from './specLanguage';
import type { PanelManager } from './panels';
import type { SessionState } from './sessionState';
import { describeRunFolder, listRunFolders, type RunFolderSummary } from './runFolders';
import { newSpecFromDataFile } from './newSpecFromData';
import { openExample } from './openExample';

export interface CommandContext {
  extensionContext: vscode.ExtensionContext;
  runs: TrainingRunManager;
  language: SpecLanguageFeatures;
  panels: PanelManager;
  session: SessionState;
  log(line: string): void;
  output: vscode.OutputChannel;
}

/** Options the extension-host tests (and other extensions) may pass to `seqlab.train`. */
export interface TrainCommandOptions {
  overrides?: StartTraining['overrides'];
  /** Do not open the dashboard (tests that only watch events). */
  background?: boolean;
}

const workspaceRoots = () => (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);

function pickSpecDocument(uri: unknown): Promise<vscode.TextDocument | undefined> {
  return pickDocument(uri, {
    suffix: SPEC_FILE_SUFFIX, isKind: isSpecDocument, pickTitle: 'SeqLab: which spec?', pickPlaceholder: 'Pick a *.seqmodel.json spec',
    whenNone: async () => {
      const choice = await vscode.window.showWarningMessage('SeqLab: no *.seqmodel.json spec in this workspace.', 'New Spec from Template');
      if (choice) await vscode.commands.executeCommand('seqlab.newSpecFromTemplate');
    },
  });
}

async function pickActiveRun(context: CommandContext, verb: string): Promise<TrainingRun | undefined> {
  const displayed = context.session.displayedLiveRun();
  if (displayed && displayed.state !== 'finished') return displayed;
  const active = context.runs.activeRuns();
  if (active.length <= 1) {
    if (active.length === 0) void vscode.window.showInformationMessage('SeqLab: no training run is active.');
    return active[0];
  }
  const picked = await vscode.window.showQuickPick(
    active.map((run) => ({ label: run.specName ?? basename(run.command.specPath), description: `${run.id} · ${run.state}`, run })),
    { title: `SeqLab: ${verb} which run?` },
  );
  return picked?.run;
}

async function pickRunFolder(title: string, filter: (run: RunFolderSummary) => boolean = () => true): Promise<RunFolderSummary | undefined> {
  const runs = listRunFolders(workspaceRoots()).filter(filter);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('SeqLab: no past runs in .seqlab/runs of this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({ label: run.name, description: describeRunFolder(run), detail: vscode.workspace.asRelativePath(run.runDir), run })),
    { title, matchOnDescription: true },
  );
  return picked?.run;
}

function trackProgress(context: CommandContext, run: TrainingRun, specName: string): void {
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `SeqLab: training ${specName}`, cancellable: true },
    (progress, token) => new Promise<void>((resolve) => {
      token.onCancellationRequested(() => context.runs.stop(run.id));
      let reportedPercent = 0;
      const subscription = context.runs.onEvent((eventRun, event) => {
        if (eventRun !== run) return;
        if (event.type === 'step') {
          const percent = event.totalSteps > 0 ? (100 * event.step) / event.totalSteps : 0;
          progress.report({ increment: Math.max(0, percent - reportedPercent), message: `step ${event.step}/${event.totalSteps} · loss ${event.loss.toPrecision(4)}` });
          reportedPercent = Math.max(reportedPercent, percent);
        } else if (event.type === 'runFinished') {
          subscription.dispose();
          resolve();
          if (event.status === 'failed' || event.status === 'diverged') {
            void vscode.window.showErrorMessage(`SeqLab: ${specName}: ${event.message}`, 'Show Output').then((choice) => {
              if (choice) context.output.show(true);
            });
          } else {
            // The trainer's one-sentence outcome as it is (src/train/runOutcome.ts): figures added here repeated it.
            void vscode.window.showInformationMessage(`SeqLab: ${specName}: ${event.message}`);
          }
        }
      });
      if (run.finished) {
        subscription.dispose();
        resolve();
      }
    }),
  );
}

async function train(context: CommandContext, uri?: unknown, options: TrainCommandOptions = {}, pytorch?: StartTraining['pytorch']): Promise<string | undefined> {
  const document = await pickSpecDocument(uri);
  if (!document) return undefined;
  // PyTorch runs through the CLI, which reads the spec file: unsaved edits are saved first.
  if (pytorch && document.isDirty && !(await document.save())) return undefined;
  const analysis = context.language.analysisFor(document);
  const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0];
    const choice = await vscode.window.showErrorMessage(
      `SeqLab: ${basename(document.uri.fsPath)} has ${errors.length} error${errors.length === 1 ? '' : 's'} (line ${first.range.start.line + 1}: ${first.message}).`,
      'Show Problems',
    );
    if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
    return undefined;
  }
  const specName = analysis.spec?.name ?? basename(document.uri.fsPath, SPEC_FILE_SUFFIX);
  const command: StartTraining = { type: 'start', specPath: document.uri.fsPath, specText: document.getText() };
  if (options.overrides) command.overrides = options.overrides;
  if (pytorch) command.pytorch = pytorch;
  const run = context.runs.start(command);
  context.session.showLiveRun(run);
  if (!options.background) context.panels.show('dashboard', true);
  trackProgress(context, run, specName);
  return run.id;
}

function runCli(context: CommandContext, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const cliPath = join(context.extensionContext.extensionPath, 'dist', 'cli.js');
  return new Promise((resolve, reject) => {
    // In desktop VS Code process.execPath is the Electron binary; this variable makes it behave as plain Node.
    execFile(process.execPath, [cliPath, ...args], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(stderr.trim() || error.message));
      else resolve({ stdout, stderr });
    });
  });
}

/** `givenRunDir` (the Runs view's Export) names the run whose weights to export. */
async function exportToPyTorch(context: CommandContext, uri?: unknown, givenRunDir?: string): Promise<string | undefined> {
  const document = await pickSpecDocument(uri);
  if (!document) return undefined;
  const specName = context.language.analysisFor(document).spec?.name;
  let runDir = givenRunDir ?? context.session.displayedRunDir();
  if (!runDir || !existsSync(join(runDir, 'model.safetensors'))) {
    runDir = (await pickRunFolder('SeqLab: export the weights of which run?', (run) => !specName || run.specName === specName))?.runDir;
  }
  if (!runDir) return undefined;
  const weights = ['best.safetensors', 'model.safetensors'].map((name) => join(runDir, name)).find((path) => existsSync(path));
  if (!weights) {
    void vscode.window.showErrorMessage(`SeqLab: ${basename(runDir)} has no saved weights yet.`);
    return undefined;
  }
  const outDir = join(runDir, 'pytorch');
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'SeqLab: exporting to PyTorch' }, () =>
      runCli(context, ['export', document.uri.fsPath, '--weights', weights, '--to', 'pytorch', '--out', outDir]));
  } catch (error) {
    context.log(`export failed: ${(error as Error).message}`);
    void vscode.window.showErrorMessage(`SeqLab: export failed: ${(error as Error).message}`);
    return undefined;
  }
  context.log(`exported ${document.uri.fsPath} with ${weights} to ${outDir}`);
  void vscode.window.showInformationMessage(`SeqLab: PyTorch model written to ${vscode.workspace.asRelativePath(outDir)}.`, 'Open model.py').then((choice) => {
    if (choice) void vscode.window.showTextDocument(vscode.Uri.file(join(outDir, 'model.py')));
  });
  return outDir;
}

/**
 * The template's small data set (examples/<data.path> in the extension) copied to the same path beside the new
 * spec, unless a file is there already: a template trains as created.
 */
async function copyTemplateData(template: SpecTemplate, root: vscode.Uri, extensionUri: vscode.Uri): Promise<void> {
  const dataPath = templateDataFile(template);
  if (dataPath === undefined) return;
  const target = vscode.Uri.joinPath(root, dataPath);
  if (existsSync(target.fsPath)) return;
  await vscode.workspace.fs.copy(vscode.Uri.joinPath(extensionUri, 'examples', dataPath), target);
}

/** `templateId` skips the quick pick (links, tests). */
async function newSpecFromTemplate(context: CommandContext, templateId?: unknown): Promise<vscode.Uri | undefined> {
  const templates = specTemplates();
  const given = templates.find((template) => template.id === templateId);
  if (typeof templateId === 'string' && !given) {
    void vscode.window.showErrorMessage(`SeqLab: no template "${templateId}" (known: ${templates.map((template) => template.id).join(', ')}).`);
    return undefined;
  }
  const picked = given ? { template: given } : await vscode.window.showQuickPick(
    templates.map((template) => ({ label: template.label, description: template.id, detail: template.description, template })),
    { title: 'SeqLab: New Spec from Template', matchOnDetail: true },
  );
  if (!picked) return undefined;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) {
    const document = await vscode.workspace.openTextDocument({ language: 'seqmodel', content: picked.template.text });
    await vscode.window.showTextDocument(document);
    return document.uri;
  }
  let target = vscode.Uri.joinPath(root, `${picked.template.id}${SPEC_FILE_SUFFIX}`);
  for (let copy = 2; existsSync(target.fsPath); copy++) target = vscode.Uri.joinPath(root, `${picked.template.id}-${copy}${SPEC_FILE_SUFFIX}`);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(picked.template.text));
  await copyTemplateData(picked.template, root, context.extensionContext.extensionUri);
  await vscode.window.showTextDocument(target);
  return target;
}

export function registerCommands(context: CommandContext): void {
  const show = (kind: PanelKind) => () => {
    context.panels.show(kind);
  };
  const handlers: Record<string, (...args: unknown[]) => unknown> = {
    'seqlab.train': (uri, options) => train(context, uri, (options ?? {}) as TrainCommandOptions),
    'seqlab.trainWithPytorch': (uri, options) => {
      const settings = vscode.workspace.getConfiguration('seqlab');
      const pytorch = { python: settings.get<string>('pythonPath', 'python3') || 'python3', nproc: settings.get<number>('pytorchProcesses', 1) };
      return train(context, uri, (options ?? {}) as TrainCommandOptions, pytorch);
    },
    'seqlab.stop': async () => {
      const run = await pickActiveRun(context, 'stop');
      if (run) context.runs.stop(run.id);
      return run?.id;
    },
    'seqlab.togglePause': async () => {
      const run = await pickActiveRun(context, 'pause or resume');
      if (run) context.runs.togglePause(run.id);
      return run?.state;
    },
    'seqlab.openArchitecture': async (uri) => {
      const document = await pickSpecDocument(uri);
      if (!document) return;
      context.session.followArchitecture(document);
      context.panels.show('architecture');
    },
    'seqlab.showDashboard': show('dashboard'),
    'seqlab.showGates': show('gates'),
    'seqlab.showGradients': show('gradients'),
    'seqlab.showPredictions': show('predictions'),
    // Both accept a run folder path to skip the quick pick (links, tests).
    'seqlab.openRun': async (runDirArgument) => {
      const runDir = typeof runDirArgument === 'string' ? runDirArgument : (await pickRunFolder('SeqLab: Open Run…'))?.runDir;
      if (!runDir) return;
      context.session.showRunFolder(runDir);
      context.panels.show('dashboard');
      return runDir;
    },
    'seqlab.compareRuns': async (runDirArgument) => {
      if (typeof runDirArgument === 'string' && context.session.displayedRunDir()) {
        context.session.setCompare(runDirArgument);
        context.panels.show('dashboard');
        return runDirArgument;
      }
      if (!context.session.displayedRunDir()) {
        const base = await pickRunFolder('SeqLab: Compare Runs — first run');
        if (!base) return;
        context.session.showRunFolder(base.runDir);
      }
      const current = context.session.displayedRunDir();
      const other = await pickRunFolder('SeqLab: Compare with which run?', (run) => run.runDir !== current);
      if (!other) return;
      context.session.setCompare(other.runDir);
      context.panels.show('dashboard');
      return other.runDir;
    },
    'seqlab.exportPyTorch': (uri, runDir) => exportToPyTorch(context, uri, typeof runDir === 'string' ? runDir : undefined),
    'seqlab.newSpecFromTemplate': (templateId) => newSpecFromTemplate(context, templateId),
    'seqlab.newSpecFromDataFile': (uri) => newSpecFromDataFile(uri),
    'seqlab.openExample': (name) => openExample(context.extensionContext.extensionUri, name),
  };
  for (const [id, handler] of Object.entries(handlers)) {
    context.extensionContext.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        context.log(`${id} failed: ${(error as Error).stack ?? String(error)}`);
        void vscode.window.showErrorMessage(`SeqLab: ${(error as Error).message}`);
        return undefined;
      }
    }));
  }
}
