/**
 * The runs of the workspace, kept current for the Runs view and the runs table: every `.seqlab/runs/*` folder
 * and every sweep's trials, re-read (only the files that changed, see RunRecordReader) a moment after something
 * under `.seqlab` changes or a run of this window reports an epoch. One index serves both views.
 */
import * as vscode from 'vscode';
import type { TrainingRunManager } from './runManager';
import { RunRecordReader, runStatus } from './runRecords';
import type { RunEntry, SweepEntry } from './runsTreeModel';
import { readSweepEntries } from './sweepEntries';
import type { SweepSessions } from './sweepSessions';

/** Many files change at an epoch's end (metrics, best, checkpoint): one refresh for the lot. */
const REFRESH_DEBOUNCE_MS = 300;

export class RunsIndex implements vscode.Disposable {
  private readonly reader = new RunRecordReader();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current: { runs: RunEntry[]; sweeps: SweepEntry[] } = { runs: [], sweeps: [] };
  private scanned = false;
  readonly onDidChange = this.changed.event;

  constructor(private readonly liveRuns: TrainingRunManager, private readonly log: (line: string) => void, private readonly sweepSessions?: SweepSessions) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.seqlab/**');
    this.disposables.push(watcher, watcher.onDidCreate(() => this.scheduleRefresh()), watcher.onDidChange(() => this.scheduleRefresh()), watcher.onDidDelete(() => this.scheduleRefresh()));
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleRefresh()));
    const subscription = liveRuns.onEvent((_run, event) => {
      if (event.type === 'runStarted' || event.type === 'epoch' || event.type === 'runFinished') this.scheduleRefresh();
    });
    this.disposables.push({ dispose: () => subscription.dispose() });
    // A sweep started, stopped or ended, or one of its trials changed state: state.json says which.
    const sweepSubscription = sweepSessions?.onDidChange(() => this.scheduleRefresh());
    if (sweepSubscription) this.disposables.push(sweepSubscription);
  }

  /** The runs and sweeps as last read (read now on first use). */
  snapshot(): { runs: RunEntry[]; sweeps: SweepEntry[] } {
    if (!this.scanned) this.refreshNow();
    return this.current;
  }

  scheduleRefresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refreshNow(), REFRESH_DEBOUNCE_MS);
  }

  refreshNow(): void {
    clearTimeout(this.timer);
    this.scanned = true;
    const roots = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
    const live = new Map<string, string>();
    for (const run of this.liveRuns.activeRuns()) if (run.runDir) live.set(run.runDir, run.id);
    const nowMs = Date.now();
    try {
      const runs = roots.flatMap((root) => this.reader.readRunsUnder(root)).map((record): RunEntry => {
        const liveRunId = live.get(record.runDir);
        return { record, status: runStatus(record, { live: liveRunId !== undefined, nowMs }), ...(liveRunId ? { liveRunId } : {}) };
      });
      const activeSweeps = this.sweepSessions?.states() ?? new Map<string, 'running' | 'stopping'>();
      const sweeps = roots.flatMap((root) => readSweepEntries(root, this.reader, live, nowMs)).map((sweep): SweepEntry => {
        const active = activeSweeps.get(sweep.dir);
        return active ? { ...sweep, active } : sweep;
      });
      this.reader.forgetExcept(new Set([...runs.map((entry) => entry.record.runDir), ...sweeps.flatMap((sweep) => sweep.trials.map((trial) => trial.runDir))]));
      this.current = { runs, sweeps };
    } catch (error) {
      this.log(`could not read the runs: ${(error as Error).message}`);
    }
    this.changed.fire();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
