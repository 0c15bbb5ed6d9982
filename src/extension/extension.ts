/**
 * Entry point of the VS Code extension: wires the spec language features, the training runs (worker threads),
 * the panels, the status bar and the commands. Glue only — analysis, training and file formats live in the pure
 * core (src/modelSpec, src/train) and are unit tested there.
 */
import * as vscode from 'vscode';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PanelKind, RunFinished, TrainerEvent, WebviewToHost } from '../train/protocol';
import { TrainingRunManager, withDataCacheThreshold } from './runManager';
import { PytorchRunProcess } from './pytorchRun';
import { SpecLanguageFeatures } from './specLanguage';
import { SweepLanguageFeatures } from './sweepLanguage';
import { PanelManager } from './panels';
import { TrainingStatusBar } from './statusBar';
import { registerCommands, type CommandContext } from './commands';
import { SessionState } from './sessionState';
import { RunsIndex } from './runsIndex';
import { registerRunsTree } from './runsTree';
import { buildRunsTree } from './runsTreeModel';
import { RunsTablePanel } from './runsTablePanel';
import { RolloutService } from './rolloutService';
import { SweepSessions } from './sweepSessions';
import { registerSweepCommands } from './sweepCommands';
import { checkSweepInWorker } from './sweepCheck';
import { nodeRunIo } from '../train/runIo';
import { workerLauncher } from '../train/sweeps/trialLaunchers';

/** What `activate()` returns: a small window into the extension for the extension-host tests. */
export interface SeqLabTestApi {
  readonly events: { runId: string; event: TrainerEvent }[];
  readonly webviewMessages: { panel: PanelKind; message: WebviewToHost | { refused: string } }[];
  readonly logLines: string[];
  activeRuns(): { id: string; state: string; specPath: string }[];
  readyPanels(): PanelKind[];
  lastDiagram(): unknown;
  /** The run folder the panels show (a finished live run's folder, or an opened one). */
  displayedRunDir(): string | undefined;
  /** The run folder overlaid for comparison, if any. */
  comparedRunDir(): string | undefined;
  waitForRunFinished(runId: string, timeoutMs?: number): Promise<RunFinished>;
  /** The SeqLab Runs view's nodes, read afresh (see runsTreeModel.ts). */
  runsTree(): unknown[];
  /** Whether the runs table panel has said `ready`. */
  runsTableReady(): boolean;
  /** The sweeps this window runs, by folder: running or stopping. */
  activeSweeps(): { dir: string; state: string }[];
}

let deactivateHook: (() => void) | undefined;

export function activate(context: vscode.ExtensionContext): SeqLabTestApi {
  const output = vscode.window.createOutputChannel('SeqLab');
  const logLines: string[] = [];
  const log = (line: string) => {
    const stamped = `${new Date().toISOString().slice(11, 23)} ${line}`;
    logLines.push(stamped);
    if (logLines.length > 2000) logLines.splice(0, logLines.length - 2000);
    output.appendLine(stamped);
  };
  const configuration = () => vscode.workspace.getConfiguration('seqlab');

  const runs = new TrainingRunManager({
    workerScriptPath: join(context.extensionPath, 'dist', 'worker.js'),
    maxConcurrentRuns: () => configuration().get<number>('maxConcurrentRuns', 2),
    threadsPerRun: () => configuration().get<number>('threadsPerRun', 2),
    dataCacheThresholdMB: () => configuration().get<number | null>('dataCacheThresholdMB', null),
    log,
    createWorker: (scriptPath, env, command) => (command.pytorch
      ? new PytorchRunProcess(join(context.extensionPath, 'dist', 'cli.js'), command.pytorch, env)
      : new Worker(scriptPath, { env })),
  });
  const language = new SpecLanguageFeatures(() => configuration().get<number>('diagnosticsDelayMs', 300), log);
  const sweepLanguage = new SweepLanguageFeatures(() => configuration().get<number>('diagnosticsDelayMs', 300));
  const statusBar = new TrainingStatusBar();
  const session = new SessionState(runs, language, log, context.workspaceState);
  const panels = new PanelManager(context.extensionUri, session.panelHost());
  session.attachPanels(panels, statusBar);
  const rollouts = new RolloutService(join(context.extensionPath, 'dist', 'worker.js'));
  session.attachRollouts(rollouts);

  const commandContext: CommandContext = { extensionContext: context, runs, language, panels, session, log, output };
  registerCommands(commandContext);
  // Sweeps run here through the core's sweep runner, their trials queued in the run manager like any run.
  const sweeps = new SweepSessions({
    runs, io: nodeRunIo, log,
    createLauncher: (threadsPerRun) => workerLauncher(join(context.extensionPath, 'dist', 'sweepWorker.js'), threadsPerRun),
    maxConcurrentRuns: () => configuration().get<number>('maxConcurrentRuns', 2),
    threadsPerRun: () => {
      const setting = configuration().inspect<number>('threadsPerRun');
      return setting?.workspaceFolderValue ?? setting?.workspaceValue ?? setting?.globalValue;
    },
  });
  const runsIndex = new RunsIndex(runs, log, sweeps);
  const runsTable = new RunsTablePanel(context.extensionUri, runsIndex, log, sweeps);
  registerRunsTree({ extensionContext: context, index: runsIndex, runs, session, panels, table: runsTable, log });
  registerSweepCommands({
    extensionContext: context, sweeps, language: sweepLanguage, index: runsIndex, table: runsTable, log,
    checkSweep: (request, onProgress, cancel) => checkSweepInWorker(request, {
      worker: join(context.extensionPath, 'dist', 'sweepCheckWorker.js'),
      env: withDataCacheThreshold(process.env, configuration().get<number | null>('dataCacheThresholdMB', null)),
      onProgress, cancel,
    }),
  });

  context.subscriptions.push(output, language, sweepLanguage, statusBar, panels, session, runsIndex, runsTable, { dispose: () => sweeps.dispose() }, { dispose: () => runs.dispose() }, { dispose: () => rollouts.cancel('SeqLab stopped') });
  deactivateHook = () => {
    sweeps.dispose();
    runs.dispose();
  };
  // The built-in JSON language server serves seqmodel files (jsonLanguageParticipants: schema completion, hovers,
  // validation), but it activates only for the json languages: wake it for ours.
  const jsonLanguageFeatures = vscode.extensions.getExtension('vscode.json-language-features');
  if (jsonLanguageFeatures && !jsonLanguageFeatures.isActive) {
    jsonLanguageFeatures.activate().then(undefined, (error: unknown) => log(`could not start the JSON language features: ${String(error)}`));
  }
  log(`SeqLab activated (extension host Node ${process.versions.node}, ${vscode.env.appName})`);

  return {
    events: session.eventLog,
    webviewMessages: session.webviewMessages,
    logLines,
    activeRuns: () => runs.activeRuns().map((run) => ({ id: run.id, state: run.state, specPath: run.command.specPath })),
    readyPanels: () => (['dashboard', 'gates', 'gradients', 'architecture', 'predictions'] as PanelKind[]).filter((kind) => panels.isReady(kind)),
    lastDiagram: () => session.lastDiagram,
    displayedRunDir: () => session.displayedRunDir(),
    comparedRunDir: () => session.comparedRunDir(),
    waitForRunFinished: (runId, timeoutMs = 120_000) => session.waitForRunFinished(runId, timeoutMs),
    runsTree: () => {
      runsIndex.refreshNow();
      const { runs: runEntries, sweeps } = runsIndex.snapshot();
      return buildRunsTree(runEntries, sweeps);
    },
    runsTableReady: () => runsTable.isReady(),
    activeSweeps: () => [...sweeps.states()].map(([dir, state]) => ({ dir, state })),
  };
}

export function deactivate(): void {
  deactivateHook?.();
}
