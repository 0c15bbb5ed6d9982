// The sweep file: located diagnostics (schema, spec paths, methods, metric, base spec), defaults, and every
// trial's spec checked before anything runs, its problems placed at the parameter value that causes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec } from '../../modelSpec';
import { tinyAddingSpec } from '../testing/tinyRuns';
import { analyzeSweep } from './sweepFile';
import { checkTrials, planTrials } from './trialPlan';

const BASE = JSON.stringify(tinyAddingSpec(), null, 2);
const context = { sweepPath: '/w/cells.seqsweep.json', readSpec: (p: string) => (p === '/w/adding.seqmodel.json' ? BASE : undefined) };

function analyze(sweep: object) {
  const text = JSON.stringify(sweep, null, 2);
  return { text, analysis: analyzeSweep(text, context) };
}

/** `line:col code` of each diagnostic (1-based), and the text it covers. */
function where(text: string, analysis: ReturnType<typeof analyzeSweep>) {
  return analysis.diagnostics.map((d) => ({ at: `${d.range.start.line + 1}:${d.range.start.character + 1}`, code: d.code, covers: text.slice(d.offset, d.offset + d.length), message: d.message }));
}

test('a valid grid resolves with defaults: name from the file, metric loss minimised, seeds counted from the spec seed', () => {
  const { analysis } = analyze({ spec: 'adding.seqmodel.json', parameters: { 'model.encoder.cell': { values: ['rnn', 'lstm', 'gru'] } }, seeds: 3 });
  assert.deepEqual(analysis.diagnostics, []);
  assert.deepEqual(analysis.sweep, {
    name: 'cells', sweepFile: '/w/cells.seqsweep.json', baseSpec: '/w/adding.seqmodel.json', method: 'grid',
    metric: { name: 'loss', direction: 'minimize' }, parameters: { 'model.encoder.cell': { values: ['rnn', 'lstm', 'gru'] } },
    seeds: [11, 12, 13], trials: 3, samplerSeed: 0, maxConcurrent: 2,
  });
  const trials = planTrials(analysis.sweep!);
  assert.deepEqual(trials.map((t) => `${t.id} ${t.params['model.encoder.cell']} ${t.seed}`), [
    't000 rnn 11', 't001 lstm 11', 't002 gru 11', 't003 rnn 12', 't004 lstm 12', 't005 gru 12', 't006 rnn 13', 't007 lstm 13', 't008 gru 13',
  ]);
  assert.equal(trials[0].configKey, trials[3].configKey);
});

test('an unknown spec path is an error at its key with the likely one', () => {
  const { text, analysis } = analyze({ spec: 'adding.seqmodel.json', parameters: { 'model.encoder.hidenSize': { values: [8] } } });
  const [d] = where(text, analysis);
  assert.equal(d.code, 'sweep/unknown-spec-path');
  assert.equal(d.covers, '"model.encoder.hidenSize"');
  assert.equal(d.at, '4:5');
  assert.match(d.message, /Did you mean "model\.encoder\.hiddenSize"\?/);
  assert.equal(analysis.sweep, undefined);
});

test('schema errors are located like the spec\'s: an unknown method value, a misspelt property', () => {
  const { text, analysis } = analyze({ spec: 'adding.seqmodel.json', method: 'gird', parameters: { 'model.encoder.cell': { valuse: ['rnn'] } } });
  assert.deepEqual(where(text, analysis).map((d) => [d.code, d.covers]), [['schema/invalid-value', '"gird"'], ['schema/unknown-property', '"valuse"']]);
  assert.match(analysis.diagnostics[0].message, /Did you mean "grid"\?/);
});

test('method rules: a grid needs lists, random needs trials, ranges need sane bounds, the metric must be the task\'s', () => {
  const grid = analyze({ spec: 'adding.seqmodel.json', parameters: { 'training.optimizer.lr': { min: 0.001, max: 0.1, distribution: 'log-uniform' } } });
  assert.deepEqual(where(grid.text, grid.analysis).map((d) => [d.code, d.covers]), [['sweep/grid-needs-values', '"training.optimizer.lr"']]);
  const random = analyze({ spec: 'adding.seqmodel.json', method: 'random', parameters: { 'training.optimizer.lr': { min: 0, max: 0.1, distribution: 'log-uniform' } }, metric: { name: 'acuracy' } });
  assert.deepEqual(where(random.text, random.analysis).map((d) => [d.code, d.covers]), [['sweep/log-range', '0']]);
  const random2 = analyze({ spec: 'adding.seqmodel.json', method: 'random', parameters: { 'training.optimizer.lr': { min: 0.001, max: 0.1, distribution: 'log-uniform' } }, metric: { name: 'acuracy' } });
  assert.deepEqual(where(random2.text, random2.analysis).map((d) => [d.code, d.covers]), [['sweep/trials-needed', '"random"'], ['sweep/unknown-metric', '"acuracy"']]);
  assert.match(random2.analysis.diagnostics[1].message, /"loss", "mse", "rmse", "mae"/);
});

test('a missing base spec and the seed as a parameter are errors at their place', () => {
  const { text, analysis } = analyze({ spec: 'nope.seqmodel.json', parameters: { 'training.seed': { values: [1, 2] } } });
  assert.deepEqual(where(text, analysis).map((d) => [d.code, d.covers]), [['sweep/spec-missing', '"nope.seqmodel.json"'], ['sweep/reserved-parameter', '"training.seed"']]);
});

test('asha: maxEpochs defaults to the spec\'s epochs and trials carry the budget', () => {
  const { analysis } = analyze({ spec: 'adding.seqmodel.json', method: 'asha', trials: 4, parameters: { 'training.optimizer.lr': { min: 0.001, max: 0.1, distribution: 'log-uniform' } }, metric: { name: 'mse' } });
  assert.deepEqual(analysis.diagnostics, []);
  assert.deepEqual(analysis.sweep!.asha, { reductionFactor: 3, minEpochs: 1, maxEpochs: 3 });
  assert.equal(planTrials(analysis.sweep!).length, 4);
});

test('every trial\'s spec is checked: an impossible value is an error at that value, counted over its trials', () => {
  const { text, analysis } = analyze({ spec: 'adding.seqmodel.json', parameters: { 'model.encoder.cell': { values: ['rnn', 'lstm'] }, 'model.encoder.hiddenSize': { values: [8, 0] } }, seeds: 2 });
  assert.deepEqual(analysis.diagnostics, []);
  const sweep = analysis.sweep!;
  const diagnostics = checkTrials(analysis.source, sweep, analysis.baseSpecText!, planTrials(sweep), (specText) => ({ errors: analyzeSpec(specText).diagnostics.filter((d) => d.severity === 'error') }));
  assert.equal(diagnostics.length, 1);
  const [d] = diagnostics;
  assert.equal(text.slice(d.offset, d.offset + d.length), '0');
  assert.equal(text.split('\n')[d.range.start.line].trim(), '0');
  assert.match(d.message, /^Trial t001 \(model\.encoder\.cell="rnn", model\.encoder\.hiddenSize=0, seed 11\) \(and 3 more trials\): /);
});

test('method tpe: Optuna\'s defaults unless given, warnings where TPE would never propose or does not apply, located', () => {
  const parameters = { 'training.optimizer.lr': { min: 0.001, max: 0.1, distribution: 'log-uniform' } };
  const plain = analyze({ spec: 'adding.seqmodel.json', method: 'tpe', trials: 30, parameters }).analysis;
  assert.deepEqual(plain.diagnostics, []);
  assert.deepEqual(plain.sweep!.tpe, { startupTrials: 10, gamma: 0.1, candidates: 24, priorWeight: 1 });
  const tuned = analyze({ spec: 'adding.seqmodel.json', method: 'tpe', trials: 30, parameters, tpe: { startupTrials: 5, gamma: 0.2 } }).analysis;
  assert.deepEqual(tuned.sweep!.tpe, { startupTrials: 5, gamma: 0.2, candidates: 24, priorWeight: 1 });
  // Ten random configurations and eight trials: TPE would never propose; said at "trials" (the default's place).
  const short = analyze({ spec: 'adding.seqmodel.json', method: 'tpe', trials: 8, parameters });
  assert.deepEqual(where(short.text, short.analysis).map((d) => [d.code, d.covers]), [['sweep/tpe-all-random', '8']]);
  const explicit = analyze({ spec: 'adding.seqmodel.json', method: 'tpe', trials: 8, parameters, tpe: { startupTrials: 8 } });
  assert.deepEqual(where(explicit.text, explicit.analysis).map((d) => [d.code, d.covers]), [['sweep/tpe-all-random', '8']]);
  assert.match(explicit.analysis.diagnostics[0].message, /tpe\.startupTrials\)/);
  assert.ok(explicit.analysis.diagnostics[0].offset > explicit.text.indexOf('"tpe"'), 'at tpe.startupTrials, not at trials');
  const ignored = analyze({ spec: 'adding.seqmodel.json', method: 'random', trials: 4, parameters, tpe: { gamma: 0.2 } });
  assert.deepEqual(where(ignored.text, ignored.analysis).map((d) => [d.code, d.covers]), [['sweep/tpe-ignored', '"tpe"']]);
  assert.equal(ignored.analysis.sweep!.tpe, undefined);
  const bad = analyze({ spec: 'adding.seqmodel.json', method: 'tpe', trials: 30, parameters, tpe: { gamma: 0, candidates: 0 } });
  assert.deepEqual(where(bad.text, bad.analysis).map((d) => d.covers), ['0', '0']);
  assert.equal(bad.analysis.sweep, undefined);
  const noTrials = analyze({ spec: 'adding.seqmodel.json', method: 'tpe', parameters });
  assert.deepEqual(where(noTrials.text, noTrials.analysis).map((d) => [d.code, d.covers]), [['sweep/trials-needed', '"tpe"']]);
});

test('a TPE sweep plans configuration by configuration, its seeds one after another', () => {
  const { analysis } = analyze({ spec: 'adding.seqmodel.json', method: 'tpe', trials: 12, seeds: 2, parameters: { 'training.optimizer.lr': { min: 0.001, max: 0.1, distribution: 'log-uniform' } } });
  const trials = planTrials(analysis.sweep!);
  assert.equal(trials.length, 24);
  assert.deepEqual(trials.slice(0, 4).map((t) => t.seed), [11, 12, 11, 12]);
  assert.equal(trials[0].configKey, trials[1].configKey);
  assert.notEqual(trials[1].configKey, trials[2].configKey);
});

test('method asha with sampler tpe: TPE settings resolved with the rungs; a sampler on another method is a located warning', () => {
  const parameters = { 'training.optimizer.lr': { min: 0.001, max: 0.1, distribution: 'log-uniform' } };
  const asha = analyze({ spec: 'adding.seqmodel.json', method: 'asha', sampler: 'tpe', trials: 30, parameters, tpe: { startupTrials: 6 } }).analysis;
  assert.deepEqual(asha.diagnostics, []);
  assert.deepEqual(asha.sweep!.tpe, { startupTrials: 6, gamma: 0.1, candidates: 24, priorWeight: 1 });
  assert.deepEqual(asha.sweep!.asha, { reductionFactor: 3, minEpochs: 1, maxEpochs: 3 });
  assert.equal(analyze({ spec: 'adding.seqmodel.json', method: 'asha', trials: 30, parameters }).analysis.sweep!.tpe, undefined, 'random by default');
  const random = analyze({ spec: 'adding.seqmodel.json', method: 'random', sampler: 'tpe', trials: 30, parameters });
  assert.deepEqual(where(random.text, random.analysis).map((d) => [d.code, d.covers]), [['sweep/sampler-ignored', '"sampler"']]);
  assert.match(random.analysis.diagnostics[0].message, /method "tpe" proposes them/);
});
