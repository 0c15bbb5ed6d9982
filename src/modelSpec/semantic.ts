/**
 * Semantic validation beyond the schema: combinations the schema cannot express (bidirectional decoders,
 * embeddings on real-valued input, seq2seq without decoder…), sane sizes, the data files and CSV columns the
 * spec names, and label lists against the data. Each problem points at the property that causes it.
 */
import type { SpecContext } from './analysisTypes';
import { checkPerStepRegression } from './perStepRegression';
import { describeInput, MANY_TO_ONE_TASKS, stateWidth, type InputFacts } from './shapes';
import { closestMatch, type SpecSource } from './specSource';
import { dataHead, readDataFile, splitCsvLine } from './dataFiles';
import { dataFileRefusal } from './dataFileKind';
import type { RecurrentSpec, SeqModelSpec } from './types';
import { formatCount } from '../format/display';

/** Which data sources can feed which task. */
const SOURCES_FOR_TASK: Record<string, string[]> = {
  forecast: ['csv', 'synthetic:sine', 'synthetic:random-walk'],
  regress: ['csv', 'synthetic:adding', 'synthetic:sine', 'synthetic:random-walk'],
  classify: ['text-classification'],
  tag: ['conll', 'synthetic:copy'],
  'regress-per-step': ['csv'],
  generate: ['text'],
  seq2seq: ['pairs', 'synthetic:copy'],
};

const LOSSES_FOR_TASK: Record<string, string[]> = {
  forecast: ['mse', 'l1', 'huber'],
  regress: ['mse', 'l1', 'huber'],
  'regress-per-step': ['mse', 'l1', 'huber'],
  classify: ['cross-entropy', 'bce-with-logits'],
  tag: ['cross-entropy'],
  generate: ['cross-entropy'],
  seq2seq: ['cross-entropy'],
};

/** Sizes beyond which a laptop trainer is surely misconfigured (a typo such as 6400 for 64). */
const SANE_LIMITS = { hiddenSize: 4096, numLayers: 8, embeddingDim: 4096, sequenceLength: 5000, batchSize: 4096 };

export function checkSemantics(source: SpecSource, spec: SeqModelSpec, context: SpecContext): InputFacts {
  const facts = describeInput(spec, context.dataInfo);
  const task = spec.task.type;
  const data = spec.data;
  const model = spec.model;
  const dataKey = data.source === 'synthetic' ? `synthetic:${data.generator}` : data.source;

  // ---- task and data
  const allowedSources = SOURCES_FOR_TASK[task] ?? [];
  if (!allowedSources.includes(dataKey) && !allowedSources.includes(data.source)) {
    source.reportAt('error', 'semantic/task-data-mismatch', `A "${task}" task cannot learn from ${dataKey.replace(':', ' ')} data; use ${allowedSources.map((s) => s.replace(':', ' ')).join(' or ')}.`, data.source === 'synthetic' ? ['data', 'generator'] : ['data', 'source'], 'value');
  }
  if (spec.task.horizon !== undefined && task !== 'forecast') source.reportAt('warning', 'semantic/unused-property', `"horizon" only applies to forecast tasks; it is ignored for "${task}".`, ['task', 'horizon'], 'property', { title: 'Remove "horizon"', edits: source.editsToRemove(['task', 'horizon']) });
  checkPerStepRegression(source, spec);
  if (spec.task.labels && task !== 'classify' && task !== 'tag') source.reportAt('warning', 'semantic/unused-property', `"labels" only apply to classify and tag tasks.`, ['task', 'labels'], 'property', { title: 'Remove "labels"', edits: source.editsToRemove(['task', 'labels']) });
  const loss = spec.training.loss;
  if (loss && LOSSES_FOR_TASK[task] && !LOSSES_FOR_TASK[task].includes(loss)) {
    source.reportAt('error', 'semantic/loss-task-mismatch', `Loss "${loss}" does not fit a "${task}" task; use ${LOSSES_FOR_TASK[task].map((l) => `"${l}"`).join(' or ')}.`, ['training', 'loss'], 'value', { title: `Use "${LOSSES_FOR_TASK[task][0]}"`, edits: source.editsToSet(['training', 'loss'], LOSSES_FOR_TASK[task][0]) });
  }
  if (loss === 'bce-with-logits' && (spec.task.labels?.length ?? context.dataInfo?.numClasses ?? 2) !== 2) source.reportAt('error', 'semantic/loss-task-mismatch', '"bce-with-logits" is for two classes; use "cross-entropy" for more.', ['training', 'loss'], 'value');

  // ---- embedding vs input kind
  if (model.embedding && !facts.tokenInput) {
    source.reportAt('error', 'semantic/embedding-on-real-input', `An embedding looks up token ids, but ${dataKey.replace(':', ' ')} data is real-valued: feed the features straight into the encoder.`, ['model', 'embedding'], 'key', { title: 'Remove the embedding', edits: source.editsToRemove(['model', 'embedding']) });
  }
  if (!model.embedding && facts.tokenInput) {
    // The trainer accepts this (one-hot rows, vocabulary-wide), so it is a warning, not an error.
    source.reportAt('warning', 'semantic/missing-embedding', `${dataKey.replace(':', ' ')} data is token ids and there is no "embedding": each token becomes a one-hot row as wide as the vocabulary, which is slow and learns no similarity between tokens. Add an embedding before the encoder.`, ['model'], 'key', { title: 'Add an embedding of width 64', edits: source.editsToSet(['model', 'embedding'], { dim: 64 }) });
  }
  if (model.embedding?.vocabSize !== undefined && context.dataInfo?.vocabSize !== undefined && model.embedding.vocabSize < context.dataInfo.vocabSize) {
    source.reportAt('error', 'semantic/vocabulary-mismatch', `embedding.vocabSize ${model.embedding.vocabSize} is smaller than the data's vocabulary of ${context.dataInfo.vocabSize} tokens: ids past ${model.embedding.vocabSize - 1} would index out of the table.`, ['model', 'embedding', 'vocabSize'], 'value', { title: `Set vocabSize to ${context.dataInfo.vocabSize}`, edits: source.editsToSet(['model', 'embedding', 'vocabSize'], context.dataInfo.vocabSize) });
  }
  if (model.embedding?.vocabSize !== undefined && 'maxVocab' in data && data.maxVocab !== undefined && model.embedding.vocabSize < data.maxVocab) {
    source.reportAt('error', 'semantic/vocabulary-mismatch', `embedding.vocabSize ${model.embedding.vocabSize} is smaller than data.maxVocab ${data.maxVocab}.`, ['model', 'embedding', 'vocabSize'], 'value');
  }

  // ---- recurrent stacks
  checkRecurrent(source, model.encoder, ['model', 'encoder'], facts);
  if (model.decoder) checkRecurrent(source, model.decoder, ['model', 'decoder'], facts);
  checkProjection(source, model.encoder, ['model', 'encoder']);
  if (model.decoder) checkProjection(source, model.decoder, ['model', 'decoder']);
  if (task === 'generate' && model.encoder.bidirectional) {
    source.reportAt('error', 'semantic/bidirectional-generator', 'A generator produces one token at a time and cannot read the future: it cannot be bidirectional.', ['model', 'encoder', 'bidirectional'], 'property', { title: 'Remove "bidirectional"', edits: source.editsToRemove(['model', 'encoder', 'bidirectional']) });
  }
  if (model.decoder?.bidirectional) {
    source.reportAt('error', 'semantic/bidirectional-decoder', 'The decoder generates autoregressively, one step at a time: it cannot be bidirectional (the encoder can).', ['model', 'decoder', 'bidirectional'], 'property', { title: 'Remove "bidirectional"', edits: source.editsToRemove(['model', 'decoder', 'bidirectional']) });
  }
  if (model.decoder && task !== 'seq2seq') {
    source.reportAt('error', 'semantic/decoder-without-seq2seq', `A decoder belongs to seq2seq models only; a "${task}" task reads its output from the encoder.`, ['model', 'decoder'], 'key', { title: 'Remove the decoder', edits: source.editsToRemove(['model', 'decoder']) });
  }
  if (task === 'seq2seq' && !model.decoder) {
    const { cell, hiddenSize, numLayers, projSize } = model.encoder;
    const D = model.encoder.bidirectional ? 2 : 1;
    const decoder = { cell, hiddenSize: D * hiddenSize, ...(projSize ? { projSize: D * projSize } : {}), ...(numLayers && numLayers > 1 ? { numLayers } : {}) };
    source.reportAt('error', 'semantic/seq2seq-without-decoder', 'A seq2seq model needs a "decoder" that starts from the encoder\'s final state.', ['model'], 'key', { title: 'Add a matching decoder', edits: source.editsToSet(['model', 'decoder'], decoder) });
  }
  if (task === 'seq2seq' && model.decoder) {
    checkBridgeWidths(source, model.encoder, model.decoder);
    if ((model.decoder.numLayers ?? 1) !== (model.encoder.numLayers ?? 1)) {
      source.reportAt('error', 'semantic/encoder-decoder-layers-mismatch', `Each decoder layer starts from the matching encoder layer's state: numLayers must agree (encoder ${model.encoder.numLayers ?? 1}, decoder ${model.decoder.numLayers ?? 1}).`, ['model', 'decoder', 'numLayers'], 'property', { title: `Set decoder.numLayers to ${model.encoder.numLayers ?? 1}`, edits: source.editsToSet(['model', 'decoder', 'numLayers'], model.encoder.numLayers ?? 1) });
    }
    if ((model.encoder.cell === 'lstm') !== (model.decoder.cell === 'lstm')) {
      source.reportAt('warning', 'semantic/encoder-decoder-cell-mismatch', `Encoder ${model.encoder.cell} and decoder ${model.decoder.cell} carry different states: ${model.encoder.cell === 'lstm' ? "the encoder's c_n is dropped" : "the decoder's c_0 starts at zero"}.`, ['model', 'decoder', 'cell'], 'value', { title: `Use "${model.encoder.cell}" for the decoder`, edits: source.editsToSet(['model', 'decoder', 'cell'], model.encoder.cell) });
    }
  }
  if (model.readout !== undefined && !MANY_TO_ONE_TASKS.has(task)) {
    source.reportAt('warning', 'semantic/readout-many-to-many', `A "${task}" model reads every time step, so "readout" has no effect.`, ['model', 'readout'], 'property', { title: 'Remove "readout"', edits: source.editsToRemove(['model', 'readout']) });
  }
  if (model.initialState === 'learned' && spec.training.stateful?.enabled) {
    source.reportAt('error', 'semantic/learned-state-stateful', 'A learned initial state and stateful training both decide where a batch starts: stateful batches start from the previous batch\'s final state. Keep one.', ['model', 'initialState'], 'value', { title: 'Remove "initialState"', edits: source.editsToRemove(['model', 'initialState']) });
  }
  if (spec.training.teacherForcing && task !== 'seq2seq' && task !== 'generate') {
    source.reportAt('warning', 'semantic/unused-property', `"teacherForcing" only applies to seq2seq and generate tasks.`, ['training', 'teacherForcing'], 'key', { title: 'Remove "teacherForcing"', edits: source.editsToRemove(['training', 'teacherForcing']) });
  }
  if (spec.training.decoding && task !== 'seq2seq' && task !== 'generate') {
    source.reportAt('warning', 'semantic/unused-property', `"decoding" only applies to seq2seq and generate tasks.`, ['training', 'decoding'], 'key', { title: 'Remove "decoding"', edits: source.editsToRemove(['training', 'decoding']) });
  }
  const teacherForcing = spec.training.teacherForcing;
  if (teacherForcing?.end !== undefined && teacherForcing.end > teacherForcing.start) {
    source.reportAt('warning', 'semantic/teacher-forcing-rises', `teacherForcing.end (${teacherForcing.end}) is above start (${teacherForcing.start}): the ratio should fall so the decoder learns from its own predictions.`, ['training', 'teacherForcing', 'end'], 'value');
  }

  // ---- sizes
  const split = data.split ?? {};
  if ((split.validation ?? 0) + (split.test ?? 0) >= 0.9) source.reportAt('error', 'semantic/split-too-large', `Validation and test take ${Math.round(((split.validation ?? 0) + (split.test ?? 0)) * 100)}% of the data, leaving (almost) nothing to train on.`, ['data', 'split'], 'property');
  if (model.embedding && model.embedding.dim > SANE_LIMITS.embeddingDim) source.reportAt('warning', 'semantic/size-out-of-range', `embedding.dim ${model.embedding.dim} is unusually large (> ${SANE_LIMITS.embeddingDim}).`, ['model', 'embedding', 'dim'], 'value');
  if (typeof facts.sequenceLength === 'number' && facts.sequenceLength > SANE_LIMITS.sequenceLength) source.reportAt('warning', 'semantic/size-out-of-range', `Sequences of ${facts.sequenceLength} steps are very long for BPTT: consider tbpttSteps or a shorter window.`, sequenceLengthPath(spec), 'value');
  if (spec.training.batchSize > SANE_LIMITS.batchSize) source.reportAt('warning', 'semantic/size-out-of-range', `batchSize ${spec.training.batchSize} is unusually large (> ${SANE_LIMITS.batchSize}).`, ['training', 'batchSize'], 'value');
  if (data.source === 'synthetic' && spec.training.batchSize > data.samples) source.reportAt('warning', 'semantic/batch-larger-than-data', `batchSize ${spec.training.batchSize} exceeds the ${data.samples} training samples: every step sees the whole data set.`, ['training', 'batchSize'], 'value');
  if (data.source === 'synthetic' && data.generator === 'copy' && data.copyLength !== undefined && data.copyLength >= data.length) source.reportAt('error', 'semantic/copy-too-long', `The copy task needs room for the delay: copyLength ${data.copyLength} must be below length ${data.length}.`, ['data', 'copyLength'], 'value');
  if (spec.training.optimizer.lr > 1) source.reportAt('warning', 'semantic/size-out-of-range', `Learning rate ${spec.training.optimizer.lr} is far above the usual range (Adam 1e-3, SGD 0.1).`, ['training', 'optimizer', 'lr'], 'value');
  if (spec.training.tbpttSteps !== undefined && typeof facts.sequenceLength === 'number' && spec.training.tbpttSteps >= facts.sequenceLength) source.reportAt('info', 'semantic/tbptt-longer-than-sequence', `tbpttSteps ${spec.training.tbpttSteps} ≥ the sequence length ${facts.sequenceLength}: full BPTT happens anyway.`, ['training', 'tbpttSteps'], 'value');
  if (spec.training.stateful?.enabled && data.source !== 'csv' && !(data.source === 'synthetic' && data.generator !== 'copy' && data.generator !== 'adding')) source.reportAt('warning', 'semantic/stateful-needs-series', 'Stateful training carries state from one batch to the next, which only makes sense for consecutive chunks of long series: each series is read in "tbpttSteps" chunks (csv, sine, random-walk). Classification, tagging, text and the copy/adding tasks have independent examples; turn stateful off.', ['training', 'stateful', 'enabled'], 'property');
  const { validateEvery, epochs } = spec.training;
  if (validateEvery !== undefined && validateEvery > epochs) source.reportAt('warning', 'semantic/validate-every-beyond-epochs', `validateEvery ${validateEvery} is more than the ${epochs} epochs: the run validates only at its last epoch, so early stopping and a plateau schedule cannot act before it.`, ['training', 'validateEvery'], 'value', { title: `Validate only at the last epoch: set "validateEvery" to ${epochs}`, edits: source.editsToSet(['training', 'validateEvery'], epochs) });

  checkDataFiles(source, spec, context);
  return facts;
}

/** The property that sets the sequence length T of the spec's data. */
function sequenceLengthPath(spec: SeqModelSpec): (string | number)[] {
  switch (spec.data.source) {
    case 'synthetic':
      return ['data', 'length'];
    case 'csv':
    case 'text':
      return ['data', 'window'];
    case 'text-classification':
    case 'pairs':
      return ['data', 'maxLength'];
    default:
      return ['data'];
  }
}

function checkRecurrent(source: SpecSource, recurrent: RecurrentSpec, path: (string | number)[], facts: InputFacts): void {
  const numLayers = recurrent.numLayers ?? 1;
  if ((recurrent.dropout ?? 0) > 0 && numLayers === 1) {
    source.reportAt('warning', 'semantic/dropout-single-layer', `Recurrent dropout acts between stacked layers (PyTorch semantics), so with numLayers 1 it does nothing (PyTorch warns too). Remove it, or stack 2+ layers.`, [...path, 'dropout'], 'property', { title: 'Remove "dropout"', edits: source.editsToRemove([...path, 'dropout']) });
  }
  if (recurrent.nonlinearity !== undefined && recurrent.cell !== 'rnn') {
    source.reportAt('error', 'semantic/nonlinearity-non-rnn', `"nonlinearity" applies to vanilla RNN cells only; ${recurrent.cell.toUpperCase()} gates fix their own (sigmoid and tanh).`, [...path, 'nonlinearity'], 'property', { title: 'Remove "nonlinearity"', edits: source.editsToRemove([...path, 'nonlinearity']) });
  }
  if (recurrent.residual) {
    const width = (recurrent.bidirectional ? 2 : 1) * stateWidth(recurrent);
    if (numLayers < 2) {
      source.reportAt('warning', 'semantic/residual-single-layer', 'Residual connections join stacked layers; with numLayers 1 there is nothing to connect.', [...path, 'residual'], 'property', { title: 'Remove "residual"', edits: source.editsToRemove([...path, 'residual']) });
    } else {
      // The encoder's first layer reads the raw features (token inputs: the embedding, checked below by width).
      const inputWidth = path[1] === 'encoder' && !facts.tokenInput ? facts.inputSize : undefined;
      if (typeof inputWidth === 'number' && inputWidth !== width) {
        source.reportAt('warning', 'semantic/residual-unequal-widths', `A residual connection adds a layer's input to its output, so widths must match: layer 1 reads ${inputWidth} features but outputs ${width}, so it gets no skip connection (layers 2–${numLayers} do).`, [...path, 'residual'], 'property');
      }
    }
  }
  if (recurrent.hiddenSize > SANE_LIMITS.hiddenSize) source.reportAt('warning', 'semantic/size-out-of-range', `hiddenSize ${recurrent.hiddenSize} is unusually large (> ${SANE_LIMITS.hiddenSize}): the recurrent matrices alone hold ${formatCount(4 * recurrent.hiddenSize * recurrent.hiddenSize)} weights per LSTM layer.`, [...path, 'hiddenSize'], 'value');
  if (numLayers > SANE_LIMITS.numLayers) source.reportAt('warning', 'semantic/size-out-of-range', `numLayers ${numLayers} is a very deep recurrent stack: gradients vanish through depth as well as time (add residual or layerNorm, or use fewer layers).`, [...path, 'numLayers'], 'value');
}

/** projSize is nn.LSTM's proj_size: an LSTM option, below hiddenSize; seq2seq's state bridge does not carry it yet. */
function checkProjection(source: SpecSource, recurrent: RecurrentSpec, path: (string | number)[]): void {
  const projSize = recurrent.projSize ?? 0;
  if (projSize === 0) return;
  const remove = { title: 'Remove "projSize"', edits: source.editsToRemove([...path, 'projSize']) };
  if (recurrent.cell !== 'lstm') {
    source.reportAt('error', 'semantic/projection-non-lstm', `"projSize" projects an LSTM's hidden state (PyTorch's proj_size); ${recurrent.cell.toUpperCase()} has no projection.`, [...path, 'projSize'], 'property', remove);
  } else if (projSize >= recurrent.hiddenSize) {
    source.reportAt('error', 'semantic/projection-too-wide', `projSize ${projSize} must be below hiddenSize ${recurrent.hiddenSize} (PyTorch's rule: the projection narrows h_t).`, [...path, 'projSize'], 'value', remove);
  }
}

/**
 * The decoder's h0 is the encoder's h_n (projSize wide when the encoder's LSTM projects) and an LSTM decoder's c0 the
 * encoder's c_n (hiddenSize wide), both directions concatenated: the decoder's state width must be D times the
 * encoder's, and its hiddenSize D times the encoder's when both are LSTMs.
 */
function checkBridgeWidths(source: SpecSource, encoder: RecurrentSpec, decoder: RecurrentSpec): void {
  const D = encoder.bidirectional ? 2 : 1;
  const both = D === 2 ? ' (both directions concatenated)' : '';
  const encoderState = D * stateWidth(encoder);
  const cellWidth = D * encoder.hiddenSize;
  if (encoder.projSize && encoder.cell === 'lstm' && decoder.cell === 'lstm' && !decoder.projSize) {
    // Its h0 and c0 have different widths: only a projecting LSTM decoder takes both.
    const edits = [...source.editsToSet(['model', 'decoder', 'hiddenSize'], cellWidth), ...source.editsToSet(['model', 'decoder', 'projSize'], encoderState)];
    source.reportAt('error', 'semantic/encoder-decoder-hidden-mismatch', `The encoder projects: its h_n is ${encoderState} wide and its c_n ${cellWidth}${both}, so the LSTM decoder needs "projSize": ${encoderState} and "hiddenSize": ${cellWidth}.`, ['model', 'decoder', 'hiddenSize'], 'value', { title: `Set decoder.projSize to ${encoderState} and hiddenSize to ${cellWidth}`, edits });
    return;
  }
  if (stateWidth(decoder) !== encoderState) {
    // A projecting decoder's h is its projSize; otherwise its hiddenSize.
    const property = decoder.projSize ? 'projSize' : 'hiddenSize';
    const from = encoder.projSize ? `h_n, ${encoderState} wide (the encoder's projSize${both})` : `final state, ${encoderState} wide${both}`;
    source.reportAt('error', 'semantic/encoder-decoder-hidden-mismatch', `The decoder starts from the encoder's ${from}, but decoder.${property} is ${stateWidth(decoder)}.`, ['model', 'decoder', property], 'value', { title: `Set decoder.${property} to ${encoderState}`, edits: source.editsToSet(['model', 'decoder', property], encoderState) });
    return;
  }
  if (encoder.cell === 'lstm' && decoder.cell === 'lstm' && decoder.hiddenSize !== cellWidth) {
    source.reportAt('error', 'semantic/encoder-decoder-hidden-mismatch', `The decoder's cell state starts from the encoder's c_n, ${cellWidth} wide (hiddenSize${both}), but decoder.hiddenSize is ${decoder.hiddenSize}.`, ['model', 'decoder', 'hiddenSize'], 'value', { title: `Set decoder.hiddenSize to ${cellWidth}`, edits: source.editsToSet(['model', 'decoder', 'hiddenSize'], cellWidth) });
  }
}

function checkDataFiles(source: SpecSource, spec: SeqModelSpec, context: SpecContext): void {
  const data = spec.data;
  if (data.source === 'synthetic' || (!context.readTextFile && !context.dataFile) || !context.specPath) return;
  const { absolutePath, facts } = readDataFile(context, data.path);
  if (!facts) return; // not known yet: the editor analyses again once the head has been read
  if (facts.status === 'missing') {
    source.reportAt('error', 'semantic/file-not-found', `Data file not found: ${absolutePath} (paths are relative to the spec file).`, ['data', 'path'], 'value');
    return;
  }
  if (facts.status === 'not-a-file') {
    source.reportAt('error', 'semantic/data-not-a-file', `${absolutePath} ${dataFileRefusal(facts.kind)}`, ['data', 'path'], 'value');
    return;
  }
  if (facts.status === 'unreadable') {
    source.reportAt('error', 'semantic/data-unreadable', `Cannot read ${absolutePath}: ${facts.reason}`, ['data', 'path'], 'value');
    return;
  }
  // Only the head's complete lines are trusted; what needs the whole file is checked where the data is loaded.
  const head = dataHead(facts);
  const lines = head.lines;
  if (data.source === 'csv') {
    if (lines.length === 0) return; // a header longer than the head: the loader checks the columns
    const header = splitCsvLine(lines[0]);
    const checkColumns = (property: 'columns' | 'target', names: string[] | undefined) =>
      (names ?? []).forEach((name, index) => {
        if (header.includes(name)) return;
        const suggestion = closestMatch(name, header);
        const valueRange = source.nearestRange(['data', property, index], 'value');
        source.report('error', 'semantic/unknown-column', `Column "${name}" is not in the header of ${data.path} (${header.join(', ')}).` + (suggestion ? ` Did you mean "${suggestion}"?` : ''), valueRange, suggestion ? { title: `Change to "${suggestion}"`, edits: [{ ...valueRange, newText: JSON.stringify(suggestion) }] } : undefined);
      });
    checkColumns('columns', data.columns);
    checkColumns('target', data.target);
    const rows = lines.length - 1;
    const needed = data.window + (spec.task.horizon ?? 1);
    // A partial head holding fewer rows says nothing about the file: rows are counted only in a complete one.
    if (head.complete && rows < needed) source.reportAt('error', 'semantic/too-few-rows', `${data.path} has ${rows} rows, fewer than window + horizon = ${needed}: not one example fits.`, ['data', 'window'], 'value');
    return;
  }
  const labelsInData = collectLabels(spec, lines);
  if (labelsInData && spec.task.labels) {
    const missing = [...labelsInData].filter((label) => !spec.task.labels!.includes(label));
    if (missing.length) source.reportAt('error', 'semantic/label-not-listed', `The data uses label(s) ${missing.slice(0, 5).map((l) => `"${l}"`).join(', ')}${missing.length > 5 ? '…' : ''} missing from task.labels.`, ['task', 'labels'], 'value', { title: 'Add the missing labels', edits: source.editsToSet(['task', 'labels'], [...spec.task.labels, ...missing]) });
    // A label missing from the head may still occur further on: "never seen" needs the whole file.
    const unused = head.complete ? spec.task.labels.filter((label) => !labelsInData.has(label)) : [];
    if (unused.length) source.reportAt('warning', 'semantic/label-unused', `task.labels lists ${unused.map((l) => `"${l}"`).join(', ')}, never seen in ${data.path}: those classes cannot be learned.`, ['task', 'labels'], 'value');
  }
  if (spec.task.labels && context.dataInfo?.numClasses !== undefined && context.dataInfo.numClasses !== spec.task.labels.length) {
    source.reportAt('error', 'semantic/label-count-mismatch', `task.labels has ${spec.task.labels.length} names but the data has ${context.dataInfo.numClasses} classes.`, ['task', 'labels'], 'value');
  }
  if (data.source === 'text-classification' && lines.length > 0 && (data.format ?? (data.path.endsWith('.jsonl') ? 'jsonl' : 'csv')) === 'csv') {
    const header = splitCsvLine(lines[0]);
    for (const [property, name] of [['textField', data.textField ?? 'text'], ['labelField', data.labelField ?? 'label']] as const) {
      if (!header.includes(name)) source.reportAt('error', 'semantic/unknown-column', `Column "${name}" (${property}) is not in the header of ${data.path} (${header.join(', ')}).`, ['data', property], 'value');
    }
  }
}

/** The labels a classification or tagging file uses, or undefined when the format does not say. */
function collectLabels(spec: SeqModelSpec, lines: string[]): Set<string> | undefined {
  const data = spec.data;
  if (data.source === 'conll') {
    const tags = new Set<string>();
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      if (fields.length >= 2 && !line.startsWith('-DOCSTART-')) tags.add(fields[fields.length - 1]);
    }
    return tags;
  }
  if (data.source !== 'text-classification') return undefined;
  const labelField = data.labelField ?? 'label';
  const labels = new Set<string>();
  if ((data.format ?? (data.path.endsWith('.jsonl') ? 'jsonl' : 'csv')) === 'jsonl') {
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        const record = JSON.parse(line) as Record<string, unknown>;
        if (record[labelField] !== undefined) labels.add(String(record[labelField]));
      } catch {
        return undefined; // the loader reports malformed lines with their numbers
      }
    }
    return labels;
  }
  const header = splitCsvLine(lines[0] ?? '');
  const column = header.indexOf(labelField);
  if (column < 0) return undefined;
  for (const line of lines.slice(1)) {
    // A quote left open (a field spanning lines, or never closed) defeats a line-by-line read: the loader reads
    // the records and reports an unterminated quote where it starts.
    if ((line.match(/"/g)?.length ?? 0) % 2 === 1) return undefined;
    if (line.trim()) labels.add(splitCsvLine(line)[column] ?? '');
  }
  return labels;
}
