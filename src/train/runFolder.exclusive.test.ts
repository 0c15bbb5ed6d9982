import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileError, fileErrorFrom } from './fileErrors';
import { newRunDirectory } from './runFolder';
import { memoryRunIo, nodeRunIo } from './runIo';

const time = new Date(Date.UTC(2026, 11, 5, 9, 30, 0));

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-runfolder-'));
}

test('runs started in the same second get distinct folders, each created by exactly one of them', () => {
  const dir = scratch();
  const spec = path.join(dir, 'tiny.seqmodel.json');
  const first = newRunDirectory(nodeRunIo, spec, 'tiny', time);
  const second = newRunDirectory(nodeRunIo, spec, 'tiny', time);
  assert.equal(path.basename(first), 'tiny-20261205-093000');
  assert.equal(path.basename(second), 'tiny-20261205-093000-2');
  // A folder another process created between the name being chosen and created is skipped, not shared.
  fs.mkdirSync(path.join(dir, '.seqlab', 'runs', 'tiny-20261205-093000-3'));
  assert.equal(path.basename(newRunDirectory(nodeRunIo, spec, 'tiny', time)), 'tiny-20261205-093000-4');
  fs.rmSync(dir, { recursive: true });
});

test('concurrent processes creating run folders for the same second never share one', async () => {
  const dir = scratch();
  const spec = path.join(dir, 'tiny.seqmodel.json');
  const start = Date.now() + 1500; // every process waits for the same moment, then creates its folder
  const script = `
    const { newRunDirectory } = require(${JSON.stringify(path.join(import.meta.dirname, 'runFolder.ts'))});
    const { nodeRunIo } = require(${JSON.stringify(path.join(import.meta.dirname, 'runIo.ts'))});
    while (Date.now() < ${start}) {}
    process.stdout.write(newRunDirectory(nodeRunIo, ${JSON.stringify(spec)}, 'tiny', new Date(${time.getTime()})));`;
  const run = () => new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
  });
  const folders = await Promise.all([run(), run(), run(), run()]);
  assert.equal(new Set(folders).size, 4, folders.join('\n'));
  assert.equal(fs.readdirSync(path.join(dir, '.seqlab', 'runs')).length, 4);
  fs.rmSync(dir, { recursive: true });
});

test('--out: a new or empty folder is used; a file or a folder holding files is refused, naming it', () => {
  const dir = scratch();
  const fresh = path.join(dir, 'fresh', 'run');
  assert.equal(newRunDirectory(nodeRunIo, 'x.seqmodel.json', 'x', time, fresh), fresh);
  fs.mkdirSync(path.join(dir, 'empty'));
  assert.equal(newRunDirectory(nodeRunIo, 'x.seqmodel.json', 'x', time, path.join(dir, 'empty')), path.join(dir, 'empty'));
  fs.writeFileSync(path.join(dir, 'file'), 'not a folder');
  assert.throws(() => newRunDirectory(nodeRunIo, 'x.seqmodel.json', 'x', time, path.join(dir, 'file')), (e) => e instanceof FileError && e.file === path.join(dir, 'file') && /is a file, not a folder/.test(e.message));
  fs.writeFileSync(path.join(fresh, 'model.safetensors'), '');
  assert.throws(() => newRunDirectory(nodeRunIo, 'x.seqmodel.json', 'x', time, fresh), /already holds 1 file: --out needs a new or empty folder/);
  fs.rmSync(dir, { recursive: true });
});

test('the in-memory io creates exclusively too', () => {
  const io = memoryRunIo();
  assert.equal(newRunDirectory(io, '/w/a.seqmodel.json', 'a', time), '/w/.seqlab/runs/a-20261205-093000');
  assert.equal(newRunDirectory(io, '/w/a.seqmodel.json', 'a', time), '/w/.seqlab/runs/a-20261205-093000-2');
});

test("Node's file errors become sentences naming the path", () => {
  const nodeError = (code: string, syscall: string, p: string) => Object.assign(new Error(`${code}: ${syscall} '${p}'`), { code, syscall, path: p });
  const cases: [string, string, RegExp][] = [
    ['EROFS', 'mkdir', /^\/out\/run: the file system is read-only: cannot create it$/],
    ['EACCES', 'mkdir', /^\/out\/run: permission denied: cannot create it$/],
    ['ENOSPC', 'write', /^\/out\/run: the disk is full: cannot create it$/],
    ['EISDIR', 'read', /^\/out\/run: is a folder, not a file$/],
    ['ENOTDIR', 'mkdir', /^\/out\/run: a part of the path is a file, not a folder$/],
  ];
  for (const [code, syscall, expected] of cases) {
    const error = fileErrorFrom(nodeError(code, syscall, '/out/run'), '/out/run', 'create');
    assert.ok(error instanceof FileError, code);
    assert.match(error.message, expected);
  }
  // The path Node names (the parent that failed) is the one reported, with the file that needed it.
  assert.equal((fileErrorFrom(nodeError('ENOENT', 'open', '/a/b'), '/a/b/c', 'write') as Error).message, '/a/b: a folder on the way to it does not exist (needed to write /a/b/c)');
  const plain = new RangeError('not a file error');
  assert.equal(fileErrorFrom(plain, '/x', 'read'), plain);
});
