/**
 * A sniffed data file (src/data/sniff.ts) → a spec that trains as written: the proposed task, the loader's
 * fields, and a sound default model for it — gradient clipping everywhere, z-scored series (or, when the series
 * trends out of its training range, windows relative to their last value), packed and bucketed
 * text batches, the `hN` readout for many-to-one tasks, a decaying teacher-forcing ratio for seq2seq — sized to
 * the amount of data so the tiny-data lint stays quiet. `seqlab init` and "New Spec from Data File…" write it.
 */
import { PROPOSED_SPLIT, type SniffResult, type SniffedProposal } from '../data/sniff';
import { specText } from './templates';
import type { SeqModelSpec } from './types';

export interface SpecFromDataOptions {
  /** The spec's name (run folders are named after it). */
  name: string;
  /** The data file's path relative to the spec's folder, with forward slashes. */
  dataPath: string;
}

export function specFromSniff(sniff: SniffResult, options: SpecFromDataOptions): { spec: SeqModelSpec; text: string } {
  const proposal = sniff.proposal;
  if (!proposal) throw new Error(sniff.reason ?? 'no task fits this file');
  const spec = build(proposal, sniff.estimatedRecords, options);
  return { spec, text: specText(spec as unknown as Record<string, unknown>) };
}

/** Window per sampling step: two yearly cycles of months, four weeks of days, two days of hours. */
const WINDOW_BY_STEP = { hour: 48, day: 28, week: 52, month: 24, year: 10 } as const;

function build(proposal: SniffedProposal, records: number, { name, dataPath }: SpecFromDataOptions): SeqModelSpec {
  const large = records >= 20_000;
  const clip = { clipGradNorm: 1.0 };
  switch (proposal.task) {
    case 'forecast': {
      // Enough windows to learn from: the window is at most a twentieth of the rows.
      const window = Math.max(4, Math.min(proposal.stepHint ? WINDOW_BY_STEP[proposal.stepHint] : 32, Math.floor(records / 20)));
      // A trending series leaves the range a z-score fitted on its early rows covers: predict the change instead.
      const trending = proposal.trend.trending;
      return {
        name,
        description: `Forecast the next value of ${proposal.target} from the last ${window} rows of ${proposal.inputs.join(', ')}${trending ? ', as the change from the last value (the series trends)' : ''} (written by seqlab init from ${dataPath}). Must beat persistence (repeat the last value).`,
        task: { type: 'forecast', horizon: 1 },
        data: { source: 'csv', path: dataPath, columns: proposal.inputs, target: [proposal.target], window, normalize: trending ? 'last-value' : 'zscore', split: { ...PROPOSED_SPLIT } },
        model: { encoder: { cell: 'lstm', hiddenSize: records < 5_000 ? 32 : 64, ...(large ? { numLayers: 2, dropout: 0.1 } : {}) }, readout: 'hN' },
        training: { epochs: 30, batchSize: 32, seed: 1, optimizer: { type: 'adam', lr: 0.003 }, schedule: { type: 'plateau', factor: 0.5, patience: 3 }, loss: 'mse', ...clip, earlyStopping: { patience: 6 } },
      };
    }
    case 'classify': {
      const long = proposal.meanWords > 100;
      return {
        name,
        description: `Classify ${proposal.textField} into ${proposal.labelField} (${proposal.labels.slice(0, 6).join(', ')}${proposal.labels.length > 6 ? ', …' : ''}) with a bidirectional LSTM over word embeddings (written by seqlab init from ${dataPath}). Must beat the majority class.`,
        task: { type: 'classify' },
        data: {
          source: 'text-classification', path: dataPath, format: proposal.format, textField: proposal.textField, labelField: proposal.labelField,
          tokenizer: 'word', lowercase: true, ...(records >= 1_000 ? { minFrequency: 2 } : {}), ...(long ? { maxLength: 256 } : {}),
          bucketByLength: true, split: records >= 1_000 ? { ...PROPOSED_SPLIT } : { validation: 0.2 },
        },
        model: { embedding: { dim: 64, dropout: 0.2 }, encoder: { cell: 'lstm', hiddenSize: 64, bidirectional: true, packed: true }, readout: 'hN' },
        training: { epochs: 15, batchSize: 32, seed: 1, optimizer: { type: 'adam', lr: 0.002 }, loss: 'cross-entropy', ...clip, earlyStopping: { patience: 3, metric: 'accuracy' } },
      };
    }
    case 'tag':
      return {
        name,
        description: `Tag every token with one of ${proposal.tags.length} tags with a bidirectional LSTM (written by seqlab init from ${dataPath}). Must beat the most frequent tag per word.`,
        task: { type: 'tag' },
        data: { source: 'conll', path: dataPath, lowercase: false, minFrequency: records >= 5_000 ? 2 : 1, bucketByLength: true, split: records >= 1_000 ? { ...PROPOSED_SPLIT } : { validation: 0.2 } },
        model: { embedding: { dim: 64, dropout: 0.2 }, encoder: { cell: 'lstm', hiddenSize: 64, bidirectional: true, packed: true } },
        training: { epochs: 15, batchSize: 16, seed: 1, optimizer: { type: 'adam', lr: 0.002 }, loss: 'cross-entropy', ...clip, earlyStopping: { patience: 3, metric: 'tokenAccuracy' } },
      };
    case 'seq2seq': {
      const maxLength = Math.min(128, Math.ceil(proposal.maxTokens * 1.25));
      return {
        name,
        description: `Character-level LSTM encoder-decoder from the first column to the second, teacher forcing decaying from 1.0 to 0.0 (written by seqlab init from ${dataPath}). Must beat copying the source.`,
        task: { type: 'seq2seq' },
        data: { source: 'pairs', path: dataPath, tokenizer: 'char', sharedVocabulary: true, maxLength, bucketByLength: true, split: records >= 1_000 ? { ...PROPOSED_SPLIT } : { validation: 0.2 } },
        model: { embedding: { dim: 64, dropout: 0.2 }, encoder: { cell: 'lstm', hiddenSize: 128 }, decoder: { cell: 'lstm', hiddenSize: 128 } },
        training: { epochs: 30, batchSize: 64, seed: 1, optimizer: { type: 'adam', lr: 0.002 }, loss: 'cross-entropy', ...clip, teacherForcing: { start: 1.0, end: 0.0, decay: 'linear' }, decoding: { strategy: 'greedy', maxLength: maxLength + 1 } },
      };
    }
    case 'generate': {
      // At least ~200 training windows: shorter windows on a short text.
      const window = Math.max(16, Math.min(100, Math.floor(proposal.characters / 200)));
      const big = proposal.characters >= 1_000_000;
      return {
        name,
        description: `Character-level LSTM language model of ${dataPath}, sampled with temperature 0.8 (written by seqlab init).`,
        task: { type: 'generate' },
        data: { source: 'text', path: dataPath, tokenizer: 'char', lowercase: false, window, split: { validation: 0.1 } },
        model: { embedding: { dim: 32 }, encoder: { cell: 'lstm', hiddenSize: 128, ...(big ? { numLayers: 2, dropout: 0.2 } : {}) }, initialState: 'learned' },
        training: { epochs: 20, batchSize: 32, seed: 1, optimizer: { type: 'adam', lr: 0.003 }, loss: 'cross-entropy', ...clip, decoding: { strategy: 'sample', temperature: 0.8, maxLength: 200 } },
      };
    }
  }
}

/** A spec name from a file name: its stem in lower case, other characters as dashes. */
export function specNameFor(fileName: string): string {
  const stem = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  return stem.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'data';
}
