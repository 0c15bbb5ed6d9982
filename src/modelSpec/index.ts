// The spec module's public surface: analysis, hover, diagram layout, templates, the schema and the format types.
export type * from './types';
export type { LayerInfo, LayerKind, NamedDim, NamedShape, ParameterShape, SpecAnalysis, SpecContext, SpecDataFile, SpecDiagnostic, SpecFix, SpecPosition, SpecSeverity, SpecTextEdit, SpecTotals } from './analysisTypes';
export { analyzeSpec, applyDefaults } from './analyze';
export { hoverAt, layerAt, layerMarkdown, type SpecHover } from './hover';
export { formatBytes, formatFlops } from '../format/display';
export { buildDiagram, type Diagram, type DiagramEdge, type DiagramNode, type DiagramOptions, type DiagramPoint } from './diagram';
export { specTemplates, templateDataFile, type SpecTemplate } from './templates';
export { formatParameterCount, pendingSizesNote } from './parameterCount';
export { specSchema } from './schemaValidation';
export { formatNamedShape, recurrentLayerDirectionParameters, recurrentStackParameters, GATES_PER_CELL } from './shapes';
export { resolveDataPath } from './dataFiles';
export { dataPathHoverAt, isOnDataPath } from './dataHeadSummary';
export { specFromSniff, specNameFor, type SpecFromDataOptions } from './specFromData';
