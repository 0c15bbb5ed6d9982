/**
 * One starting spec per model of the tutorial, plus the adding problem: the extension's "New Spec from Template"
 * writes `text` to `<id>.seqmodel.json` and copies the small data set its `data.path` names from the bundled
 * examples (examples/<data.path>) beside it, so a template trains as created (templates.data.test.ts).
 */

export interface SpecTemplate {
  id: string;
  label: string;
  description: string;
  text: string;
}

// No "$schema" property: the extension associates *.seqmodel.json with the bundled schema (jsonValidation), and a
// URL here would make the editor try to download it.
export function specText(body: Record<string, unknown>): string {
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** The data file a template trains on (its `data.path`, relative to the spec), shipped as examples/<path>; none for synthetic data. */
export function templateDataFile(template: SpecTemplate): string | undefined {
  const path = (JSON.parse(template.text) as { data?: { path?: unknown } }).data?.path;
  return typeof path === 'string' ? path : undefined;
}

export function specTemplates(): SpecTemplate[] {
  return [
    {
      id: 'forecaster',
      label: 'Time-series forecaster (stacked LSTM)',
      description: 'Many-to-one regression: 30 past values of a CSV column → the next value; z-score fitted on the training split.',
      text: specText({
        name: 'forecaster',
        description: 'Stacked LSTM forecasting the next value of a series from the last 30 (the tutorial\'s StockForecaster), here hourly electricity load: point data.path and columns at your own CSV.',
        task: { type: 'forecast', horizon: 1 },
        data: { source: 'csv', path: 'data/load.csv', columns: ['load'], target: ['load'], window: 30, normalize: 'zscore', split: { validation: 0.15, test: 0.15 } },
        model: { encoder: { cell: 'lstm', hiddenSize: 64, numLayers: 2, dropout: 0.1 }, readout: 'hN' },
        training: { epochs: 30, batchSize: 32, seed: 1, optimizer: { type: 'adam', lr: 0.001 }, loss: 'mse', clipGradNorm: 1.0, earlyStopping: { patience: 5 } },
      }),
    },
    {
      id: 'classifier',
      label: 'Sentiment classifier (bidirectional LSTM, many-to-one)',
      description: 'Embedding → bidirectional LSTM → concat of both final states (h_n) → Linear to the classes.',
      text: specText({
        name: 'classifier',
        description: 'Many-to-one text classifier (the tutorial\'s SentimentClassifier, bidirectional).',
        task: { type: 'classify', labels: ['negative', 'positive'] },
        data: { source: 'text-classification', path: 'data/sentiment.csv', format: 'csv', textField: 'text', labelField: 'label', tokenizer: 'word', lowercase: true, minFrequency: 2, maxLength: 64, bucketByLength: true, split: { validation: 0.1, test: 0.1 } },
        model: { embedding: { dim: 64, dropout: 0.2 }, encoder: { cell: 'lstm', hiddenSize: 64, bidirectional: true, packed: true }, readout: 'hN' },
        training: { epochs: 10, batchSize: 32, seed: 1, optimizer: { type: 'adam', lr: 0.002 }, loss: 'cross-entropy', clipGradNorm: 1.0, earlyStopping: { patience: 3, metric: 'accuracy' } },
      }),
    },
    {
      id: 'generator',
      label: 'Character-level generator (LSTM language model)',
      description: 'One-to-many: autoregressive from a start token, learned initial state, temperature sampling.',
      text: specText({
        name: 'generator',
        description: 'Character-level LSTM language model (the tutorial\'s one-to-many generator).',
        task: { type: 'generate' },
        data: { source: 'text', path: 'data/coriolanus.txt', tokenizer: 'char', lowercase: false, window: 100, split: { validation: 0.1 } },
        model: { embedding: { dim: 32 }, encoder: { cell: 'lstm', hiddenSize: 128, numLayers: 2, dropout: 0.2 }, initialState: 'learned' },
        training: { epochs: 20, batchSize: 32, seed: 1, optimizer: { type: 'adam', lr: 0.003 }, loss: 'cross-entropy', clipGradNorm: 1.0, decoding: { strategy: 'sample', temperature: 0.8, maxLength: 200 } },
      }),
    },
    {
      id: 'tagger',
      label: 'Sequence tagger (bidirectional LSTM, many-to-many)',
      description: 'CoNLL token/tag data → embedding → bidirectional LSTM → a tag for every token (NER, POS).',
      text: specText({
        name: 'tagger',
        description: 'Bidirectional LSTM tagger (the tutorial\'s NERTagger).',
        task: { type: 'tag' },
        data: { source: 'conll', path: 'data/tagger.conll', lowercase: false, minFrequency: 1, bucketByLength: true, split: { validation: 0.1, test: 0.1 } },
        model: { embedding: { dim: 64, dropout: 0.2 }, encoder: { cell: 'lstm', hiddenSize: 64, bidirectional: true, packed: true } },
        training: { epochs: 15, batchSize: 16, seed: 1, optimizer: { type: 'adam', lr: 0.002 }, loss: 'cross-entropy', clipGradNorm: 1.0 },
      }),
    },
    {
      id: 'seq2seq',
      label: 'Encoder-decoder (seq2seq with teacher-forcing decay)',
      description: 'TSV source/target pairs → LSTM encoder → its final (h, c) starts the LSTM decoder; teacher forcing 1.0 → 0.0.',
      text: specText({
        name: 'seq2seq',
        description: 'Encoder-decoder with teacher forcing decaying from 1.0 to 0.0 (the tutorial\'s Encoder/Decoder).',
        task: { type: 'seq2seq' },
        data: { source: 'pairs', path: 'data/reverse.tsv', tokenizer: 'char', sharedVocabulary: true, maxLength: 32, split: { validation: 0.1, test: 0.1 } },
        model: { embedding: { dim: 64 }, encoder: { cell: 'lstm', hiddenSize: 128 }, decoder: { cell: 'lstm', hiddenSize: 128 } },
        training: { epochs: 30, batchSize: 64, seed: 1, optimizer: { type: 'adam', lr: 0.002 }, loss: 'cross-entropy', clipGradNorm: 1.0, teacherForcing: { start: 1.0, end: 0.0, decay: 'linear' }, decoding: { strategy: 'greedy', maxLength: 40 } },
      }),
    },
    {
      id: 'adding-problem',
      label: 'Adding problem (LSTM vs vanilla RNN, T = 100)',
      description: 'Synthetic long-memory test: predict the sum of two marked values among 100; baseline MSE 0.167.',
      text: specText({
        name: 'adding-problem',
        description: 'The adding problem (Hochreiter & Schmidhuber 1997) at T = 100: an LSTM leaves the 0.167 plateau, a vanilla RNN does not.',
        task: { type: 'regress' },
        data: { source: 'synthetic', generator: 'adding', samples: 100000, length: 100, seed: 1, split: { validation: 0.01 } },
        model: { encoder: { cell: 'lstm', hiddenSize: 128 }, readout: 'hN' },
        training: { epochs: 1, batchSize: 50, seed: 1, optimizer: { type: 'adam', lr: 0.01 }, loss: 'mse', clipGradNorm: 1.0 },
      }),
    },
  ];
}
