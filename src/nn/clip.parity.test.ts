import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../tensor';
import { loadFixture, maxRelativeError } from '../../test/fixtures/load';
import { fixtureValues } from '../../test/fixtures/layers/fixtureTensors';
import { clipGradNorm, clipGradValue, gradNorm } from './clip';
import { NamedParameter, Parameter } from './parameter';

/*
 * clip_grad_norm_ / clip_grad_value_ against torch (test/fixtures/generate_layers.py, float64 reference).
 * Bound 1e-6 relative: the norm is accumulated in float64 and the scaled gradients are rounded to float32
 * once (≈6e-8); a missing 1e-6 in the coefficient or a wrong p-norm is off by far more.
 */
const BOUND = 1e-6;
const f = loadFixture('optim/clip.json');

function gradientsFromFixture(prefix = 'grad.'): NamedParameter[] {
  return ['a', 'b'].map((name) => {
    const a = f.arrays[`${prefix}${name}`];
    const parameter = new Parameter(Tensor.zeros(a.shape));
    parameter.grad.data.set(a.data);
    return { name, parameter };
  });
}

for (const c of f.meta.cases as { name: string; maxNorm: number; normType: number | 'inf' }[]) {
  test(`clipGradNorm ${c.name} returns torch's pre-clip total norm and scales the gradients like torch`, () => {
    const params = gradientsFromFixture(`${c.name}.input.`);
    const normType = c.normType === 'inf' ? Infinity : c.normType;
    const total = clipGradNorm(params, c.maxNorm, normType);
    const error = maxRelativeError([total], fixtureValues(f, `${c.name}.total`));
    assert.ok(error <= BOUND, `total ${total} vs ${fixtureValues(f, `${c.name}.total`)[0]}`);
    for (const p of params) {
      const gradError = maxRelativeError(p.parameter.grad.data, fixtureValues(f, `${c.name}.${p.name}`));
      assert.ok(gradError <= BOUND, `${p.name}: error ${gradError.toExponential(2)}`);
    }
    // Clipped gradients have norm maxNorm · total / (total + 1e-6); unclipped ones keep theirs.
    const after = gradNorm(params, normType);
    const expectedAfter = (c.maxNorm * total) / (total + 1e-6);
    if (total > c.maxNorm) assert.ok(Math.abs(after - expectedAfter) <= 1e-6 * expectedAfter, `norm after clipping ${after}, expected ${expectedAfter}`);
    else assert.equal(after, total);
  });
}

test('clipGradValue clamps like torch', () => {
  const params = gradientsFromFixture();
  clipGradValue(params, f.meta.clipValue as number);
  for (const p of params) assert.ok(maxRelativeError(p.parameter.grad.data, fixtureValues(f, `value_0.75.${p.name}`)) <= BOUND);
});

test('a non-finite norm is reported and the gradients are left as they were', () => {
  const params = gradientsFromFixture();
  params[1].parameter.grad.data[2] = NaN;
  const before = params[0].parameter.grad.data.slice();
  assert.ok(Number.isNaN(clipGradNorm(params, 1)));
  assert.deepEqual([...params[0].parameter.grad.data], [...before]);
  params[1].parameter.grad.data[2] = Infinity;
  assert.equal(clipGradNorm(params, 1), Infinity);
  assert.throws(() => clipGradNorm(params, 1, 2, { errorIfNonfinite: true }), /total 2-norm of the gradients is Infinity/);
  params[1].parameter.grad.data[2] = NaN;
  assert.ok(Number.isNaN(gradNorm(params, Infinity)));
  assert.ok(Number.isNaN(gradNorm(params, 1)));
});
