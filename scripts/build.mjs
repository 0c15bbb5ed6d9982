// Builds every bundle: the extension host, the training worker and the CLI for Node, one browser bundle per
// webview panel, and the WebAssembly kernels. Entries that do not exist yet are skipped, so the build grows
// with the code.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, basename } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const production = process.argv.includes('--production');
mkdirSync(join(root, 'dist'), { recursive: true });

// WebAssembly kernels first: the Node bundles embed or load the .wasm they produce.
const wasmBuild = join(root, 'scripts', 'build-wasm.mjs');
if (existsSync(wasmBuild)) {
  const r = spawnSync(process.execPath, [wasmBuild], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The schema VS Code's JSON service gets: the spec schema without its validation keywords (src/modelSpec/editorSchema.ts).
{
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'editorSchema.ts')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const nodeEntries = {
  extension: 'src/extension/extension.ts',
  worker: 'src/train/worker.ts',
  cli: 'src/cli/main.ts',
  sweepWorker: 'src/train/sweeps/trialWorker.ts',
  sweepCheckWorker: 'src/train/sweeps/sweepCheckWorker.ts',
};
// The exported PyTorch project's .py files, inlined into the bundles (src/cli/pytorch/pythonSources.ts).
const pythonDir = join(root, 'src', 'cli', 'pytorch');
const pythonSources = Object.fromEntries(readdirSync(pythonDir).filter((n) => n.endsWith('.py')).sort().map((n) => [n, readFileSync(join(pythonDir, n), 'utf8')]));
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root };

for (const [name, entry] of Object.entries(nodeEntries)) {
  if (!existsSync(join(root, entry))) continue;
  await build({
    ...common,
    entryPoints: [entry],
    outfile: `dist/${name}.js`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // jsonc-parser's UMD entry loads its parts with a dynamic require that a bundle cannot follow; its ESM build bundles.
    mainFields: ['module', 'main'],
    loader: { '.wasm': 'binary' },
    define: { SEQLAB_PYTHON_SOURCES: JSON.stringify(pythonSources) },
  });
}

// One browser bundle per panel: webview/<panel>/main.ts -> dist/webview/<panel>.js
const webviewDir = join(root, 'webview');
if (existsSync(webviewDir)) {
  for (const panel of readdirSync(webviewDir, { withFileTypes: true })) {
    if (!panel.isDirectory()) continue;
    const entry = join('webview', panel.name, 'main.ts');
    if (!existsSync(join(root, entry))) continue;
    await build({
      ...common,
      entryPoints: [entry],
      outfile: `dist/webview/${basename(panel.name)}.js`,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    });
  }
}
