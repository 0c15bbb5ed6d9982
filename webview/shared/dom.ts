/** Tiny DOM building helpers. No inline `style` attributes anywhere: the CSP forbids them (CSSOM is fine). */

type Child = Node | string | undefined | false;

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== undefined && child !== false) node.append(child);
  return node;
}

const svgNamespace = 'http://www.w3.org/2000/svg';

export function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** The `<main id="app">` the host's HTML shell provides (created when a page lacks it). */
export function appRoot(): HTMLElement {
  let root = document.getElementById('app');
  if (root === null) {
    root = element('main', { id: 'app' });
    document.body.append(root);
  }
  return root;
}

/** A titled card: the panels' layout unit. */
export function card(title: string, ...children: Child[]): HTMLElement {
  const headingId = `card-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return element('section', { class: 'card', 'aria-labelledby': headingId }, element('h2', { id: headingId }, title), ...children);
}

/** Makes a card span the whole row of its grid. */
export function wideCard(section: HTMLElement): HTMLElement {
  section.classList.add('wide');
  return section;
}

/** A canvas in a sized box (chart.js measures the box), described for screen readers. */
export function chartCanvas(id: string, description: string): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = element('canvas', { id, role: 'img', 'aria-label': description });
  return { box: element('div', { class: 'chart-box' }, canvas), canvas };
}

/** Runs `render` at most once per animation frame however many messages arrive. */
export function frameScheduler(render: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      render();
    });
  };
}
