// Shared by the disk-cache tests: Node's io with the cache threshold forced, and a check that two loads agree.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExampleSplit, ExampleStore } from '../../data/batching';
import type { DataIo, PreparedData } from '../../data/types';
import { Rng } from '../../tensor/rng';
import { nodeDataCacheIo } from '../nodeDataCache';
import { memoryRunIo, nodeRunIo } from '../runIo';
import { train } from '../trainer';
import type { SeqModelSpec } from '../../modelSpec/types';
import { recorder, steppingClock } from './tinyRuns';

/** Node's io with the cache threshold forced: 0 sends every file through the cache, Infinity none. */
export function ioWithThreshold(thresholdBytes: number, overrides: Partial<typeof nodeDataCacheIo> = {}): DataIo {
  return { ...nodeRunIo, cache: { ...nodeDataCacheIo, thresholdBytes, ...overrides } };
}

/** Node's cache io whose disk "fails" once more than `afterBytes` are written to a file whose name ends in `fileSuffix`. */
export function crashingIo(fileSuffix: string, afterBytes: number): DataIo {
  return ioWithThreshold(0, {
    createFile: (file) => {
      const writer = nodeDataCacheIo.createFile(file);
      let written = 0;
      return {
        write: (bytes) => {
          if (file.endsWith(fileSuffix) && written + bytes.length > afterBytes) throw new Error('simulated crash');
          written += bytes.length;
          writer.write(bytes);
        },
        close: () => writer.close(),
      };
    },
  });
}

export const cacheFolders = (dir: string): string[] => (fs.existsSync(path.join(dir, '.seqlab/cache')) ? fs.readdirSync(path.join(dir, '.seqlab/cache')).sort() : []);

/** The same info (but the cache's own note), and every example of every split equal. */
export function assertSameData(actual: PreparedData, expected: PreparedData): void {
  const strip = ({ cache: _cache, denormalizeTargets: _d, ...info }: PreparedData['info']) => JSON.parse(JSON.stringify(info));
  assert.deepEqual(strip(actual.info), strip(expected.info));
  for (const name of ['train', 'validation', 'test'] as const) {
    const a = actual[name] as ExampleSplit | undefined;
    const e = expected[name] as ExampleSplit | undefined;
    assert.equal(a?.size, e?.size, name);
    if (!a || !e) continue;
    for (let i = 0; i < e.size; i++) assert.deepEqual(a.example(i), e.example(i), `${name} example ${i}`);
    assert.deepEqual(a.describe(e.size - 1), e.describe(e.size - 1));
  }
}

/**
 * A store on disk read in chunks of about each of `sizes` bytes is every example in order: at least an example per
 * chunk at 1 byte, one chunk at 1 GiB. A chunk is valid until the next one is read (they share one buffer), so its
 * examples are copied at once.
 */
export function assertChunksInOrder(store: ExampleStore, sizes: number[], what: string): void {
  const expected = Array.from({ length: store.count }, (_, i) => store.example(i));
  for (const bytes of [1, ...sizes, 1 << 30]) {
    let pieces = 0;
    const read = [];
    for (const piece of store.chunks!(bytes)) {
      pieces++;
      for (let i = 0; i < piece.count; i++) read.push(piece.example(i));
    }
    assert.deepEqual(read, expected, `${what} in chunks of ${bytes} bytes`);
    if (bytes === 1) assert.equal(pieces, store.count, `${what}: an example per chunk at the least`);
    if (bytes === 1 << 30) assert.equal(pieces, 1, `${what}: one chunk`);
  }
}

/** Two epochs of shuffled training batches (indices and every array), as plain numbers. */
export function shuffledBatches(data: PreparedData, batchSize: number, seed: number): number[][][] {
  const rng = new Rng(seed);
  const out: number[][][] = [];
  for (let epoch = 0; epoch < 2; epoch++) {
    for (const b of data.train.batches(batchSize, { shuffle: true, rng })) {
      const arrays = [b.lengths, b.inputs, b.inputIds, b.targets, b.targetIds, b.targetLengths, b.decoderInputIds];
      out.push([[...b.indices.subarray(0, b.size)], ...arrays.filter((a) => a !== undefined).map((a) => [...a!])]);
    }
  }
  return out;
}

/** Trains `spec` on `data` to the end: the loss of every step and each epoch's losses and metrics. */
export async function trainedRun(spec: SeqModelSpec, data: PreparedData): Promise<{ losses: number[]; epochs: unknown[] }> {
  const r = recorder();
  const result = await train({ spec, data, io: memoryRunIo(), runDir: '/run', emit: r.emit, now: steppingClock() });
  assert.equal(result.status, 'completed');
  return { losses: r.of('step').map((s) => s.loss), epochs: r.of('epoch').map((e) => [e.trainLoss, e.validationLoss, e.metrics]) };
}
