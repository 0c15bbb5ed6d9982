// The editor's data-file head cache: refusals by stat (FIFO, directory, device, missing) without hanging, heads
// re-read only when size or mtime change, a bounded read, and no whole-file read anywhere on the analysis path.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs, { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSpec, specTemplates } from '../modelSpec';
import { DATA_HEAD_BYTES, type DataFileFacts } from '../modelSpec/dataFiles';
import type { DataFileIo } from '../train/dataFileProbe';
import { probeDataFileSync } from '../train/dataFileProbe';
import { DataFileHeads } from './dataFileHeads';

const classifier = specTemplates().find((t) => t.id === 'classifier')!.text; // data/sentiment.csv, labels negative/positive
const covered = (text: string, d: { offset: number; length: number }) => text.slice(d.offset, d.offset + d.length);

/** What the editor does: analyse, and when the head cache reports a change, analyse again. */
async function analyseLikeTheEditor(specPath: string, heads: DataFileHeads, dataPath: string) {
  const context = {
    specPath,
    dataFile: (p: string) => heads.peek(p),
    readTextFile: () => {
      throw new Error('a whole-file read during analysis');
    },
  };
  analyzeSpec(classifier, context);
  await heads.settled(dataPath);
  return analyzeSpec(classifier, context);
}

function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seqlab-heads-'));
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('a directory, a character device and a missing file get a located diagnostic on data.path', async () => {
  await withTempDir(async (dir) => {
    const cases: [string, string, RegExp][] = [
      [join(dir, 'data', 'sentiment.csv'), 'semantic/data-not-a-file', /is a directory, not a regular file/],
      ['/dev/null', 'semantic/data-not-a-file', /is a character device, not a regular file/],
      [join(dir, 'data', 'absent.csv'), 'semantic/file-not-found', /not found/],
    ];
    fs.mkdirSync(join(dir, 'data', 'sentiment.csv'), { recursive: true });
    for (const [dataPath, code, message] of cases) {
      const spec = classifier.replace('data/sentiment.csv', dataPath.startsWith(dir) ? dataPath.slice(dir.length + 1) : dataPath);
      const heads = new DataFileHeads(() => {});
      const context = { specPath: join(dir, 'c.seqmodel.json'), dataFile: (p: string) => heads.peek(p) };
      analyzeSpec(spec, context);
      await heads.settled(dataPath);
      const found = analyzeSpec(spec, context).diagnostics.filter((d) => d.code === code);
      assert.equal(found.length, 1, `${dataPath}: ${code}`);
      assert.match(found[0].message, message);
      assert.equal(covered(spec, found[0]), JSON.stringify(spec.match(/"path": "([^"]+)"/)![1]), 'on the data.path value');
    }
  });
});

test('a named pipe is refused by its stat, in the editor and in the CLI probe, without opening it (hang guard)', async () => {
  await withTempDir(async (dir) => {
    const fifo = join(dir, 'data.csv');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    // A child process: if the code opened the pipe it would block there forever, and the timeout fails the test.
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'probeDataFile.ts'), fifo], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(child.signal, null, `the probe hung on the FIFO and was killed (${child.error?.message ?? ''})`);
    assert.equal(child.status, 0, child.stderr);
    const { editor, cli } = JSON.parse(child.stdout) as { editor: DataFileFacts; cli: DataFileFacts };
    assert.deepEqual(editor, { status: 'not-a-file', kind: 'fifo' });
    assert.deepEqual(cli, { status: 'not-a-file', kind: 'fifo' });
  });
});

/** An io over one in-memory file whose size and mtime the test changes; counts heads read. */
function fakeIo(file: { bytes: Uint8Array; mtimeMs: number }) {
  const reads: number[] = [];
  const io: DataFileIo & Record<string, unknown> = {
    stat: async () => ({ isFile: () => true, isDirectory: () => false, isFIFO: () => false, isCharacterDevice: () => false, isBlockDevice: () => false, isSocket: () => false, size: file.bytes.length, mtimeMs: file.mtimeMs }),
    readHead: async (_path, maxBytes) => {
      reads.push(maxBytes);
      return file.bytes.slice(0, maxBytes);
    },
    // Whole reads, should anything try one.
    readFile: () => assert.fail('readFile'),
    readFileSync: () => assert.fail('readFileSync'),
    readTextFile: () => assert.fail('readTextFile'),
  };
  return { io, reads };
}

test('the head is cached by size and mtime: read again (and re-analysed) only when either changes', async () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  const file = { bytes: encode('text,label\ngreat,positive\nawful,negative\n'), mtimeMs: 1000 };
  const { io, reads } = fakeIo(file);
  const changes: string[] = [];
  const heads = new DataFileHeads((p) => changes.push(p), io);
  const path = '/w/data/sentiment.csv';
  assert.equal(heads.peek(path), undefined, 'nothing known at first, and no waiting for it');
  await heads.settled(path);
  const first = heads.peek(path);
  assert.equal(first?.status === 'file' && first.head, 'text,label\ngreat,positive\nawful,negative\n');
  assert.deepEqual(changes, [path], 'the arrival of the head asks for a new analysis');
  await heads.settled(path);
  assert.equal(heads.peek(path), first, 'unchanged stat: the same facts');
  await heads.settled(path);
  assert.equal(reads.length, 1, 'unchanged stat: no second read');
  assert.equal(changes.length, 1, 'unchanged stat: no new analysis');

  file.mtimeMs = 2000; // touched, same size
  heads.peek(path);
  await heads.settled(path);
  assert.equal(reads.length, 2, 'a new mtime re-reads the head');
  assert.equal(changes.length, 2);
  file.bytes = encode('text,label\ngreat,positive\nawful,negative\nmeh,neutral\n'); // appended, same mtime
  heads.peek(path);
  await heads.settled(path);
  assert.equal(reads.length, 3, 'a new size re-reads the head');
  const last = heads.peek(path);
  assert.match(last?.status === 'file' ? last.head : '', /neutral/);
});

test('a head never reads more than DATA_HEAD_BYTES, and analysis never reads a file whole', async () => {
  const big = new TextEncoder().encode(`text,label\n${'some words,positive\n'.repeat(20_000)}`); // 380 kB
  const { io, reads } = fakeIo({ bytes: big, mtimeMs: 1 });
  const heads = new DataFileHeads(() => {}, io);
  const analysis = await analyseLikeTheEditor('/w/c.seqmodel.json', heads, '/w/data/sentiment.csv');
  assert.deepEqual(reads, [DATA_HEAD_BYTES]);
  const facts = analysis.dataFile?.facts;
  assert.equal(facts?.status === 'file' && facts.complete, false);
  assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), [], 'no error from the file: labels fit, and the cut last line is ignored');

  // The Node io on a real file, with every whole-file read of `fs` made to throw.
  await withTempDir(async (dir) => {
    fs.mkdirSync(join(dir, 'data'));
    const dataPath = join(dir, 'data', 'sentiment.csv');
    writeFileSync(dataPath, big);
    const throwing = () => assert.fail('a whole-file read of the data');
    const mocks = [mock.method(fs, 'readFileSync', throwing), mock.method(fs, 'readFile', throwing), mock.method(fs.promises, 'readFile', throwing)];
    syncBuiltinESMExports();
    try {
      const real = await analyseLikeTheEditor(join(dir, 'c.seqmodel.json'), new DataFileHeads(() => {}), dataPath);
      const realFacts = real.dataFile?.facts;
      assert.equal(realFacts?.status, 'file');
      assert.equal(realFacts?.status === 'file' && realFacts.headBytes, DATA_HEAD_BYTES);
      assert.equal(realFacts?.status === 'file' && realFacts.size, statSync(dataPath).size);
      const cli = probeDataFileSync(dataPath);
      assert.equal(cli.status === 'file' && cli.headBytes, DATA_HEAD_BYTES, 'the CLI probe reads the same head');
    } finally {
      for (const m of mocks) m.mock.restore();
      syncBuiltinESMExports();
    }
  });
});
