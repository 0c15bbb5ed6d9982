/**
 * What `analyzeSpec` returns: the checked spec, every diagnostic with its exact source range, and the shape,
 * parameter and cost of every layer. Consumers: the extension (diagnostics, hover, quick fixes, CodeLens, the
 * architecture panel), `seqlab check`, and the trainer (which trains only a spec without errors).
 */
import type { DataFileFacts } from './dataFiles';
import type { DataSpec, SeqModelSpec } from './types';
import type { ValidationBudget } from './validationBudget';

export interface SpecContext {
  /** Absolute path of the spec file; data paths are resolved relative to its folder. */
  specPath?: string;
  /**
   * What is known of a data file: its stat and its first bytes (see `DATA_HEAD_BYTES`), never a whole read.
   * Undefined while not known yet (the editor reads heads asynchronously and analyses again when one arrives).
   * Takes precedence over `readTextFile`.
   */
  dataFile?(absPath: string): DataFileFacts | undefined;
  /** Reads a whole text file, or returns undefined when it does not exist (tests and small in-memory files). Without it or `dataFile`, no file or column checks run. */
  readTextFile?(absPath: string): string | undefined;
  /** Sizes known only once the data is loaded; unknown ones show as names (`vocab`) in shapes. */
  dataInfo?: {
    inputSize?: number;
    vocabSize?: number;
    targetVocabSize?: number;
    numClasses?: number;
    /** Training examples (for the tiny-data lint). */
    samples?: number;
    /** Longest sequence in the data, used for T when the spec does not fix it (no maxLength). */
    sequenceLength?: number;
    /** Validation examples (for the validation budget's share of the split). */
    validationSamples?: number;
  };
}

export type SpecSeverity = 'error' | 'warning' | 'info';

export interface SpecPosition {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

export interface SpecTextEdit {
  offset: number;
  length: number;
  newText: string;
}

export interface SpecFix {
  title: string;
  edits: SpecTextEdit[];
}

export interface SpecDiagnostic {
  severity: SpecSeverity;
  /** Stable identifier, e.g. `schema/unknown-property`, `semantic/embedding-on-real-input`, `lint/no-gradient-clipping`. */
  code: string;
  message: string;
  offset: number;
  length: number;
  range: { start: SpecPosition; end: SpecPosition };
  fix?: SpecFix;
}

/** One dimension: `{ name: 'hidden', size: 64 }`; a size not known before the data is loaded is a string (`'vocab'`). */
export interface NamedDim {
  name: string;
  size: number | string;
}
export type NamedShape = NamedDim[];

export type LayerKind = 'input' | 'embedding' | 'rnn' | 'lstm' | 'gru' | 'readout' | 'dropout' | 'layerNorm' | 'linear' | 'decoder' | 'loss';

export interface ParameterShape {
  /** PyTorch state-dict name, e.g. `encoder.weight_ih_l0`, `encoder.bias_hh_l1_reverse`. */
  name: string;
  /** −1 marks a size known only once the data is loaded (the vocabulary). */
  shape: number[];
}

export interface LayerInfo {
  id: string;
  kind: LayerKind;
  label: string;
  /** The JSON node the layer comes from (for hover and click-to-line). */
  offset: number;
  length: number;
  input: NamedShape;
  output: NamedShape;
  /** Recurrent layers: `[layers·dirs, batch, hidden]`. */
  hN?: NamedShape;
  /** LSTM only: the final cell state, same shape as hN. */
  cN?: NamedShape;
  /** Exact trainable parameter count (the part known before the data is loaded, see parameterFormula). */
  parameters: number;
  /** Set when the count depends on a data-derived size, e.g. `vocab·64`. */
  parameterFormula?: string;
  parameterShapes: ParameterShape[];
  /** Recurrent layers: per-gate and state shapes of one time step, as the tutorial's annotated LSTM cell draws them. */
  gates?: { name: string; shape: NamedShape }[];
  /** Forward FLOPs of one time step for the whole batch (layers after a many-to-one readout: once per sequence). */
  flopsPerStep: number;
  /** Bytes of float32 activations this layer keeps for the backward pass over a whole batch and sequence. */
  activationBytes?: number;
  /** The recurrent cell of `rnn`/`lstm`/`gru`/`decoder` layers and their stack geometry. */
  recurrent?: { cell: 'rnn' | 'lstm' | 'gru'; hiddenSize: number; numLayers: number; directions: 1 | 2; inputSize: number | string };
  /** Whether the layer runs once per time step (drawn unrolled) or once per sequence. */
  perStep?: boolean;
  notes?: string[];
}

export interface SpecTotals {
  parameters: number;
  /** Set when the total depends on data-derived sizes, e.g. `+ vocab·64`. */
  parameterFormula?: string;
  flopsPerStep: number;
  /** Activations kept for backpropagation through time over one batch (float32), 0 when the length is unknown. */
  bpttActivationBytes: number;
  /** The sequence length T used for the BPTT figure, when known. */
  sequenceLength?: number;
}

export interface SpecAnalysis {
  /** The spec with defaults applied; present only when there are no errors. */
  spec?: SeqModelSpec;
  diagnostics: SpecDiagnostic[];
  layers: LayerInfo[];
  totals: SpecTotals;
  /** How much of the validation split each epoch evaluates (present with `spec`). */
  validationBudget?: ValidationBudget;
  /** The data file `data.path` names, where the context could look at it (for the data.path hover). */
  dataFile?: SpecDataFile;
}

export interface SpecDataFile {
  /** `data.path` as written, and the range of its value in the spec. */
  path: string;
  offset: number;
  length: number;
  absolutePath: string;
  /** The `data` section as written (not checked when the spec has errors elsewhere). */
  data: DataSpec;
  /** Undefined while the file's stat and head are still being read. */
  facts?: DataFileFacts;
}
