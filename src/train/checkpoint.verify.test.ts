import { test } from 'node:test';
import assert from 'node:assert/strict';
import { train } from './trainer';
import { memoryRunIo } from './runIo';
import { encodeWeights } from './runFolder';
import { FileError } from './fileErrors';
import { decodeSafetensors, encodeSafetensors } from '../nn/safetensors';
import { Tensor } from '../tensor';
import { prepareSynthetic, steppingClock, tinyAddingSpec } from './testing/tinyRuns';
import { SequenceModel } from './model';
import { Rng } from '../tensor';

const spec = tinyAddingSpec({ epochs: 2 });

async function runFolderAfterOneEpoch() {
  const io = memoryRunIo();
  await train({ spec, data: prepareSynthetic(spec), io, runDir: '/run', emit: () => {}, now: steppingClock(), overrides: { epochs: 1 } });
  return io;
}

/** The checkpoint decoded, changed by `edit`, encoded again. */
function edited(bytes: Uint8Array, edit: (tensors: Record<string, Tensor>, metadata: Record<string, string>) => void): Uint8Array {
  const { tensors, metadata } = decodeSafetensors(bytes);
  edit(tensors, metadata);
  return encodeSafetensors(tensors, metadata);
}

const trainerState = (metadata: Record<string, string>) => JSON.parse(metadata['seqlab.trainer']);

// Each case damages the run folder in one way; resume must refuse with a FileError naming the file and the reason.
const cases: { name: string; damage: (files: Map<string, Uint8Array>) => void; file: string; reason: RegExp }[] = [
  { name: 'no checkpoint at all', damage: (f) => f.delete('/run/model.safetensors'), file: '/run/model.safetensors', reason: /no such file/ },
  { name: 'a truncated checkpoint', damage: (f) => f.set('/run/model.safetensors', f.get('/run/model.safetensors')!.slice(0, 500)), file: '/run/model.safetensors', reason: /not a usable safetensors file: truncated/ },
  { name: 'an empty checkpoint', damage: (f) => f.set('/run/model.safetensors', new Uint8Array(0)), file: '/run/model.safetensors', reason: /is empty, not a safetensors file/ },
  {
    name: 'a NaN weight', file: '/run/model.safetensors', reason: /encoder\.weight_hh_l0\[5\] is NaN; a checkpoint must hold finite numbers only/,
    damage: (f) => f.set('/run/model.safetensors', edited(f.get('/run/model.safetensors')!, (t) => { t['encoder.weight_hh_l0'].data[5] = NaN; })),
  },
  {
    name: 'an infinite optimizer moment', file: '/run/model.safetensors', reason: /optimizer\.encoder\.bias_ih_l0\.exp_avg_sq\[0\] is Infinity/,
    damage: (f) => f.set('/run/model.safetensors', edited(f.get('/run/model.safetensors')!, (t) => { t['optimizer.encoder.bias_ih_l0.exp_avg_sq'].data[0] = Infinity; })),
  },
  {
    name: 'a missing optimizer buffer', file: '/run/model.safetensors', reason: /optimizer state does not fit this model: missing head\.output\.bias\.exp_avg$/,
    damage: (f) => f.set('/run/model.safetensors', edited(f.get('/run/model.safetensors')!, (t) => { delete t['optimizer.head.output.bias.exp_avg']; })),
  },
  {
    name: 'a weight of the wrong shape', file: '/run/model.safetensors', reason: /size mismatch for head\.output\.bias/,
    damage: (f) => f.set('/run/model.safetensors', edited(f.get('/run/model.safetensors')!, (t) => { t['head.output.bias'] = Tensor.zeros([2]); })),
  },
  {
    name: 'trainer and optimizer at different steps', file: '/run/model.safetensors', reason: /optimizer took 3 steps but the trainer state says 2/,
    damage: (f) => f.set('/run/model.safetensors', edited(f.get('/run/model.safetensors')!, (_t, m) => { m['seqlab.trainer'] = JSON.stringify({ ...trainerState(m), step: 2 }); })),
  },
  {
    name: 'a trainer state that is not JSON', file: '/run/model.safetensors', reason: /metadata seqlab\.trainer is not valid/,
    damage: (f) => f.set('/run/model.safetensors', edited(f.get('/run/model.safetensors')!, (_t, m) => { m['seqlab.trainer'] = '{"epoch": 1,'; })),
  },
  {
    name: 'a negative epoch', file: '/run/model.safetensors', reason: /trainer state epoch must be a non-negative integer, found -1/,
    damage: (f) => f.set('/run/model.safetensors', edited(f.get('/run/model.safetensors')!, (_t, m) => { m['seqlab.trainer'] = JSON.stringify({ ...trainerState(m), epoch: -1 }); })),
  },
  {
    name: 'a checkpoint of another spec', file: '/run/model.safetensors', reason: /written for a different spec than the run folder's spec\.json/,
    damage: (f) => f.set('/run/model.safetensors', edited(f.get('/run/model.safetensors')!, (_t, m) => { m['seqlab.spec'] = JSON.stringify({ ...spec, training: { ...spec.training, batchSize: 8 } }); })),
  },
  {
    name: 'plain weights (no trainer state)', file: '/run/model.safetensors', reason: /holds weights but no trainer state.*--init/,
    damage: (f) => f.set('/run/model.safetensors', edited(f.get('/run/model.safetensors')!, (t, m) => {
      for (const name of Object.keys(t)) if (name.startsWith('optimizer.')) delete t[name];
      for (const key of Object.keys(m)) if (key.startsWith('seqlab.')) delete m[key];
    })),
  },
  {
    name: 'a folder of an older SeqLab (separate optimizer and trainer-state files)', file: '/run/model.safetensors', reason: /older SeqLab.*cannot be resumed safely; start a new run from these weights with --init/,
    damage: (f) => {
      f.set('/run/model.safetensors', edited(f.get('/run/model.safetensors')!, (t, m) => {
        for (const name of Object.keys(t)) if (name.startsWith('optimizer.')) delete t[name];
        for (const key of Object.keys(m)) if (key.startsWith('seqlab.')) delete m[key];
      }));
      f.set('/run/trainer-state.json', new TextEncoder().encode('{"epoch": 1, "step": 3}'));
    },
  },
];

for (const c of cases) {
  test(`resume refuses ${c.name}, naming the file, and changes nothing`, async () => {
    const io = await runFolderAfterOneEpoch();
    c.damage(io.files);
    const before = new Map([...io.files].map(([k, v]) => [k, v.slice()]));
    await assert.rejects(
      train({ spec, data: prepareSynthetic(spec), io, runDir: '/run', emit: () => {}, now: steppingClock(), resume: true }),
      (error: Error) => error instanceof FileError && error.file === c.file && error.message.startsWith(`${c.file}: `) && c.reason.test(error.message) || assert.fail(error.message),
    );
    assert.deepEqual(io.files, before, 'a refused resume writes nothing');
  });
}

test('resume refuses when the data changed size since the checkpoint', async () => {
  const io = await runFolderAfterOneEpoch();
  const moreData = { ...spec, data: { ...spec.data, samples: 80 } };
  await assert.rejects(
    train({ spec, data: prepareSynthetic(moreData), io, runDir: '/run', emit: () => {}, now: steppingClock(), resume: true }),
    /model\.safetensors: was trained on 60 training examples, but the data now gives 80/,
  );
});

test('--init with a NaN weight is bad input naming the file, before anything is written', async () => {
  const model = new SequenceModel(spec, prepareSynthetic(spec).info, new Rng(1));
  const params = model.namedParameters();
  params[2].parameter.value.data[1] = NaN;
  const io = memoryRunIo(new Map([['/init.safetensors', encodeWeights(params)]]));
  await assert.rejects(
    train({ spec, data: prepareSynthetic(spec), io, runDir: '/run', emit: () => {}, now: steppingClock(), initWeights: '/init.safetensors' }),
    (error: Error) => error instanceof FileError && error.message === `/init.safetensors: ${params[2].name}[1] is NaN; weights must be finite numbers`,
  );
  assert.deepEqual([...io.files.keys()], ['/init.safetensors']);
});

test('the checkpoint is one file whose weights load as plain weights and whose tensors are all finite', async () => {
  const io = await runFolderAfterOneEpoch();
  const { tensors, metadata } = decodeSafetensors(io.files.get('/run/model.safetensors')!);
  const model = new SequenceModel(spec, prepareSynthetic(spec).info, new Rng(1));
  const weightNames = model.namedParameters().map((p) => p.name).sort();
  assert.deepEqual(Object.keys(tensors).filter((n) => !n.startsWith('optimizer.')).sort(), weightNames);
  assert.deepEqual(Object.keys(tensors).filter((n) => n.startsWith('optimizer.')).sort(), weightNames.flatMap((n) => [`optimizer.${n}.exp_avg`, `optimizer.${n}.exp_avg_sq`]).sort());
  assert.equal(metadata.format, 'pt');
  assert.equal(trainerState(metadata).step, 3);
  assert.equal(JSON.parse(metadata['seqlab.optimizer']).step, 3);
});
