/**
 * Architecture diagram: draws the finished layout that the spec analysis computed (blocks, tensor shapes on the
 * edges) as SVG, offers an "Unroll" toggle for the recurrence, and jumps to a block's line in the spec on click
 * or Enter/Space.
 */
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { HostToWebview } from '../../src/train/protocol';
import { appRoot, element, svgElement } from '../shared/dom';
import { connectPanel } from '../shared/vscodeApi';
import { parseDiagram, pointHalfwayAlong, polylinePath, type Diagram, type DiagramNode } from './diagramModel';

interface ArchitectureUiState {
  unrolled: boolean;
}

const connection = connectPanel<ArchitectureUiState>('architecture', { unrolled: false }, handleHostMessage);

const unrollCheckbox = element('vscode-checkbox', { id: 'unroll', label: 'Unroll over time', 'aria-label': 'Unroll the recurrence over a few time steps' });
if (connection.uiState.unrolled) unrollCheckbox.setAttribute('checked', '');
const status = element('p', { class: 'status', id: 'diagram-status', role: 'status', 'aria-live': 'polite' }, 'Waiting for the spec’s layout…');
const drawing = element('div', { class: 'diagram', id: 'diagram' });

appRoot().append(
  element('h1', {}, 'Architecture'),
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
  });
  const definitions = svgElement('defs');
  const marker = svgElement('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svgElement('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
  definitions.append(marker);
  svg.append(definitions);

  const edgeLayer = svgElement('g', { 'aria-hidden': 'true' });
  const labelLayer = svgElement('g', { 'aria-hidden': 'true' });
  for (const edge of diagram.edges) {
    const recurrent = edge.kind === 'recurrent' || edge.from.split('@')[0] === edge.to.split('@')[0];
    edgeLayer.append(svgElement('path', { class: `edge${recurrent ? ' recurrent' : ''}`, d: polylinePath(edge.points), 'marker-end': 'url(#arrow)' }));
    if (edge.label) {
      const place = pointHalfwayAlong(edge.points);
      const text = svgElement('text', { class: 'edge-label', x: place.x + (place.horizontal ? 0 : 6), y: place.y + (place.horizontal ? -5 : 4), 'text-anchor': place.horizontal ? 'middle' : 'start' });
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
    const box = text.getBBox();
    labelLayer.insertBefore(svgElement('rect', { class: 'edge-label-background', x: box.x - 2, y: box.y - 1, width: box.width + 4, height: box.height + 2 }), text);
  }
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
