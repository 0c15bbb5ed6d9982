/**
 * Specs compared in spec terms: a spec (parsed JSON, e.g. a run folder's spec.json) flattened to its leaf values
 * by path (`model.encoder.cell`, `training.optimizer.lr`, `model.layers[1].size` — the paths sweep files use),
 * the differences between two specs, and the paths whose values differ across many (the varied parameters of
 * a runs table). Pure: no I/O.
 */

export type SpecValue = string | number | boolean | null;

/** Keys that say nothing about what was trained: the editor's schema link and the free-text description. */
const IGNORED_TOP_LEVEL_KEYS = new Set(['$schema', 'description']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Leaf values by path, in the spec's own key order (task, data, model, training read in that order). */
export function flattenSpec(spec: unknown): Map<string, SpecValue> {
  const leaves = new Map<string, SpecValue>();
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      if (value.length === 0) leaves.set(path, '[]');
      value.forEach((item, index) => visit(item, `${path}[${index}]`));
    } else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (path === '' && IGNORED_TOP_LEVEL_KEYS.has(key)) continue;
        visit(child, path === '' ? key : `${path}.${key}`);
      }
    } else if (path !== '') {
      leaves.set(path, typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null);
    }
  };
  visit(spec, '');
  return leaves;
}

export interface SpecDifference {
  path: string;
  /** Undefined where that spec does not set the path. */
  left: SpecValue | undefined;
  right: SpecValue | undefined;
}

/** Paths of all specs in order of first appearance, so a table reads as a spec does. */
function unionOfPaths(flattened: readonly Map<string, SpecValue>[]): string[] {
  const paths = new Set<string>();
  for (const leaves of flattened) for (const path of leaves.keys()) paths.add(path);
  return [...paths];
}

/** What differs between two specs, path by path (an empty list: the same model, data and training). */
export function diffSpecs(left: unknown, right: unknown): SpecDifference[] {
  const a = flattenSpec(left);
  const b = flattenSpec(right);
  return unionOfPaths([a, b])
    .filter((path) => !Object.is(a.get(path), b.get(path)))
    .map((path) => ({ path, left: a.get(path), right: b.get(path) }));
}

/** The paths whose value is not the same in every spec (missing counts as a value of its own). */
export function variedPaths(specs: readonly unknown[]): string[] {
  const flattened = specs.map(flattenSpec);
  return unionOfPaths(flattened).filter((path) => flattened.some((leaves) => !Object.is(leaves.get(path), flattened[0].get(path))));
}

/** A value as a cell shows it: strings bare, numbers as JSON writes them, an unset path as "—". */
export function formatSpecValue(value: SpecValue | undefined): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The differences as aligned plain text: a header naming both sides, then `path   left → right` per line. */
export function formatSpecDiff(leftLabel: string, rightLabel: string, differences: readonly SpecDifference[]): string {
  const lines = [`Spec diff`, `  A: ${leftLabel}`, `  B: ${rightLabel}`, ''];
  if (differences.length === 0) return [...lines, 'The two specs are the same (apart from $schema and description).', ''].join('\n');
  const width = Math.max(...differences.map((difference) => difference.path.length));
  lines.push(`${differences.length} difference${differences.length === 1 ? '' : 's'} (A → B):`);
  for (const { path, left, right } of differences) lines.push(`  ${path.padEnd(width)}  ${formatSpecValue(left)} → ${formatSpecValue(right)}`);
  return `${lines.join('\n')}\n`;
}
