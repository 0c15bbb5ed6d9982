// Preloaded (--import) by scripts/test.mjs into the test files that run once per kernel backend: appends
// " [<backend> kernels]" to every top-level test name, so the closing report lists each run of such a test once,
// under a name that says which backend it ran on. Files that choose their backend themselves run once, unrenamed.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';

const label = process.env.SEQLAB_KERNELS;
const files = new Set((process.env.SEQLAB_BACKEND_NAMED_FILES ?? '').split('\n').filter(Boolean).map((f) => resolve(f)));
const thisFile = process.argv[1] && resolve(process.argv[1]);

if (label && thisFile && files.has(thisFile)) {
  const nodeTest = createRequire(import.meta.url)('node:test');
  const rename = (original) => {
    const renamed = (name, ...rest) => (typeof name === 'string' ? original(`${name} [${label} kernels]`, ...rest) : original(name, ...rest));
    for (const variant of ['skip', 'todo', 'only']) if (typeof original[variant] === 'function') renamed[variant] = rename(original[variant]);
    return renamed;
  };
  // The named exports (import { test } from 'node:test'); the default export, the module function itself, stays.
  for (const name of ['test', 'it', 'describe', 'suite', 'skip', 'todo', 'only']) if (typeof nodeTest[name] === 'function') nodeTest[name] = rename(nodeTest[name]);
  syncBuiltinESMExports();
}
