// Which file a command acts on: the one it was invoked on, else the active editor's, else one picked from the workspace.
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';

export interface DocumentKind {
  /** The file name ending, e.g. ".seqmodel.json". */
  suffix: string;
  isKind(document: vscode.TextDocument): boolean;
  pickTitle: string;
  pickPlaceholder: string;
  /** What to tell the user when the workspace holds no such file. */
  whenNone(): Promise<void>;
}

export async function pickDocument(uri: unknown, kind: DocumentKind): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const active = vscode.window.activeTextEditor?.document;
  if (active && kind.isKind(active)) return active;
  const files = await vscode.workspace.findFiles(`**/*${kind.suffix}`, '{**/node_modules/**,**/.seqlab/**}', 200);
  if (files.length === 0) {
    await kind.whenNone();
    return undefined;
  }
  if (files.length === 1) return vscode.workspace.openTextDocument(files[0]);
  const picked = await vscode.window.showQuickPick(
    files.map((file) => ({ label: basename(file.fsPath), description: vscode.workspace.asRelativePath(dirname(file.fsPath)), file })),
    { title: kind.pickTitle, placeHolder: kind.pickPlaceholder },
  );
  return picked ? vscode.workspace.openTextDocument(picked.file) : undefined;
}
