import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type CliIo } from './commands';
import { decodeSafetensors, encodeSafetensors } from '../nn/safetensors';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', isTTY: false, stdout: (t: string) => { io.out += t; }, stderr: (t: string) => { io.err += t; } };
  return io;
}

function tinySpec(training: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name: 'tiny',
    task: { type: 'regress' },
    data: { source: 'synthetic', generator: 'adding', samples: 40, length: 6, seed: 1, split: { validation: 0.25 } },
    model: { encoder: { cell: 'lstm', hiddenSize: 4 } },
    training: { epochs: 2, batchSize: 10, seed: 1, optimizer: { type: 'adam', lr: 0.01 }, clipGradNorm: 1, ...training },
  }, null, 2);
}

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-cli-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

test('train: exit 0, JSON lines without a terminal, a run folder beside the spec', async () => {
  const dir = workspace({ 'tiny.seqmodel.json': tinySpec() });
  const io = capture();
  assert.equal(await main(['train', path.join(dir, 'tiny.seqmodel.json')], io), 0, io.err);
  const lines = io.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines[0].type, 'runStarted');
  assert.equal(lines.at(-2).type, 'runFinished');
  assert.equal(lines.at(-1).type, 'summary');
  assert.equal(lines.at(-1).status, 'completed');
  const runs = fs.readdirSync(path.join(dir, '.seqlab', 'runs'));
  assert.equal(runs.length, 1);
  assert.match(runs[0], /^tiny-\d{8}-\d{6}$/);
  assert.ok(fs.existsSync(path.join(dir, '.seqlab', 'runs', runs[0], 'best.safetensors')));
  fs.rmSync(dir, { recursive: true });
});

test('train: --out, --max-steps and --epochs override the spec', async () => {
  const dir = workspace({ 'tiny.seqmodel.json': tinySpec() });
  const io = capture();
  const out = path.join(dir, 'my-run');
  assert.equal(await main(['train', path.join(dir, 'tiny.seqmodel.json'), '--out', out, '--max-steps', '2', '--epochs', '5', '--json'], io), 0, io.err);
  const finished = io.out.trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.type === 'runFinished');
  assert.equal(finished.steps, 2);
  assert.ok(fs.existsSync(path.join(out, 'report.json')));
  fs.rmSync(dir, { recursive: true });
});

test('train: exit 1 when the run diverges', async () => {
  const dir = workspace({ 'tiny.seqmodel.json': tinySpec({ optimizer: { type: 'sgd', lr: 1e30 }, clipGradNorm: undefined }) });
  const io = capture();
  assert.equal(await main(['train', path.join(dir, 'tiny.seqmodel.json'), '--out', path.join(dir, 'run')], io), 1);
  assert.match(io.out, /(loss|gradient norm) became (NaN|Infinity)/);
  fs.rmSync(dir, { recursive: true });
});

test('exit 2 for a bad spec, bad arguments or a missing file', async () => {
  const dir = workspace({ 'bad.seqmodel.json': tinySpec().replace('"lstm"', '"transformer"') });
  const cases: string[][] = [
    ['train', path.join(dir, 'bad.seqmodel.json')],
    ['train', path.join(dir, 'missing.seqmodel.json')],
    ['train'],
    ['train', path.join(dir, 'bad.seqmodel.json'), '--epochs', 'many'],
    ['train', path.join(dir, 'bad.seqmodel.json'), '--no-such-option'],
    ['frobnicate'],
    [],
  ];
  for (const args of cases) {
    const io = capture();
    assert.equal(await main(args, io), 2, `seqlab ${args.join(' ')}`);
  }
  const io = capture();
  await main(['train', path.join(dir, 'bad.seqmodel.json')], io);
  assert.match(io.err, /bad\.seqmodel\.json:\d+:\d+ error /, 'a bad spec is reported at its line and column');
  fs.rmSync(dir, { recursive: true });
});

test('--help everywhere exits 0 and shows the usage', async () => {
  for (const args of [['--help'], ['train', '--help'], ['check', '-h'], ['predict', '--help'], ['export', '--help']]) {
    const io = capture();
    assert.equal(await main(args, io), 0, args.join(' '));
    assert.match(io.out, /Usage: seqlab/);
  }
});

test('train: an impossible stateful setup is a bad spec (exit 2), said before any run folder exists', async () => {
  // The adding problem's examples are independent sequences, not windows of one series.
  const dir = workspace({ 'tiny.seqmodel.json': tinySpec({ stateful: { enabled: true, detach: true } }) });
  const io = capture();
  assert.equal(await main(['train', path.join(dir, 'tiny.seqmodel.json')], io), 2);
  assert.match(io.err, /training\.stateful needs a series read chunk by chunk .* synthetic adding examples are independent sequences/);
  assert.equal(fs.existsSync(path.join(dir, '.seqlab')), false);
  fs.rmSync(dir, { recursive: true });
});

test('train: Adam at lr 1e6 on the sine example stops as diverged (exit 1), naming the step and the likely cause', async () => {
  const sine = JSON.parse(fs.readFileSync(path.join(__dirname, '../../examples/sine.seqmodel.json'), 'utf8'));
  sine.training.optimizer.lr = 1e6;
  delete sine.$schema;
  const dir = workspace({ 'sine.seqmodel.json': JSON.stringify(sine) });
  const io = capture();
  assert.equal(await main(['train', path.join(dir, 'sine.seqmodel.json'), '--out', path.join(dir, 'run')], io), 1);
  const finished = io.out.trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.type === 'runFinished');
  assert.equal(finished.status, 'diverged');
  assert.match(finished.message, /^Diverged at step \d+, in epoch 1: loss \S+ is over 1000 × the initial loss \S+ \(training\.divergenceFactor\); the learning rate 1000000 is likely too high/);
  assert.match(finished.message, /; the untrained weights are kept at .*model\.safetensors\.$/);
  fs.rmSync(dir, { recursive: true });
});

test('train: --resume of a damaged run folder and --init with NaN weights are bad input (exit 2) naming the file', async () => {
  const dir = workspace({ 'tiny.seqmodel.json': tinySpec() });
  const run = path.join(dir, 'run');
  assert.equal(await main(['train', path.join(dir, 'tiny.seqmodel.json'), '--out', run, '--epochs', '1'], capture()), 0);
  const checkpoint = path.join(run, 'model.safetensors');
  const bytes = fs.readFileSync(checkpoint);
  fs.writeFileSync(checkpoint, bytes.subarray(0, bytes.length - 7));
  let io = capture();
  assert.equal(await main(['train', path.join(dir, 'tiny.seqmodel.json'), '--resume', run], io), 2);
  assert.match(io.err, new RegExp(`^${checkpoint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not a usable safetensors file: truncated`));

  const { tensors } = decodeSafetensors(new Uint8Array(bytes));
  tensors['head.output.weight'].data[2] = NaN;
  fs.writeFileSync(path.join(dir, 'nan.safetensors'), encodeSafetensors(tensors));
  io = capture();
  assert.equal(await main(['train', path.join(dir, 'tiny.seqmodel.json'), '--out', path.join(dir, 'run2'), '--init', path.join(dir, 'nan.safetensors')], io), 2);
  assert.match(io.err, /nan\.safetensors: --init weights are not finite: head\.output\.weight\[2\] is NaN/);
  fs.rmSync(dir, { recursive: true });
});
