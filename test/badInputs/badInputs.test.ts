/**
 * Runs the bad-input corpus (cases.ts) through the CLI in-process, with the WebAssembly kernels the `seqlab`
 * command uses: each case's exit code, the file (and line) its message names, the reason in words, `check`
 * answering as `train` does, and no run folder left behind by a refused run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import { main, type CliIo } from '../../src/cli/commands';
import { kernels, setKernels, useFastestKernels } from '../../src/tensor/backend';
import { FOLDER, cases, type BadInputCase, type InjectedFault, type RunDamage } from './cases';
import { float16Weights } from './specs';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', isTTY: false, stdout: (t: string) => { io.out += t; }, stderr: (t: string) => { io.err += t; } };
  return io;
}

function workspace(files: BadInputCase['files']): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-bad-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (content === FOLDER) fs.mkdirSync(file, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
  }
  return dir;
}

/** Everything in the workspace, as relative paths: what a run left behind is the difference. */
function listing(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

/** Break every file of one kind in a run folder (safetensors weights, JSON state other than the spec). */
function damageRun(runDir: string, damage: RunDamage): void {
  for (const name of fs.readdirSync(runDir, { recursive: true }) as string[]) {
    const file = path.join(runDir, name);
    if (!fs.statSync(file).isFile()) continue;
    if (name.endsWith('.safetensors')) {
      if (damage === 'truncate-weights') fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
      if (damage === 'float16-weights') fs.writeFileSync(file, float16Weights());
      if (damage === 'remove-weights') fs.rmSync(file);
    }
    if (damage === 'empty-json' && name.endsWith('.json')) fs.writeFileSync(file, ''); // the trainer state lives in the checkpoint: spec.json is what a resume reads
  }
}

/** Make one `fs` function fail like the OS would, for paths ending with `pathEnd`, while `fn` runs. */
async function withFault<T>(fault: InjectedFault | undefined, fn: () => Promise<T>): Promise<T> {
  if (!fault) return fn();
  const original = fs[fault.fn] as (...args: unknown[]) => unknown;
  let passed = 0;
  (fs as unknown as Record<string, unknown>)[fault.fn] = (...args: unknown[]) => {
    const target = String(args[0]);
    if (target.endsWith(fault.pathEnd) && passed++ >= (fault.after ?? 0)) throw Object.assign(new Error(`${fault.code}: injected, ${fault.fn} '${target}'`), { code: fault.code, syscall: fault.fn, path: target });
    return original.apply(fs, args);
  };
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    (fs as unknown as Record<string, unknown>)[fault.fn] = original;
    syncBuiltinESMExports();
  }
}

/** What the message must contain: the file, followed by `:` (or `:line:` when the case names a line). */
function expectedPlace(c: BadInputCase, dir: string): { file: string; line?: number } {
  const file = path.isAbsolute(c.names) ? c.names : path.join(dir, c.names);
  if (c.at === undefined) return { file };
  const text = fs.readFileSync(file, 'utf8');
  const index = text.indexOf(c.at);
  assert.ok(index >= 0, `${c.name}: '${c.at}' is not in ${c.names}`);
  return { file, line: text.slice(0, index).split('\n').length };
}

async function run(args: string[]): Promise<{ code: number; text: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, text: `${io.err}${io.out}` };
}

function assertNames(c: BadInputCase, command: string, text: string, place: { file: string; line?: number }): void {
  const where = place.line === undefined ? `${place.file}:` : `${place.file}:${place.line}:`;
  // A folder may also be named through a file inside it (`run/spec.json: …`).
  const named = text.includes(where) || (place.line === undefined && text.includes(`${place.file}/`));
  assert.ok(named, `${c.name} (${command}): the message should name ${where}\n${text}`);
  if (c.says) assert.match(text, c.says, `${c.name} (${command})`);
  assert.doesNotMatch(text, /\b(ENOENT|EISDIR|EACCES|EROFS|ENOSPC|ENOTDIR|EIO)\b|decodeSafetensors|Invalid typed array length|out of range/, `${c.name} (${command}): raw error text`);
}

test(`the bad-input corpus: ${cases.length} cases across spec, data, arguments and faults`, async (t) => {
  assert.ok(cases.length >= 80, `${cases.length} cases`);
  assert.deepEqual([...new Set(cases.map((c) => c.kind))].sort(), ['arguments', 'data', 'faults', 'spec']);
  const previous = kernels();
  useFastestKernels('wasm'); // as the `seqlab` command runs: the limits of the WebAssembly kernels apply
  try {
    for (const c of cases) await t.test(`${c.kind}: ${c.name}`, () => runCase(c));
  } finally {
    setKernels(previous);
  }
});

async function runCase(c: BadInputCase): Promise<void> {
  const dir = workspace(c.files);
  try {
    const args = c.args.map((a) => a.replaceAll('$W', dir));
    if (c.setup) {
      const setup = await run(c.setup.args.map((a) => a.replaceAll('$W', dir)));
      assert.equal(setup.code, 0, `${c.name}: the setup run\n${setup.text}`);
      damageRun(path.join(dir, 'run'), c.setup.damage);
    }
    const before = listing(dir);
    const place = expectedPlace(c, dir);
    const trained = await withFault(c.fault, () => run(args));
    assert.equal(trained.code, c.exit, `${c.name}: seqlab ${args.join(' ')}\n${trained.text}`);
    assertNames(c, args[0], trained.text, place);
    if (c.exit !== 0) assert.deepEqual(listing(dir), before, `${c.name}: a refused run leaves nothing behind`);
    if (c.check) {
      const checked = await withFault(c.fault, () => run(['check', args[1]]));
      assert.equal(checked.code, c.exit, `${c.name}: check must answer as train does\n${checked.text}`);
      assertNames(c, 'check', checked.text, place);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
