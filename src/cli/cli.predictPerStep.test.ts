// predict on a regress-per-step model: one row of K target values per input step, in original units (--raw: the
// model's z-scored outputs, which the training statistics map back to the same values); inputs of any length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type CliIo } from './commands';
import { prepareData } from '../data';
import type { SeqModelSpec } from '../modelSpec/types';
import { nodeRunIo } from '../train/runIo';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', isTTY: false, stdout: (t: string) => { io.out += t; }, stderr: (t: string) => { io.err += t; } };
  return io;
}

test('predict: a per-step regressor answers every step of every input, denormalised with the training statistics', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-predict-steps-'));
  const rows = Array.from({ length: 60 }, (_, t) => `${(Math.sin(t / 4) + 0.3 * Math.sin(t * 7.1)).toFixed(3)},${(t % 5).toFixed(1)},${(20 + 5 * Math.sin(t / 4)).toFixed(3)},${(t % 3) - 1}`);
  fs.writeFileSync(path.join(dir, 'sensor.csv'), ['noisy,aux,clean,offset', ...rows].join('\n'));
  const specPath = path.join(dir, 'steps.seqmodel.json');
  fs.writeFileSync(specPath, JSON.stringify({
    name: 'steps', task: { type: 'regress-per-step' },
    data: { source: 'csv', path: 'sensor.csv', columns: ['noisy', 'aux'], target: ['clean', 'offset'], window: 6, split: { validation: 0.2 } },
    model: { encoder: { cell: 'gru', hiddenSize: 5 } }, training: { epochs: 1, batchSize: 8, seed: 1, optimizer: { type: 'adam', lr: 0.01 } },
  }));
  const run = path.join(dir, 'run');
  assert.equal(await main(['train', specPath, '--out', run, '--max-steps', '2'], capture()), 0);
  const inputs = [[[0.1, 1], [0.5, 2], [0.9, 3]], [[0.2, 0], [0.1, 1], [-0.3, 2], [-0.8, 3], [-1, 4], [-0.7, 0], [0.2, 1], [0.8, 2]]];
  fs.writeFileSync(path.join(dir, 'inputs.json'), JSON.stringify(inputs));
  const predict = async (...extra: string[]) => {
    const out = path.join(dir, `out${extra.length}.json`);
    const io = capture();
    assert.equal(await main(['predict', specPath, '--weights', path.join(run, 'best.safetensors'), '--input', path.join(dir, 'inputs.json'), '--output', out, '--batch-size', '2', ...extra], io), 0, io.err);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as number[][][];
  };
  const values = await predict();
  const raw = await predict('--raw');
  assert.deepEqual(values.map((steps) => steps.length), [3, 8], 'one row per input step, longer than the window too');
  assert.ok(values.every((steps) => steps.every((row) => row.length === 2)), 'K = 2 values per step');
  // raw is z-scored with the training rows' statistics of each target column; the answer maps it back.
  const prepared = prepareData(JSON.parse(fs.readFileSync(specPath, 'utf8')) as SeqModelSpec, dir, nodeRunIo, specPath);
  const { normalizer, normalizerColumns } = prepared.info;
  const columns = ['clean', 'offset'].map((name) => normalizerColumns!.indexOf(name));
  for (let i = 0; i < 2; i++) {
    for (let t = 0; t < values[i].length; t++) {
      columns.forEach((c, k) => {
        const expected = raw[i][t][k] * normalizer!.std[c] + normalizer!.mean[c];
        assert.ok(Math.abs(values[i][t][k] - expected) < 1e-4 * Math.max(1, Math.abs(expected)), `input ${i}, step ${t}, column ${k}: ${values[i][t][k]} vs ${expected}`);
      });
    }
  }
  // The first input's steps are the same whether it runs alone or packed beside a longer input.
  fs.writeFileSync(path.join(dir, 'inputs.json'), JSON.stringify([inputs[0]]));
  const alone = await predict();
  alone[0].forEach((row, t) => row.forEach((v, k) => assert.ok(Math.abs(v - values[0][t][k]) < 1e-5, `step ${t}, column ${k}`)));
  fs.rmSync(dir, { recursive: true });
});
