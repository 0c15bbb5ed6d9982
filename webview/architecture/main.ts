/**
 * Architecture diagram: draws the finished layout that the spec analysis computed (blocks, tensor shapes on the
 * edges) as SVG, offers an "Unroll" toggle for the recurrence, and jumps to a block's line in the spec on click
 * or Enter/Space.
 */
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { HostToWebview } from '../../src/train/protocol';
import { appRoot, element, svgElement } from '../shared/dom';
import { connectPanel } from '../shared/vscodeApi';
import { parseDiagram, pointHalfwayAlong, polylinePath, type Diagram, type DiagramEdge, type DiagramNode } from './diagramModel';

interface ArchitectureUiState {
  unrolled: boolean;
}

const connection = connectPanel<ArchitectureUiState>('architecture', { unrolled: false }, handleHostMessage);

const unrollCheckbox = element('vscode-checkbox', { id: 'unroll', label: 'Unroll over time', 'aria-label': 'Unroll the recurrence over a few time steps' });
if (connection.uiState.unrolled) unrollCheckbox.setAttribute('checked', '');
const status = element('p', { class: 'status', id: 'diagram-status', role: 'status', 'aria-live': 'polite' }, 'Open a *.seqmodel.json spec (or run “SeqLab: Open Architecture Diagram” from it) to see its layers.');
const drawing = element('div', { class: 'diagram', id: 'diagram' });

const heading = element('h1', {}, 'Architecture');
appRoot().append(
  heading,
  element('div', { class: 'toolbar' }, unrollCheckbox),
  status,
  drawing,
);

unrollCheckbox.addEventListener('change', () => {
  const unrolled = unrollCheckbox.checked;
  connection.saveUiState({ unrolled });
  connection.post({ type: 'setUnrolled', unrolled });
});
// The host draws folded by default; a restored panel asks for the view it had.
if (connection.uiState.unrolled) connection.post({ type: 'setUnrolled', unrolled: true });

function revealNode(node: DiagramNode): void {
  if (node.line !== undefined) connection.post({ type: 'revealLine', line: node.line });
}

function nodeGroup(node: DiagramNode, focused: boolean): SVGGElement {
  const line = node.line;
  const canReveal = line !== undefined;
  const group = svgElement('g', {
    class: `node kind-${node.kind.toLowerCase().replace(/[^a-z0-9-]/g, '')}`,
    tabindex: 0,
    role: canReveal ? 'button' : 'img',
    'data-node-id': node.id,
    'aria-label': `${node.label}${node.detail ? `, ${node.detail}` : ''}${line !== undefined ? `. Press Enter to show line ${line + 1} of the spec.` : ''}`,
  });
  const title = svgElement('title');
  title.textContent = line !== undefined ? `${node.label} — line ${line + 1}` : node.label;
  group.append(title, svgElement('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: 4 }));
  const label = svgElement('text', { class: 'label', x: node.x + node.width / 2, y: node.y + (node.detail ? node.height / 2 - 3 : node.height / 2 + 4), 'text-anchor': 'middle' });
  label.textContent = node.label;
  group.append(label);
  if (node.detail) {
    const detail = svgElement('text', { class: 'detail', x: node.x + node.width / 2, y: node.y + node.height / 2 + 13, 'text-anchor': 'middle' });
    detail.textContent = node.detail;
    group.append(detail);
  }
  group.addEventListener('click', () => revealNode(node));
  group.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    revealNode(node);
  });
  if (focused) requestAnimationFrame(() => group.focus());
  return group;
}

/** The layout's label position is the left end of the text beside a vertical edge, the centre above a
 * horizontal recurrent edge between time steps. */
function edgeLabel(edge: DiagramEdge): SVGTextElement {
  const horizontalBetweenSteps = edge.from !== edge.to && edge.points.length === 2 && edge.points[0].y === edge.points[1].y;
  if (edge.labelPosition !== undefined) {
    return svgElement('text', {
      class: 'edge-label', x: edge.labelPosition.x, y: edge.labelPosition.y, 'dominant-baseline': horizontalBetweenSteps ? 'auto' : 'middle',
      'text-anchor': horizontalBetweenSteps ? 'middle' : 'start', 'data-room': horizontalBetweenSteps ? Math.abs(edge.points[1].x - edge.points[0].x) : '',
    });
  }
  const place = pointHalfwayAlong(edge.points);
  return svgElement('text', { class: 'edge-label', x: place.x + (place.horizontal ? 0 : 6), y: place.y + (place.horizontal ? -5 : 4), 'text-anchor': place.horizontal ? 'middle' : 'start' });
}

/** A label wider than the gap it sits in (h_t between two time steps) would cover the blocks: keep the tensor's
 * name ("h_t, c_t") and move the shape into the hover tooltip. */
function shortenIfCrowded(text: SVGTextElement): void {
  const room = Number(text.getAttribute('data-room'));
  const full = text.textContent ?? '';
  if (!(room > 0) || text.getBBox().width <= room - 6) return;
  const name = full.split(' [')[0];
  if (name === full) return;
  text.textContent = name;
  const tooltip = svgElement('title');
  tooltip.textContent = full;
  text.append(tooltip);
}

function drawDiagram(diagram: Diagram): void {
  // Keep keyboard focus on the same block when the spec is edited and the diagram redrawn.
  const focusedId = (document.activeElement as Element | null)?.getAttribute?.('data-node-id') ?? undefined;
  const margin = 24;
  const svg = svgElement('svg', {
    viewBox: `${-margin} ${-margin} ${diagram.width + 2 * margin} ${diagram.height + 2 * margin}`,
    width: diagram.width + 2 * margin,
    height: diagram.height + 2 * margin,
    role: 'group',
    'aria-label': `Model architecture: ${diagram.nodes.length} blocks`,
    ...(diagram.unrolled ? { class: 'unrolled' } : {}),
  });
  const definitions = svgElement('defs');
  const marker = svgElement('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svgElement('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
  definitions.append(marker);
  svg.append(definitions);

  const edgeLayer = svgElement('g', { 'aria-hidden': 'true' });
  const labelLayer = svgElement('g', { 'aria-hidden': 'true' });
  for (const edge of diagram.edges) {
    edgeLayer.append(svgElement('path', { class: `edge kind-${edge.kind.replace(/[^a-z0-9-]/gi, '')}`, d: polylinePath(edge.points), 'marker-end': 'url(#arrow)' }));
    if (edge.label) {
      const text = edgeLabel(edge);
      text.textContent = edge.label;
      labelLayer.append(text);
    }
  }
  const nodeLayer = svgElement('g');
  for (const node of diagram.nodes) nodeLayer.append(nodeGroup(node, node.id === focusedId));
  // Labels last, each on a background box sized after layout, so lines never run through the text.
  svg.append(edgeLayer, nodeLayer, labelLayer);
  drawing.replaceChildren(svg);
  for (const text of Array.from(labelLayer.querySelectorAll('text'))) {
    shortenIfCrowded(text);
    const box = text.getBBox();
    labelLayer.insertBefore(svgElement('rect', { class: 'edge-label-background', x: box.x - 2, y: box.y - 1, width: box.width + 4, height: box.height + 2 }), text);
  }
  if (diagram.unrolled !== undefined && unrollCheckbox.checked !== diagram.unrolled) unrollCheckbox.checked = diagram.unrolled;
  heading.textContent = diagram.specName ? `Architecture — ${diagram.specName}` : 'Architecture';
  // Block texts wider than their block are condensed to fit; the full text stays in the tooltip and aria-label.
  for (const group of Array.from(nodeLayer.querySelectorAll<SVGGElement>('g.node'))) {
    const width = Number(group.querySelector('rect')?.getAttribute('width'));
    for (const text of Array.from(group.querySelectorAll('text'))) {
      if (text.getBBox().width <= width - 8) continue;
      text.setAttribute('textLength', String(width - 8));
      text.setAttribute('lengthAdjust', 'spacingAndGlyphs');
    }
  }
  // Labels may reach past the layout's box (a shape beside the last column): fit the view to what was drawn.
  const drawn = svg.getBBox();
  const left = Math.min(-margin, drawn.x - 8);
  const top = Math.min(-margin, drawn.y - 8);
  const right = Math.max(diagram.width + margin, drawn.x + drawn.width + 8);
  const bottom = Math.max(diagram.height + margin, drawn.y + drawn.height + 8);
  svg.setAttribute('viewBox', `${left} ${top} ${right - left} ${bottom - top}`);
  svg.setAttribute('width', String(right - left));
  svg.setAttribute('height', String(bottom - top));
  const revealable = diagram.nodes.some((n) => n.line !== undefined);
  status.textContent = `${diagram.nodes.length} blocks, ${diagram.edges.length} connections${revealable ? ' · click a block (or focus it and press Enter) to show its line in the spec' : ''}`;
}

function handleHostMessage(message: HostToWebview): void {
  if (message.type !== 'architecture') return;
  const parsed = parseDiagram(message.diagram);
  if ('error' in parsed) {
    status.textContent = `The diagram cannot be drawn: ${parsed.error}. Fix the spec’s errors (see Problems) and it will update.`;
    drawing.replaceChildren();
    return;
  }
  drawDiagram(parsed.diagram);
}
