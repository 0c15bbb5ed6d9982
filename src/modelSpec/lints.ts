/**
 * Lints for the classic mistakes the tutorial lists. Each is a warning with a stable code, a message that says
 * why it matters, and a quick fix where the fix is clear. They run on a spec that passed the schema.
 */
import type { LayerInfo, SpecContext, SpecTotals } from './analysisTypes';
import { dataHead, estimateFromHead, readDataFile } from './dataFiles';
import type { InputFacts } from './shapes';
import type { SpecSource } from './specSource';
import type { SeqModelSpec } from './types';
import { lintValidationRange } from './trendLint';
import { formatCount } from '../format/display';

/** Beyond this many steps a vanilla RNN's gradient has vanished (the tutorial's "long sequences"). */
export const VANILLA_RNN_MAX_STEPS = 50;
/** "Parameters ≫ samples": more than this many parameters per training example (the tutorial's forecaster has ~50 on 1,000 prices), with no dropout anywhere. */
export const PARAMETERS_PER_SAMPLE_LIMIT = 100;

export function lintSpec(source: SpecSource, spec: SeqModelSpec, facts: InputFacts, context: SpecContext, totals: SpecTotals, layers: LayerInfo[]): void {
  const { model, training, data, task } = spec;

  if (training.clipGradNorm === undefined && training.clipGradValue === undefined) {
    source.reportAt('warning', 'lint/no-gradient-clipping', 'No gradient clipping: recurrent models multiply gradients by W_hh at every step back in time, and one exploding batch can wreck training. The tutorial clips the norm at 1.0.', ['training'], 'key', { title: 'Add "clipGradNorm": 1.0', edits: source.editsToSet(['training', 'clipGradNorm'], 1.0) });
  }

  for (const [role, recurrent] of [['encoder', model.encoder], ['decoder', model.decoder]] as const) {
    if (recurrent?.cell !== 'rnn') continue;
    const steps = role === 'decoder' ? facts.targetSequenceLength : facts.sequenceLength;
    if (typeof steps === 'number' && steps > VANILLA_RNN_MAX_STEPS) {
      const edits = source.editsToSet(['model', role, 'cell'], 'lstm');
      if (recurrent.nonlinearity !== undefined) edits.push(...source.editsToRemove(['model', role, 'nonlinearity']));
      source.reportAt('warning', 'lint/vanilla-rnn-long-sequence', `A vanilla RNN over ${steps} steps: its gradient shrinks by a factor of W_hh·tanh′ per step and vanishes long before step 1, so it cannot learn long-range dependencies. Use an LSTM (or GRU), whose additive cell state carries gradients across hundreds of steps.`, ['model', role, 'cell'], 'value', { title: 'Use an LSTM', edits });
    }
  }

  if ((task.type === 'forecast' || task.type === 'regress' || task.type === 'regress-per-step') && data.source === 'csv' && data.normalize === 'none') {
    source.reportAt('warning', 'lint/regression-without-normalization', 'Raw values feed the network: RNNs are sensitive to input scale (tanh and sigmoid saturate), so training converges slowly or not at all. Standardise with a z-score fitted on the training split; metrics are still reported in original units.', ['data', 'normalize'], 'value', { title: 'Use "zscore"', edits: source.editsToSet(['data', 'normalize'], 'zscore') });
  }

  if (model.readout === 'last' && (task.type === 'forecast' || task.type === 'regress' || task.type === 'classify')) {
    const bidirectional = model.encoder.bidirectional === true;
    if (bidirectional || facts.variableLength) {
      const why = bidirectional
        ? 'on a bidirectional model output[:, -1] holds the backward direction after reading one token only; h_n holds both directions\' full summaries'
        : 'with padded variable-length batches output[:, -1] is a padding position for every shorter sequence; h_n is taken at each sequence\'s last real step';
      source.reportAt('warning', 'lint/readout-last', `Readout "last" reads output[:, -1], but ${why}. Use "hN".`, ['model', 'readout'], 'value', { title: 'Use "hN"', edits: source.editsToSet(['model', 'readout'], 'hN') });
    }
  }

  const teacherForcing = training.teacherForcing;
  const exposureBias = 'the decoder only ever sees ground truth while training, then its own (imperfect) predictions at inference — exposure bias. Decay the ratio towards 0 over the epochs.';
  if (!teacherForcing && task.type === 'seq2seq') {
    // Without the property the trainer feeds the ground truth at every step of every epoch.
    source.reportAt('warning', 'lint/teacher-forcing-no-decay', `No teacher-forcing schedule, so it stays at 1.0: ${exposureBias}`, ['training'], 'key', { title: 'Decay linearly from 1.0 to 0.0', edits: source.editsToSet(['training', 'teacherForcing'], { start: 1.0, end: 0.0, decay: 'linear' }) });
  }
  if (teacherForcing && teacherForcing.start >= 1 && (teacherForcing.decay === undefined || teacherForcing.decay === 'none' || teacherForcing.end === undefined || teacherForcing.end >= 1)) {
    const edits = source.editsToSet(['training', 'teacherForcing'], { ...teacherForcing, end: 0.0, decay: 'linear' });
    source.reportAt('warning', 'lint/teacher-forcing-no-decay', `Teacher forcing fixed at 1.0: ${exposureBias}`, ['training', 'teacherForcing'], 'key', { title: 'Decay linearly from 1.0 to 0.0', edits });
  }

  if (training.stateful?.enabled && training.stateful.detach === false) {
    source.reportAt('warning', 'lint/stateful-without-detach', 'Stateful training without detach: the carried hidden state keeps the graph of every earlier batch, so backward runs through the whole history — memory grows without bound and gradients explode. Detach between batches (truncated BPTT).', ['training', 'stateful', 'detach'], 'property', { title: 'Set "detach": true', edits: source.editsToSet(['training', 'stateful', 'detach'], true) });
  }

  for (const role of ['encoder', 'decoder'] as const) {
    const recurrent = model[role];
    if (recurrent?.packed === false && facts.variableLength) {
      source.reportAt('warning', 'lint/padded-without-packing', 'Padded variable-length batches without packing: the RNN runs over the padding, which wastes computation and corrupts the final state of every shorter sequence. Pack the batches (pack_padded_sequence).', ['model', role, 'packed'], 'property', { title: 'Pack the sequences', edits: source.editsToRemove(['model', role, 'packed']) });
    }
  }

  if (data.source === 'csv' && (context.readTextFile || context.dataFile) && context.specPath) {
    // The split needs the whole file: a head that is only the start of it (the editor on a large file) is not judged.
    const { facts } = readDataFile(context, data.path);
    if (facts?.status === 'file' && facts.complete) lintValidationRange(source, spec, facts.head);
  }

  const samples = trainingSamples(spec, context);
  const hasDropout = (model.encoder.dropout ?? 0) > 0 || (model.decoder?.dropout ?? 0) > 0 || (model.embedding?.dropout ?? 0) > 0 || (model.head?.dropout ?? 0) > 0;
  if (samples !== undefined && samples > 0 && !hasDropout && totals.parameters > PARAMETERS_PER_SAMPLE_LIMIT * samples) {
    const stacked = (model.encoder.numLayers ?? 1) > 1;
    const fix = stacked
      ? { title: 'Add dropout 0.3 between layers', edits: source.editsToSet(['model', 'encoder', 'dropout'], 0.3) }
      : { title: 'Add dropout 0.3 in the head', edits: source.editsToSet(['model', 'head', 'dropout'], 0.3) };
    const recurrentParameters = layers.filter((l) => l.recurrent).reduce((sum, l) => sum + l.parameters, 0);
    source.reportAt('warning', 'lint/large-model-tiny-data', `${formatCount(totals.parameters)} parameters (${formatCount(recurrentParameters)} recurrent) for about ${formatCount(samples)} training examples and no dropout: the model can memorise the data. Add dropout, or shrink hiddenSize.`, ['model', 'encoder', 'hiddenSize'], 'value', fix);
  }
}

/**
 * Training examples, from the data info, the synthetic sample count, or a count in the data file's head
 * (scaled to the file's size when the head is not the whole file, so an estimate).
 */
export function trainingSamples(spec: SeqModelSpec, context: SpecContext): number | undefined {
  if (context.dataInfo?.samples !== undefined) return context.dataInfo.samples;
  const data = spec.data;
  if (data.source === 'synthetic') return data.samples;
  if ((!context.readTextFile && !context.dataFile) || !context.specPath) return undefined;
  const { facts } = readDataFile(context, data.path);
  if (facts?.status !== 'file') return undefined;
  const head = dataHead(facts);
  const { lines, text } = head;
  const trainShare = 1 - (data.split?.validation ?? 0.1) - (data.split?.test ?? 0);
  let examples: number;
  switch (data.source) {
    case 'csv':
      examples = estimateFromHead(head, lines.length - 1) - data.window - (spec.task.horizon ?? 1) + 1;
      break;
    case 'text-classification':
      examples = estimateFromHead(head, lines.filter((l) => l.trim()).length) - ((data.format ?? (data.path.endsWith('.jsonl') ? 'jsonl' : 'csv')) === 'csv' ? 1 : 0);
      break;
    case 'conll':
      examples = estimateFromHead(head, text.split(/\r?\n\s*\r?\n/).filter((block) => block.trim()).length);
      break;
    case 'pairs':
      examples = estimateFromHead(head, lines.filter((l) => l.includes('\t')).length);
      break;
    case 'text':
      // A language model predicts every token, so each token is a training target (not each window).
      examples = estimateFromHead(head, (data.tokenizer ?? 'char') === 'char' ? text.length : text.split(/\s+/).filter(Boolean).length);
      break;
  }
  return Math.max(0, Math.floor(examples * trainShare));
}
