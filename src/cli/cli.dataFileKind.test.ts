// `seqlab check` and `seqlab train` on a spec whose data.path is a named pipe or a directory: exit 2 with a located
// sentence. Each runs in a child process with a timeout as a hang guard: reading a pipe would block it forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const forecaster = readFileSync(join(root, 'examples', 'forecaster.seqmodel.json'), 'utf8'); // data/load.csv

function seqlab(args: string[]) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, SEQLAB_THREADS: '1' } });
  assert.equal(child.signal, null, `seqlab ${args[0]} hung and was killed (${child.error?.message ?? ''})`);
  return child;
}

for (const [kind, make, words] of [
  ['named pipe', (path: string) => assert.equal(spawnSync('mkfifo', [path]).status, 0, 'mkfifo'), /is a named pipe \(FIFO\), not a regular file/],
  ['directory', (path: string) => mkdirSync(path), /is a directory, not a regular file/],
] as const) {
  test(`check and train refuse a data.path that is a ${kind}: exit 2, the spec's line and column, no hang`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqlab-cli-kind-'));
    try {
      mkdirSync(join(dir, 'data'));
      make(join(dir, 'data', 'load.csv'));
      const specPath = join(dir, 'forecaster.seqmodel.json');
      writeFileSync(specPath, forecaster);
      const line = forecaster.slice(0, forecaster.indexOf('"data/load.csv"')).split('\n').length;
      for (const command of ['check', 'train']) {
        const child = seqlab([command, specPath]);
        assert.equal(child.status, 2, `${command}: ${child.stdout}${child.stderr}`);
        const said = child.stdout + child.stderr;
        assert.match(said, words, command);
        assert.ok(said.includes(`${specPath}:${line}:`), `${command} names the spec's line ${line}: ${said}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
