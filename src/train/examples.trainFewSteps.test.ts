// Every bundled example spec passes analysis, builds its model and trains a couple of steps end to end
// (validation limited to one batch to keep this quick; how far each example learns is measured with the CLI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareData } from '../data';
import type { DataSplit, PreparedData } from '../data/types';
import { loadSpec } from './session';
import { nodeRunIo, memoryRunIo } from './runIo';
import { train } from './trainer';
import { recorder } from './testing/tinyRuns';

const examplesDir = path.join(new URL('.', import.meta.url).pathname, '..', '..', 'examples');
const specFiles = fs.existsSync(examplesDir) ? fs.readdirSync(examplesDir).filter((f) => f.endsWith('.seqmodel.json')).sort() : [];

function firstBatchOnly(split: DataSplit): DataSplit {
  return {
    size: split.size,
    describe: (i) => split.describe(i),
    *batches(batchSize, options) {
      for (const batch of split.batches(batchSize, options)) {
        yield batch;
        return;
      }
    },
  };
}

test('the examples folder has specs to check', () => {
  assert.ok(specFiles.length >= 5, `found ${specFiles.length} example specs`);
});

for (const file of specFiles) {
  test(`example ${file} trains a few steps`, async () => {
    const specPath = path.join(examplesDir, file);
    const { spec } = loadSpec(specPath, fs.readFileSync(specPath, 'utf8'), nodeRunIo);
    // Smaller batches, shorter synthetic sequences and short samples keep this a smoke test, not a benchmark.
    if (spec.data.source === 'synthetic') {
      spec.data.samples = Math.min(spec.data.samples, 64);
      spec.data.length = Math.min(spec.data.length, 30);
    }
    spec.training.batchSize = Math.min(spec.training.batchSize, 8);
    spec.model.encoder.hiddenSize = Math.min(spec.model.encoder.hiddenSize, 32);
    if (spec.model.decoder) spec.model.decoder.hiddenSize = Math.min(spec.model.decoder.hiddenSize, 32 * (spec.model.encoder.bidirectional ? 2 : 1));
    spec.training.decoding = { ...spec.training.decoding, maxLength: 20 };
    const prepared = prepareData(spec, examplesDir, nodeRunIo, specPath);
    const data: PreparedData = { ...prepared, validation: firstBatchOnly(prepared.validation) };
    const r = recorder();
    const result = await train({ spec, data, io: memoryRunIo(), runDir: '/run', emit: r.emit, overrides: { epochs: 1, maxSteps: 2 } });
    assert.equal(result.status, 'completed', result.message);
    assert.equal(result.steps, 2);
    const epoch = r.of('epoch')[0];
    assert.ok(Number.isFinite(epoch.validationLoss), `validation loss ${epoch.validationLoss}`);
    for (const name of r.of('runStarted')[0].metricNames) assert.ok(Number.isFinite(epoch.metrics[name]), `${name} = ${epoch.metrics[name]}`);
    assert.equal(r.of('predictions').length, 1);
    assert.ok(r.of('gates').length >= 1);
    assert.equal(r.of('gradFlow').length, 1);
  });
}
