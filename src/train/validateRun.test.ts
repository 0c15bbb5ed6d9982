import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError } from '../data';
import { nodeRunIo } from './runIo';
import { setUpRun } from './session';
import { SpecError, validateRun } from './validateRun';
import type { MachineMemory } from './resources';

const roomy: MachineMemory = { totalBytes: 64e9, freeBytes: 64e9, kernelsName: 'reference' };

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-validate-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function lineOf(text: string, snippet: string): number {
  return text.slice(0, text.indexOf(snippet)).split('\n').length;
}

const generator = (vocabSize?: number) => JSON.stringify({
  name: 'gen',
  task: { type: 'generate' },
  data: { source: 'text', path: 'text.txt', tokenizer: 'char', window: 8, split: { validation: 0.2 } },
  model: { embedding: { dim: 4, ...(vocabSize ? { vocabSize } : {}) }, encoder: { cell: 'gru', hiddenSize: 8 } },
  training: { epochs: 1, batchSize: 4, seed: 1, optimizer: { type: 'adam', lr: 0.01 }, clipGradNorm: 1 },
}, null, 2);

const series = (overrides: { hiddenSize?: number; batchSize?: number } = {}) => JSON.stringify({
  name: 'series',
  task: { type: 'forecast', horizon: 1 },
  data: { source: 'csv', path: 'load.csv', columns: ['load'], window: 4, split: { validation: 0.25 } },
  model: { encoder: { cell: 'lstm', hiddenSize: overrides.hiddenSize ?? 8 } },
  training: { epochs: 1, batchSize: overrides.batchSize ?? 4, seed: 1, optimizer: { type: 'adam', lr: 0.01 }, clipGradNorm: 1 },
}, null, 2);

const csv = (rows: number, bad?: { row: number; value: string }) =>
  ['load', ...Array.from({ length: rows }, (_, i) => (bad?.row === i ? bad.value : String(Math.sin(i))))].join('\n') + '\n';

test('a spec whose data needs a larger vocabSize is refused by check and by train alike, at the vocabSize', () => {
  const spec = generator(5);
  const dir = workspace({ 'gen.seqmodel.json': spec, 'text.txt': 'the quick brown fox jumps over the lazy dog. '.repeat(4) });
  const specPath = path.join(dir, 'gen.seqmodel.json');
  const checked = validateRun({ specPath, specText: spec, machine: roomy }, nodeRunIo);
  assert.ok(checked.refusal instanceof SpecError, 'check refuses');
  assert.equal(checked.analysis.spec, undefined);
  const line = lineOf(spec, '"vocabSize"');
  assert.match(checked.refusal.message, new RegExp(`gen\\.seqmodel\\.json:${line}:\\d+ error embedding\\.vocabSize 5 is smaller than the data's vocabulary`));
  assert.throws(() => setUpRun({ specPath, specText: spec, machine: roomy }, nodeRunIo), (e) => e instanceof SpecError && e.message === checked.refusal!.message);
  assert.equal(fs.existsSync(path.join(dir, '.seqlab')), false, 'no run folder for a refused run');
  // Without the explicit vocabSize, both accept it.
  assert.equal(validateRun({ specPath, specText: generator(), machine: roomy }, nodeRunIo).refusal, undefined);
  fs.rmSync(dir, { recursive: true });
});

test('a data file error (NaN in a CSV) refuses check as it refuses train, naming file:line', () => {
  const dir = workspace({ 'series.seqmodel.json': series(), 'load.csv': csv(40, { row: 17, value: 'NaN' }) });
  const specPath = path.join(dir, 'series.seqmodel.json');
  const { refusal } = validateRun({ specPath, specText: series(), machine: roomy }, nodeRunIo);
  assert.ok(refusal instanceof DataError, String(refusal));
  assert.equal(refusal.file, path.join(dir, 'load.csv'));
  assert.equal(refusal.line, 19); // header, then row 17 (0-based) is line 19
  assert.throws(() => setUpRun({ specPath, specText: series(), machine: roomy }, nodeRunIo), DataError);
  fs.rmSync(dir, { recursive: true });
});

test('a generator that does not suit the task is a spec error at the generator', () => {
  const spec = JSON.stringify({
    name: 'mismatch', task: { type: 'seq2seq' }, data: { source: 'synthetic', generator: 'copy', samples: 20, length: 12 },
    model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 4 }, decoder: { cell: 'gru', hiddenSize: 4 } },
    training: { epochs: 1, batchSize: 4, optimizer: { type: 'sgd', lr: 0.1 } },
  }, null, 2);
  const { refusal } = validateRun({ specPath: '/nowhere/mismatch.seqmodel.json', specText: spec, machine: roomy }, nodeRunIo);
  assert.ok(refusal instanceof SpecError);
  assert.match(refusal.message, new RegExp(`mismatch\\.seqmodel\\.json:${lineOf(spec, '"generator"')}:\\d+ error Data "synthetic:copy" suits task "tag", not "seq2seq"`));
});

test('a model too large for the machine is refused at the size that makes it large, saying how much it needs', () => {
  const dir = workspace({ 'series.seqmodel.json': series(), 'load.csv': csv(200) });
  const specPath = path.join(dir, 'series.seqmodel.json');
  const small: MachineMemory = { totalBytes: 50e6, freeBytes: 50e6, kernelsName: 'reference' };
  // Weights dominate: 4·H·(1+H) recurrent weights at H = 2000 are 64 MB before gradients and Adam.
  const wide = series({ hiddenSize: 2000 });
  const refused = validateRun({ specPath, specText: wide, machine: small }, nodeRunIo);
  assert.ok(refused.refusal instanceof SpecError);
  const message = refused.refusal.message;
  assert.match(message, new RegExp(`series\\.seqmodel\\.json:${lineOf(wide, '"hiddenSize"')}:\\d+ error Training this model needs about [\\d.]+ [MG]B`));
  assert.match(message, /more than the 50\.0 MB of memory this machine has: lower model\.encoder\.hiddenSize \(about \d+ or less would fit\)/);
  const fits = Number(/about (\d+) or less/.exec(message)![1]);
  assert.ok(fits > 8 && fits < 2000, `suggested ${fits}`);
  assert.equal(validateRun({ specPath, specText: series({ hiddenSize: fits }), machine: small }, nodeRunIo).refusal, undefined, 'the suggested size fits');
  // Activations dominate: a huge batch of a small model points at batchSize.
  const tiny: MachineMemory = { totalBytes: 2e5, freeBytes: 2e5, kernelsName: 'reference' };
  const batchy = series({ batchSize: 4096 });
  const byBatch = validateRun({ specPath, specText: batchy, machine: tiny }, nodeRunIo);
  assert.match(byBatch.refusal!.message, new RegExp(`:${lineOf(batchy, '"batchSize"')}:\\d+ error .*lower training\\.batchSize`));
  // The WebAssembly kernels' own limit counts too.
  const wasm: MachineMemory = { totalBytes: 64e9, freeBytes: 64e9, kernelLimitBytes: 30e6, kernelsName: 'wasm-simd' };
  assert.match(validateRun({ specPath, specText: wide, machine: wasm }, nodeRunIo).refusal!.message, /the WebAssembly kernels can address/);
  fs.rmSync(dir, { recursive: true });
});

test('every bundled example passes on this machine, with its memory estimated', () => {
  const examples = path.resolve(import.meta.dirname, '../../examples');
  for (const name of fs.readdirSync(examples).filter((f) => f.endsWith('.seqmodel.json'))) {
    const specPath = path.join(examples, name);
    const result = validateRun({ specPath, specText: fs.readFileSync(specPath, 'utf8') }, nodeRunIo);
    assert.equal(result.refusal, undefined, `${name}: ${result.refusal?.message}`);
    assert.ok(result.memory && result.memory.totalBytes > 0 && result.memory.activationBytes > 0, name);
  }
});
