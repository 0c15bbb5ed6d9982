import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type CliIo } from './commands';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', isTTY: false, stdout: (t: string) => { io.out += t; }, stderr: (t: string) => { io.err += t; } };
  return io;
}

const spec = {
  name: 'check-me',
  task: { type: 'classify' },
  data: { source: 'synthetic', generator: 'adding', samples: 40, length: 6 },
  model: { embedding: { dim: 8 }, encoder: { cell: 'lstm', hiddenSize: 16, numLayers: 1, dropout: 0.3 } },
  training: { epochs: 2, batchSize: 10, optimizer: { type: 'adam', lr: 0.01 } },
};

test('check prints every diagnostic as file:line:col severity message, then the shape table', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-check-'));
  const file = path.join(dir, 'check.seqmodel.json');
  fs.writeFileSync(file, JSON.stringify(spec, null, 2));
  const io = capture();
  const code = await main(['check', file], io);
  const diagnostics = io.out.split('\n').filter((l) => l.startsWith(file));
  assert.ok(diagnostics.length >= 2, `expected several diagnostics, got:\n${io.out}`);
  for (const line of diagnostics) assert.match(line, /^.+:\d+:\d+ (error|warning|info) \S/);
  // The embedding on real-valued synthetic input is an error, so the exit code says "bad spec".
  assert.ok(diagnostics.some((l) => / error /.test(l)));
  assert.equal(code, 2);
  // Positions are 1-based and point into the file: the line they name contains the offending property.
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (const d of diagnostics) {
    const [, line] = /:(\d+):\d+ /.exec(d.slice(file.length))!;
    assert.ok(Number(line) >= 1 && Number(line) <= lines.length, d);
  }
  fs.rmSync(dir, { recursive: true });
});

test('check on a clean spec exits 0 and prints the shape table with h_n and parameter counts', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-check-'));
  const file = path.join(dir, 'clean.seqmodel.json');
  fs.writeFileSync(file, JSON.stringify({ ...spec, task: { type: 'regress' }, model: { encoder: { cell: 'lstm', hiddenSize: 16 } }, training: { ...spec.training, clipGradNorm: 1 } }, null, 2));
  const io = capture();
  assert.equal(await main(['check', file], io), 0, io.out);
  assert.match(io.out, /^layer\s+input\s+output\s+h_n\s+parameters$/m);
  // LSTM(2 → 16): 4·16·(2 + 16) + 2·4·16 = 1,280 parameters, as PyTorch counts them.
  assert.match(io.out, /LSTM.*\[layers·dirs=1, batch=10, hidden=16\]\s+1,280/);
  const json = capture();
  assert.equal(await main(['check', file, '--json'], json), 0);
  const parsed = JSON.parse(json.out);
  assert.ok(Array.isArray(parsed.diagnostics) && Array.isArray(parsed.layers));
  fs.rmSync(dir, { recursive: true });
});
