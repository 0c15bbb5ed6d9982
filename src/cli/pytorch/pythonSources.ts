/**
 * The exported PyTorch project's sources: every `.py` file in this folder, each kept once, as a file.
 * The bundles carry them inlined (scripts/build.mjs reads the folder and defines SEQLAB_PYTHON_SOURCES); unbundled
 * (tsx in tests and benches) they are read from this folder. esbuild's `text` loader would inline them too, but
 * tsx cannot import a `.py` module, so the bundle and the tests would need two ways of getting them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

declare const SEQLAB_PYTHON_SOURCES: Record<string, string> | undefined;

/** File name → text of each Python file of the exported project. */
export function pythonSources(): Record<string, string> {
  if (typeof SEQLAB_PYTHON_SOURCES !== 'undefined') return SEQLAB_PYTHON_SOURCES;
  return readPythonFolder(__dirname);
}

/** Every `.py` file of a folder, sorted by name (scripts/build.mjs embeds the same set). */
function readPythonFolder(dir: string): Record<string, string> {
  const names = readdirSync(dir).filter((name) => name.endsWith('.py')).sort();
  return Object.fromEntries(names.map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}
