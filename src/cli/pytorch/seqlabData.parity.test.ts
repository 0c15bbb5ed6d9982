// The exported project's data module (seqlab_data.py) gives SeqLab's batches: for each kind of data file, the first
// training batches of epoch 1 (SeqLab's shuffle, bucketing and drop-last rule) and the first validation batches
// hold the same examples (split indices), ids, lengths, targets and normalised values (≤ 1e-6) as SeqLab's loaders,
// also for files with CR-only line ends (old Mac) and for another file given with --data-path, which SeqLab reads
// with statistics fitted on its own training rows (as `seqlab train` on that file would).
// Runs Debian's torch at /usr/bin/python3, which `npm test` installs when missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../tensor';
import { decodeSafetensors } from '../../nn/safetensors';
import type { SeqModelSpec } from '../../modelSpec/types';
import { prepareData } from '../../data';
import type { Batch } from '../../data/types';
import { SequenceModel } from '../../train/model';
import { nodeRunIo } from '../../train/runIo';
import { encodeWeights } from '../../train/runFolder';
import { epochSeed } from '../../train/trainer';
import { exportPytorch } from '../exportPytorch';
import { PYTHON, assertTorchInstalled } from '../testing/torchInstalled';

const BATCHES = 3;
const training = { epochs: 1, batchSize: 4, seed: 11, optimizer: { type: 'adam', lr: 0.01 } } as const;

/** A CSV series; `scale` and `shift` make another file of the same shape with other statistics. */
function seriesCsv(rows: number, lineEnd: '\n' | '\r\n' | '\r', scale = 1, shift = 0): string {
  const lines = ['day,"temp",rain,level'];
  for (let i = 0; i < rows; i++) {
    const temp = (scale * (10 + 5 * Math.sin(i / 3) + i * 0.37) + shift).toFixed(3);
    const rain = i % 7 === 0 ? `"${(i / 10).toFixed(2)}"` : (i % 5) * 1.25; // a quoted number too
    lines.push(`${i},${temp},${rain},${(scale * (100 + i * 1.5 + (i % 4)) - shift).toFixed(1)}`);
    if (i === 20) lines.push(''); // a blank line is skipped
  }
  return lines.join(lineEnd) + lineEnd;
}

const words = ['good', 'bad', 'film', 'plot', 'great', 'awful', 'acting', 'music', "isn't", 'well-made', 'Boring', 'ok'];
function sentence(i: number, n: number): string {
  return Array.from({ length: n }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
}

/**
 * `files`: the first is the data file exported with the model. `dataPath`: another file given to seqlab_data.py
 * as --data-path, which SeqLab reads for the expected batches (its spec's data.path names it).
 */
const cases: Record<string, { spec: SeqModelSpec; files: Record<string, string>; dataPath?: { file: string; text: string } }> = {
  'csv series, z-score, a target that is not an input, horizon 2 (CRLF)': {
    spec: { name: 'series', task: { type: 'forecast', horizon: 2 }, data: { source: 'csv', path: 'series.csv', columns: ['temp', 'rain'], target: ['level'], window: 5, split: { validation: 0.2, test: 0.1 } },
      model: { encoder: { cell: 'lstm', hiddenSize: 3 } }, training },
    files: { 'series.csv': seriesCsv(60, '\r\n') },
  },
  'csv series, regress-per-step: two targets at every step, one of them not an input': {
    spec: { name: 'steps', task: { type: 'regress-per-step' }, data: { source: 'csv', path: 'series.csv', columns: ['temp', 'rain'], target: ['level', 'day'], window: 4, split: { validation: 0.2, test: 0.1 } },
      model: { encoder: { cell: 'gru', hiddenSize: 3 } }, training },
    files: { 'series.csv': seriesCsv(40, '\n') },
  },
  'csv series, last-value': {
    spec: { name: 'trend', task: { type: 'forecast' }, data: { source: 'csv', path: 'series.csv', columns: ['level', 'temp'], window: 6, normalize: 'last-value' },
      model: { encoder: { cell: 'gru', hiddenSize: 3 } }, training },
    files: { 'series.csv': seriesCsv(50, '\n') },
  },
  'csv series, CR line ends (old Mac), z-score': {
    spec: { name: 'mac', task: { type: 'forecast' }, data: { source: 'csv', path: 'series.csv', columns: ['temp', 'level'], window: 4 },
      model: { encoder: { cell: 'lstm', hiddenSize: 3 } }, training },
    files: { 'series.csv': seriesCsv(40, '\r') },
  },
  'csv series, --data-path another file: z-score statistics fitted on its training rows, as SeqLab does': {
    spec: { name: 'moved', task: { type: 'forecast', horizon: 2 }, data: { source: 'csv', path: 'series.csv', columns: ['temp', 'rain'], target: ['level'], window: 5, split: { validation: 0.2 } },
      model: { encoder: { cell: 'lstm', hiddenSize: 3 } }, training },
    files: { 'series.csv': seriesCsv(60, '\n') },
    dataPath: { file: 'other.csv', text: seriesCsv(80, '\n', 3, 40) },
  },
  'csv series, --data-path another file: last-value scales fitted on its training rows': {
    spec: { name: 'moved-trend', task: { type: 'forecast' }, data: { source: 'csv', path: 'series.csv', columns: ['level', 'temp'], window: 6, normalize: 'last-value' },
      model: { encoder: { cell: 'gru', hiddenSize: 3 } }, training },
    files: { 'series.csv': seriesCsv(50, '\n') },
    dataPath: { file: 'other.csv', text: seriesCsv(50, '\r', 0.5, -7) },
  },
  'text classification CSV, CR line ends, a quoted line break': {
    spec: { name: 'mac-reviews', task: { type: 'classify' }, data: { source: 'text-classification', path: 'reviews.csv', split: { validation: 0.25 } },
      model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 3 } }, training },
    files: {
      'reviews.csv': 'id,text,label\r' + Array.from({ length: 30 }, (_, i) => `${i},${i === 4 ? '"Great, great film!\rReally."' : sentence(i, 2 + (i % 5))},${i % 3 === 0 ? 'neg' : 'pos'}`).join('\r') + '\r',
    },
  },
  'text classification JSONL, CR line ends': {
    spec: { name: 'mac-jsonl', task: { type: 'classify' }, data: { source: 'text-classification', path: 'texts.jsonl' },
      model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 3 } }, training },
    files: { 'texts.jsonl': Array.from({ length: 25 }, (_, i) => JSON.stringify({ text: sentence(i, 1 + (i % 4)), label: i % 2 ? 'a' : 'b' })).join('\r') + '\r\r' },
  },
  'CoNLL tagging, CR line ends': {
    spec: { name: 'mac-tags', task: { type: 'tag' }, data: { source: 'conll', path: 'tags.conll', split: { validation: 0.2 } },
      model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 3 } }, training },
    files: {
      'tags.conll': Array.from({ length: 24 }, (_, i) => sentence(i, 1 + (i % 6)).split(' ').map((w, k) => `${w} ${k % 3 === 0 ? 'B-X' : 'O'}`).join('\r')).join('\r\r') + '\r',
    },
  },
  'pairs for seq2seq, CR line ends': {
    spec: { name: 'mac-pairs', task: { type: 'seq2seq' }, data: { source: 'pairs', path: 'pairs.tsv' },
      model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 3 }, decoder: { cell: 'gru', hiddenSize: 3 } }, training },
    files: { 'pairs.tsv': Array.from({ length: 26 }, (_, i) => `${sentence(i, 1 + (i % 4))}\t${sentence(i + 3, 1 + (i % 3))}`).join('\r') + '\r' },
  },
  'text classification CSV, quoted text with commas and a line break, bucketed': {
    spec: { name: 'reviews', task: { type: 'classify' }, data: { source: 'text-classification', path: 'reviews.csv', minFrequency: 2, bucketByLength: true, split: { validation: 0.25 } },
      model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 3 } }, training },
    files: {
      'reviews.csv': 'id,text,label\n' + Array.from({ length: 30 }, (_, i) => {
        const text = i === 4 ? '"Great, great film!\nReally."' : i === 9 ? '"She said ""awful"" twice"' : sentence(i, 2 + (i % 5));
        return `${i},${text}, ${i % 3 === 0 ? 'neg' : 'pos'} `;
      }).join('\n') + '\n',
    },
  },
  'text classification JSONL, numeric labels, char tokens': {
    spec: { name: 'jsonl', task: { type: 'classify' }, data: { source: 'text-classification', path: 'texts.jsonl', tokenizer: 'char', maxLength: 9 },
      model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 3 } }, training },
    files: { 'texts.jsonl': Array.from({ length: 25 }, (_, i) => JSON.stringify({ text: `${sentence(i, 1 + (i % 4))} é😀`, label: i % 3 })).join('\n') + '\n\n' },
  },
  'CoNLL tagging, lowercase, -DOCSTART-': {
    spec: { name: 'tags', task: { type: 'tag' }, data: { source: 'conll', path: 'tags.conll', lowercase: true, split: { validation: 0.2 } },
      model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 3, bidirectional: true } }, training },
    files: {
      'tags.conll': '-DOCSTART- -X- O O\n\n' + Array.from({ length: 24 }, (_, i) => sentence(i, 1 + (i % 6)).split(' ').map((w, k) => `${w} NN ${k % 3 === 0 ? 'B-X' : 'O'}`).join('\n')).join('\n\n') + '\n',
    },
  },
  'pairs for seq2seq, word tokens, separate vocabularies': {
    spec: { name: 'pairs', task: { type: 'seq2seq' }, data: { source: 'pairs', path: 'pairs.tsv', tokenizer: 'word' },
      model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 3 }, decoder: { cell: 'gru', hiddenSize: 3 } }, training },
    files: { 'pairs.tsv': Array.from({ length: 26 }, (_, i) => `${sentence(i, 1 + (i % 4))}\t${sentence(i + 3, 1 + (i % 3)).toUpperCase()}`).join('\r\n') + '\r\n' },
  },
  'plain text, characters (CRLF)': {
    spec: { name: 'chars', task: { type: 'generate' }, data: { source: 'text', path: 'text.txt', window: 8, split: { validation: 0.2 } },
      model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 3 } }, training },
    files: { 'text.txt': '\uFEFF' + Array.from({ length: 12 }, (_, i) => sentence(i, 4)).join('\r\n') },
  },
  'plain text, lowercased words': {
    spec: { name: 'words', task: { type: 'generate' }, data: { source: 'text', path: 'text.txt', window: 5, tokenizer: 'word', lowercase: true },
      model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 3 } }, training },
    files: { 'text.txt': Array.from({ length: 30 }, (_, i) => `${sentence(i, 3)}, ${sentence(i + 1, 2)}!`).join('\n') },
  },
};

/** SeqLab's batches as the dump names them: `<split>.<k>.<field>`. */
function seqlabBatches(spec: SeqModelSpec, dir: string): Map<string, { values: ArrayLike<number>; shape: number[] }> {
  const data = prepareData(spec, dir, nodeRunIo, path.join(dir, 'spec.seqmodel.json'));
  const B = spec.training.batchSize;
  const out = new Map<string, { values: ArrayLike<number>; shape: number[] }>();
  const record = (name: string, k: number, batch: Batch) => {
    const T = batch.steps;
    const put = (field: string, values: ArrayLike<number> | undefined, shape: number[]) => {
      if (values) out.set(`${name}.${k}.${field}`, { values: Array.from(values).slice(0, shape.reduce((a, b) => a * b, 1)), shape });
    };
    put('indices', batch.indices, [batch.size]);
    put('lengths', batch.lengths, [batch.size]);
    put('inputs', batch.inputs, [batch.size, T, data.info.inputSize]);
    put('input_ids', batch.inputIds, [batch.size, T]);
    // Per step: [B,T·K], each example's T steps of K targets.
    put('targets', batch.targets, [batch.size, (spec.task.type === 'regress-per-step' ? T : 1) * data.info.outputSize]);
    put('anchors', batch.anchors, [batch.size, batch.anchors ? batch.anchors.length / batch.size : 0]);
    put('target_ids', batch.targetIds, batch.targetSteps === undefined ? [batch.size] : [batch.size, batch.targetSteps]);
    put('target_lengths', batch.targetLengths, [batch.size]);
    put('decoder_input_ids', batch.decoderInputIds, [batch.size, batch.targetSteps ?? 0]);
  };
  const shuffle = new Rng(epochSeed(spec.training.seed ?? 0, 1)).fork();
  const orders = {
    train: data.train.batches(B, { shuffle: true, rng: shuffle, bucketByLength: spec.data.bucketByLength, dropLast: data.train.size >= 2 * B }),
    validation: data.validation.batches(B, { shuffle: false }),
  };
  for (const [name, batches] of Object.entries(orders)) {
    let k = 0;
    for (const batch of batches) {
      if (k >= BATCHES) break;
      record(name, k++, batch);
    }
  }
  return out;
}

test('seqlab_data.py gives SeqLab\'s first batches for every kind of data file', () => {
  assertTorchInstalled();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-data-parity-'));
  const dirs: string[] = [];
  const dataPaths: string[] = [];
  const expected: ReturnType<typeof seqlabBatches>[] = [];
  for (const [index, { spec, files, dataPath }] of Object.values(cases).entries()) {
    const dir = path.join(root, `case${index}`);
    fs.mkdirSync(dir);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    const data = prepareData(spec, dir, nodeRunIo, path.join(dir, 'spec.seqmodel.json'));
    const model = new SequenceModel(spec, data.info, new Rng(1));
    exportPytorch({ spec, data, model, weightsBytes: encodeWeights(model.namedParameters()), outDir: path.join(dir, 'export'), io: nodeRunIo, dataFile: path.join(dir, Object.keys(files)[0]) });
    dirs.push(path.join(dir, 'export'));
    if (dataPath) fs.writeFileSync(path.join(dir, dataPath.file), dataPath.text);
    dataPaths.push(dataPath ? path.join(dir, dataPath.file) : '');
    expected.push(seqlabBatches(dataPath ? { ...spec, data: { ...spec.data, path: dataPath.file } } as SeqModelSpec : spec, dir));
  }
  // One Python process for every case (importing torch dominates the time).
  const driver = `
import runpy, sys
for d, data_path in zip(sys.argv[1::2], sys.argv[2::2]):
    sys.path.insert(0, d)
    sys.argv = ["seqlab_data.py", "--dump", d + "/batches.safetensors", "--batches", "${BATCHES}"] + (["--data-path", data_path] if data_path else [])
    runpy.run_path(d + "/seqlab_data.py", run_name="__main__")
    sys.path.pop(0)
`;
  const r = spawnSync(PYTHON, ['-c', driver, ...dirs.flatMap((dir, c) => [dir, dataPaths[c]])], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const names = Object.keys(cases);
  let worst = 0;
  dirs.forEach((dir, c) => {
    const dumped = decodeSafetensors(new Uint8Array(fs.readFileSync(path.join(dir, 'batches.safetensors')))).tensors;
    const want = expected[c];
    assert.deepEqual(Object.keys(dumped).sort(), [...want.keys()].sort(), `${names[c]}: the same batches and fields`);
    for (const [key, { values, shape }] of want) {
      const got = dumped[key];
      assert.deepEqual(got.shape, shape, `${names[c]}: ${key} shape`);
      const real = /\.(inputs|targets|anchors)$/.test(key);
      for (let i = 0; i < values.length; i++) {
        const difference = Math.abs(got.data[i] - values[i]);
        if (real) worst = Math.max(worst, difference);
        assert.ok(real ? difference <= 1e-6 : difference === 0, `${names[c]}: ${key}[${i}] is ${got.data[i]}, SeqLab has ${values[i]}`);
      }
    }
  });
  console.log(`normalised values: largest difference ${worst.toExponential(2)}`);
  fs.rmSync(root, { recursive: true });
});
