// The exported PyTorch project reproduces SeqLab's outputs on the same weights (to 1e-5), for a model of each
// shape family. Needs Debian's torch at /usr/bin/python3, which `npm test` installs when missing; without it the
// test fails, naming the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../modelSpec/types';
import { prepareData } from '../data';
import { SequenceModel } from '../train/model';
import { nodeRunIo } from '../train/runIo';
import { saveWeights } from '../train/runFolder';
import { exportPytorch } from './exportPytorch';

import { PYTHON, assertTorchInstalled } from './testing/torchInstalled';

const base = { training: { epochs: 1, batchSize: 4, optimizer: { type: 'adam', lr: 0.01 } } } as const;
const cases: Record<string, { spec: SeqModelSpec; files?: Record<string, string> }> = {
  'regress-residual-layernorm': {
    spec: { name: 'a', task: { type: 'regress' }, data: { source: 'synthetic', generator: 'adding', samples: 12, length: 7, split: { validation: 0.5 } },
      model: { encoder: { cell: 'lstm', hiddenSize: 4, numLayers: 3, residual: true, layerNorm: true }, readout: 'mean', head: { hidden: [5], activation: 'tanh' } }, ...base },
  },
  'regress-projected-lstm-without-bias': {
    spec: { name: 'p', task: { type: 'regress' }, data: { source: 'synthetic', generator: 'adding', samples: 12, length: 7, split: { validation: 0.5 } },
      model: { encoder: { cell: 'lstm', hiddenSize: 5, projSize: 3, numLayers: 2, bidirectional: true, bias: false }, readout: 'hN' }, ...base },
  },
  'classify-bidirectional-gru': {
    spec: { name: 'b', task: { type: 'classify' }, data: { source: 'text-classification', path: 'reviews.csv', split: { validation: 0.5 } },
      model: { embedding: { dim: 5 }, encoder: { cell: 'gru', hiddenSize: 3, numLayers: 2, bidirectional: true }, readout: 'hN' }, ...base },
    files: { 'reviews.csv': 'text,label\ngood film,pos\nbad plot,neg\nvery good,pos\nreally bad film,neg\ngood good,pos\nbad,neg\n' },
  },
  'classify-unpacked-bidirectional-lstm': {
    spec: { name: 'e', task: { type: 'classify' }, data: { source: 'text-classification', path: 'reviews.csv', split: { validation: 0.5 } },
      model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 3, bidirectional: true, packed: false }, readout: 'hN' }, ...base },
    files: { 'reviews.csv': 'text,label\ngood film,pos\nbad plot,neg\nvery good,pos\nreally bad film,neg\ngood good,pos\nbad,neg\n' },
  },
  'seq2seq-learned-bridge': {
    spec: { name: 'c', task: { type: 'seq2seq' }, data: { source: 'pairs', path: 'pairs.tsv', split: { validation: 0.5 } },
      model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 3, numLayers: 2, bidirectional: true }, decoder: { cell: 'lstm', hiddenSize: 6, numLayers: 2 } }, ...base },
    files: { 'pairs.tsv': 'abc\tcba\nab\tba\nbca\tacb\ncab\tbac\nca\tac\nbb\tbb\n' },
  },
  'generate-learned-state': {
    spec: { name: 'd', task: { type: 'generate' }, data: { source: 'text', path: 'text.txt', window: 6, split: { validation: 0.3 } },
      model: { embedding: { dim: 4 }, encoder: { cell: 'rnn', hiddenSize: 5, numLayers: 2 }, initialState: 'learned' }, ...base },
    files: { 'text.txt': 'the cat sat on the mat and the dog sat on the log. '.repeat(3) },
  },
};

test('exported PyTorch models reproduce SeqLab outputs to 1e-5', () => {
  assertTorchInstalled();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-export-'));
  const dirs: string[] = [];
  for (const [name, { spec, files }] of Object.entries(cases)) {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    for (const [file, text] of Object.entries(files ?? {})) fs.writeFileSync(path.join(dir, file), text);
    const data = prepareData(spec, dir, nodeRunIo, path.join(dir, 'spec.seqmodel.json'));
    const model = new SequenceModel(spec, data.info, new Rng(7));
    for (const p of model.namedParameters()) if (p.name.startsWith('initial_')) new Rng(8).fillUniform(p.parameter.value.data, -0.5, 0.5);
    saveWeights(nodeRunIo, path.join(dir, 'weights.safetensors'), model.namedParameters());
    exportPytorch({ spec, data, model, weightsBytes: fs.readFileSync(path.join(dir, 'weights.safetensors')), outDir: path.join(dir, 'export'), io: nodeRunIo });
    dirs.push(path.join(dir, 'export'));
  }
  // One Python process for all cases (importing torch dominates the time): each export's check_parity.main().
  const driver = `
import importlib, runpy, sys
failures = []
for d in sys.argv[1:]:
    sys.path.insert(0, d)
    sys.modules.pop("model", None)
    try:
        runpy.run_path(d + "/check_parity.py", run_name="__main__")
    except SystemExit as e:
        if e.code:
            failures.append(d)
    sys.path.pop(0)
sys.exit(1 if failures else 0)
`;
  const r = spawnSync(PYTHON, ['-c', driver, ...dirs], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.equal((r.stdout.match(/max abs difference/g) ?? []).length, dirs.length, r.stdout);
  fs.rmSync(root, { recursive: true });
});
