/**
 * Hover text for a spec: over a layer or any property inside it, its shapes with named dimensions, h_n/c_n,
 * parameters (total and per state-dict tensor), FLOPs per step, BPTT memory, and for recurrent layers the
 * per-gate shapes of one time step as the tutorial's annotated LSTM cell draws them. Pure string building.
 */
import type { LayerInfo, SpecAnalysis, SpecDiagnostic } from './analysisTypes';
import { formatNamedShape } from './shapes';
import { formatParameterCount, pendingSizesNote } from './parameterCount';
import { validationBudgetText } from './validationBudget';
import { formatBytes, formatCount, formatFlops } from '../format/display';

export interface SpecHover {
  markdown: string;
  /** The range of the layer's JSON node. */
  offset: number;
  length: number;
}

/** The innermost layer whose JSON node contains `offset`. */
export function layerAt(analysis: SpecAnalysis, offset: number): LayerInfo | undefined {
  let best: LayerInfo | undefined;
  for (const layer of analysis.layers) {
    if (layer.length === 0 || offset < layer.offset || offset > layer.offset + layer.length) continue;
    if (!best || layer.length < best.length) best = layer;
  }
  return best;
}

export function hoverAt(analysis: SpecAnalysis, offset: number): SpecHover | undefined {
  const layer = layerAt(analysis, offset);
  if (!layer) return undefined;
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  // Shapes read from a spec with an error are guesses (a hiddenSize of 0 would show hidden=0): say what they wait for.
  const markdown = errors.length ? waitingMarkdown(layer, errors) : layerMarkdown(layer, analysis);
  return { markdown, offset: layer.offset, length: layer.length };
}

function waitingMarkdown(layer: LayerInfo, errors: readonly SpecDiagnostic[]): string {
  const first = errors[0];
  const count = errors.length === 1 ? "the spec's error is" : `the spec's ${errors.length} errors are`;
  return [`**${layer.label}**`, '', `Shapes and parameters appear once ${count} fixed${errors.length > 1 ? '; the first' : ''}: line ${first.range.start.line + 1}: ${first.message}`].join('\n');
}

export function layerMarkdown(layer: LayerInfo, analysis: SpecAnalysis): string {
  const lines: string[] = [`**${layer.label}**`, ''];
  lines.push(`input \`${formatNamedShape(layer.input)}\`  `);
  lines.push(`output \`${formatNamedShape(layer.output)}\`  `);
  if (layer.hN) lines.push(`h_n \`${formatNamedShape(layer.hN)}\`  `);
  if (layer.cN) lines.push(`c_n \`${formatNamedShape(layer.cN)}\`  `);
  lines.push('');
  if (layer.parameters > 0 || layer.parameterFormula) {
    lines.push(`**Parameters:** ${formatParameterCount(layer.parameters, layer.parameterFormula)}`, '');
    lines.push('| tensor | shape | count |', '|---|---|---:|');
    for (const p of layer.parameterShapes) {
      const count = p.shape.some((d) => d < 0) ? '—' : formatCount(p.shape.reduce((a, b) => a * b, 1));
      lines.push(`| \`${p.name}\` | \`[${p.shape.map((d) => (d < 0 ? '?' : String(d))).join(', ')}]\` | ${count} |`);
    }
    lines.push('');
  } else {
    lines.push('**Parameters:** none', '');
  }
  const batch = layer.input.find((d) => d.name === 'batch')?.size;
  const cost = [`**FLOPs:** ${formatFlops(layer.flopsPerStep)} per ${layer.perStep === false ? 'sequence' : 'step'}${batch !== undefined ? ` (batch ${batch})` : ''}`];
  if (layer.activationBytes) cost.push(`**BPTT activations:** ${formatBytes(layer.activationBytes)}`);
  lines.push(cost.join(' · '), '');
  if (layer.gates?.length) {
    lines.push(`**One time step${layer.recurrent?.directions === 2 ? ' (each direction)' : ''}:**`, '', '```text');
    // Pad by visible width: combining marks (the tilde of C̃) take no column.
    const visibleLength = (text: string) => text.replace(/\p{M}/gu, '').length;
    const width = Math.max(...layer.gates.map((g) => visibleLength(g.name)));
    for (const gate of layer.gates) lines.push(`${gate.name}${' '.repeat(width - visibleLength(gate.name))}  ${formatNamedShape(gate.shape)}`);
    lines.push('```', '');
  }
  for (const note of layer.notes ?? []) lines.push(`- ${note}`);
  if (layer.notes?.length) lines.push('');
  const totals = analysis.totals;
  if (analysis.validationBudget) lines.push(`_${validationBudgetText(analysis.validationBudget)}_  `);
  lines.push(`_Model: ${formatParameterCount(totals.parameters, totals.parameterFormula)} parameters · ${formatFlops(totals.flopsPerStep)}/step${totals.bpttActivationBytes ? ` · ${formatBytes(totals.bpttActivationBytes)} BPTT activations` : ''}_`);
  const pending = pendingSizesNote(totals.parameterFormula);
  if (pending) lines.push('', `_${pending}._`);
  return lines.join('\n');
}
