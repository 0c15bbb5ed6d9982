import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFixture, maxRelativeError } from '../../test/fixtures/load';
import { fixtureValues } from '../../test/fixtures/layers/fixtureTensors';
import { CosineAnnealingLR, LearningRateHolder, ReduceLROnPlateau, StepLR } from './schedules';

/*
 * Learning-rate sequences against torch.optim.lr_scheduler (1.13). Bound 1e-12 relative: all of it is
 * float64 scalar arithmetic; CosineAnnealingLR uses the closed form where torch's step() uses the
 * equivalent recursive form, which differs only in the last bits.
 */
const BOUND = 1e-12;
const f = loadFixture('optim/schedules.json');
const baseLr = f.meta.baseLr as number;

function sequence(step: () => number, n: number): number[] {
  return Array.from({ length: n }, step);
}

function expectSequence(name: string, actual: number[]): void {
  const expected = fixtureValues(f, name);
  const error = maxRelativeError(actual, expected, 1e-12);
  assert.ok(error <= BOUND, `${name}: ${actual.join(', ')}\n vs ${expected.join(', ')}`);
}

test('StepLR gives torch\'s learning rates step by step', () => {
  const optimizer: LearningRateHolder = { lr: baseLr };
  const { stepSize, gamma } = f.meta.step as { stepSize: number; gamma: number };
  const schedule = new StepLR(optimizer, stepSize, gamma);
  expectSequence('step', sequence(() => schedule.step(), fixtureValues(f, 'step').length));
});

test('CosineAnnealingLR gives torch\'s learning rates, through T_max and beyond', () => {
  const optimizer: LearningRateHolder = { lr: baseLr };
  const { tMax, etaMin } = f.meta.cosine as { tMax: number; etaMin: number };
  const schedule = new CosineAnnealingLR(optimizer, tMax, etaMin);
  expectSequence('cosine', sequence(() => schedule.step(), fixtureValues(f, 'cosine').length));
});

for (const name of ['plateau', 'plateau_cooldown']) {
  test(`ReduceLROnPlateau (${name}) gives torch's learning rates for the same metric sequence`, () => {
    const optimizer: LearningRateHolder = { lr: baseLr };
    const schedule = new ReduceLROnPlateau(optimizer, f.meta[name] as object);
    const metrics = fixtureValues(f, 'plateau.metrics');
    const lrs = metrics.map((m) => schedule.step(m));
    expectSequence(name, lrs);
    assert.ok(lrs[lrs.length - 1] < baseLr, 'the sequence must actually reduce the learning rate');
  });
}

test('a schedule restored from its state continues the same sequence', () => {
  const a: LearningRateHolder = { lr: baseLr };
  const b: LearningRateHolder = { lr: baseLr };
  const first = new ReduceLROnPlateau(a, { patience: 1, factor: 0.5 });
  const metrics = [1, 0.9, 0.95, 0.96, 0.97, 0.8, 0.85, 0.86, 0.9];
  metrics.slice(0, 4).forEach((m) => first.step(m));
  const second = new ReduceLROnPlateau(b, { patience: 1, factor: 0.5 });
  second.loadStateDict(first.stateDict());
  assert.deepEqual(metrics.slice(4).map((m) => second.step(m)), metrics.slice(4).map((m) => first.step(m)));
});

test('StepLR and CosineAnnealingLR restored from their state continue the same sequence', () => {
  for (const make of [(o: LearningRateHolder) => new StepLR(o, 2, 0.5), (o: LearningRateHolder) => new CosineAnnealingLR(o, 6, 0.01)]) {
    const straight = make({ lr: baseLr });
    const expected = sequence(() => straight.step(), 9);
    const first = make({ lr: baseLr });
    const head = sequence(() => first.step(), 4);
    const second = make({ lr: baseLr });
    second.loadStateDict(first.stateDict());
    assert.deepEqual([...head, ...sequence(() => second.step(), 5)], expected);
  }
});
