// `seqlab predict --batch-size N` packs inputs of different lengths into batches: every output equals the one the
// input gets alone (--batch-size 1), for a bidirectional tagger, a classifier reading output[:, -1] (which batches
// only inputs of one length), a real-valued regressor and greedy seq2seq decoding. `--raw` prints the model's
// outputs (logits) instead of labels.
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

const training = { epochs: 1, batchSize: 2, seed: 1, optimizer: { type: 'adam', lr: 0.01 } };
const texts = ['good film', 'bad', 'a really bad plot', 'good good good film', 'bad film', 'film', 'really good plot and a good film'];
const reviews = 'text,label\ngood film,pos\nbad plot,neg\nvery good,pos\nreally bad film,neg\ngood good,pos\nbad,neg\n';

/** A spec and its data in a temporary folder, weights after one step, and the inputs file. */
async function setUp(spec: object, dataName: string, dataText: string, inputs: unknown[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-predict-batched-'));
  const specPath = path.join(dir, 'm.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify(spec));
  fs.writeFileSync(path.join(dir, dataName), dataText);
  fs.writeFileSync(path.join(dir, 'inputs.json'), JSON.stringify(inputs));
  const run = path.join(dir, 'run');
  assert.equal(await main(['train', specPath, '--out', run, '--max-steps', '1'], capture()), 0);
  const predict = async (...extra: string[]) => {
    const io = capture();
    const code = await main(['predict', specPath, '--weights', path.join(run, 'model.safetensors'), '--input', path.join(dir, 'inputs.json'), ...extra], io);
    return { code, io, outputs: code === 0 ? (JSON.parse(io.out) as unknown[]) : [] };
  };
  return { dir, predict };
}

/** Every number of two JSON values agrees to float32 rounding (batched GEMMs may round in another order). */
function assertNumbersClose(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', where);
    assert.ok(Math.abs((actual as number) - expected) <= 1e-5 * Math.max(1, Math.abs(expected)), `${where}: ${actual} vs ${expected}`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${where}: length`);
    expected.forEach((e, i) => assertNumbersClose((actual as unknown[])[i], e, `${where}[${i}]`));
  } else if (expected && typeof expected === 'object') {
    for (const [k, e] of Object.entries(expected)) assertNumbersClose((actual as Record<string, unknown>)[k], e, `${where}.${k}`);
  } else {
    assert.deepEqual(actual, expected, where);
  }
}

test('a bidirectional tagger: batched raw logits and tags equal one input at a time', async () => {
  const conll = ['the DET', 'cat NOUN', 'sat VERB', '', 'a DET', 'dog NOUN', 'ran VERB', '', 'the DET', 'dog NOUN', 'sat VERB', ''].join('\n');
  const inputs = ['the dog', 'a cat sat', 'the', 'dog ran the cat sat', 'a dog', 'cat', 'the cat sat'];
  const { dir, predict } = await setUp({
    name: 't', task: { type: 'tag' }, data: { source: 'conll', path: 'train.conll', split: { validation: 0.34 } },
    model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 5, numLayers: 2, bidirectional: true } }, training,
  }, 'train.conll', conll, inputs);
  const alone = await predict('--raw');
  assert.equal(alone.code, 0, alone.io.err);
  const logits = alone.outputs as { tokens: string[]; logits: number[][] }[];
  assert.deepEqual(logits.map((o) => o.tokens.length), [2, 3, 1, 5, 2, 1, 3]);
  assert.ok(logits.every((o) => o.logits.length === o.tokens.length && o.logits.every((row) => row.length === 3)), 'one row of 3 logits per token');
  for (const size of ['3', '7']) {
    const batched = await predict('--raw', '--batch-size', size);
    assert.equal(batched.code, 0, batched.io.err);
    assertNumbersClose(batched.outputs, alone.outputs, `--batch-size ${size}`);
  }
  const tags = await predict('--batch-size', '4');
  assert.deepEqual((tags.outputs as { tags: string[] }[]).map((o) => o.tags.length), [2, 3, 1, 5, 2, 1, 3]);
  assert.deepEqual(tags.outputs, (await predict()).outputs);
  fs.rmSync(dir, { recursive: true });
});

test('a classifier reading output[:, -1]: batches hold one length, so results still equal one at a time', async () => {
  const { dir, predict } = await setUp({
    name: 'c', task: { type: 'classify' }, data: { source: 'text-classification', path: 'reviews.csv', split: { validation: 0.34 } },
    model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 4, bidirectional: true }, readout: 'last' }, training,
  }, 'reviews.csv', reviews, texts);
  const alone = await predict('--raw');
  assert.equal(alone.code, 0, alone.io.err);
  assert.ok((alone.outputs as number[][]).every((logits) => logits.length === 2));
  assertNumbersClose((await predict('--raw', '--batch-size', '8')).outputs, alone.outputs, 'last readout');
  const labels = (await predict('--batch-size', '8')).outputs as { label: string; probabilities: Record<string, number> }[];
  assert.deepEqual(labels.map((o) => o.label), ((await predict()).outputs as { label: string }[]).map((o) => o.label));
  fs.rmSync(dir, { recursive: true });
});

test('a real-valued regressor on series of different lengths, and greedy seq2seq: batched equals alone', async () => {
  const series = [[[0.9, 1], [0.3, 0], [0.8, 1]], [[0.1, 1], [0.05, 1]], [[0.5, 0], [0.2, 1], [0.7, 1], [0.4, 0], [0.1, 0]], [[0.6, 1]]];
  const regress = await setUp({
    name: 'r', task: { type: 'regress' }, data: { source: 'synthetic', generator: 'adding', samples: 20, length: 5, seed: 2, split: { validation: 0.2 } },
    model: { encoder: { cell: 'lstm', hiddenSize: 6, projSize: 3, numLayers: 2 }, readout: 'mean' }, training,
  }, 'unused.txt', '', series);
  const alone = await regress.predict();
  assert.equal(alone.code, 0, alone.io.err);
  assertNumbersClose((await regress.predict('--batch-size', '4')).outputs, alone.outputs, 'regress');
  fs.rmSync(regress.dir, { recursive: true });

  const pairs = 'abc\tcba\nab\tba\nbca\tacb\ncab\tbac\nca\tac\nbb\tbb\n';
  const seq2seq = await setUp({
    name: 's', task: { type: 'seq2seq' }, data: { source: 'pairs', path: 'pairs.tsv', split: { validation: 0.34 } },
    model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 3, bidirectional: true }, decoder: { cell: 'gru', hiddenSize: 6 } }, training,
  }, 'pairs.tsv', pairs, ['abc', 'b', 'cabca', 'ab', 'c']);
  const decoded = await seq2seq.predict();
  assert.equal(decoded.code, 0, decoded.io.err);
  assert.deepEqual((await seq2seq.predict('--batch-size', '5')).outputs, decoded.outputs);
  const raw = await seq2seq.predict('--raw');
  assert.equal(raw.code, 2, 'seq2seq outputs decoded tokens: --raw is a usage error');
  assert.match(raw.io.err, /--raw/);
  assert.equal((await seq2seq.predict('--batch-size', '0')).code, 2);
  fs.rmSync(seq2seq.dir, { recursive: true });
});

test('predict --help documents --batch-size and --raw', async () => {
  const io = capture();
  assert.equal(await main(['predict', '--help'], io), 0);
  assert.match(io.out, /--batch-size N/);
  assert.match(io.out, /--raw/);
});
