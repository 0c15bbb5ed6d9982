import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec, buildDiagram, specTemplates } from '../../src/modelSpec';
import { parseDiagram, pointHalfwayAlong, polylinePath } from './diagramModel';

const node = (id: string, y: number, extra: Record<string, unknown> = {}) => ({ id, label: id, detail: '', kind: 'lstm', x: 10, y, width: 100, height: 40, offset: 5, ...extra });

test('a well-formed diagram is accepted and a line number is kept when present', () => {
  const result = parseDiagram({
    width: 200, height: 300,
    nodes: [node('input', 0), node('lstm', 100, { line: 7 })],
    edges: [{ from: 'input', to: 'lstm', label: '[batch=32, seq=30, input=1]', points: [{ x: 60, y: 40 }, { x: 60, y: 100 }] }],
  });
  assert.ok('diagram' in result);
  assert.equal(result.diagram.nodes[1].line, 7);
  assert.equal(result.diagram.nodes[0].line, undefined);
  assert.equal(result.diagram.edges[0].label, '[batch=32, seq=30, input=1]');
});

test('edges to unknown nodes or without points are dropped; broken nodes refuse the diagram', () => {
  const result = parseDiagram({
    width: 200, height: 300, nodes: [node('a', 0), node('b', 100)],
    edges: [{ from: 'a', to: 'zzz', label: '', points: [[0, 0], [1, 1]] }, { from: 'a', to: 'b', label: '', points: [[0, 0]] }, { from: 'a', to: 'b', label: 'x', points: [[0, 0], [0, 5]] }],
  });
  assert.ok('diagram' in result);
  assert.deepEqual(result.diagram.edges.map((e) => e.label), ['x']);
  assert.ok('error' in parseDiagram({ width: 1, height: 1, nodes: [{ id: 'a' }], edges: [] }));
  assert.ok('error' in parseDiagram(null));
  assert.ok('error' in parseDiagram({ width: 0, height: 1, nodes: [], edges: [] }));
});

test('path data and label placement follow the polyline', () => {
  const points = [{ x: 0, y: 0 }, { x: 0, y: 10 }, { x: 30, y: 10 }];
  assert.equal(polylinePath(points), 'M 0 0 L 0 10 L 30 10');
  // length 40, halfway = 20 → 10 along the second (horizontal) segment
  assert.deepEqual(pointHalfwayAlong(points), { x: 10, y: 10, horizontal: true });
});

test('the real layout of every template, rolled and unrolled, reaches the panel whole', () => {
  for (const template of specTemplates()) {
    for (const unrolled of [false, true]) {
      const layout = buildDiagram(analyzeSpec(template.text), { unrolled });
      // The host adds the 0-based line of each block (the panel has no spec text).
      const sent = { ...layout, unrolled, nodes: layout.nodes.map((n, i) => ({ ...n, line: i })) };
      const result = parseDiagram(JSON.parse(JSON.stringify(sent)));
      assert.ok('diagram' in result, `${template.id}: ${'error' in result ? result.error : ''}`);
      assert.equal(result.diagram.nodes.length, layout.nodes.length, template.id);
      assert.equal(result.diagram.edges.length, layout.edges.length, `${template.id}: an edge was dropped`);
      assert.ok(result.diagram.nodes.every((n, i) => n.line === i));
      assert.equal(result.diagram.unrolled, unrolled);
      if (unrolled) assert.ok(result.diagram.edges.some((e) => e.kind === 'recurrent'), `${template.id}: no recurrent edge when unrolled`);
    }
  }
});

test('a rolled self-loop without a kind counts as recurrent, and a label position is kept', () => {
  const result = parseDiagram({
    width: 10, height: 10, nodes: [node('lstm', 0)],
    edges: [{ from: 'lstm', to: 'lstm', label: 'h_t', points: [[110, 10], [130, 10], [130, 30], [110, 30]], labelPosition: { x: 135, y: 20 } }],
  });
  assert.ok('diagram' in result);
  assert.equal(result.diagram.edges[0].kind, 'recurrent');
  assert.deepEqual(result.diagram.edges[0].labelPosition, { x: 135, y: 20 });
});
