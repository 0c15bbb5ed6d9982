/**
 * What the panels show and where it comes from: the displayed run (a live one, or a past run folder), an
 * optional run to compare with, and the architecture diagram of one spec document. Forwards live trainer events
 * to the panels, keeps the status bar current and records what the extension-host tests inspect.
 */
import * as vscode from 'vscode';
import { appendFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { HostToWebview, PanelKind, RunFinished, TrainerEvent, WebviewToHost } from '../train/protocol';
import { buildDiagram, type SpecAnalysis } from '../modelSpec';
import type { TrainingRun, TrainingRunManager } from './runManager';
import type { SpecLanguageFeatures } from './specLanguage';
import type { PanelHost, PanelManager } from './panels';
import type { TrainingStatusBar } from './statusBar';
import { loadRunHistory } from './runHistory';
import type { RolloutService } from './rolloutService';

const DISPLAYED_RUN_KEY = 'seqlab.displayedRunDir';
const ARCHITECTURE_SPEC_KEY = 'seqlab.architectureSpec';

type DisplayedRun = { kind: 'live'; runId: string } | { kind: 'folder'; runDir: string; name: string; events: TrainerEvent[] };

export class SessionState implements vscode.Disposable {
  readonly eventLog: { runId: string; event: TrainerEvent }[] = [];
  readonly webviewMessages: { panel: PanelKind; message: WebviewToHost | { refused: string } }[] = [];
  lastDiagram: unknown;
  private displayed: DisplayedRun | undefined;
  private compare: { runDir: string; events: TrainerEvent[] } | undefined;
  private architectureUri: vscode.Uri | undefined;
  private unrolled = false;
  private trainingActiveContext = false;
  private panels: PanelManager | undefined;
  private statusBar: TrainingStatusBar | undefined;
  private rollouts: RolloutService | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  // The UI tests read what the extension saw from this file (they cannot call into the extension host).
  private readonly eventsFile = process.env.SEQLAB_E2E_EVENTS;

  constructor(
    private readonly runs: TrainingRunManager,
    private readonly language: SpecLanguageFeatures,
    private readonly log: (line: string) => void,
    private readonly workspaceState: vscode.Memento,
  ) {
    this.disposables.push(runs.onEvent((run, event) => this.onTrainerEvent(run, event)));
    // After a window reload the extension host starts afresh: the restored panels show the run they showed
    // before, read back from its folder.
    const remembered = workspaceState.get<string>(DISPLAYED_RUN_KEY);
    if (remembered && existsSync(remembered)) this.displayed = { kind: 'folder', runDir: remembered, name: basename(remembered), events: loadRunHistory(remembered) };
    this.disposables.push(language.onDidAnalyze(({ document, analysis }) => {
      if (this.architectureUri?.toString() === document.uri.toString()) this.postDiagram(document, analysis);
    }));
  }

  attachPanels(panels: PanelManager, statusBar: TrainingStatusBar): void {
    this.panels = panels;
    this.statusBar = statusBar;
  }

  attachRollouts(rollouts: RolloutService): void {
    this.rollouts = rollouts;
  }

  panelHost(): PanelHost {
    return {
      log: this.log,
      initialMessages: (kind) => this.initialMessages(kind),
      handleMessage: (kind, message) => this.handlePanelMessage(kind, message),
      recordMessage: (panel, message) => {
        this.webviewMessages.push({ panel, message });
        this.writeTestRecord({ type: 'webviewMessage', panel, message });
      },
    };
  }

  /** The live run the panels follow (stop/pause act on it), if the displayed run is live and active. */
  displayedLiveRun(): TrainingRun | undefined {
    return this.displayed?.kind === 'live' ? this.runs.get(this.displayed.runId) : undefined;
  }

  showLiveRun(run: TrainingRun): void {
    this.displayed = { kind: 'live', runId: run.id };
    this.panels?.refreshAll();
    this.updateStatusBar();
  }

  showRunFolder(runDir: string): void {
    this.displayed = { kind: 'folder', runDir, name: basename(runDir), events: loadRunHistory(runDir) };
    void this.workspaceState.update(DISPLAYED_RUN_KEY, runDir);
    this.panels?.refreshAll();
  }

  setCompare(runDir: string | undefined): void {
    this.compare = runDir ? { runDir, events: loadRunHistory(runDir) } : undefined;
    this.panels?.refreshAll();
  }

  comparedRunDir(): string | undefined {
    return this.compare?.runDir;
  }

  displayedRunDir(): string | undefined {
    if (this.displayed?.kind === 'folder') return this.displayed.runDir;
    return this.displayedLiveRun()?.runDir;
  }

  /** Makes the architecture panel follow this spec document and renders it now. */
  followArchitecture(document: vscode.TextDocument): void {
    this.architectureUri = document.uri;
    void this.workspaceState.update(ARCHITECTURE_SPEC_KEY, document.uri.toString());
    this.postDiagram(document, this.language.analysisFor(document));
  }

  waitForRunFinished(runId: string, timeoutMs: number): Promise<RunFinished> {
    const run = this.runs.get(runId);
    if (!run) return Promise.reject(new Error(`no run ${runId}`));
    if (run.finished) return Promise.resolve(run.finished);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error(`run ${runId} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      const subscription = this.runs.onEvent((eventRun, event) => {
        if (eventRun.id === runId && event.type === 'runFinished') {
          clearTimeout(timer);
          subscription.dispose();
          resolve(event);
        }
      });
    });
  }

  private onTrainerEvent(run: TrainingRun, event: TrainerEvent): void {
    this.eventLog.push({ runId: run.id, event });
    if (this.eventLog.length > 20_000) this.eventLog.splice(0, this.eventLog.length - 20_000);
    this.writeTestRecord({ type: 'trainerEvent', runId: run.id, event: event.type === 'gates' ? { ...event, gates: Object.keys(event.gates) } : event });
    if (event.type === 'runStarted' && this.displayed?.kind === 'live' && this.displayed.runId === run.id) void this.workspaceState.update(DISPLAYED_RUN_KEY, event.runDir);
    if (this.displayed?.kind === 'live' && this.displayed.runId === run.id) {
      this.panels?.broadcast({ type: 'event', event });
      if (event.type !== 'step') this.panels?.broadcast(this.statusMessage());
    }
    if (event.type !== 'gates' && event.type !== 'gradFlow' && event.type !== 'predictions') this.updateStatusBar();
  }

  private statusMessage(): HostToWebview {
    const displayed = this.displayed;
    if (!displayed) return { type: 'status', state: 'idle' };
    if (displayed.kind === 'folder') return { type: 'status', state: 'finished', runName: displayed.name };
    const run = this.runs.get(displayed.runId);
    const runName = run?.specName ?? (run ? basename(run.command.specPath).replace(/\.seqmodel\.json$/, '') : undefined);
    const state = !run ? 'idle' : run.state === 'paused' ? 'paused' : run.state === 'finished' ? 'finished' : 'running';
    return { type: 'status', state, runName };
  }

  private initialMessages(kind: PanelKind): HostToWebview[] {
    if (kind === 'architecture') {
      if (this.lastDiagram === undefined) {
        const document = vscode.window.activeTextEditor?.document;
        const remembered = this.workspaceState.get<string>(ARCHITECTURE_SPEC_KEY);
        if (document && document.uri.path.endsWith('.seqmodel.json')) this.followArchitecture(document);
        else if (remembered) {
          // A panel restored after a reload: draw the spec it showed before (posted once the file is read).
          vscode.workspace.openTextDocument(vscode.Uri.parse(remembered)).then(
            (rememberedDocument) => this.followArchitecture(rememberedDocument),
            () => this.log(`the architecture panel's spec ${remembered} is gone`),
          );
        }
      }
      return this.lastDiagram === undefined ? [] : [{ type: 'architecture', diagram: this.lastDiagram }];
    }
    const events = this.displayed?.kind === 'folder' ? this.displayed.events : this.displayedLiveRun()?.events ?? [];
    const history: HostToWebview = this.compare ? { type: 'history', events, compare: this.compare.events } : { type: 'history', events };
    return [this.statusMessage(), history];
  }

  /** An autoregressive rollout of the displayed run's weights, answered to the predictions panel. */
  private async rollOut(request: Extract<WebviewToHost, { type: 'rollout' }>): Promise<void> {
    const run = this.displayed?.kind === 'live' ? this.runs.get(this.displayed.runId) : undefined;
    const runDir = this.displayed?.kind === 'folder' ? this.displayed.runDir : run?.runDir;
    // A live run knows its spec; a run folder sits in .seqlab/runs/ beside the spec, whose folder resolves the data.
    const specPath = run?.command.specPath ?? (runDir ? join(dirname(dirname(dirname(runDir))), 'spec.seqmodel.json') : undefined);
    if (!this.rollouts || !runDir || !specPath) {
      this.panels?.post('predictions', { type: 'rolloutRefused', reason: 'no run is shown: train a model or open a run first' });
      return;
    }
    const answer = await this.rollouts.request({ type: 'rollout', runDir, specPath, split: request.split, start: request.start, horizon: request.horizon });
    if (answer.type === 'rolloutRefused') this.log(`rollout refused: ${answer.reason}`);
    this.writeTestRecord({ type: 'rolloutAnswer', answer });
    this.panels?.post('predictions', answer);
  }

  private handlePanelMessage(kind: PanelKind, message: WebviewToHost): void {
    const live = this.displayedLiveRun();
    switch (message.type) {
      case 'stop':
        if (live) this.runs.stop(live.id);
        break;
      case 'pause':
        if (live) this.runs.pause(live.id);
        break;
      case 'resume':
        if (live) this.runs.resume(live.id);
        break;
      case 'revealLine':
        void this.revealSpecLine(message.line);
        break;
      case 'setUnrolled':
        this.unrolled = message.unrolled;
        void this.rerenderArchitecture();
        break;
      case 'compareWith':
        this.setCompare(message.runDir);
        break;
      case 'rollout':
        void this.rollOut(message);
        break;
      case 'selectSample':
      case 'selectLayer':
        // The panels filter what they already hold; the trainer always samples the same validation sequence.
        this.log(`${kind} panel: ${message.type} ${JSON.stringify(message)}`);
        break;
      case 'ready':
        break;
    }
  }

  private async rerenderArchitecture(): Promise<void> {
    if (!this.architectureUri) return;
    const document = await vscode.workspace.openTextDocument(this.architectureUri);
    this.postDiagram(document, this.language.analysisFor(document));
  }

  private async revealSpecLine(line: number): Promise<void> {
    if (!this.architectureUri) return;
    const document = await vscode.workspace.openTextDocument(this.architectureUri);
    const clamped = Math.min(line, document.lineCount - 1);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    const position = new vscode.Position(clamped, document.lineAt(clamped).firstNonWhitespaceCharacterIndex);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private postDiagram(document: vscode.TextDocument, analysis: SpecAnalysis): void {
    try {
      const diagram = buildDiagram(analysis, { unrolled: this.unrolled });
      // The webview has no spec text, so each block also carries the 0-based line it jumps to.
      const nodes = diagram.nodes.map((node) => ({ ...node, line: document.positionAt(node.offset).line }));
      this.lastDiagram = { ...diagram, nodes, unrolled: this.unrolled, specName: basename(document.uri.path) };
      this.panels?.post('architecture', { type: 'architecture', diagram: this.lastDiagram });
    } catch (error) {
      this.log(`could not lay out the architecture diagram: ${(error as Error).message}`);
    }
  }

  private updateStatusBar(): void {
    const trainingActive = this.runs.activeRuns().length > 0;
    if (trainingActive !== this.trainingActiveContext) {
      // Enables Stop and Pause/Resume in the command palette only while something trains.
      this.trainingActiveContext = trainingActive;
      void vscode.commands.executeCommand('setContext', 'seqlab.trainingActive', trainingActive);
    }
    const run = this.displayedLiveRun() ?? this.runs.activeRuns()[0];
    if (!run) {
      this.statusBar?.update(undefined);
      return;
    }
    const others = this.runs.activeRuns().filter((other) => other.id !== run.id).length;
    this.statusBar?.update({
      specName: run.specName ?? basename(run.command.specPath).replace(/\.seqmodel\.json$/, ''),
      state: run.state,
      latestStep: run.latestStep,
      finished: run.finished,
      otherActiveRuns: others,
    });
  }

  private writeTestRecord(record: object): void {
    if (!this.eventsFile) return;
    try {
      appendFileSync(this.eventsFile, `${JSON.stringify(record)}\n`);
    } catch {
      /* the test harness' file is optional */
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
