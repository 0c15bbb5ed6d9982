/**
 * The architecture diagram as the panel receives it: a finished layout from the spec analysis (the panel only
 * draws). The host message carries it as `unknown`, so it is checked here before anything is drawn. Pure: no DOM.
 */

export interface DiagramPoint {
  x: number;
  y: number;
}

export interface DiagramNode {
  id: string;
  label: string;
  detail: string;
  kind: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Offset of the layer in the spec text. */
  offset: number;
  /** 0-based line of the layer in the spec, when the layout knows it (used for "reveal in spec"). */
  line?: number;
}

export interface DiagramEdge {
  from: string;
  to: string;
  /** Tensor shape on the edge, e.g. "[batch=32, seq=30, hidden=64]". */
  label: string;
  points: DiagramPoint[];
  /** 'data' between layers, 'recurrent' h_{t-1} → h_t (a self-loop when rolled), 'state' encoder → decoder. */
  kind: string;
  /** Where the layout wants the label; when absent it goes halfway along the polyline. */
  labelPosition?: DiagramPoint;
}

export interface Diagram {
  width: number;
  height: number;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  /** Whether this layout is the unrolled view (the host adds it), so the toggle shows the truth after a reload. */
  unrolled?: boolean;
  /** The spec file's name, for the heading. */
  specName?: string;
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parsePoint(value: unknown): DiagramPoint | undefined {
  if (isRecord(value) && isFiniteNumber(value.x) && isFiniteNumber(value.y)) return { x: value.x, y: value.y };
  if (Array.isArray(value) && value.length === 2 && isFiniteNumber(value[0]) && isFiniteNumber(value[1])) return { x: value[0], y: value[1] };
  return undefined;
}

function parseNode(value: unknown): DiagramNode | undefined {
  if (!isRecord(value)) return undefined;
  const { id, label, detail, kind, x, y, width, height, offset, line } = value;
  if (typeof id !== 'string' || typeof label !== 'string') return undefined;
  if (!isFiniteNumber(x) || !isFiniteNumber(y) || !isFiniteNumber(width) || !isFiniteNumber(height)) return undefined;
  const node: DiagramNode = {
    id, label, x, y, width, height,
    detail: typeof detail === 'string' ? detail : '',
    kind: typeof kind === 'string' ? kind : 'layer',
    offset: isFiniteNumber(offset) ? offset : -1,
  };
  if (isFiniteNumber(line) && line >= 0) node.line = Math.floor(line);
  return node;
}

function parseEdge(value: unknown, nodeIds: Set<string>): DiagramEdge | undefined {
  if (!isRecord(value) || typeof value.from !== 'string' || typeof value.to !== 'string') return undefined;
  if (!nodeIds.has(value.from) || !nodeIds.has(value.to) || !Array.isArray(value.points)) return undefined;
  const points = value.points.map(parsePoint);
  if (points.length < 2 || points.some((p) => p === undefined)) return undefined;
  const edge: DiagramEdge = {
    from: value.from, to: value.to, label: typeof value.label === 'string' ? value.label : '', points: points as DiagramPoint[],
    kind: typeof value.kind === 'string' ? value.kind : value.from === value.to ? 'recurrent' : 'data',
  };
  const labelPosition = parsePoint(value.labelPosition);
  if (labelPosition !== undefined) edge.labelPosition = labelPosition;
  return edge;
}

/** Checks and copies a diagram; returns a reason instead when it cannot be drawn. Malformed edges are dropped. */
export function parseDiagram(value: unknown): { diagram: Diagram } | { error: string } {
  if (!isRecord(value)) return { error: 'the diagram is not an object' };
  if (!isFiniteNumber(value.width) || !isFiniteNumber(value.height) || value.width <= 0 || value.height <= 0) return { error: 'the diagram has no size' };
  if (!Array.isArray(value.nodes) || !Array.isArray(value.edges)) return { error: 'the diagram has no nodes or edges list' };
  const nodes: DiagramNode[] = [];
  for (const raw of value.nodes) {
    const node = parseNode(raw);
    if (node === undefined) return { error: 'a diagram node lacks an id, a label or a position' };
    nodes.push(node);
  }
  const nodeIds = new Set(nodes.map((n) => n.id));
  const edges = value.edges.map((raw) => parseEdge(raw, nodeIds)).filter((e): e is DiagramEdge => e !== undefined);
  const diagram: Diagram = { width: value.width, height: value.height, nodes, edges };
  if (typeof value.unrolled === 'boolean') diagram.unrolled = value.unrolled;
  if (typeof value.specName === 'string') diagram.specName = value.specName;
  return { diagram };
}

/** SVG path data for an edge polyline: "M x0 y0 L x1 y1 …". */
export function polylinePath(points: readonly DiagramPoint[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${+p.x.toFixed(2)} ${+p.y.toFixed(2)}`).join(' ');
}

/** Where an edge's shape label goes: halfway along the polyline's length, and the direction there. */
export function pointHalfwayAlong(points: readonly DiagramPoint[]): { x: number; y: number; horizontal: boolean } {
  const lengths = points.slice(1).map((p, i) => Math.hypot(p.x - points[i].x, p.y - points[i].y));
  const total = lengths.reduce((sum, l) => sum + l, 0);
  let remaining = total / 2;
  for (let i = 0; i < lengths.length; i++) {
    if (remaining <= lengths[i] && lengths[i] > 0) {
      const t = remaining / lengths[i];
      const a = points[i];
      const b = points[i + 1];
      return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t, horizontal: Math.abs(b.x - a.x) >= Math.abs(b.y - a.y) };
    }
    remaining -= lengths[i];
  }
  const last = points[points.length - 1];
  return { x: last.x, y: last.y, horizontal: true };
}
