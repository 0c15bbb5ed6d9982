// `seqlab init DATA`: writes a spec beside the data that `check` accepts and `train` runs; refuses what it cannot
// read (a named pipe, a format no loader reads) with exit 2 and a sentence naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type CliIo } from './commands';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', isTTY: false, stdout: (t: string) => { io.out += t; }, stderr: (t: string) => { io.err += t; } };
  return io;
}

const corpus = path.join(__dirname, '..', '..', 'test', 'fixtures', 'sniff');

function workspaceWith(...files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-init-'));
  for (const file of files) fs.copyFileSync(path.join(corpus, file), path.join(dir, file));
  return dir;
}

test('init: writes NAME.seqmodel.json beside the data; check passes without diagnostics; train runs it', async () => {
  const dir = workspaceWith('sensor-hourly.csv');
  const io = capture();
  assert.equal(await main(['init', path.join(dir, 'sensor-hourly.csv')], io), 0, io.err);
  const specPath = path.join(dir, 'sensor-hourly.seqmodel.json');
  assert.match(io.out, /forecast "temperature"/);
  assert.match(io.out, new RegExp(`wrote ${specPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(task forecast\\)`));
  const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));
  assert.equal(spec.data.path, 'sensor-hourly.csv');
  const check = capture();
  assert.equal(await main(['check', specPath], check), 0, check.err);
  assert.doesNotMatch(check.out, /warning|error/);
  const train = capture();
  assert.equal(await main(['train', specPath, '--max-steps', '2', '--json'], train), 0, train.err);
  assert.equal(JSON.parse(train.out.trim().split('\n').at(-1)!).status, 'completed');
});

test('init: an existing spec is kept unless --force; --out makes data.path relative to the spec', async () => {
  const dir = workspaceWith('reviews.csv');
  const data = path.join(dir, 'reviews.csv');
  assert.equal(await main(['init', data], capture()), 0);
  const again = capture();
  assert.equal(await main(['init', data], again), 2);
  assert.match(again.err, /reviews\.seqmodel\.json exists; pass --force/);
  assert.equal(await main(['init', data, '--force'], capture()), 0);
  const out = path.join(dir, 'specs', 'mine.seqmodel.json');
  fs.mkdirSync(path.dirname(out));
  assert.equal(await main(['init', data, '--out', out, '--task', 'classify'], capture()), 0);
  assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).data.path, '../reviews.csv');
  const check = capture();
  assert.equal(await main(['check', out], check), 0, check.out);
});

test('init: exit 2 with the file named for a pipe, a missing file, an unreadable format and an impossible task', async () => {
  const dir = workspaceWith('semicolon.csv', 'daily-weather.csv');
  const fifo = path.join(dir, 'pipe.csv');
  execFileSync('mkfifo', [fifo]);
  const cases: [string[], RegExp][] = [
    [['init', fifo], /pipe\.csv is a named pipe \(FIFO\), not a regular file/],
    [['init', path.join(dir, 'absent.csv')], /absent\.csv: no such file/],
    [['init', path.join(dir, 'semicolon.csv')], /semicolon\.csv: .*";"-separated/],
    [['init', path.join(dir, 'daily-weather.csv'), '--task', 'tag'], /daily-weather\.csv does not look like data for task "tag"/],
    [['init', path.join(dir, 'daily-weather.csv'), '--task', 'dance'], /--task must be one of/],
    [['init'], /exactly one DATA file/],
  ];
  for (const [args, message] of cases) {
    const io = capture();
    assert.equal(await main(args, io), 2, args.join(' '));
    assert.match(io.err, message);
  }
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.seqmodel.json')), [], 'nothing written');
});
