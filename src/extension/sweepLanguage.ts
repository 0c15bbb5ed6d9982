/**
 * The editor side of `*.seqsweep.json`: SeqLab's diagnostics as you type (debounced), the same sentences at the
 * same places as `seqlab sweep` — schema, spec paths, methods, the metric, the base spec — and every trial's
 * spec checked by the spec analysis (the data-dependent checks wait for `seqlab sweep`, which loads the data).
 * Hover help and completion come from schemas/seqsweep.schema.json through VS Code's JSON language features.
 * The CodeLens offers Run Sweep; the full check Run Sweep makes (validateRun, data loaded) shows its problems here.
 */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { SWEEP_FILE_SUFFIX } from '../train/sweeps/sweepFile';
import { sweepFileDiagnostics } from '../train/sweeps/trialPlan';
import type { SpecDiagnostic } from '../modelSpec';
import { toVscodeDiagnostic } from './specLanguage';

export function isSweepDocument(document: vscode.TextDocument): boolean {
  return document.uri.path.endsWith(SWEEP_FILE_SUFFIX);
}

/** A spec file as the editor has it: an open (maybe unsaved) document counts as it is, else the file on disk. */
export function readSpecAsEdited(absolutePath: string): string | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === absolutePath);
  if (open) return open.getText();
  try {
    return readFileSync(absolutePath, 'utf8');
  } catch {
    return undefined;
  }
}

/** The text of every JSON file open in the editor, by absolute path: what a worker reads a spec as edited from. */
export function openSpecTexts(): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const document of vscode.workspace.textDocuments) {
    if (document.uri.scheme === 'file' && document.uri.fsPath.endsWith('.json')) texts[document.uri.fsPath] = document.getText();
  }
  return texts;
}

/** Grids larger than this are checked trial by trial only up to here while typing (`seqlab sweep` checks all). */
const MAX_TRIALS_CHECKED_WHILE_TYPING = 200;

export class SweepLanguageFeatures implements vscode.Disposable, vscode.CodeLensProvider {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('seqlab-sweep');
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly delayMs: () => number) {
    this.disposables.push(
      this.diagnostics,
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)),
      vscode.workspace.onDidChangeTextDocument((change) => this.schedule(change.document, this.delayMs())),
      vscode.workspace.onDidCloseTextDocument((document) => this.diagnostics.delete(document.uri)),
      vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: `**/*${SWEEP_FILE_SUFFIX}` }, this),
    );
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!isSweepDocument(document) || document.uri.scheme !== 'file') return;
    const key = document.uri.toString();
    const previous = this.pending.get(key);
    if (previous) clearTimeout(previous);
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      if (document.isClosed) return;
      this.diagnostics.set(document.uri, sweepFileDiagnostics(document.getText(), document.uri.fsPath, readSpecAsEdited, MAX_TRIALS_CHECKED_WHILE_TYPING).map(toVscodeDiagnostic));
    }, delayMs));
  }

  /** The problems of Run Sweep's full check, shown until the next edit re-checks the file. */
  showCheckResult(uri: vscode.Uri, diagnostics: readonly SpecDiagnostic[]): void {
    const timer = this.pending.get(uri.toString());
    if (timer) clearTimeout(timer);
    this.pending.delete(uri.toString());
    this.diagnostics.set(uri, diagnostics.map(toVscodeDiagnostic));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Run Sweep', command: 'seqlab.runSweep', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: '$(table) Runs Table', command: 'seqlab.showRunsTable' }),
    ];
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
