/**
 * "SeqLab: Open Example…": copies one of the bundled examples (the extension's own `examples/` folder) and its
 * data file into `seqlab-examples/` of the workspace and opens it, so runs are written beside the copy, never
 * into the installed extension. The walkthrough's steps call it with an example name.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { SPEC_FILE_SUFFIX } from './specLanguage';

const COPY_FOLDER = 'seqlab-examples';

/** `name` (e.g. "adding-lstm") skips the quick pick. Returns the copied spec. */
export async function openExample(extensionUri: vscode.Uri, name?: unknown): Promise<vscode.Uri | undefined> {
  const examples = vscode.Uri.joinPath(extensionUri, 'examples');
  const names = (await vscode.workspace.fs.readDirectory(examples))
    .map(([file]) => file)
    .filter((file) => file.endsWith(SPEC_FILE_SUFFIX))
    .map((file) => file.slice(0, -SPEC_FILE_SUFFIX.length))
    .sort();
  if (typeof name === 'string' && !names.includes(name)) throw new Error(`no example "${name}" (known: ${names.join(', ')})`);
  const picked = typeof name === 'string' ? name : (await vscode.window.showQuickPick(names, { title: 'SeqLab: Open Example', placeHolder: 'Copy an example spec (and its data) into this workspace' }));
  if (!picked) return undefined;
  const root = vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri;
  if (!root) throw new Error('open a folder first: the example is copied into it, and its runs are written beside it');

  const source = vscode.Uri.joinPath(examples, `${picked}${SPEC_FILE_SUFFIX}`);
  // The examples point "$schema" at the repository's schemas/ folder, which the copy does not have; the
  // extension associates *.seqmodel.json with the bundled schema anyway.
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(source)).replace(/^\s*"\$schema":\s*"[^"]*",\r?\n/m, '');
  const spec = JSON.parse(text) as { data?: { path?: unknown } };
  const target = vscode.Uri.joinPath(root, COPY_FOLDER, basename(source.path));
  // An earlier copy may hold the user's edits: open it as it is.
  if (!(await exists(target))) {
    if (typeof spec.data?.path === 'string') {
      const dataTarget = vscode.Uri.joinPath(root, COPY_FOLDER, spec.data.path);
      if (!(await exists(dataTarget))) await vscode.workspace.fs.copy(vscode.Uri.joinPath(examples, spec.data.path), dataTarget);
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  }
  await vscode.window.showTextDocument(target);
  return target;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return Promise.resolve(vscode.workspace.fs.stat(uri)).then(() => true, () => false);
}
