/**
 * The little file reading the spec checks need (header line, labels, sample counts), through the context's
 * `readTextFile` so the same checks run on disk, in the editor's unsaved buffers and in tests.
 */
import type { SpecContext } from './analysisTypes';

/** Resolve a data path relative to the spec file's folder (POSIX or Windows separators). */
export function resolveDataPath(specPath: string, dataPath: string): string {
  if (/^([a-zA-Z]:[\\/]|[\\/])/.test(dataPath)) return dataPath;
  const separator = specPath.includes('\\') && !specPath.includes('/') ? '\\' : '/';
  const folder = specPath.slice(0, Math.max(specPath.lastIndexOf('/'), specPath.lastIndexOf('\\')));
  const parts = `${folder}${separator}${dataPath}`.split(/[\\/]/);
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..' && out.length > 1) out.pop();
    else if (part !== '.') out.push(part);
  }
  return out.join(separator);
}

export function readDataFile(context: SpecContext, dataPath: string): { absolutePath: string; text: string | undefined } {
  const absolutePath = context.specPath ? resolveDataPath(context.specPath, dataPath) : dataPath;
  let text: string | undefined;
  try {
    text = context.readTextFile?.(absolutePath);
  } catch {
    text = undefined; // unreadable counts as missing; analysis never throws
  }
  return { absolutePath, text };
}

export function dataFileLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Split one CSV line, honouring double quotes ("a, b" stays one field; "" is a quote). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field.trim());
      field = '';
    } else field += ch;
  }
  fields.push(field.trim());
  return fields;
}
