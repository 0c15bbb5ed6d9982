import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../tensor';
import type { SeqModelSpec } from '../modelSpec/types';
import type { Batch } from '../data/types';
import { prepareData } from '../data';
import { ExampleSplit } from '../data/batching';
import { SequenceModel } from './model';
import { train } from './trainer';
import { memoryRunIo } from './runIo';
import { planStatefulBatches, statefulPlanFor } from './statefulBatches';
import { prepareSynthetic, recorder, steppingClock } from './testing/tinyRuns';

const ROWS = 200;
const WINDOW = 8;
const seriesCsv = ['y', ...Array.from({ length: ROWS }, (_, t) => (Math.sin(t / 5) + 0.3 * Math.sin(t / 1.7)).toFixed(4))].join('\n');

function csvSpec(stateful: boolean, overrides: Partial<SeqModelSpec['training']> = {}): SeqModelSpec {
  return {
    name: 'stateful-series', task: { type: 'forecast' },
    data: { source: 'csv', path: 'series.csv', columns: ['y'], window: WINDOW, split: { validation: 0.2 } },
    model: { encoder: { cell: 'lstm', hiddenSize: 5, numLayers: 2 } },
    training: { epochs: 2, batchSize: 4, seed: 7, optimizer: { type: 'adam', lr: 0.01 }, clipGradNorm: 1, ...(stateful ? { stateful: { enabled: true, detach: true } } : {}), ...overrides },
  };
}

const prepare = (spec: SeqModelSpec) => prepareData(spec, '/data', { readTextFile: () => seriesCsv });

test('stateful batches: row b of batch k+1 continues row b of batch k exactly where it ended', () => {
  const data = prepare(csvSpec(true));
  const plan = planStatefulBatches(data.train, 4, 'csv');
  assert.equal(plan.streams, 4);
  const chunks = Math.floor((data.train.size - 1) / WINDOW) + 1;
  assert.equal(plan.stepsPerEpoch, Math.floor(chunks / 4));
  let previous: { inputs: Float32Array; targets: Float32Array } | undefined;
  let count = 0;
  for (const { batch, startsStreams } of plan.batches()) {
    assert.equal(batch.size, 4);
    assert.equal(startsStreams, count === 0);
    if (previous) {
      // Horizon 1 on the input column: the value after chunk k is the first input of chunk k+1.
      for (let b = 0; b < 4; b++) assert.equal(batch.inputs![b * WINDOW], previous.targets[b], `stream ${b} at chunk ${count}`);
    }
    previous = { inputs: batch.inputs!.slice(), targets: batch.targets!.slice() };
    count++;
  }
  assert.equal(count, plan.stepsPerEpoch);
});

/** B streams of a [T] series as one batch of full length T (steps) or chunk k of length W. */
function seriesBatch(series: Float32Array[], start: number, steps: number): Batch {
  const B = series.length;
  const inputs = new Float32Array(B * steps);
  for (let b = 0; b < B; b++) inputs.set(series[b].subarray(start, start + steps), b * steps);
  return { size: B, steps, inputs, lengths: new Int32Array(B).fill(steps), targets: new Float32Array(B), indices: Int32Array.from({ length: B }, (_, b) => b) };
}

test('a stateful model fed consecutive chunks gives the full-sequence forward; without state it does not', () => {
  const spec = csvSpec(true);
  const info = prepare(spec).info;
  const model = new SequenceModel(spec, info, new Rng(3));
  model.setTraining(false);
  const rng = new Rng(9);
  const CHUNK = 3; // short chunks, so the state carried in is still visible in the output
  const series = [0, 1, 2].map(() => Float32Array.from({ length: 4 * CHUNK }, () => rng.uniform(-1, 1)));
  const full = model.forward(seriesBatch(series, 0, 4 * CHUNK)).data.slice(); // [B,1]

  model.setStateful(true);
  let chunked = new Float32Array(0);
  for (let k = 0; k < 4; k++) chunked = model.forward(seriesBatch(series, k * CHUNK, CHUNK)).data.slice();
  for (let i = 0; i < full.length; i++) assert.ok(Math.abs(chunked[i] - full[i]) < 1e-5, `row ${i}: chunked ${chunked[i]} vs full ${full[i]}`);

  model.setStateful(false);
  const lastChunkAlone = model.forward(seriesBatch(series, 3 * CHUNK, CHUNK)).data.slice();
  const gap = Math.max(...Array.from(full, (v, i) => Math.abs(v - lastChunkAlone[i])));
  assert.ok(gap > 1e-3, `the carried state must matter (gap ${gap})`);

  model.setStateful(true); // turning it on again starts from zeros
  const restarted = model.forward(seriesBatch(series, 3 * CHUNK, CHUNK)).data.slice();
  assert.deepEqual(Array.from(restarted), Array.from(lastChunkAlone));
});

test('stateful training runs one step per chunk of each stream and differs from shuffled training', async () => {
  const run = async (stateful: boolean) => {
    const spec = csvSpec(stateful);
    const r = recorder();
    const result = await train({ spec, data: prepare(spec), io: memoryRunIo(), runDir: '/run', emit: r.emit, now: steppingClock() });
    return { result, r };
  };
  const stateful = await run(true);
  const plain = await run(false);
  assert.equal(stateful.result.status, 'completed');
  const started = stateful.r.of('runStarted')[0];
  const plan = planStatefulBatches(prepare(csvSpec(true)).train, 4, 'csv');
  assert.equal(started.stepsPerEpoch, plan.stepsPerEpoch);
  assert.equal(stateful.result.steps, 2 * plan.stepsPerEpoch);
  assert.ok(stateful.r.of('log').some((l) => /stateful: 4 streams/.test(l.message)));
  const losses = (r: typeof stateful.r) => r.of('step').map((s) => s.loss);
  assert.notDeepEqual(losses(stateful.r).slice(0, 5), losses(plain.r).slice(0, 5));
  // Deterministic: the same spec replays the same losses.
  assert.deepEqual(losses((await run(true)).r), losses(stateful.r));
});

test('stateful training refuses detach false, bidirectional encoders and independent synthetic sequences', async () => {
  const attempt = (spec: SeqModelSpec, data = prepare(spec)) => train({ spec, data, io: memoryRunIo(), runDir: '/run', emit: () => {}, now: steppingClock() });
  await assert.rejects(attempt(csvSpec(true, { stateful: { enabled: true, detach: false } })), /detach false is not possible/);
  const bidirectional = csvSpec(true);
  bidirectional.model.encoder.bidirectional = true;
  await assert.rejects(attempt(bidirectional), /unidirectional/);
  const adding: SeqModelSpec = { ...csvSpec(true), task: { type: 'regress' }, data: { source: 'synthetic', generator: 'adding', samples: 40, length: 8, seed: 2 } };
  await assert.rejects(attempt(adding, prepareSynthetic(adding)), /synthetic adding examples are independent sequences/);
  const sine = sineSpec();
  delete sine.training.tbpttSteps;
  await assert.rejects(attempt(sine, prepareSynthetic(sine)), /set training\.tbpttSteps to the chunk length \(1\.\.11\)/);
  await assert.rejects(attempt(csvSpec(true, { batchSize: 16 })), /too few for 16 streams/);
});

function sineSpec(): SeqModelSpec {
  return {
    name: 'stateful-sine', task: { type: 'forecast' },
    data: { source: 'synthetic', generator: 'sine', samples: 24, length: 12, seed: 4, noise: 0.05 },
    model: { encoder: { cell: 'gru', hiddenSize: 6 } },
    training: { epochs: 2, batchSize: 8, seed: 5, optimizer: { type: 'adam', lr: 0.01 }, tbpttSteps: 4, stateful: { enabled: true, detach: true } },
  };
}

test('synthetic sine with tbpttSteps: each series is read in chunks whose target is the value after the chunk, state reset per group', async () => {
  const spec = sineSpec();
  const data = prepareSynthetic(spec);
  const plan = statefulPlanFor(spec, data)!;
  assert.equal(plan.stepsPerEpoch, (24 / 8) * (12 / 4));
  const seen: { inputs: Float32Array; targets: Float32Array; startsStreams: boolean; first: number }[] = [];
  for (const { batch, startsStreams } of plan.batches()) seen.push({ inputs: batch.inputs!.slice(), targets: batch.targets!.slice(), startsStreams, first: batch.indices[0] });
  assert.deepEqual(seen.map((s) => s.startsStreams), [true, false, false, true, false, false, true, false, false]);
  for (let i = 0; i < seen.length; i++) {
    const example = (data.train as ExampleSplit).example(seen[i].first) as { inputs: Float32Array; targets: Float32Array };
    const j = i % 3;
    assert.deepEqual(Array.from(seen[i].inputs.subarray(0, 4)), Array.from(example.inputs.subarray(4 * j, 4 * j + 4)));
    // The target is the next value of the same series: the next chunk's first input, or the example's own target.
    assert.equal(seen[i].targets[0], j < 2 ? example.inputs[4 * (j + 1)] : example.targets[0]);
  }
  const r = recorder();
  const result = await train({ spec, data, io: memoryRunIo(), runDir: '/run', emit: r.emit, now: steppingClock() });
  assert.equal(result.status, 'completed');
  assert.equal(result.steps, 2 * 9);
  assert.ok(r.of('log').some((l) => /3 groups of 8 series × 3 consecutive chunks of 4 steps/.test(l.message)));
  assert.ok(!r.of('log').some((l) => /tbpttSteps applies to/.test(l.message)), 'tbpttSteps is the chunk length here, not ignored');
});
