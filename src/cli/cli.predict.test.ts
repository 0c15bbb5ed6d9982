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

test('predict runs trained weights on JSON inputs; a model learns the adding problem well enough to tell inputs apart', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-predict-'));
  const specPath = path.join(dir, 'add.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify({
    name: 'add', task: { type: 'regress' },
    data: { source: 'synthetic', generator: 'adding', samples: 400, length: 5, seed: 2, split: { validation: 0.2 } },
    model: { encoder: { cell: 'lstm', hiddenSize: 12 } },
    training: { epochs: 15, batchSize: 20, seed: 1, optimizer: { type: 'adam', lr: 0.02 }, clipGradNorm: 1 },
  }));
  const run = path.join(dir, 'run');
  assert.equal(await main(['train', specPath, '--out', run], capture()), 0);
  // Two marked values: 0.9 + 0.8 = 1.7 and 0.1 + 0.05 = 0.15. Each step is [value, marker].
  const inputs = [
    [[0.9, 1], [0.3, 0], [0.5, 0], [0.8, 1], [0.2, 0]],
    [[0.1, 1], [0.7, 0], [0.6, 0], [0.05, 1], [0.9, 0]],
  ];
  fs.writeFileSync(path.join(dir, 'inputs.json'), JSON.stringify(inputs));
  const io = capture();
  assert.equal(await main(['predict', specPath, '--weights', path.join(run, 'best.safetensors'), '--input', path.join(dir, 'inputs.json'), '--output', path.join(dir, 'out.json')], io), 0, io.err);
  const outputs = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as number[][];
  assert.equal(outputs.length, 2);
  assert.ok(outputs[0][0] - outputs[1][0] > 0.8, `predicted ${outputs[0][0]} for 1.7 and ${outputs[1][0]} for 0.15`);
  // Missing weights or inputs are usage errors.
  assert.equal(await main(['predict', specPath, '--input', path.join(dir, 'inputs.json')], capture()), 2);
  assert.equal(await main(['predict', specPath, '--weights', path.join(dir, 'nope.safetensors'), '--input', path.join(dir, 'inputs.json')], capture()), 2);
  fs.rmSync(dir, { recursive: true });
});
