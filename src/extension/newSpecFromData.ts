/**
 * "SeqLab: New Spec from Data File…" (palette, and the explorer's context menu on .csv/.tsv/.jsonl/.conll/.txt):
 * reads the file's first 64 KB asynchronously (never the whole file; pipes and devices are refused by their stat),
 * sniffs it (src/data/sniff.ts), writes the proposed spec beside it and opens it — the editor's `seqlab init`.
 */
import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SNIFF_HEAD_BYTES, sniffData } from '../data/sniff';
import { analyzeSpec, specFromSniff, specNameFor } from '../modelSpec';
import { describeDataFileKind, dataFileRefusal } from '../modelSpec/dataFileKind';
import { factsFromHead, nodeDataFileIo } from '../train/dataFileProbe';
import { SPEC_FILE_SUFFIX } from './specLanguage';

export const DATA_FILE_EXTENSIONS = ['csv', 'tsv', 'jsonl', 'conll', 'txt'];

/** `uri` comes from the explorer's context menu (or a test); without it the user picks a file. Returns the spec written. */
export async function newSpecFromDataFile(uri?: unknown): Promise<vscode.Uri | undefined> {
  const dataUri = uri instanceof vscode.Uri ? uri : (await vscode.window.showOpenDialog({
    title: 'SeqLab: New Spec from Data File',
    openLabel: 'Make a Spec',
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { 'Data files': DATA_FILE_EXTENSIONS },
  }))?.[0];
  if (!dataUri) return undefined;
  if (dataUri.scheme !== 'file') throw new Error(`${dataUri.toString()}: only files on disk can be read as data`);
  const dataPath = dataUri.fsPath;
  const head = await readHead(dataPath);
  const sniff = sniffData(dataPath, head.text, { fileSize: head.size });
  if (!sniff.proposal) throw new Error(`${basename(dataPath)}: ${sniff.reason}`);
  const name = specNameFor(dataPath);
  const { text } = specFromSniff(sniff, { name, dataPath: basename(dataPath) });
  // specFromSniff's proposals analyse cleanly (specFromData.test.ts); a failure here is a bug worth stopping for.
  const errors = analyzeSpec(text).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`the spec proposed for ${basename(dataPath)} has errors: ${errors.map((d) => d.message).join('; ')}`);

  let target = vscode.Uri.file(join(dirname(dataPath), `${name}${SPEC_FILE_SUFFIX}`));
  for (let copy = 2; await exists(target.fsPath); copy++) target = vscode.Uri.file(join(dirname(dataPath), `${name}-${copy}${SPEC_FILE_SUFFIX}`));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(target);
  void vscode.window.showInformationMessage(`SeqLab: ${sniff.proposal.task} spec for ${basename(dataPath)}. ${sniff.notes.slice(1).join('. ')}`.trim());
  return target;
}

async function exists(path: string): Promise<boolean> {
  return fsp.stat(path).then(() => true, () => false);
}

/** At most SNIFF_HEAD_BYTES of a regular file, read asynchronously; a pipe, device or directory is refused by its stat. */
async function readHead(path: string): Promise<{ text: string; size: number }> {
  const stat = await nodeDataFileIo.stat(path);
  if (!stat) throw new Error(`${basename(path)}: no such file`);
  const refusal = dataFileRefusal(describeDataFileKind(stat));
  if (refusal) throw new Error(`${basename(path)} ${refusal}`);
  const facts = factsFromHead(stat, await nodeDataFileIo.readHead(path, Math.min(SNIFF_HEAD_BYTES, stat.size)));
  return { text: facts.status === 'file' ? facts.head : '', size: stat.size };
}
