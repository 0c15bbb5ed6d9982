/**
 * Shape inference for a spec: every layer's input/output shapes with named dimensions and the spec's real
 * numbers, h_n/c_n shapes, parameter counts equal to PyTorch's, forward FLOPs per time step and the float32
 * activations kept for backpropagation through time. Sizes known only from the data (the vocabulary) stay
 * names unless `dataInfo` gives them.
 *
 * Legend: B batch, T time (sequence length), I input width, H hidden per direction, D directions, L layers,
 * G gates (RNN 1, GRU 3, LSTM 4), E embedding width, V vocabulary.
 */
import type { JSONPath } from 'jsonc-parser';
import type { LayerInfo, LayerKind, NamedDim, NamedShape, ParameterShape, SpecContext, SpecTotals } from './analysisTypes';
import type { SpecSource } from './specSource';
import type { CellType, RecurrentSpec, SeqModelSpec } from './types';

export type Size = number | string;

const FLOAT32_BYTES = 4;

/** Gates per cell: the rows of weight_ih are G·H (PyTorch order LSTM i,f,g,o; GRU r,z,n). */
export const GATES_PER_CELL: Record<CellType, number> = { rnn: 1, gru: 3, lstm: 4 };
/** Elementwise FLOPs per hidden unit and step after the matrix products (activations count one each). */
const POINTWISE_FLOPS_PER_UNIT: Record<CellType, number> = { rnn: 1, gru: 9, lstm: 9 };
/** Floats per hidden unit and step that backward needs: LSTM i,f,g,o,c,h; GRU r,z,n,(W_hn·h+b_hn),h; RNN h. */
const CACHED_FLOATS_PER_UNIT: Record<CellType, number> = { rnn: 1, gru: 5, lstm: 6 };

export function dim(name: string, size: Size): NamedDim {
  return { name, size };
}

/** `[batch=32, seq=30, hidden=64]`; an unknown size prints as its name (`vocab`). */
export function formatNamedShape(shape: NamedShape): string {
  if (shape.length === 0) return '[] (scalar)';
  return `[${shape.map((d) => (typeof d.size === 'number' ? `${d.name}=${d.size}` : d.size === d.name ? d.name : `${d.name}=${d.size}`)).join(', ')}]`;
}

export function multiplySizes(a: Size, b: Size): Size {
  return typeof a === 'number' && typeof b === 'number' ? a * b : `${a}·${b}`;
}

/** The facts about the input that shapes need, from the data section and what the data told us. */
export interface InputFacts {
  tokenInput: boolean;
  /** Real-valued features per step (token inputs: the vocabulary, one-hot). */
  inputSize: Size;
  vocab: Size;
  targetVocab: Size;
  sequenceLength: Size;
  targetSequenceLength: Size;
  /** Batches hold sequences of different lengths, padded (text data). */
  variableLength: boolean;
}

export function describeInput(spec: SeqModelSpec, dataInfo: SpecContext['dataInfo'] = {}): InputFacts {
  const data = spec.data;
  const vocab: Size = spec.model?.embedding?.vocabSize ?? dataInfo.vocabSize ?? 'vocab';
  const base = { vocab, targetVocab: vocab as Size, targetSequenceLength: 'tgt_seq' as Size, variableLength: false };
  switch (data?.source) {
    case 'csv':
      return { ...base, tokenInput: false, inputSize: dataInfo.inputSize ?? (Array.isArray(data.columns) ? data.columns.length : 'input'), sequenceLength: data.window ?? 'seq' };
    case 'synthetic': {
      const realInputSize: Record<string, Size> = { adding: 2, sine: data.symbols ?? 1, 'random-walk': 1 };
      if (data.generator === 'copy') return { ...base, tokenInput: true, inputSize: vocab, sequenceLength: data.length ?? 'seq', targetSequenceLength: data.length ?? 'tgt_seq' };
      return { ...base, tokenInput: false, inputSize: dataInfo.inputSize ?? realInputSize[data.generator] ?? 'input', sequenceLength: data.length ?? 'seq' };
    }
    case 'text':
      return { ...base, tokenInput: true, inputSize: vocab, sequenceLength: data.window ?? 'seq' };
    case 'text-classification':
      return { ...base, tokenInput: true, inputSize: vocab, sequenceLength: data.maxLength ?? dataInfo.sequenceLength ?? 'seq', variableLength: true };
    case 'conll':
      return { ...base, tokenInput: true, inputSize: vocab, sequenceLength: dataInfo.sequenceLength ?? 'seq', variableLength: true };
    case 'pairs': {
      const targetVocab: Size = data.sharedVocabulary ? vocab : dataInfo.targetVocabSize ?? 'tgt_vocab';
      return { ...base, tokenInput: true, inputSize: vocab, targetVocab, sequenceLength: data.maxLength ?? dataInfo.sequenceLength ?? 'src_seq', targetSequenceLength: data.maxLength ?? dataInfo.sequenceLength ?? 'tgt_seq', variableLength: true };
    }
    default:
      return { ...base, tokenInput: false, inputSize: dataInfo.inputSize ?? 'input', sequenceLength: 'seq' };
  }
}

export const MANY_TO_ONE_TASKS = new Set(['forecast', 'regress', 'classify']);

/** Width of the head's output: what the loss compares against. */
export function outputSize(spec: SeqModelSpec, facts: InputFacts, dataInfo: SpecContext['dataInfo'] = {}): NamedDim {
  const task = spec.task?.type;
  const labels = spec.task?.labels;
  const data = spec.data;
  switch (task) {
    case 'forecast': {
      const targets = data?.source === 'csv' ? (data.target?.length ?? 1) : typeof facts.inputSize === 'number' ? facts.inputSize : 1;
      const horizon = spec.task.horizon ?? 1;
      return dim(horizon > 1 ? 'horizon·targets' : 'targets', horizon * targets);
    }
    case 'regress':
    case 'regress-per-step':
      return dim('targets', data?.source === 'csv' ? (data.target?.length ?? 1) : 1);
    case 'classify':
      return dim('classes', labels?.length ?? dataInfo.numClasses ?? 'classes');
    case 'tag':
      // The copy task's tags are its symbols and the blank '_'.
      if (data?.source === 'synthetic') return dim('tags', dataInfo.numClasses ?? (typeof data.symbols === 'number' ? data.symbols + 1 : 'tags'));
      return dim('tags', labels?.length ?? dataInfo.numClasses ?? 'tags');
    case 'generate':
      return dim('vocab', facts.vocab);
    case 'seq2seq':
      return dim('tgt_vocab', facts.targetVocab);
    default:
      return dim('output', 'output');
  }
}

/** Options of a recurrent stack that change its parameters: PyTorch's `bias` and the LSTM's `proj_size`. */
export interface RecurrentParameterOptions {
  bias?: boolean;
  projSize?: number;
}

/** Width S of h_t (and of each direction's output): the LSTM's projSize when it projects, else hiddenSize. */
export function stateWidth(recurrent: { hiddenSize: number; projSize?: number }): number {
  return recurrent.projSize && recurrent.projSize > 0 ? recurrent.projSize : recurrent.hiddenSize;
}

/**
 * Exact PyTorch parameter count of one layer-direction of nn.RNN/GRU/LSTM: G·H·(I + S) + 2·G·H, where S = H, or the
 * projection P (plus W_hr's P·H); no 2·G·H without bias.
 */
export function recurrentLayerDirectionParameters(cell: CellType, inputSize: number, hiddenSize: number, options: RecurrentParameterOptions = {}): number {
  const rows = GATES_PER_CELL[cell] * hiddenSize;
  const S = stateWidth({ hiddenSize, projSize: options.projSize });
  const projection = S !== hiddenSize ? S * hiddenSize : 0;
  return rows * (inputSize + S) + (options.bias === false ? 0 : 2 * rows) + projection;
}

/** Exact PyTorch parameter count of a whole nn.RNN/GRU/LSTM stack (deeper layers read D·S). */
export function recurrentStackParameters(cell: CellType, inputSize: number, hiddenSize: number, numLayers: number, bidirectional: boolean, options: RecurrentParameterOptions = {}): number {
  const directions = bidirectional ? 2 : 1;
  const S = stateWidth({ hiddenSize, projSize: options.projSize });
  let total = 0;
  for (let layer = 0; layer < numLayers; layer++) total += directions * recurrentLayerDirectionParameters(cell, layer === 0 ? inputSize : directions * S, hiddenSize, options);
  return total;
}

interface Builder {
  spec: SeqModelSpec;
  source: SpecSource;
  layers: LayerInfo[];
  /** Parameter terms that depend on unknown sizes, e.g. `vocab·64`. */
  unknownTerms: string[];
  batch: number;
}

function rangeFor(builder: Builder, path: JSONPath, fallbackPath: JSONPath): { offset: number; length: number } {
  const own = builder.source.rangeOf(path);
  if (own) return own;
  // No node of its own (a default): an empty range at the closest node, so hover never picks it over a real one.
  const fallback = builder.source.nearestRange(fallbackPath);
  return { offset: fallback.offset, length: 0 };
}

function numeric(size: Size): number | undefined {
  return typeof size === 'number' ? size : undefined;
}

function weightCount(shapes: ParameterShape[]): { known: number; unknown: string[] } {
  let known = 0;
  const unknown: string[] = [];
  for (const p of shapes) {
    if (p.shape.some((d) => d < 0)) unknown.push(p.shape.map((d) => (d < 0 ? '?' : String(d))).join('·'));
    else known += p.shape.reduce((a, b) => a * b, 1);
  }
  return { known, unknown };
}

function addLayer(builder: Builder, layer: Omit<LayerInfo, 'parameters'>, unknownName?: string): LayerInfo {
  const { known, unknown } = weightCount(layer.parameterShapes);
  const formula = unknown.length ? [...(known ? [String(known)] : []), ...unknown.map((u) => u.replace('?', unknownName ?? '?'))].join(' + ') : undefined;
  if (formula) builder.unknownTerms.push(...unknown.map((u) => u.replace('?', unknownName ?? '?')));
  const complete: LayerInfo = { ...layer, parameters: known, ...(formula ? { parameterFormula: formula } : {}) };
  builder.layers.push(complete);
  return complete;
}

function recurrentLayer(
  builder: Builder,
  options: { id: string; kind: LayerKind; role: string; path: JSONPath; recurrent: RecurrentSpec; inputDim: NamedDim; sequence: NamedDim; prefix: string; learnedInitialState: boolean },
): LayerInfo {
  const { recurrent, inputDim, sequence, prefix } = options;
  const cell: CellType = recurrent.cell in GATES_PER_CELL ? recurrent.cell : 'lstm';
  const H = Math.max(0, recurrent.hiddenSize ?? 0);
  const L = Math.max(1, recurrent.numLayers ?? 1);
  const D: 1 | 2 = recurrent.bidirectional ? 2 : 1;
  const G = GATES_PER_CELL[cell];
  const hasBias = recurrent.bias !== false;
  const S = cell === 'lstm' ? Math.max(0, stateWidth({ hiddenSize: H, projSize: recurrent.projSize })) : H; // h_t's width
  const projected = S !== H;
  const B = builder.batch;
  const inputWidth = numeric(inputDim.size);
  const parameterShapes: ParameterShape[] = [];
  let flopsPerSample = 0;
  let cachedFloatsPerSampleStep = inputWidth ?? 0; // layer 0's input x_t, needed for dW_ih
  for (let layer = 0; layer < L; layer++) {
    const layerInput = layer === 0 ? (inputWidth ?? -1) : D * S;
    for (let direction = 0; direction < D; direction++) {
      const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
      parameterShapes.push(
        { name: `${prefix}.weight_ih${suffix}`, shape: [G * H, layerInput] },
        { name: `${prefix}.weight_hh${suffix}`, shape: [G * H, S] },
      );
      if (hasBias) parameterShapes.push({ name: `${prefix}.bias_ih${suffix}`, shape: [G * H] }, { name: `${prefix}.bias_hh${suffix}`, shape: [G * H] });
      if (projected) parameterShapes.push({ name: `${prefix}.weight_hr${suffix}`, shape: [S, H] });
      // Matrix products x·W_ihᵀ and h·W_hhᵀ (a multiply-add is 2 FLOPs), both biases, x/h sum, then the cell's pointwise
      // math; with a projection also r_t·W_hrᵀ.
      flopsPerSample += 2 * G * H * (Math.max(layerInput, 0) + S) + (hasBias ? 3 : 1) * G * H + POINTWISE_FLOPS_PER_UNIT[cell] * H + (projected ? 2 * S * H : 0);
      // A projected LSTM keeps r_t (H) and the narrower h_t (S) where the plain one keeps h_t (H).
      cachedFloatsPerSampleStep += CACHED_FLOATS_PER_UNIT[cell] * H + (projected ? S : 0);
    }
    if (layer < L - 1 && (recurrent.dropout ?? 0) > 0) cachedFloatsPerSampleStep += D * S; // the dropout mask between layers
  }
  if (options.learnedInitialState) {
    parameterShapes.push({ name: 'initial_h', shape: [L * D, 1, S] });
    if (cell === 'lstm') parameterShapes.push({ name: 'initial_c', shape: [L * D, 1, H] });
  }
  const stepShape = (name: string, size: Size) => [dim('batch', B), dim(name, size)];
  const gates: { name: string; shape: NamedShape }[] = [
    { name: 'x_t', shape: stepShape(inputDim.name, inputDim.size) },
    { name: 'h_{t-1}', shape: stepShape('hidden', S) },
  ];
  if (cell === 'lstm') {
    gates.push(
      { name: '[h_{t-1}, x_t]', shape: stepShape(`hidden+${inputDim.name}`, typeof inputDim.size === 'number' ? S + inputDim.size : `${S}+${inputDim.size}`) },
      { name: 'f_t = σ(·) forget gate', shape: stepShape('hidden', H) },
      { name: 'i_t = σ(·) input gate', shape: stepShape('hidden', H) },
      { name: 'g_t = C̃_t = tanh(·) candidate', shape: stepShape('hidden', H) },
      { name: 'o_t = σ(·) output gate', shape: stepShape('hidden', H) },
      { name: 'c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t', shape: stepShape('hidden', H) },
      ...(projected
        ? [{ name: 'r_t = o_t ⊙ tanh(c_t)', shape: stepShape('hidden', H) }, { name: 'h_t = W_hr r_t (projection)', shape: stepShape('proj', S) }]
        : [{ name: 'h_t = o_t ⊙ tanh(c_t)', shape: stepShape('hidden', H) }]),
    );
  } else if (cell === 'gru') {
    gates.push(
      { name: 'r_t = σ(·) reset gate', shape: stepShape('hidden', H) },
      { name: 'z_t = σ(·) update gate', shape: stepShape('hidden', H) },
      { name: 'n_t = tanh(W_in x_t + r_t ⊙ (W_hn h_{t-1} + b_hn)) candidate', shape: stepShape('hidden', H) },
      { name: 'h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}', shape: stepShape('hidden', H) },
    );
  } else {
    gates.push({ name: `h_t = ${recurrent.nonlinearity ?? 'tanh'}(W_ih x_t + W_hh h_{t-1} + b)`, shape: stepShape('hidden', H) });
  }
  const notes: string[] = [];
  if (D === 2) notes.push(`Bidirectional: output concatenates both directions, hidden = 2·${S} = ${2 * S}.`);
  if (L > 1) notes.push(`${L === 2 ? 'Layer 2 reads' : `Layers 2–${L} read`} the previous layer's output (${D * S} wide).`);
  if (L > 1 && (recurrent.dropout ?? 0) > 0) notes.push(`Dropout ${recurrent.dropout} between layers (not after the last).`);
  if (recurrent.residual) notes.push('Residual connections between layers of equal width.');
  if (recurrent.packed === false) notes.push('Not packed: padding steps are computed and can change h_n.');
  if (!hasBias) notes.push('No biases (bias: false): the cells learn only their weight matrices.');
  if (projected) notes.push(`Projection (projSize ${S}): h_t = W_hr·(o_t ⊙ tanh(c_t)) is ${S} wide, c_t stays ${H}.`);
  if (options.learnedInitialState) notes.push('Learned initial state (initial_h' + (cell === 'lstm' ? ', initial_c' : '') + ').');
  const T = numeric(sequence.size);
  const cellName = cell === 'rnn' ? 'RNN' : cell.toUpperCase();
  return addLayer(builder, {
    id: options.id,
    kind: options.kind,
    label: `${cellName} ${options.role}${L > 1 ? ` ×${L} layers` : ''}${D === 2 ? ' (bidirectional)' : ''}`,
    ...rangeFor(builder, options.path, options.path.slice(0, -1)),
    input: [dim('batch', B), sequence, inputDim],
    output: [dim('batch', B), sequence, dim('hidden', D * S)],
    hN: [dim('layers·dirs', L * D), dim('batch', B), dim('hidden', S)],
    ...(cell === 'lstm' ? { cN: [dim('layers·dirs', L * D), dim('batch', B), dim('hidden', H)] } : {}),
    parameterShapes,
    gates,
    flopsPerStep: B * flopsPerSample,
    ...(T !== undefined ? { activationBytes: FLOAT32_BYTES * B * T * cachedFloatsPerSampleStep } : {}),
    recurrent: { cell, hiddenSize: H, numLayers: L, directions: D, inputSize: inputDim.size },
    perStep: true,
    ...(notes.length ? { notes } : {}),
  }, typeof inputDim.size === 'string' ? inputDim.size : undefined);
}

function linearLayer(builder: Builder, options: { id: string; label: string; path: JSONPath; fallbackPath: JSONPath; prefix: string; inputShape: NamedShape; out: NamedDim; perStep: boolean; timeSteps: number | undefined; notes?: string[] }): LayerInfo {
  const inWidth = options.inputShape[options.inputShape.length - 1].size;
  const outWidth = options.out.size;
  const inNumber = numeric(inWidth);
  const outNumber = numeric(outWidth);
  const B = builder.batch;
  const flopsPerSample = inNumber !== undefined && outNumber !== undefined ? 2 * inNumber * outNumber + outNumber : 0;
  const unknownName = typeof outWidth === 'string' ? outWidth : typeof inWidth === 'string' ? inWidth : undefined;
  const rowsCached = options.perStep ? (options.timeSteps ?? 0) : 1;
  return addLayer(builder, {
    id: options.id,
    kind: 'linear',
    label: options.label,
    ...rangeFor(builder, options.path, options.fallbackPath),
    input: options.inputShape,
    output: [...options.inputShape.slice(0, -1), options.out],
    parameterShapes: [
      { name: `${options.prefix}.weight`, shape: [outNumber ?? -1, inNumber ?? -1] },
      { name: `${options.prefix}.bias`, shape: [outNumber ?? -1] },
    ],
    flopsPerStep: B * flopsPerSample,
    ...(inNumber !== undefined ? { activationBytes: FLOAT32_BYTES * B * rowsCached * inNumber } : {}),
    perStep: options.perStep,
    ...(options.notes ? { notes: options.notes } : {}),
  }, unknownName);
}

function embeddingLayer(builder: Builder, options: { id: string; label: string; path: JSONPath; prefix: string; vocab: Size; sequence: NamedDim; notes?: string[]; zeroLength?: boolean }): LayerInfo {
  const E = builder.spec.model.embedding?.dim ?? 0;
  const B = builder.batch;
  const range = rangeFor(builder, options.path, ['model']);
  return addLayer(builder, {
    id: options.id,
    kind: 'embedding',
    label: options.label,
    offset: range.offset,
    length: options.zeroLength ? 0 : range.length,
    input: [dim('batch', B), options.sequence],
    output: [dim('batch', B), options.sequence, dim('embedding', E)],
    parameterShapes: [{ name: `${options.prefix}.weight`, shape: [numeric(options.vocab) ?? -1, E] }],
    flopsPerStep: 0,
    perStep: true,
    ...(options.notes ? { notes: options.notes } : {}),
  }, typeof options.vocab === 'string' ? options.vocab : undefined);
}

/** Infer every layer of the (defaulted) spec. Defensive: works on partly invalid specs for hover while typing. */
export function inferLayers(spec: SeqModelSpec, source: SpecSource, dataInfo: SpecContext['dataInfo'] = {}): { layers: LayerInfo[]; totals: SpecTotals } {
  const batch = Number.isInteger(spec.training?.batchSize) && spec.training.batchSize > 0 ? spec.training.batchSize : 32;
  const builder: Builder = { spec, source, layers: [], unknownTerms: [], batch };
  const facts = describeInput(spec, dataInfo);
  const task = spec.task?.type;
  const model = spec.model;
  const B = batch;
  const sequence = dim('seq', facts.sequenceLength);
  const T = numeric(facts.sequenceLength);
  const manyToOne = MANY_TO_ONE_TASKS.has(task);
  const isSeq2seq = task === 'seq2seq';
  const sourceSequence = isSeq2seq ? dim('src_seq', facts.sequenceLength) : sequence;

  // ---- input
  const inputShape: NamedShape = facts.tokenInput ? [dim('batch', B), sourceSequence] : [dim('batch', B), sourceSequence, dim('input', facts.inputSize)];
  const dataRange = rangeFor(builder, ['data'], []);
  builder.layers.push({
    id: 'input',
    kind: 'input',
    label: facts.tokenInput ? (isSeq2seq ? 'Source token ids' : 'Token ids') : 'Input features',
    ...dataRange,
    input: inputShape,
    output: inputShape,
    parameters: 0,
    parameterShapes: [],
    flopsPerStep: 0,
    perStep: true,
    notes: [facts.tokenInput ? `Integer token ids (vocabulary ${facts.vocab}), padded to the longest sequence in the batch.` : `${facts.inputSize} real-valued feature(s) per step.`],
  });

  // ---- embedding (token inputs) or the raw features
  let recurrentInput: NamedDim = facts.tokenInput ? dim('vocab', facts.vocab) : dim('input', facts.inputSize);
  if (model?.embedding) {
    const shared = spec.data?.source === 'pairs' && spec.data.sharedVocabulary === true;
    embeddingLayer(builder, {
      id: 'embedding',
      label: `Embedding ${facts.vocab} → ${model.embedding.dim}`,
      path: ['model', 'embedding'],
      prefix: 'embedding',
      vocab: facts.vocab,
      sequence: sourceSequence,
      notes: isSeq2seq ? [shared ? 'Shared by encoder and decoder (shared vocabulary).' : 'The decoder has its own embedding of the same width for the target vocabulary.'] : undefined,
    });
    recurrentInput = dim('embedding', model.embedding.dim);
    if ((model.embedding.dropout ?? 0) > 0) {
      const shape = [dim('batch', B), sourceSequence, dim('embedding', model.embedding.dim)];
      addLayer(builder, {
        id: 'embedding.dropout',
        kind: 'dropout',
        label: `Dropout ${model.embedding.dropout}`,
        ...rangeFor(builder, ['model', 'embedding', 'dropout'], ['model', 'embedding']),
        input: shape,
        output: shape,
        parameterShapes: [],
        flopsPerStep: B * model.embedding.dim,
        ...(T !== undefined ? { activationBytes: FLOAT32_BYTES * B * T * model.embedding.dim } : {}),
        perStep: true,
      });
    }
  }

  // ---- encoder
  const encoder = model?.encoder;
  if (!encoder) return finish(builder, T);
  const encoderLayer = recurrentLayer(builder, {
    id: 'encoder',
    kind: encoder.cell in GATES_PER_CELL ? encoder.cell : 'lstm',
    role: isSeq2seq ? 'encoder' : task === 'generate' ? 'generator' : 'encoder',
    path: ['model', 'encoder'],
    recurrent: encoder,
    inputDim: recurrentInput,
    sequence: sourceSequence,
    prefix: 'encoder',
    learnedInitialState: model.initialState === 'learned',
  });
  let features: NamedShape = encoderLayer.output;
  normalizationLayer(builder, encoder, 'encoder', features, T);

  // ---- decoder (seq2seq): starts from the encoder's final state, reads the embedded target shifted right
  if (isSeq2seq && model.decoder) {
    const targetSequence = dim('tgt_seq', facts.targetSequenceLength);
    const targetShape: NamedShape = [dim('batch', B), targetSequence];
    builder.layers.push({
      id: 'target',
      kind: 'input',
      label: 'Target token ids (teacher forcing)',
      offset: dataRange.offset,
      length: 0,
      input: targetShape,
      output: targetShape,
      parameters: 0,
      parameterShapes: [],
      flopsPerStep: 0,
      perStep: true,
      notes: ['<s> followed by the target, shifted right; at inference the decoder reads its own predictions.'],
    });
    let decoderInput: NamedDim = dim('tgt_vocab', facts.targetVocab);
    if (model.embedding) {
      const shared = spec.data?.source === 'pairs' && spec.data.sharedVocabulary === true;
      if (!shared) embeddingLayer(builder, { id: 'decoderEmbedding', label: `Target embedding ${facts.targetVocab} → ${model.embedding.dim}`, path: ['model', 'embedding'], prefix: 'decoder_embedding', vocab: facts.targetVocab, sequence: targetSequence, zeroLength: true });
      decoderInput = dim('embedding', model.embedding.dim);
    }
    const decoderLayer = recurrentLayer(builder, { id: 'decoder', kind: 'decoder', role: 'decoder', path: ['model', 'decoder'], recurrent: model.decoder, inputDim: decoderInput, sequence: targetSequence, prefix: 'decoder', learnedInitialState: false });
    (decoderLayer.notes ??= []).unshift(`Initial state: the encoder's h_n ${formatNamedShape(encoderLayer.hN ?? [])}${encoderLayer.cN ? ' and c_n' : ''}.`);
    features = decoderLayer.output;
    normalizationLayer(builder, model.decoder, 'decoder', features, numeric(facts.targetSequenceLength));
  }

  // ---- readout (many-to-one)
  const timeSteps = numeric(features[1]?.size ?? 'seq');
  if (manyToOne) {
    const readout = model.readout ?? 'hN';
    const width = features[features.length - 1];
    const description: Record<string, string> = {
      hN: encoderLayer.recurrent?.directions === 2 ? 'cat(h_n[-2], h_n[-1]): the final states of both directions' : 'h_n[-1]: the top layer\'s final hidden state',
      last: 'output[:, -1, :]: the last (possibly padded) position',
      mean: 'mean of output over the real steps',
    };
    const readoutShape = [dim('batch', B), width];
    builder.layers.push({
      id: 'readout',
      kind: 'readout',
      label: `Readout ${readout}`,
      ...rangeFor(builder, ['model', 'readout'], ['model', 'encoder']),
      input: features,
      output: readoutShape,
      parameters: 0,
      parameterShapes: [],
      flopsPerStep: readout === 'mean' && typeof width.size === 'number' ? B * width.size : 0,
      perStep: false,
      notes: [description[readout] ?? readout],
    });
    features = readoutShape;
  }

  // ---- head: [dropout] → hidden Linear layers → output Linear
  const head = model.head ?? {};
  if ((head.dropout ?? 0) > 0) {
    const width = numeric(features[features.length - 1].size) ?? 0;
    addLayer(builder, {
      id: 'head.dropout',
      kind: 'dropout',
      label: `Dropout ${head.dropout}`,
      ...rangeFor(builder, ['model', 'head', 'dropout'], ['model', 'head']),
      input: features,
      output: features,
      parameterShapes: [],
      flopsPerStep: B * width,
      activationBytes: FLOAT32_BYTES * B * (manyToOne ? 1 : (timeSteps ?? 0)) * width,
      perStep: !manyToOne,
      notes: ['Applied before each Linear layer of the head.'],
    });
  }
  const hidden = Array.isArray(head.hidden) ? head.hidden : [];
  hidden.forEach((width, index) => {
    const layer = linearLayer(builder, { id: `head.hidden.${index}`, label: `Linear ${features[features.length - 1].size} → ${width} + ${head.activation ?? 'relu'}`, path: ['model', 'head', 'hidden', index], fallbackPath: ['model', 'head'], prefix: `head.hidden.${index}`, inputShape: features, out: dim('hidden', width), perStep: !manyToOne, timeSteps });
    features = layer.output;
  });
  const out = outputSize(spec, facts, dataInfo);
  const outputLayer = linearLayer(builder, {
    id: 'head.output',
    label: `Linear ${features[features.length - 1].size} → ${out.size}`,
    path: ['model', 'head'],
    fallbackPath: ['model', 'encoder'],
    prefix: 'head.output',
    inputShape: features,
    out,
    perStep: !manyToOne,
    timeSteps,
    notes: manyToOne ? ['Runs once per sequence, after the readout.'] : ['Applied at every time step.'],
  });

  // ---- loss
  const loss = spec.training?.loss ?? defaultLoss(task);
  builder.layers.push({
    id: 'loss',
    kind: 'loss',
    label: `Loss: ${loss}`,
    ...rangeFor(builder, ['training', 'loss'], ['training']),
    input: outputLayer.output,
    output: [],
    parameters: 0,
    parameterShapes: [],
    flopsPerStep: 0,
    perStep: false,
    notes: [loss === 'cross-entropy' ? 'Targets: class ids of shape ' + formatNamedShape(outputLayer.output.slice(0, -1)) + ', <pad> ignored.' : `Targets of shape ${formatNamedShape(outputLayer.output)}.`],
  });
  return finish(builder, T);
}

function normalizationLayer(builder: Builder, recurrent: RecurrentSpec, prefix: 'encoder' | 'decoder', features: NamedShape, timeSteps: number | undefined): void {
  if (!recurrent.layerNorm) return;
  const L = Math.max(1, recurrent.numLayers ?? 1);
  const width = numeric(features[features.length - 1].size) ?? 0;
  const parameterShapes: ParameterShape[] = [];
  for (let layer = 0; layer < L; layer++) parameterShapes.push({ name: `${prefix}_norms.${layer}.weight`, shape: [width] }, { name: `${prefix}_norms.${layer}.bias`, shape: [width] });
  addLayer(builder, {
    id: `${prefix}.layerNorm`,
    kind: 'layerNorm',
    label: `LayerNorm ×${L}`,
    ...rangeFor(builder, ['model', prefix, 'layerNorm'], ['model', prefix]),
    input: features,
    output: features,
    parameterShapes,
    // Mean, variance, normalise, scale and shift: about 8 FLOPs per element.
    flopsPerStep: builder.batch * L * 8 * width,
    ...(timeSteps !== undefined ? { activationBytes: FLOAT32_BYTES * builder.batch * timeSteps * L * (width + 2) } : {}),
    perStep: true,
    notes: [`Normalises each of the ${L} layer outputs over its ${width} features.`],
  });
}

export function defaultLoss(task: string | undefined): 'mse' | 'cross-entropy' {
  return task === 'forecast' || task === 'regress' || task === 'regress-per-step' ? 'mse' : 'cross-entropy';
}

function finish(builder: Builder, sequenceLength: number | undefined): { layers: LayerInfo[]; totals: SpecTotals } {
  let parameters = 0;
  let flopsPerStep = 0;
  let bpttActivationBytes = 0;
  for (const layer of builder.layers) {
    parameters += layer.parameters;
    flopsPerStep += layer.flopsPerStep;
    bpttActivationBytes += layer.activationBytes ?? 0;
  }
  const totals: SpecTotals = { parameters, flopsPerStep, bpttActivationBytes: sequenceLength !== undefined ? bpttActivationBytes : 0 };
  if (builder.unknownTerms.length) totals.parameterFormula = `${parameters} + ${builder.unknownTerms.join(' + ')}`;
  if (sequenceLength !== undefined) totals.sequenceLength = sequenceLength;
  return { layers: builder.layers, totals };
}
