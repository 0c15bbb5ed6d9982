import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, shapeTable, totalsLine, type CliIo } from './commands';
import type { LayerInfo } from '../modelSpec/analysisTypes';

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
  // 40 adding samples, 4 held out for validation (the default 10%): one batch of 10, well inside the budget.
  assert.match(io.out, /^validation per epoch: all 1 batch \(4 examples; budget 200\); the test evaluation at the end covers its whole split$/m);
  assert.deepEqual(parsed.validationBudget, { maxBatches: 200, batchSize: 10, examples: 4 });
  fs.rmSync(dir, { recursive: true });
});

test('check loads the data for the sizes only it knows: vocabulary, classes and T replace the names, BPTT memory in readable units', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-check-'));
  const file = path.join(dir, 'text.seqmodel.json');
  const rows = ['text,label', 'a good film,pos', 'a bad film,neg', 'good good,pos', 'so very bad indeed,neg', 'fine,pos', 'awful,neg'];
  fs.writeFileSync(path.join(dir, 'reviews.csv'), rows.join('\n'));
  fs.writeFileSync(file, JSON.stringify({
    name: 'text', task: { type: 'classify' }, data: { source: 'text-classification', path: 'reviews.csv', split: { validation: 0.3 } },
    model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 3 } },
    training: { epochs: 1, batchSize: 2, optimizer: { type: 'adam', lr: 0.01 }, clipGradNorm: 1 },
  }, null, 2));
  const io = capture();
  await main(['check', file], io);
  assert.doesNotMatch(io.out, /seq=seq|vocab=vocab|classes=classes/);
  const vocab = /Embedding (\d+) → 4/.exec(io.out);
  assert.ok(vocab, io.out);
  const longest = 4; // "so very bad indeed"
  assert.match(io.out, new RegExp(`\\[batch=2, seq=${longest}, embedding=4\\]`));
  assert.match(io.out, /\[batch=2, classes=2\]/);
  // GRU(4 → 3): 3·3·(4 + 3) + 2·3·3 = 81; embedding vocab·4; Linear 3 → 2 = 8.
  const total = 81 + Number(vocab[1]) * 4 + 8;
  // Then the data summary: 7 rows, 2 held out (30%), labels per split, the length histogram.
  assert.match(io.out, /^data: classify; 6 samples: train 4 · validation 2 · test 0$/m);
  assert.match(io.out, /^labels \(examples per split\):$/m);
  assert.match(io.out, /^sequence length: 1–4 steps, mean /m);
  assert.match(io.out, new RegExp(`total parameters ${total.toLocaleString('en-US')}, [\\d,]+ FLOPs per step, \\d+(\\.\\d+)? (B|kB) of activations for backpropagation through time \\(T=${longest}\\)`));
  fs.rmSync(dir, { recursive: true });
});

test('shapes with sizes only the data knows print the name alone, and totals say what is unknown', () => {
  const table = shapeTable([{ label: 'Token ids', input: [{ name: 'batch', size: 8 }, { name: 'seq', size: 'seq' }], output: [{ name: 'batch', size: 8 }, { name: 'seq', size: 'seq' }], parameters: 0, parameterShapes: [], flopsPerStep: 0 } as unknown as LayerInfo]);
  assert.match(table, /\[batch=8, seq\]/);
  assert.doesNotMatch(table, /seq=seq/);
  assert.equal(
    totalsLine({ parameters: 25218, parameterFormula: '25218 + vocab·32', flopsPerStep: 1000, bpttActivationBytes: 0 }),
    'total parameters 25,218 + 32·vocab, 1,000 FLOPs per step, backpropagation-through-time memory unknown (the sequence length comes from the data)',
  );
  assert.match(totalsLine({ parameters: 10, flopsPerStep: 1, bpttActivationBytes: 3_500_000, sequenceLength: 30 }), /3\.50 MB of activations for backpropagation through time \(T=30\)$/);
  assert.match(totalsLine({ parameters: 10, flopsPerStep: 1, bpttActivationBytes: 512, sequenceLength: 2 }), /, 512 B of activations/);
});
