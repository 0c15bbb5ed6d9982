// Parameter counts and state-dict names against PyTorch 1.13. The constants were printed by
//   /usr/bin/python3 -c "import torch.nn as nn; m = nn.LSTM(3, 32, 3, bidirectional=True, batch_first=True); \
//     print(sum(p.numel() for p in m.parameters()), {k: list(v.shape) for k, v in m.state_dict().items()})"
// (and the same for each row below: nn.LSTM / nn.GRU / nn.RNN(input, hidden, layers, bidirectional=...)).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec, recurrentStackParameters, specTemplates } from './index';
import { edited } from './testSupport';
import type { CellType } from './types';

const TORCH_STACK_PARAMETERS: { cell: CellType; input: number; hidden: number; layers: number; bidirectional: boolean; parameters: number }[] = [
  { cell: 'lstm', input: 1, hidden: 64, layers: 2, bidirectional: false, parameters: 50432 },
  { cell: 'lstm', input: 128, hidden: 256, layers: 1, bidirectional: false, parameters: 395264 },
  { cell: 'lstm', input: 64, hidden: 64, layers: 1, bidirectional: true, parameters: 66560 },
  { cell: 'lstm', input: 3, hidden: 32, layers: 3, bidirectional: true, parameters: 59648 },
  { cell: 'gru', input: 1, hidden: 64, layers: 2, bidirectional: false, parameters: 37824 },
  { cell: 'gru', input: 64, hidden: 128, layers: 2, bidirectional: true, parameters: 445440 },
  { cell: 'rnn', input: 2, hidden: 128, layers: 1, bidirectional: false, parameters: 16896 },
  { cell: 'rnn', input: 5, hidden: 16, layers: 3, bidirectional: true, parameters: 3936 },
];

// state_dict() of nn.LSTM(3, 32, 3, bidirectional=True), in PyTorch's order.
const TORCH_LSTM_3_32_3_BI_STATE_DICT: [string, number[]][] = [
  ['weight_ih_l0', [128, 3]], ['weight_hh_l0', [128, 32]], ['bias_ih_l0', [128]], ['bias_hh_l0', [128]],
  ['weight_ih_l0_reverse', [128, 3]], ['weight_hh_l0_reverse', [128, 32]], ['bias_ih_l0_reverse', [128]], ['bias_hh_l0_reverse', [128]],
  ['weight_ih_l1', [128, 64]], ['weight_hh_l1', [128, 32]], ['bias_ih_l1', [128]], ['bias_hh_l1', [128]],
  ['weight_ih_l1_reverse', [128, 64]], ['weight_hh_l1_reverse', [128, 32]], ['bias_ih_l1_reverse', [128]], ['bias_hh_l1_reverse', [128]],
  ['weight_ih_l2', [128, 64]], ['weight_hh_l2', [128, 32]], ['bias_ih_l2', [128]], ['bias_hh_l2', [128]],
  ['weight_ih_l2_reverse', [128, 64]], ['weight_hh_l2_reverse', [128, 32]], ['bias_ih_l2_reverse', [128]], ['bias_hh_l2_reverse', [128]],
];

/** A real-valued spec (csv columns give the input width) with the given encoder. */
function csvSpec(cell: CellType, input: number, hidden: number, layers: number, bidirectional: boolean): string {
  return JSON.stringify({
    name: 'shape-test',
    task: { type: 'regress' },
    data: { source: 'csv', path: 'x.csv', columns: Array.from({ length: input }, (_, i) => `c${i}`), window: 20 },
    model: { encoder: { cell, hiddenSize: hidden, numLayers: layers, bidirectional } },
    training: { epochs: 1, batchSize: 8, optimizer: { type: 'adam', lr: 0.001 }, clipGradNorm: 1 },
  });
}

test('recurrent stack parameter counts equal PyTorch for RNN, GRU and LSTM, stacked and bidirectional', () => {
  for (const c of TORCH_STACK_PARAMETERS) {
    assert.equal(recurrentStackParameters(c.cell, c.input, c.hidden, c.layers, c.bidirectional), c.parameters, JSON.stringify(c));
    const encoder = analyzeSpec(csvSpec(c.cell, c.input, c.hidden, c.layers, c.bidirectional)).layers.find((l) => l.id === 'encoder')!;
    assert.equal(encoder.parameters, c.parameters, `analysis of ${JSON.stringify(c)}`);
    assert.equal(encoder.parameterShapes.reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0), c.parameters);
  }
});

test('state-dict names and shapes follow PyTorch order, _reverse for the backward direction', () => {
  const encoder = analyzeSpec(csvSpec('lstm', 3, 32, 3, true)).layers.find((l) => l.id === 'encoder')!;
  assert.deepEqual(encoder.parameterShapes.map((p) => [p.name, p.shape]), TORCH_LSTM_3_32_3_BI_STATE_DICT.map(([name, shape]) => [`encoder.${name}`, shape]));
});

test('shapes: [batch, seq, input] → [batch, seq, D·H], h_n [layers·dirs, batch, hidden]', () => {
  const analysis = analyzeSpec(csvSpec('lstm', 1, 64, 1, true));
  const encoder = analysis.layers.find((l) => l.id === 'encoder')!;
  assert.deepEqual(encoder.input, [{ name: 'batch', size: 8 }, { name: 'seq', size: 20 }, { name: 'input', size: 1 }]);
  assert.deepEqual(encoder.output, [{ name: 'batch', size: 8 }, { name: 'seq', size: 20 }, { name: 'hidden', size: 128 }]);
  assert.deepEqual(encoder.hN, [{ name: 'layers·dirs', size: 2 }, { name: 'batch', size: 8 }, { name: 'hidden', size: 64 }]);
  assert.deepEqual(encoder.cN, encoder.hN);
  const readout = analysis.layers.find((l) => l.id === 'readout')!;
  assert.deepEqual(readout.output, [{ name: 'batch', size: 8 }, { name: 'hidden', size: 128 }]);
  const gru = analyzeSpec(csvSpec('gru', 1, 64, 1, false)).layers.find((l) => l.id === 'encoder')!;
  assert.equal(gru.cN, undefined, 'a GRU has no cell state');
});

test('whole tutorial models match PyTorch: forecaster 50,497; tagger (vocab 1000, 9 tags) 131,721', () => {
  // StockForecaster: nn.LSTM(1, 64, 2) + nn.Linear(64, 1); NERTagger: Embedding(1000, 64) + bi-LSTM(64, 64) + Linear(128, 9).
  const forecaster = specTemplates().find((t) => t.id === 'forecaster')!;
  const noDropout = JSON.stringify(edited(JSON.parse(forecaster.text), (s) => delete s.model.encoder.dropout));
  assert.equal(analyzeSpec(noDropout).totals.parameters, 50497);
  const tagger = specTemplates().find((t) => t.id === 'tagger')!;
  const analysis = analyzeSpec(tagger.text, { dataInfo: { vocabSize: 1000, numClasses: 9 } });
  assert.equal(analysis.totals.parameters, 131721);
  assert.equal(analysis.totals.parameterFormula, undefined);
});

test('unknown vocabulary stays a name in shapes and a formula in counts', () => {
  const tagger = specTemplates().find((t) => t.id === 'tagger')!;
  const analysis = analyzeSpec(tagger.text);
  const embedding = analysis.layers.find((l) => l.id === 'embedding')!;
  assert.equal(embedding.parameters, 0);
  assert.equal(embedding.parameterFormula, 'vocab·64');
  assert.deepEqual(embedding.parameterShapes, [{ name: 'embedding.weight', shape: [-1, 64] }]);
  assert.match(analysis.totals.parameterFormula ?? '', /vocab·64/);
});

test('FLOPs per step and BPTT bytes follow the documented formulas', () => {
  // One LSTM layer, I=1, H=64, batch 8, T=20: 2·4H·(I+H) + 3·4H + 9H per sample and step.
  const analysis = analyzeSpec(csvSpec('lstm', 1, 64, 1, false));
  const encoder = analysis.layers.find((l) => l.id === 'encoder')!;
  assert.equal(encoder.flopsPerStep, 8 * (2 * 256 * 65 + 3 * 256 + 9 * 64));
  // Cached per step: x_t (1) + i,f,g,o,c,h (6·64) floats, float32, over batch 8 and 20 steps.
  assert.equal(encoder.activationBytes, 4 * 8 * 20 * (1 + 6 * 64));
  assert.ok(analysis.totals.bpttActivationBytes >= encoder.activationBytes!);
});

// bias=False, printed by /usr/bin/python3 -c "import torch.nn as nn; m = nn.LSTM(3, 32, 2, bidirectional=True, bias=False); \
//   print(sum(p.numel() for p in m.parameters()), list(m.state_dict()))" (and nn.GRU(4, 16, bias=False), nn.RNN(5, 8, 3, bias=False)).
test('bias: false drops bias_ih/bias_hh from the names and the count, as PyTorch does', () => {
  const rows: { cell: CellType; input: number; hidden: number; layers: number; bidirectional: boolean; parameters: number }[] = [
    { cell: 'lstm', input: 3, hidden: 32, layers: 2, bidirectional: true, parameters: 33536 },
    { cell: 'gru', input: 4, hidden: 16, layers: 1, bidirectional: false, parameters: 960 },
    { cell: 'rnn', input: 5, hidden: 8, layers: 3, bidirectional: false, parameters: 360 },
  ];
  for (const c of rows) {
    assert.equal(recurrentStackParameters(c.cell, c.input, c.hidden, c.layers, c.bidirectional, { bias: false }), c.parameters, JSON.stringify(c));
    const spec = JSON.parse(csvSpec(c.cell, c.input, c.hidden, c.layers, c.bidirectional));
    spec.model.encoder.bias = false;
    const encoder = analyzeSpec(JSON.stringify(spec)).layers.find((l) => l.id === 'encoder')!;
    assert.equal(encoder.parameters, c.parameters, `analysis of ${JSON.stringify(c)}`);
    assert.ok(encoder.parameterShapes.every((p) => !p.name.includes('.bias_')), 'no bias names');
  }
});

// proj_size, printed by /usr/bin/python3 -c "import torch.nn as nn; m = nn.LSTM(3, 32, 2, bidirectional=True, proj_size=8); \
//   print(sum(p.numel() for p in m.parameters()), {k: list(v.shape) for k, v in m.state_dict().items()})"
// (and with bias=False: 9984; nn.LSTM(6, 20, proj_size=5): 1140).
test('LSTM projSize: weight_hr_l{k} after the biases, W_hh [4H,P], deeper layers read D·P, counts as PyTorch', () => {
  assert.equal(recurrentStackParameters('lstm', 3, 32, 2, true, { projSize: 8 }), 11008);
  assert.equal(recurrentStackParameters('lstm', 3, 32, 2, true, { projSize: 8, bias: false }), 9984);
  assert.equal(recurrentStackParameters('lstm', 6, 20, 1, false, { projSize: 5 }), 1140);
  const spec = JSON.parse(csvSpec('lstm', 3, 32, 2, true));
  spec.model.encoder.projSize = 8;
  const analysis = analyzeSpec(JSON.stringify(spec));
  const encoder = analysis.layers.find((l) => l.id === 'encoder')!;
  assert.equal(encoder.parameters, 11008);
  const direction = (suffix: string, input: number): [string, number[]][] => [
    [`weight_ih${suffix}`, [128, input]], [`weight_hh${suffix}`, [128, 8]], [`bias_ih${suffix}`, [128]], [`bias_hh${suffix}`, [128]], [`weight_hr${suffix}`, [8, 32]],
  ];
  const torchOrder = [...direction('_l0', 3), ...direction('_l0_reverse', 3), ...direction('_l1', 16), ...direction('_l1_reverse', 16)];
  assert.deepEqual(encoder.parameterShapes.map((p) => [p.name, p.shape]), torchOrder.map(([name, shape]) => [`encoder.${name}`, shape]));
  assert.deepEqual(encoder.output.map((d) => d.size), [8, 20, 16]);
  assert.deepEqual(encoder.hN?.map((d) => d.size), [4, 8, 8]);
  assert.deepEqual(encoder.cN?.map((d) => d.size), [4, 8, 32]);
});

test('projSize is refused on a GRU and at or above hiddenSize, at the projSize property; seq2seq takes it', () => {
  const codes = (encoder: object, task = 'regress') => {
    const spec = JSON.parse(csvSpec('lstm', 3, 8, 1, false));
    spec.model.encoder = encoder;
    spec.task.type = task;
    return analyzeSpec(JSON.stringify(spec)).diagnostics.filter((d) => d.code.startsWith('semantic/projection')).map((d) => d.code);
  };
  assert.deepEqual(codes({ cell: 'gru', hiddenSize: 8, projSize: 4 }), ['semantic/projection-non-lstm']);
  assert.deepEqual(codes({ cell: 'lstm', hiddenSize: 8, projSize: 8 }), ['semantic/projection-too-wide']);
  assert.deepEqual(codes({ cell: 'lstm', hiddenSize: 8, projSize: 4 }), []);
  assert.deepEqual(codes({ cell: 'lstm', hiddenSize: 8, projSize: 0 }), []);
  assert.deepEqual(codes({ cell: 'lstm', hiddenSize: 8, projSize: 4 }, 'seq2seq'), []);
});
