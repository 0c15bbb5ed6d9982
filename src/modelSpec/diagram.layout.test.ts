// Layout invariants of the architecture diagram, rolled and unrolled, for every template: nodes never overlap,
// everything lies inside the canvas, every edge joins two nodes, starts and ends on their borders, and carries
// a shape label; recurrent blocks repeat per step with state edges (both directions when bidirectional).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec, buildDiagram, specTemplates, type Diagram, type DiagramNode, type DiagramPoint } from './index';

function overlaps(a: DiagramNode, b: DiagramNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function onBorder(node: DiagramNode, p: DiagramPoint): boolean {
  const inX = p.x >= node.x - 0.5 && p.x <= node.x + node.width + 0.5;
  const inY = p.y >= node.y - 0.5 && p.y <= node.y + node.height + 0.5;
  const onVertical = Math.abs(p.x - node.x) < 0.5 || Math.abs(p.x - node.x - node.width) < 0.5;
  const onHorizontal = Math.abs(p.y - node.y) < 0.5 || Math.abs(p.y - node.y - node.height) < 0.5;
  return inX && inY && (onVertical || onHorizontal);
}

function checkInvariants(diagram: Diagram, name: string): void {
  const byId = new Map(diagram.nodes.map((n) => [n.id, n]));
  assert.equal(byId.size, diagram.nodes.length, `${name}: node ids are unique`);
  for (let i = 0; i < diagram.nodes.length; i++) {
    const a = diagram.nodes[i];
    assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.width <= diagram.width && a.y + a.height <= diagram.height, `${name}: ${a.id} inside the canvas`);
    assert.ok(a.label.length > 0, `${name}: ${a.id} labelled`);
    for (let j = i + 1; j < diagram.nodes.length; j++) assert.ok(!overlaps(a, diagram.nodes[j]), `${name}: ${a.id} overlaps ${diagram.nodes[j].id}`);
  }
  for (const edge of diagram.edges) {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    assert.ok(from && to, `${name}: edge ${edge.from} → ${edge.to} joins existing nodes`);
    assert.match(edge.label, /\[[^\]]*\]/, `${name}: edge ${edge.from} → ${edge.to} carries a shape`);
    assert.ok(edge.points.length >= 2, `${name}: edge has a route`);
    assert.ok(onBorder(from, edge.points[0]), `${name}: ${edge.from} → ${edge.to} starts on the source border`);
    assert.ok(onBorder(to, edge.points[edge.points.length - 1]), `${name}: ${edge.from} → ${edge.to} ends on the target border`);
    for (const p of edge.points) assert.ok(p.x >= 0 && p.x <= diagram.width && p.y >= 0 && p.y <= diagram.height, `${name}: edge point inside the canvas`);
  }
}

test('every template lays out without overlaps, rolled and unrolled, with labelled edges', () => {
  for (const template of specTemplates()) {
    const analysis = analyzeSpec(template.text);
    for (const unrolled of [false, true]) {
      const diagram = buildDiagram(analysis, { unrolled });
      checkInvariants(diagram, `${template.id} ${unrolled ? 'unrolled' : 'rolled'}`);
      assert.ok(diagram.nodes.length >= analysis.layers.length, 'every layer drawn');
    }
  }
});

test('rolled: one node per layer, a recurrent self-loop with the h_{t-1}, c_{t-1} shape', () => {
  const analysis = analyzeSpec(specTemplates().find((t) => t.id === 'forecaster')!.text);
  const diagram = buildDiagram(analysis, { unrolled: false });
  assert.deepEqual(diagram.nodes.map((n) => n.id), analysis.layers.map((l) => l.id));
  const loops = diagram.edges.filter((e) => e.from === e.to);
  assert.deepEqual(loops.map((e) => e.label), ['h_{t-1}, c_{t-1} [batch=32, hidden=64]']);
  const encoderNode = diagram.nodes.find((n) => n.id === 'encoder')!;
  assert.equal(encoderNode.offset, analysis.layers.find((l) => l.id === 'encoder')!.offset, 'click-to-line offset');
  const intoEncoder = diagram.edges.find((e) => e.to === 'encoder' && e.from === 'input')!;
  assert.equal(intoEncoder.label, '[batch=32, seq=30, input=1]');
});

test('unrolled: each per-step layer repeats over the steps with h_t edges; the readout reads the last step', () => {
  const analysis = analyzeSpec(specTemplates().find((t) => t.id === 'forecaster')!.text);
  const diagram = buildDiagram(analysis, { unrolled: true, steps: 4 });
  const encoderSteps = diagram.nodes.filter((n) => n.layerId === 'encoder');
  assert.equal(encoderSteps.length, 4);
  // One block per step stands for the whole stack of two layers, and says so.
  assert.deepEqual(encoderSteps.map((n) => n.label), ['LSTM ×2 layers t=1', 'LSTM ×2 layers t=2', 'LSTM ×2 layers t=3', 'LSTM ×2 layers t=30']);
  const recurrent = diagram.edges.filter((e) => e.kind === 'recurrent');
  assert.deepEqual(recurrent.map((e) => `${e.from}>${e.to}`), ['encoder@0>encoder@1', 'encoder@1>encoder@2', 'encoder@2>encoder@3']);
  assert.ok(recurrent.every((e) => e.label === 'h_t, c_t [batch=32, hidden=64]'));
  assert.deepEqual(diagram.edges.filter((e) => e.to === 'readout').map((e) => e.from), ['encoder@3']);
  assert.ok(diagram.edges.some((e) => e.from === 'input@2' && e.to === 'encoder@2' && e.label === '[batch=32, input=1]'));
});

test('unrolled bidirectional: a backward row with right-to-left state edges; h_n readout reads both ends', () => {
  const analysis = analyzeSpec(specTemplates().find((t) => t.id === 'classifier')!.text);
  const diagram = buildDiagram(analysis, { unrolled: true, steps: 3 });
  const backward = diagram.nodes.filter((n) => n.layerId === 'encoder' && n.direction === 'backward');
  assert.equal(backward.length, 3);
  const forward = diagram.nodes.filter((n) => n.layerId === 'encoder' && n.direction === 'forward');
  assert.ok(backward.every((b, i) => b.y > forward[i].y), 'backward row below the forward row');
  const backwardEdges = diagram.edges.filter((e) => e.kind === 'recurrent' && e.from.endsWith('/reverse'));
  assert.deepEqual(backwardEdges.map((e) => `${e.from}>${e.to}`), ['encoder@1/reverse>encoder@0/reverse', 'encoder@2/reverse>encoder@1/reverse']);
  assert.deepEqual(diagram.edges.filter((e) => e.to === 'readout').map((e) => e.from).sort(), ['encoder@0/reverse', 'encoder@2']);
});

test('unrolled seq2seq: the decoder block sits right of the encoder, started by the encoder state', () => {
  const analysis = analyzeSpec(specTemplates().find((t) => t.id === 'seq2seq')!.text);
  const diagram = buildDiagram(analysis, { unrolled: true });
  const state = diagram.edges.filter((e) => e.kind === 'state');
  assert.equal(state.length, 1);
  assert.equal(state[0].from, 'encoder@2');
  assert.equal(state[0].to, 'decoder@0');
  assert.equal(state[0].label, 'h_n, c_n [layers·dirs=1, batch=64, hidden=128]');
  const encoderRight = Math.max(...diagram.nodes.filter((n) => n.layerId === 'encoder').map((n) => n.x + n.width));
  assert.ok(diagram.nodes.filter((n) => n.layerId === 'decoder').every((n) => n.x > encoderRight));
  assert.equal(diagram.nodes.find((n) => n.id === 'encoder@2')!.y, diagram.nodes.find((n) => n.id === 'decoder@0')!.y, 'state edge runs straight across');
  // Many-to-many: the loss reads the output of every decoder step.
  assert.equal(diagram.edges.filter((e) => e.to === 'loss').length, 3);
});

test('an unparseable spec gives an empty diagram instead of throwing', () => {
  const diagram = buildDiagram(analyzeSpec('{ "name": '), { unrolled: true });
  assert.deepEqual(diagram.nodes, []);
  assert.deepEqual(diagram.edges, []);
});
