/**
 * A finished layout of the architecture diagram (the webview only draws it as SVG): layers as blocks top to
 * bottom, tensor shapes on every edge, recurrent state as a self-loop, or, unrolled, each per-step layer repeated
 * over a few time steps with h_t (and c_t) edges between the steps — right to left for a backward direction.
 * seq2seq draws the decoder to the right of the encoder, fed by the encoder's final state.
 */
import type { LayerInfo, LayerKind, NamedShape, SpecAnalysis } from './analysisTypes';
import { formatParameterCount } from './parameterCount';
import { formatNamedShape } from './shapes';

export interface DiagramPoint {
  x: number;
  y: number;
}

export interface DiagramNode {
  id: string;
  /** The layer this node draws (several nodes per layer when unrolled). */
  layerId: string;
  label: string;
  detail: string;
  kind: LayerKind;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Offset of the layer's JSON node in the spec (click to jump). */
  offset: number;
  /** Unrolled: the time step this node stands for (0-based column), and the direction of a bidirectional layer. */
  step?: number;
  direction?: 'forward' | 'backward';
}

export interface DiagramEdge {
  from: string;
  to: string;
  /** The tensor on the edge, with its shape: `[batch=32, seq=30, hidden=64]` or `h_t [batch=32, hidden=64]`. */
  label: string;
  /** Polyline from the source node's border to the target node's border. */
  points: DiagramPoint[];
  /** Where to draw the label. */
  labelPosition: DiagramPoint;
  kind: 'data' | 'recurrent' | 'state';
}

export interface Diagram {
  width: number;
  height: number;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

export interface DiagramOptions {
  unrolled: boolean;
  /** Time steps drawn per recurrent block when unrolled (default 3, at least 2). */
  steps?: number;
}

const NODE_WIDTH = 200;
const NODE_HEIGHT = 52;
/** Wide enough for "LSTM ×2 layers → t=30" at the editor's font size. */
const STEP_NODE_WIDTH = 170;
const ROW_GAP = 56; // room for the shape label of vertical edges
const COLUMN_GAP = 170; // room for recurrent edges and their labels (`h_t, c_t [batch=32, hidden=128]`)
const BLOCK_GAP = 140; // between the encoder and decoder blocks of seq2seq
const MARGIN = 24;
const LOOP_WIDTH = 230; // the rolled self-loop and its label, right of the node

const RECURRENT_KINDS = new Set<LayerKind>(['rnn', 'lstm', 'gru', 'decoder']);

function isRecurrent(layer: LayerInfo): boolean {
  return RECURRENT_KINDS.has(layer.kind) && layer.recurrent !== undefined;
}

function detailOf(layer: LayerInfo): string {
  const parts: string[] = [];
  if (layer.recurrent) parts.push(`hidden ${layer.recurrent.hiddenSize}`);
  if (layer.parameters > 0 || layer.parameterFormula) parts.push(`${formatParameterCount(layer.parameters, layer.parameterFormula)} params`);
  if (parts.length === 0) parts.push(formatNamedShape(layer.output));
  return parts.join(' · ');
}

/** The state carried between steps: `h_t [batch=32, hidden=64]`, plus c_t for LSTMs. */
function stateLabel(layer: LayerInfo): string {
  const stepShape: NamedShape = (layer.hN ?? []).slice(1);
  return `${layer.cN ? 'h_t, c_t' : 'h_t'} ${formatNamedShape(stepShape)}`;
}

/** One time step of a per-step tensor: drop the sequence dimension. */
function stepShapeLabel(shape: NamedShape): string {
  return formatNamedShape(shape.filter((d) => !/seq/.test(d.name)));
}

interface Block {
  layers: LayerInfo[];
  x: number;
  width: number;
}

export function buildDiagram(analysis: SpecAnalysis, options: DiagramOptions): Diagram {
  const layers = analysis.layers;
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  if (layers.length === 0) return { width: 2 * MARGIN, height: 2 * MARGIN, nodes, edges };
  const steps = options.unrolled ? Math.max(2, Math.min(8, Math.floor(options.steps ?? 3))) : 1;
  const decoderIndex = layers.findIndex((l) => l.id === 'target');
  const lastPerStep = lastIndexWhere(layers, (l) => l.perStep === true);
  // Per-step layers form the source block (and the target block for seq2seq); the rest stack below.
  const sourceLayers = layers.slice(0, decoderIndex >= 0 ? decoderIndex : lastPerStep + 1).filter((l) => l.perStep);
  const targetLayers = decoderIndex >= 0 ? layers.slice(decoderIndex, lastPerStep + 1).filter((l) => l.perStep) : [];
  const tailLayers = layers.filter((l) => !sourceLayers.includes(l) && !targetLayers.includes(l));

  const cellWidth = options.unrolled ? STEP_NODE_WIDTH : NODE_WIDTH;
  const blockWidth = options.unrolled ? steps * cellWidth + (steps - 1) * COLUMN_GAP : NODE_WIDTH + LOOP_WIDTH;
  const blocks: Block[] = [{ layers: sourceLayers, x: MARGIN, width: blockWidth }];
  if (targetLayers.length) blocks.push({ layers: targetLayers, x: MARGIN + blockWidth + BLOCK_GAP, width: blockWidth });

  // Rows: a bidirectional recurrent layer takes two rows when unrolled (forward above backward).
  const rowsOf = (layer: LayerInfo) => (options.unrolled && isRecurrent(layer) && layer.recurrent!.directions === 2 ? 2 : 1);
  const rowCount = (block: Block, upTo: number) => block.layers.slice(0, upTo).reduce((n, l) => n + rowsOf(l), 0);
  // Align the decoder with the encoder's row so the state edge runs straight across.
  const encoderRow = rowCount(blocks[0], blocks[0].layers.findIndex((l) => l.id === 'encoder'));
  const decoderRow = blocks[1] ? rowCount(blocks[1], blocks[1].layers.findIndex((l) => l.id === 'decoder')) : 0;
  const rowOffset = [Math.max(0, decoderRow - encoderRow), Math.max(0, encoderRow - decoderRow)];
  const rowY = (row: number) => MARGIN + row * (NODE_HEIGHT + ROW_GAP);

  /** For each layer id, the nodes of each step: forward[step], backward[step]. */
  const placed = new Map<string, { forward: DiagramNode[]; backward: DiagramNode[] }>();
  let maxRow = 0;
  blocks.forEach((block, blockIndex) => {
    let row = rowOffset[blockIndex];
    for (const layer of block.layers) {
      const entry = { forward: [] as DiagramNode[], backward: [] as DiagramNode[] };
      for (let step = 0; step < steps; step++) {
        const x = options.unrolled ? block.x + step * (cellWidth + COLUMN_GAP) : block.x;
        const stepName = stepLabel(step, steps, layer);
        const make = (direction: 'forward' | 'backward' | undefined, r: number): DiagramNode => ({
          id: options.unrolled ? `${layer.id}@${step}${direction === 'backward' ? '/reverse' : ''}` : layer.id,
          layerId: layer.id,
          label: options.unrolled ? `${shortLabel(layer)}${direction === 'backward' ? ' ←' : direction === 'forward' ? ' →' : ''} ${stepName}` : layer.label,
          detail: options.unrolled ? stepShapeLabel(layer.output) : detailOf(layer),
          kind: layer.kind,
          x,
          y: rowY(r),
          width: cellWidth,
          height: NODE_HEIGHT,
          offset: layer.offset,
          ...(options.unrolled ? { step } : {}),
          ...(direction ? { direction } : {}),
        });
        if (rowsOf(layer) === 2) {
          entry.forward.push(make('forward', row));
          entry.backward.push(make('backward', row + 1));
        } else entry.forward.push(make(undefined, row));
      }
      nodes.push(...entry.forward, ...entry.backward);
      placed.set(layer.id, entry);
      row += rowsOf(layer);
    }
    maxRow = Math.max(maxRow, row);
  });

  const contentWidth = blocks[blocks.length - 1].x + blockWidth - MARGIN;
  // Tail layers (readout, head of many-to-one, loss): one centred node per row below the blocks.
  let tailRow = maxRow;
  // Rolled with one block: in the column of the blocks above; otherwise centred under everything.
  const tailX = !options.unrolled && blocks.length === 1 ? MARGIN : MARGIN + (contentWidth - NODE_WIDTH) / 2;
  for (const layer of tailLayers) {
    const node: DiagramNode = { id: layer.id, layerId: layer.id, label: layer.label, detail: detailOf(layer), kind: layer.kind, x: tailX, y: rowY(tailRow), width: NODE_WIDTH, height: NODE_HEIGHT, offset: layer.offset };
    nodes.push(node);
    placed.set(layer.id, { forward: [node], backward: [] });
    tailRow++;
  }

  // ---- data edges between consecutive layers of a block, step by step
  const connect = (from: DiagramNode, to: DiagramNode, label: string, kind: DiagramEdge['kind'] = 'data') => edges.push(route(from, to, label, kind));
  for (const block of blocks) {
    for (let i = 1; i < block.layers.length; i++) {
      const previous = placed.get(block.layers[i - 1].id)!;
      const current = placed.get(block.layers[i].id)!;
      const label = options.unrolled ? stepShapeLabel(block.layers[i - 1].output) : formatNamedShape(block.layers[i - 1].output);
      for (let step = 0; step < steps; step++) {
        for (const source of [previous.forward[step], previous.backward[step]]) {
          if (!source) continue;
          for (const target of [current.forward[step], current.backward[step]]) if (target) connect(source, target, label);
        }
      }
    }
  }

  // ---- recurrent state: self-loops when rolled, h_t edges between steps when unrolled
  for (const layer of layers.filter(isRecurrent)) {
    const entry = placed.get(layer.id);
    if (!entry) continue;
    const label = stateLabel(layer);
    if (!options.unrolled) {
      edges.push(selfLoop(entry.forward[0], label));
      continue;
    }
    for (let step = 0; step + 1 < steps; step++) {
      connect(entry.forward[step], entry.forward[step + 1], label, 'recurrent');
      if (entry.backward.length) connect(entry.backward[step + 1], entry.backward[step], label, 'recurrent');
    }
  }

  // ---- seq2seq: the encoder's final state starts the decoder
  const encoder = layers.find((l) => l.id === 'encoder');
  const decoder = layers.find((l) => l.id === 'decoder');
  if (encoder && decoder && placed.has('decoder')) {
    const from = placed.get('encoder')!.forward[steps - 1];
    const to = placed.get('decoder')!.forward[0];
    const label = `h_n${encoder.cN ? ', c_n' : ''} ${formatNamedShape(encoder.hN ?? [])}`;
    if (options.unrolled) connect(from, to, label, 'state');
    else edges.push(stateEdgeBelow(from, to, label)); // the straight line would run through the encoder's self-loop
  }

  // ---- into the tail: from the last block layer (the final step, both ends for bidirectional hN, or every step)
  const lastBlock = blocks[blocks.length - 1];
  let previousLayer = lastBlock.layers[lastBlock.layers.length - 1];
  for (const layer of tailLayers) {
    const target = placed.get(layer.id)!.forward[0];
    const source = placed.get(previousLayer.id)!;
    const fromBlock = lastBlock.layers.includes(previousLayer);
    if (fromBlock && options.unrolled) {
      const readAllSteps = layer.kind === 'loss' || (layer.kind === 'readout' && layer.label.includes('mean'));
      const sources = readAllSteps ? [...source.forward, ...source.backward] : [source.forward[steps - 1], ...(source.backward.length ? [source.backward[0]] : [])];
      for (const node of sources) connect(node, target, stepShapeLabel(previousLayer.output));
    } else connect(source.forward[0], target, formatNamedShape(previousLayer.output));
    previousLayer = layer;
  }

  const width = Math.max(MARGIN + contentWidth, ...nodes.map((n) => n.x + n.width), ...edges.flatMap((e) => e.points.map((p) => p.x))) + MARGIN;
  const height = Math.max(...nodes.map((n) => n.y + n.height)) + MARGIN;
  return { width: Math.ceil(width), height: Math.ceil(height), nodes, edges };
}

function lastIndexWhere<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}

function stepLabel(step: number, steps: number, layer: LayerInfo): string {
  const sequence = layer.input.find((d) => /seq/.test(d.name))?.size;
  if (step === steps - 1 && typeof sequence === 'number' && sequence > steps) return `t=${sequence}`;
  if (step === steps - 1 && typeof sequence === 'string') return 't=T';
  return `t=${step + 1}`;
}

function shortLabel(layer: LayerInfo): string {
  switch (layer.kind) {
    case 'input':
      return layer.id === 'target' ? 'y_in' : 'x';
    case 'embedding':
      return 'Embed';
    case 'dropout':
      return 'Dropout';
    case 'layerNorm':
      return 'LayerNorm';
    case 'linear':
      return 'Linear';
    case 'decoder':
      return `${layer.recurrent?.cell.toUpperCase() ?? ''} dec${stackDepth(layer)}`;
    default:
      return layer.recurrent ? `${layer.recurrent.cell === 'rnn' ? 'RNN' : layer.recurrent.cell.toUpperCase()}${stackDepth(layer)}` : layer.label;
  }
}

/** " ×2 layers" for a stack of two (one block per step stands for the whole stack, as the rolled label says), "" for one. */
function stackDepth(layer: LayerInfo): string {
  return layer.recurrent && layer.recurrent.numLayers > 1 ? ` ×${layer.recurrent.numLayers} layers` : '';
}

const center = (n: DiagramNode): DiagramPoint => ({ x: n.x + n.width / 2, y: n.y + n.height / 2 });

/** Orthogonal route between two nodes, leaving and entering through the facing borders. */
function route(from: DiagramNode, to: DiagramNode, label: string, kind: DiagramEdge['kind']): DiagramEdge {
  const a = center(from);
  const b = center(to);
  let points: DiagramPoint[];
  if (Math.abs(a.y - b.y) < 1) {
    // Same row: a horizontal edge between the facing sides.
    const leftToRight = b.x > a.x;
    points = [{ x: leftToRight ? from.x + from.width : from.x, y: a.y }, { x: leftToRight ? to.x : to.x + to.width, y: b.y }];
  } else if (b.y > a.y && Math.abs(a.x - b.x) < 1 && to.y - (from.y + from.height) <= ROW_GAP + 1) {
    points = [{ x: a.x, y: from.y + from.height }, { x: b.x, y: to.y }];
  } else if (b.y > a.y && to.y - (from.y + from.height) <= ROW_GAP + 1) {
    // Adjacent rows, different columns: down, across in the gap, down.
    const midY = from.y + from.height + ROW_GAP / 2;
    points = [{ x: a.x, y: from.y + from.height }, { x: a.x, y: midY }, { x: b.x, y: midY }, { x: b.x, y: to.y }];
  } else {
    // Skipping a row (a forward node feeding past its backward twin, or into a backward node): run down the column gap.
    const goesRight = b.x >= a.x;
    const gapX = goesRight ? from.x + from.width + COLUMN_GAP / 4 : from.x - COLUMN_GAP / 4;
    const aboveTarget = to.y - ROW_GAP / 2;
    points = [{ x: goesRight ? from.x + from.width : from.x, y: a.y }, { x: gapX, y: a.y }, { x: gapX, y: aboveTarget }, { x: b.x, y: aboveTarget }, { x: b.x, y: to.y }];
  }
  const middle = points.length === 2 ? { x: (points[0].x + points[1].x) / 2, y: (points[0].y + points[1].y) / 2 } : points[Math.floor(points.length / 2)];
  return { from: from.id, to: to.id, label, points, labelPosition: { x: middle.x + (kind === 'recurrent' ? 0 : 6), y: middle.y - (kind === 'recurrent' ? 8 : 0) }, kind };
}

/** Rolled seq2seq: leave the encoder through its bottom, run below its self-loop, enter the decoder from the left. */
function stateEdgeBelow(from: DiagramNode, to: DiagramNode, label: string): DiagramEdge {
  const belowY = from.y + from.height + ROW_GAP / 2;
  const approachX = to.x - 24;
  const points = [{ x: from.x + from.width / 2, y: from.y + from.height }, { x: from.x + from.width / 2, y: belowY }, { x: approachX, y: belowY }, { x: approachX, y: to.y + to.height / 2 }, { x: to.x, y: to.y + to.height / 2 }];
  return { from: from.id, to: to.id, label, points, labelPosition: { x: from.x + from.width / 2 + 8, y: belowY - 6 }, kind: 'state' };
}

function selfLoop(node: DiagramNode, label: string): DiagramEdge {
  const right = node.x + node.width;
  const top = node.y + node.height * 0.3;
  const bottom = node.y + node.height * 0.7;
  return {
    from: node.id,
    to: node.id,
    label: `${label.replace('h_t', 'h_{t-1}').replace('c_t', 'c_{t-1}')}`,
    points: [{ x: right, y: bottom }, { x: right + 28, y: bottom }, { x: right + 28, y: top }, { x: right, y: top }],
    labelPosition: { x: right + 34, y: node.y + node.height / 2 },
    kind: 'recurrent',
  };
}
