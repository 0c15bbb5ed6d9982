import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeqModelSpec, SyntheticData } from '../modelSpec/types';
import { Rng } from '../tensor/rng';
import { baselines } from './baselines';
import { ExampleSplit, type Example, type ExampleStore } from './batching';
import { prepareData } from './prepare';
import { loadSynthetic } from './synthetic';
import type { Baselines, DataSplit, PreparedData } from './types';
import { EOS_ID } from './vocabulary';

// The baselines as they are defined: over every example materialised (`example(i)`), one at a time. `baselines`
// reads the same sums straight from the stores; the two must agree to the last bit.
function definedBaselines(prepared: PreparedData, splitName: 'validation' | 'test'): Baselines {
  const { info } = prepared;
  const split = prepared[splitName];
  if (!split || split.size === 0) return {};
  const each = (s: DataSplit) => (s as ExampleSplit).examples();
  const train = prepared.train;
  const first = (split as ExampleSplit).example(0);
  const argmax = (v: Float64Array) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);
  switch (info.task) {
    case 'forecast':
    case 'regress': {
      const O = info.outputSize;
      if (!first.persistence) {
        const mean = new Float64Array(O);
        for (const e of each(train)) for (let o = 0; o < O; o++) mean[o] += e.targets![o] / train.size;
        let squared = 0;
        for (const e of each(split)) for (let o = 0; o < O; o++) squared += (e.targets![o] - mean[o]) ** 2;
        return { constantMse: squared / (split.size * O) };
      }
      let squared = 0;
      let absolute = 0;
      let squaredNormalized = 0;
      for (const e of each(split)) {
        const predicted = Float32Array.from(e.persistence!);
        const actual = Float32Array.from(e.targets!);
        for (let o = 0; o < O; o++) squaredNormalized += (predicted[o] - actual[o]) ** 2;
        info.denormalizeTargets(predicted, e.anchors);
        info.denormalizeTargets(actual, e.anchors);
        for (let o = 0; o < O; o++) (squared += (predicted[o] - actual[o]) ** 2), (absolute += Math.abs(predicted[o] - actual[o]));
      }
      const n = split.size * O;
      return { persistenceMse: squared / n, persistenceRmse: Math.sqrt(squared / n), persistenceMae: absolute / n, persistenceMseNormalized: squaredNormalized / n };
    }
    case 'regress-per-step':
      // Defined and checked against their meaning in series.perStep.test.ts (perStepBaselines.ts reads batches).
      throw new Error('regress-per-step baselines are not defined here');
    case 'classify': {
      const counts = new Float64Array(info.outputSize);
      for (const e of each(train)) counts[e.targetClass!]++;
      let correct = 0;
      for (const e of each(split)) if (e.targetClass === argmax(counts)) correct++;
      return { majorityAccuracy: correct / split.size };
    }
    case 'tag': {
      const tagCounts = new Float64Array(info.outputSize);
      const byToken = new Map<number, Float64Array>();
      for (const e of each(train)) {
        e.targetIds!.forEach((tag, t) => {
          tagCounts[tag]++;
          if (!byToken.has(e.inputIds![t])) byToken.set(e.inputIds![t], new Float64Array(info.outputSize));
          byToken.get(e.inputIds![t])![tag]++;
        });
      }
      let total = 0;
      let majority = 0;
      let perToken = 0;
      for (const e of each(split)) {
        e.targetIds!.forEach((tag, t) => {
          const counts = byToken.get(e.inputIds![t]);
          total++;
          if (tag === argmax(tagCounts)) majority++;
          if (tag === (counts ? argmax(counts) : argmax(tagCounts))) perToken++;
        });
      }
      return { majorityAccuracy: majority / total, mostFrequentTagAccuracy: perToken / total };
    }
    case 'seq2seq': {
      let tokens = 0;
      let correct = 0;
      let exact = 0;
      for (const e of each(split)) {
        let all = e.inputIds!.length === e.targetIds!.length - 1;
        e.targetIds!.forEach((id, t) => {
          const copied = t < e.inputIds!.length ? info.vocabulary!.token(e.inputIds![t]) : t === e.inputIds!.length ? '</s>' : undefined;
          const wanted = id === EOS_ID ? '</s>' : info.targetVocabulary!.token(id);
          tokens++;
          if (copied === wanted) correct++;
          else all = false;
        });
        if (all) exact++;
      }
      return { identityTokenAccuracy: correct / tokens, identityExactMatch: exact / split.size };
    }
    case 'generate': {
      const counts = new Float64Array(info.outputSize).fill(1);
      let total = info.outputSize;
      for (const e of each(train)) for (const id of e.targetIds!) (counts[id]++, total++);
      let nll = 0;
      let tokens = 0;
      for (const e of each(split)) for (const id of e.targetIds!) (nll -= Math.log(counts[id] / total)), tokens++;
      return { uniformPerplexity: info.outputSize, unigramPerplexity: Math.exp(nll / tokens) };
    }
  }
}

function assertAsDefined(prepared: PreparedData, what: string): void {
  for (const split of ['validation', 'test'] as const) {
    const expected = definedBaselines(prepared, split);
    assert.ok(split === 'test' || Object.keys(expected).length > 0, `${what}: no ${split} baselines`);
    assert.deepEqual(baselines(prepared, split), expected, `${what}, ${split}`);
  }
}

const load = (data: SeqModelSpec['data'], task: SeqModelSpec['task'], text: string) => {
  const spec: SeqModelSpec = { name: 't', task, data, model: { encoder: { cell: 'gru', hiddenSize: 4 } }, training: { epochs: 1, batchSize: 4, seed: 7, optimizer: { type: 'adam', lr: 0.01 } } };
  return prepareData(spec, '/d', { readTextFile: () => text }, '/d/t.seqmodel.json');
};

/** A random walk with drift in each of three columns, at different scales (rows × a, b, c). */
function randomSeries(rows: number, seed: number): string {
  const rng = new Rng(seed);
  const lines = ['a,b,c'];
  let [a, b, c] = [0, 100, -5];
  for (let i = 0; i < rows; i++) {
    a += rng.normal(0.01, 1);
    b += rng.normal(0, 0.001) + Math.sin(i / 9);
    c = rng.normal(3, 2) * 1e3;
    lines.push(`${a.toPrecision(7)},${b.toPrecision(9)},${c.toFixed(2)}`);
  }
  return lines.join('\n');
}

test('forecast baselines from the series table equal those over materialised windows (features, targets, horizons, normalisations)', () => {
  const csv = randomSeries(30_000, 1); // 4,500 validation windows: more than one block of 4,096
  for (const normalize of ['zscore', 'last-value', 'none'] as const) {
    for (const [inputs, targets, horizon, window] of [[['a', 'b', 'c'], ['c'], 1, 5], [['a', 'c'], ['a', 'c'], 3, 8], [['b'], ['b'], 2, 1]] as const) {
      if (normalize === 'last-value' && !targets.every((t) => (inputs as readonly string[]).includes(t))) continue;
      const data = { source: 'csv' as const, path: 'x.csv', columns: [...inputs], target: [...targets], window, normalize, split: { validation: 0.15, test: 0.1 } };
      assertAsDefined(load(data, { type: 'forecast', horizon }, csv), `${normalize}, ${inputs} → ${targets}, Hz ${horizon}, W ${window}`);
    }
  }
  // A target that is not an input: its persistence is read from the table, not from the inputs.
  const data = { source: 'csv' as const, path: 'x.csv', columns: ['a'], target: ['b', 'c'], window: 4, split: { validation: 0.2, test: 0.2 } };
  assertAsDefined(load(data, { type: 'forecast', horizon: 2 }, randomSeries(500, 2)), 'targets beside the inputs');
});

/** Random words or characters: a Zipf-like draw from `vocabulary` made-up tokens, some of them astral characters. */
function randomText(tokens: number, vocabulary: number, seed: number, separator: string): string {
  const rng = new Rng(seed);
  const alphabet = Array.from({ length: vocabulary }, (_, i) => (i % 7 === 6 ? String.fromCodePoint(0x1f600 + i) : separator ? `w${i.toString(36)}` : String.fromCharCode(0x61 + (i % 26)) + (i >= 26 ? String.fromCharCode(0x3b1 + i) : '')));
  const out: string[] = [];
  for (let i = 0; i < tokens; i++) out.push(i % 50 === 49 ? '\n' : alphabet[Math.floor(vocabulary * rng.next() ** 2)]);
  return out.join(separator);
}

test('unigram perplexity from the token stream equals the one over materialised windows (vocabularies, windows, strides)', () => {
  const cases: [string, Partial<Extract<SeqModelSpec['data'], { source: 'text' }>>, string][] = [
    ['characters, window 16', { tokenizer: 'char', window: 16 }, randomText(20_000, 40, 3, '')],
    ['characters, odd window 7', { tokenizer: 'char', window: 7, split: { validation: 0.3, test: 0.05 } }, randomText(5_000, 12, 4, '')],
    ['words, min frequency 3', { tokenizer: 'word', window: 10, minFrequency: 3 }, randomText(30_000, 2_000, 5, ' ')],
    ['words, capped vocabulary', { tokenizer: 'word', window: 33, maxVocab: 50 }, randomText(30_000, 500, 6, ' ')],
    ['window 1', { tokenizer: 'char', window: 1 }, randomText(2_000, 20, 7, '')],
  ];
  for (const [what, data, text] of cases) {
    const prepared = load({ source: 'text', path: 'x.txt', split: { validation: 0.15, test: 0.1 }, ...data } as SeqModelSpec['data'], { type: 'generate' }, text);
    assertAsDefined(prepared, what);
  }
});

test('classification, tagging and identity baselines from flat ids and offsets equal those over materialised examples', () => {
  const rng = new Rng(8);
  const labels = ['neg', 'pos', 'mixed', 'none'];
  const reviews = ['text,label', ...Array.from({ length: 3_000 }, (_, i) => `"${randomText(3 + rng.int(20), 300, i, ' ').replace(/\n/g, ' ')}",${labels[Math.floor(4 * rng.next() ** 1.5)]}`)].join('\n');
  assertAsDefined(load({ source: 'text-classification', path: 'x.csv', format: 'csv', tokenizer: 'word', split: { validation: 0.2, test: 0.1 } }, { type: 'classify' }, reviews), 'classify');

  const tags = ['O', 'B-LOC', 'I-LOC', 'B-PER'];
  // Mostly I-LOC (not the first tag seen), over 3,000 token types: many validation tokens were never seen in training.
  const sentences = Array.from({ length: 2_000 }, (_, s) => Array.from({ length: 1 + rng.int(12) }, (_, t) => `tok${rng.int(3_000)} ${s + t === 0 ? 'O' : tags[rng.next() < 0.5 ? 2 : rng.int(4)]}`).join('\n'));
  assertAsDefined(load({ source: 'conll', path: 'x.conll', split: { validation: 0.2, test: 0.1 } }, { type: 'tag' }, `${sentences.join('\n\n')}\n`), 'tag');

  const pairs = Array.from({ length: 2_000 }, (_, i) => {
    const source = randomText(1 + rng.int(8), 30, i, '').replace(/\n/g, '');
    return `${source}\t${i % 3 === 0 ? source : source.split('').reverse().join('')}`;
  }).join('\n');
  for (const sharedVocabulary of [true, false]) {
    assertAsDefined(load({ source: 'pairs', path: 'x.tsv', tokenizer: 'char', sharedVocabulary, split: { validation: 0.2, test: 0.1 } } as SeqModelSpec['data'], { type: 'seq2seq' }, pairs), `seq2seq, shared ${sharedVocabulary}`);
  }
});

test('synthetic tasks: the constant predictor, the copy task\'s tags and the random walk\'s persistence, as defined', () => {
  const make = (data: Omit<SyntheticData, 'source'>, horizon?: number) => loadSynthetic({ source: 'synthetic', ...data }, { seed: 1, horizon, file: 'spec.seqmodel.json' });
  assertAsDefined(make({ generator: 'adding', samples: 3_000, length: 12, seed: 3, split: { validation: 0.3, test: 0.1 } }), 'adding');
  assertAsDefined(make({ generator: 'copy', samples: 600, length: 12, symbols: 4, copyLength: 3, split: { validation: 0.2, test: 0.2 } }), 'copy');
  assertAsDefined(make({ generator: 'sine', samples: 300, length: 20, symbols: 2, noise: 0.1, split: { validation: 0.2, test: 0.2 } }, 3), 'sine');
  assertAsDefined(make({ generator: 'random-walk', samples: 500, length: 10, split: { validation: 0.5, test: 0.2 } }), 'random walk');
});

test('a store of another kind (no compact arrays the baselines know) is read through its examples, with the same figures', () => {
  const prepared = load({ source: 'conll', path: 'x.conll', split: { validation: 0.25 } }, { type: 'tag' }, 'a B\nb O\nc O\n\nb O\na B\n\nc B\na O\n\na B\nc O\n');
  const expected = definedBaselines(prepared, 'validation');
  const opaque = (split: DataSplit): ExampleSplit => {
    const { store } = split as ExampleSplit;
    const wrapper: ExampleStore = { count: store.count, fields: store.fields, length: (i) => store.length(i), targetLength: (i) => store.targetLength(i), write: (i, b, r) => store.write(i, b, r), example: (i): Example => store.example(i) };
    return new ExampleSplit(wrapper, () => ({ input: '', target: '' }));
  };
  const wrapped = { ...prepared, train: opaque(prepared.train), validation: opaque(prepared.validation) };
  assert.deepEqual(baselines(wrapped), expected);
  assert.ok(expected.majorityAccuracy > 0);
});
