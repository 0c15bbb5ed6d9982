/**
 * The spec text with its jsonc-parser tree: finds the node of a JSON path, turns offsets into line/column
 * positions, and builds diagnostics and quick-fix edits that point at exact properties. Every checker
 * (schema, semantic, lints) reports through one `SpecSource`, so all ranges are computed the same way.
 */
import { findNodeAtLocation, modify, parseTree, printParseErrorCode, type JSONPath, type Node, type ParseError } from 'jsonc-parser';
import type { SpecDiagnostic, SpecFix, SpecPosition, SpecSeverity, SpecTextEdit } from './analysisTypes';

/** Where a diagnostic points: the property (key and value), only its value, or only its key. */
export type NodeTarget = 'property' | 'value' | 'key';

export class SpecSource {
  readonly root: Node | undefined;
  readonly parseErrors: ParseError[] = [];
  readonly diagnostics: SpecDiagnostic[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    // Comments are rejected: every consumer (trainer, CLI, PyTorch export) may read the file with JSON.parse.
    this.root = parseTree(text, this.parseErrors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 /* \n */) this.lineStarts.push(i + 1);
      else if (ch === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  positionAt(offset: number): SpecPosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  /** The value node at `path`, if present. */
  valueNode(path: JSONPath): Node | undefined {
    return this.root ? findNodeAtLocation(this.root, path) : undefined;
  }

  /** The range of the node at `path`: its whole property (`"key": value`), its value or its key. */
  rangeOf(path: JSONPath, target: NodeTarget = 'property'): { offset: number; length: number } | undefined {
    const value = this.valueNode(path);
    if (!value) return undefined;
    const property = value.parent?.type === 'property' ? value.parent : undefined;
    if (target === 'value' || !property) return { offset: value.offset, length: value.length };
    if (target === 'key') return { offset: property.children![0].offset, length: property.children![0].length };
    return { offset: property.offset, length: property.length };
  }

  /**
   * The nearest existing range for `path`: the node itself, else the key of the closest present ancestor
   * (so a missing `model.encoder.hiddenSize` points at `"encoder"`), else the start of the document.
   */
  nearestRange(path: JSONPath, target: NodeTarget = 'property'): { offset: number; length: number } {
    for (let depth = path.length; depth > 0; depth--) {
      const range = this.rangeOf(path.slice(0, depth), depth === path.length ? target : 'key');
      if (range) return range;
    }
    return { offset: this.root?.offset ?? 0, length: this.root ? 1 : 0 };
  }

  report(severity: SpecSeverity, code: string, message: string, where: { offset: number; length: number }, fix?: SpecFix): SpecDiagnostic {
    // Clamp to the text: an "unexpected end" error sits just past the last character.
    const offset = Math.max(0, Math.min(where.offset, this.text.length));
    const range = { offset, length: Math.max(0, Math.min(where.length, this.text.length - offset)) };
    const diagnostic: SpecDiagnostic = {
      severity,
      code,
      message,
      offset: range.offset,
      length: range.length,
      range: { start: this.positionAt(range.offset), end: this.positionAt(range.offset + range.length) },
      ...(fix ? { fix } : {}),
    };
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }

  /** Report at the JSON path (or its nearest present ancestor). */
  reportAt(severity: SpecSeverity, code: string, message: string, path: JSONPath, target: NodeTarget = 'property', fix?: SpecFix): SpecDiagnostic {
    return this.report(severity, code, message, this.nearestRange(path, target), fix);
  }

  /** Edits that set `path` to `value` (inserting the property when missing), formatted like the file. */
  editsToSet(path: JSONPath, value: unknown): SpecTextEdit[] {
    return this.modifyEdits(path, value);
  }

  /** Edits that delete the property at `path`, with its comma. */
  editsToRemove(path: JSONPath): SpecTextEdit[] {
    return this.modifyEdits(path, undefined);
  }

  private modifyEdits(path: JSONPath, value: unknown): SpecTextEdit[] {
    const indentation = /\n(\t| +)"/.exec(this.text);
    const insertSpaces = !indentation || indentation[1][0] === ' ';
    const tabSize = indentation && insertSpaces ? Math.min(indentation[1].length, 8) : 2;
    const eol = this.text.includes('\r\n') ? '\r\n' : '\n';
    return modify(this.text, path, value, { formattingOptions: { insertSpaces, tabSize, eol } }).map((edit) => ({ offset: edit.offset, length: edit.length, newText: edit.content }));
  }

  /** Duplicate keys are legal JSON, but JSON.parse silently keeps the last one: almost always a mistake. */
  reportDuplicateKeys(node: Node | undefined = this.root): void {
    if (!node) return;
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const key = property.children?.[0];
        if (!key || typeof key.value !== 'string') continue;
        if (seen.has(key.value)) this.report('error', 'json/duplicate-property', `Duplicate property "${key.value}": only the last one counts.`, { offset: key.offset, length: key.length });
        seen.add(key.value);
      }
    }
    for (const child of node.children ?? []) this.reportDuplicateKeys(child);
  }

  /** Turn jsonc-parser's syntax errors into diagnostics. */
  reportParseErrors(): void {
    for (const error of this.parseErrors) {
      const name = printParseErrorCode(error.error);
      const message = `JSON syntax: ${name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
      this.report('error', `json/${name}`, message, { offset: error.offset, length: Math.max(1, error.length) });
    }
  }
}

/** Levenshtein distance, for "did you mean" suggestions on typos. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The candidate closest to `word`, when close enough to be a plausible typo. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
