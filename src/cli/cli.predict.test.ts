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
  // Each prediction near its own sum (trained, this spec gives 1.66 and 0.23); an untrained or constant model
  // predicts about the mean sum (≈ 1) for both and fails both.
  assert.ok(Math.abs(outputs[0][0] - 1.7) < 0.12, `predicted ${outputs[0][0]} for 0.9 + 0.8 = 1.7`);
  assert.ok(Math.abs(outputs[1][0] - 0.15) < 0.12, `predicted ${outputs[1][0]} for 0.1 + 0.05 = 0.15`);
  // Missing weights or inputs are usage errors.
  assert.equal(await main(['predict', specPath, '--input', path.join(dir, 'inputs.json')], capture()), 2);
  assert.equal(await main(['predict', specPath, '--weights', path.join(dir, 'nope.safetensors'), '--input', path.join(dir, 'inputs.json')], capture()), 2);
  fs.rmSync(dir, { recursive: true });
});

/** A spec in a temporary folder with its data file, and untrained weights (seeded) saved beside it. */
async function specWithWeights(spec: object, dataName: string, dataText: string): Promise<{ dir: string; specPath: string; weights: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-predict-'));
  const specPath = path.join(dir, 'm.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify(spec));
  fs.writeFileSync(path.join(dir, dataName), dataText);
  const run = path.join(dir, 'run');
  assert.equal(await main(['train', specPath, '--out', run, '--max-steps', '1'], capture()), 0);
  return { dir, specPath, weights: path.join(run, 'model.safetensors') };
}

test('predict reads a CSV series in the spec columns: every window is one input, the same outputs as the JSON form', async () => {
  const rows = Array.from({ length: 40 }, (_, t) => `${t},${(50 + 10 * Math.sin(t / 3)).toFixed(2)},${(t % 7).toFixed(1)}`);
  const { dir, specPath, weights } = await specWithWeights({
    name: 'f', task: { type: 'forecast' }, data: { source: 'csv', path: 'load.csv', columns: ['load', 'temp'], window: 4 },
    model: { encoder: { cell: 'gru', hiddenSize: 5 } }, training: { epochs: 1, batchSize: 8, seed: 1, optimizer: { type: 'adam', lr: 0.01 } },
  }, 'load.csv', ['t,load,temp', ...rows].join('\n'));
  // Columns in another order than the spec: they are found by name.
  const history = ['temp,load', '1,50', '2,53', '3,55', '4,54', '5,52'].join('\n');
  fs.writeFileSync(path.join(dir, 'history.csv'), history);
  const io = capture();
  assert.equal(await main(['predict', specPath, '--weights', weights, '--input', path.join(dir, 'history.csv')], io), 0, io.err);
  const fromCsv = JSON.parse(io.out) as number[][];
  assert.equal(fromCsv.length, 2, 'five rows make two windows of four');
  fs.writeFileSync(path.join(dir, 'history.json'), JSON.stringify([[[50, 1], [53, 2], [55, 3], [54, 4]], [[53, 2], [55, 3], [54, 4], [52, 5]]]));
  const jsonIo = capture();
  assert.equal(await main(['predict', specPath, '--weights', weights, '--input', path.join(dir, 'history.json')], jsonIo), 0, jsonIo.err);
  assert.deepEqual(fromCsv, JSON.parse(jsonIo.out));
  assert.notDeepEqual(fromCsv[0], fromCsv[1]);

  fs.writeFileSync(path.join(dir, 'bad.csv'), 'load,temp\n50,1\n51,oops\n');
  const bad = capture();
  assert.equal(await main(['predict', specPath, '--weights', weights, '--input', path.join(dir, 'bad.csv')], bad), 2);
  assert.match(bad.err, /bad\.csv:3:4: "oops" is not a number in column "temp"/);
  fs.writeFileSync(path.join(dir, 'wide.json'), '[\n  [[1, 2, 3]]\n]');
  const wide = capture();
  assert.equal(await main(['predict', specPath, '--weights', weights, '--input', path.join(dir, 'wide.json')], wide), 2);
  assert.match(wide.err, /wide\.json:2:3: .*2/);
  fs.rmSync(dir, { recursive: true });
});

test('predict tags the sentences of a CoNLL file, one output per sentence', async () => {
  const conll = ['the DET', 'cat NOUN', 'sat VERB', '', 'a DET', 'dog NOUN', 'ran VERB', '', 'the DET', 'dog NOUN', 'sat VERB', '', 'a DET', 'cat NOUN', 'ran VERB', ''].join('\n');
  const { dir, specPath, weights } = await specWithWeights({
    name: 't', task: { type: 'tag' }, data: { source: 'conll', path: 'train.conll', split: { validation: 0.25 } },
    model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 4 } }, training: { epochs: 1, batchSize: 2, seed: 1, optimizer: { type: 'adam', lr: 0.01 } },
  }, 'train.conll', conll);
  fs.writeFileSync(path.join(dir, 'new.conll'), 'the\ndog\nran\n\na\ncat\n');
  const io = capture();
  assert.equal(await main(['predict', specPath, '--weights', weights, '--input', path.join(dir, 'new.conll')], io), 0, io.err);
  const outputs = JSON.parse(io.out) as { tokens: string[]; tags: string[] }[];
  assert.deepEqual(outputs.map((o) => o.tokens), [['the', 'dog', 'ran'], ['a', 'cat']]);
  for (const o of outputs) for (const tag of o.tags) assert.ok(['DET', 'NOUN', 'VERB'].includes(tag), tag);
  fs.rmSync(dir, { recursive: true });
});
