/** Small helpers shared by the spec tests: apply quick-fix edits, edit a spec object, find diagnostics by code. */
import type { SpecAnalysis, SpecDiagnostic, SpecTextEdit } from './analysisTypes';

export function applyEdits(text: string, edits: readonly SpecTextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, edit.offset) + edit.newText + out.slice(edit.offset + edit.length);
  return out;
}

export function withCode(analysis: SpecAnalysis, code: string): SpecDiagnostic[] {
  return analysis.diagnostics.filter((d) => d.code === code);
}

/** Deep-copy a JSON value and let `change` mutate the copy. */
export function edited<T>(value: T, change: (copy: T) => void): T {
  const copy = structuredClone(value);
  change(copy);
  return copy;
}
