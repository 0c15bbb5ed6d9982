import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFixture, maxRelativeError } from '../../test/fixtures/load';
import { fixtureInt32, fixtureTensor, fixtureValues } from '../../test/fixtures/layers/fixtureTensors';
import { BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss } from './losses';

/*
 * PyTorch parity for every loss (value and gradient) on fixtures from test/fixtures/generate_layers.py.
 * Bound: 1e-5 relative (absolute floor 1e-3 for gradients, which are divided by the element count and so
 * sit near 1e-2). The losses accumulate in float64 and store gradients in float32 (≈6e-8 relative);
 * a wrong smoothing term or mean denominator is off by percents.
 */
const BOUND = 1e-5;
const FLOOR = 1e-3;

interface LossCase {
  name: string;
  kind: 'mse' | 'l1' | 'huber' | 'ce' | 'bce';
  options: { delta?: number; ignoreIndex?: number; labelSmoothing?: number };
}

const f = loadFixture('layers/losses.json');
for (const c of f.meta.cases as LossCase[]) {
  test(`${c.name} matches PyTorch: loss and gradient${Object.keys(c.options).length ? ` (${JSON.stringify(c.options)})` : ''}`, () => {
    const prediction = fixtureTensor(f, `${c.name}.prediction`);
    let value: number;
    let gradient: Float32Array;
    if (c.kind === 'ce') {
      const loss = new CrossEntropyLoss(c.options);
      value = loss.forward(prediction, fixtureInt32(f, `${c.name}.target`));
      gradient = loss.backward().data;
    } else {
      const loss = c.kind === 'mse' ? new MSELoss() : c.kind === 'l1' ? new L1Loss() : c.kind === 'huber' ? new HuberLoss(c.options.delta) : new BCEWithLogitsLoss();
      value = loss.forward(prediction, fixtureTensor(f, `${c.name}.target`));
      gradient = loss.backward().data;
    }
    const valueError = maxRelativeError([value], fixtureValues(f, `${c.name}.loss`), FLOOR);
    assert.ok(valueError <= BOUND, `loss ${value} vs ${fixtureValues(f, `${c.name}.loss`)[0]}: error ${valueError.toExponential(2)}`);
    const gradError = maxRelativeError(gradient, fixtureValues(f, `${c.name}.grad`), FLOOR);
    assert.ok(gradError <= BOUND, `gradient error ${gradError.toExponential(2)} > ${BOUND}`);
  });
}
