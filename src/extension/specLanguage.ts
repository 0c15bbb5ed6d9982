/**
 * The editor side of `*.seqmodel.json`: SeqLab's own diagnostics as you type (debounced), quick fixes from the
 * analysis' `fix` edits, shape hovers, the data.path hover and the CodeLens line. All analysis is the pure `analyzeSpec` of src/modelSpec;
 * this module only converts offsets and ranges to VS Code objects and caches one analysis per document version.
 * Data files are seen through `DataFileHeads` (stat and first 64 KB, asynchronously): analysis never waits for them.
 * The parameter count uses the data's sizes where they can be known without loading the data (knownDataSizes.ts):
 * a generator, a file its head holds whole, or what the latest check or run recorded (read through the same heads).
 */
import * as vscode from 'vscode';
import { dataPathHoverAt, formatParameterCount, hoverAt, isOnDataPath, pendingSizesNote, type SpecAnalysis, type SpecDiagnostic } from '../modelSpec';
import { analyzeSpecWithKnownSizes, dataSizesRecordPath } from '../train/knownDataSizes';
import { DataFileHeads } from './dataFileHeads';
import { SavedDataSummaries } from './savedDataSummaries';

export const SPEC_LANGUAGE_ID = 'seqmodel';
export const SPEC_FILE_SUFFIX = '.seqmodel.json';

export function isSpecDocument(document: vscode.TextDocument): boolean {
  return document.languageId === SPEC_LANGUAGE_ID || document.uri.path.endsWith(SPEC_FILE_SUFFIX);
}

const SEVERITY: Record<SpecDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toVscodeDiagnostic(diagnostic: SpecDiagnostic): vscode.Diagnostic {
  const { start, end } = diagnostic.range;
  const result = new vscode.Diagnostic(
    new vscode.Range(start.line, start.character, end.line, end.character),
    diagnostic.message,
    SEVERITY[diagnostic.severity],
  );
  result.source = 'seqlab';
  result.code = diagnostic.code;
  return result;
}

export class SpecLanguageFeatures implements vscode.Disposable, vscode.HoverProvider, vscode.CodeLensProvider, vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  readonly diagnostics = vscode.languages.createDiagnosticCollection('seqlab');
  private readonly cache = new Map<string, { version: number; analysis: SpecAnalysis }>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly analyzedEmitter = new vscode.EventEmitter<{ document: vscode.TextDocument; analysis: SpecAnalysis }>();
  private readonly codeLensEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Data files as far as their stat and first bytes go: analysis never reads one whole, nor synchronously. */
  private readonly dataFiles = new DataFileHeads((absolutePath) => this.dataFileChanged(absolutePath));
  /** The last full data summary of each spec (a run's or `seqlab check`'s), for the data.path hover. */
  private readonly savedSummaries = new SavedDataSummaries();
  /** Fires after every (debounced) analysis: the architecture panel re-renders from it. */
  readonly onDidAnalyze = this.analyzedEmitter.event;
  readonly onDidChangeCodeLenses = this.codeLensEmitter.event;

  constructor(private readonly delayMs: () => number, private readonly log: (line: string) => void) {
    const selector: vscode.DocumentSelector = [{ language: SPEC_LANGUAGE_ID }, { pattern: `**/*${SPEC_FILE_SUFFIX}` }];
    const sizesRecords = vscode.workspace.createFileSystemWatcher('**/.seqlab/data-sizes/*.json');
    this.disposables.push(
      this.diagnostics,
      this.analyzedEmitter,
      this.codeLensEmitter,
      vscode.languages.registerHoverProvider(selector, this),
      vscode.languages.registerCodeLensProvider(selector, this),
      vscode.languages.registerCodeActionsProvider(selector, this, { providedCodeActionKinds: SpecLanguageFeatures.providedCodeActionKinds }),
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)),
      sizesRecords,
      // A check or run recorded the data's sizes: look again, so the count updates without an edit.
      sizesRecords.onDidCreate((uri) => this.dataFiles.peek(uri.fsPath)),
      sizesRecords.onDidChange((uri) => this.dataFiles.peek(uri.fsPath)),
      vscode.workspace.onDidChangeTextDocument((change) => this.schedule(change.document, this.delayMs())),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.diagnostics.delete(document.uri);
        this.cache.delete(document.uri.toString());
      }),
    );
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** The analysis of the document's current text (computed now if the cached one is stale). */
  analysisFor(document: vscode.TextDocument): SpecAnalysis {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version) return cached.analysis;
    const started = Date.now();
    const analysis = analyzeSpecWithKnownSizes(document.getText(), {
      specPath: document.uri.scheme === 'file' ? document.uri.fsPath : undefined,
      dataFile: (absolutePath) => this.dataFiles.peek(absolutePath),
    });
    const elapsed = Date.now() - started;
    if (elapsed > 100) this.log(`analysis of ${document.uri.fsPath} took ${elapsed} ms`);
    this.cache.set(key, { version: document.version, analysis });
    return analysis;
  }

  /** A data file's (or a data-sizes record's) stat or head changed (or arrived): analyse again the specs that use it. */
  private dataFileChanged(absolutePath: string): void {
    for (const document of vscode.workspace.textDocuments) {
      const cached = this.cache.get(document.uri.toString());
      const recorded = document.uri.scheme === 'file' && dataSizesRecordPath(document.uri.fsPath) === absolutePath;
      if (cached?.analysis.dataFile?.absolutePath !== absolutePath && !recorded) continue;
      this.cache.delete(document.uri.toString());
      this.schedule(document, 0);
    }
  }

  /** Debounces analysis per document so typing stays fluid; delay 0 analyses on the next tick. */
  schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!isSpecDocument(document)) return;
    const key = document.uri.toString();
    const previous = this.pending.get(key);
    if (previous) clearTimeout(previous);
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      this.publish(document);
    }, delayMs));
  }

  private publish(document: vscode.TextDocument): void {
    if (document.isClosed) return;
    const analysis = this.analysisFor(document);
    this.diagnostics.set(document.uri, analysis.diagnostics.map(toVscodeDiagnostic));
    this.codeLensEmitter.fire();
    this.analyzedEmitter.fire({ document, analysis });
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const analysis = this.analysisFor(document);
    const offset = document.offsetAt(position);
    const saved = isOnDataPath(analysis, offset) && document.uri.scheme === 'file' ? await this.savedSummaries.latest(document.uri.fsPath) : undefined;
    const hover = dataPathHoverAt(analysis, offset, saved) ?? hoverAt(analysis, offset);
    if (!hover) return undefined;
    const markdown = new vscode.MarkdownString(hover.markdown);
    const range = new vscode.Range(document.positionAt(hover.offset), document.positionAt(hover.offset + hover.length));
    return new vscode.Hover(markdown, range);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const analysis = this.analysisFor(document);
    const top = new vscode.Range(0, 0, 0, 0);
    const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
    const totals = analysis.totals;
    const parameters = errors === 0 ? `${formatParameterCount(totals.parameters, totals.parameterFormula)} parameters` : `${errors} error${errors === 1 ? '' : 's'}`;
    const pending = errors === 0 ? pendingSizesNote(totals.parameterFormula) : undefined;
    return [
      new vscode.CodeLens(top, { title: '$(play) Train', command: 'seqlab.train', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: '$(type-hierarchy) Architecture', command: 'seqlab.openArchitecture', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: parameters, command: 'seqlab.openArchitecture', arguments: [document.uri], ...(pending ? { tooltip: pending } : {}) }),
    ];
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const analysis = this.analysisFor(document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of analysis.diagnostics) {
      if (!diagnostic.fix) continue;
      const { start, end } = diagnostic.range;
      const diagnosticRange = new vscode.Range(start.line, start.character, end.line, end.character);
      if (!diagnosticRange.intersection(range) && !diagnosticRange.contains(range)) continue;
      const action = new vscode.CodeAction(diagnostic.fix.title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const change of diagnostic.fix.edits) {
        edit.replace(document.uri, new vscode.Range(document.positionAt(change.offset), document.positionAt(change.offset + change.length)), change.newText);
      }
      action.edit = edit;
      action.diagnostics = [toVscodeDiagnostic(diagnostic)];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
