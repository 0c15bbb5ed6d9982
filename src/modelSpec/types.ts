/**
 * The `*.seqmodel.json` format as TypeScript types: the contract between the schema
 * (`schemas/seqmodel.schema.json`), the validator, shape inference, the model builder, the trainer, the CLI and
 * the extension. Property names are camelCase in the file; PyTorch names appear only in state-dict keys.
 *
 * A spec names four things: what to learn (`task`), from what (`data`), with which network (`model`) and how
 * (`training`).
 */

export type TaskType =
  | 'forecast' //  many-to-one (or many-to-horizon) regression on a time series, metrics in original units
  | 'regress' //   many-to-one regression on a synthetic or tabular sequence (the adding problem)
  | 'classify' //  many-to-one classification (sentiment)
  | 'tag' //       many-to-many, one label per input step (NER, POS)
  | 'regress-per-step' // many-to-many regression: numeric target columns at every step of a CSV window
  | 'generate' //  one-to-many / language model: autoregressive from a start token
  | 'seq2seq'; //  encoder-decoder with teacher forcing

export type CellType = 'rnn' | 'lstm' | 'gru';

export interface SeqModelSpec {
  $schema?: string;
  /** Short identifier, used for the run folder name. */
  name: string;
  description?: string;
  task: TaskSpec;
  data: DataSpec;
  model: ModelSpec;
  training: TrainingSpec;
}

export interface TaskSpec {
  type: TaskType;
  /** forecast: steps ahead to predict (1 = next value). */
  horizon?: number;
  /** classify/tag: class names, in label-id order; inferred from the data when omitted. */
  labels?: string[];
}

// ---------------------------------------------------------------------------------------------------- data

export type DataSpec = CsvSeriesData | TextClassificationData | ConllData | PairsData | PlainTextData | SyntheticData;

interface DataCommon {
  /** Fractions of the examples held out, taken in order for time series and after a seeded shuffle otherwise. */
  split?: { validation?: number; test?: number };
  /** Group examples of similar length into the same batch to cut padding. */
  bucketByLength?: boolean;
}

export interface CsvSeriesData extends DataCommon {
  source: 'csv';
  /** Path relative to the spec file. */
  path: string;
  /** Input feature columns (names from the header). */
  columns: string[];
  /** Column(s) to predict; defaults to the first input column. */
  target?: string[];
  /** Past steps the model sees per example (sequence length). */
  window: number;
  /**
   * zscore: each column with mean/std fitted on the training split only (default). last-value: each window minus
   * its last row, so the model reads the recent path and predicts the change from the last value (for series
   * with a trend); scaled by the training rows' one-step changes; metrics are inverted to original units.
   */
  normalize?: 'zscore' | 'none' | 'last-value';
}

export interface TokenizerSpec {
  tokenizer?: 'char' | 'word';
  lowercase?: boolean;
  /** Keep tokens seen at least this often in training data; rarer ones become <unk>. */
  minFrequency?: number;
  /** Cap on vocabulary size (most frequent first, specials included). */
  maxVocab?: number;
  /** Truncate longer sequences to this many tokens. */
  maxLength?: number;
}

export interface TextClassificationData extends DataCommon, TokenizerSpec {
  source: 'text-classification';
  path: string;
  format?: 'csv' | 'jsonl';
  textField?: string;
  labelField?: string;
}

export interface ConllData extends DataCommon {
  source: 'conll';
  path: string;
  lowercase?: boolean;
  minFrequency?: number;
}

export interface PairsData extends DataCommon, TokenizerSpec {
  source: 'pairs';
  /** TSV: source<TAB>target per line. */
  path: string;
  /** Share one vocabulary between source and target. */
  sharedVocabulary?: boolean;
}

export interface PlainTextData extends DataCommon, TokenizerSpec {
  source: 'text';
  path: string;
  /** Training sequence length for the language model. */
  window: number;
}

export interface SyntheticData extends DataCommon {
  source: 'synthetic';
  generator: 'adding' | 'copy' | 'sine' | 'random-walk';
  /** Number of training sequences generated (validation adds its own share). */
  samples: number;
  /** Sequence length T. */
  length: number;
  /** copy task: number of distinct symbols; sine: number of input features. */
  symbols?: number;
  /** copy task: how many symbols to memorise. */
  copyLength?: number;
  /** sine / random walk: observation noise standard deviation. */
  noise?: number;
  seed?: number;
}

// --------------------------------------------------------------------------------------------------- model

export interface ModelSpec {
  /** Token embedding before the recurrent stack (text tasks). `vocabSize` is inferred from the data when omitted. */
  embedding?: EmbeddingSpec;
  /** The recurrent stack reading the input (the encoder in seq2seq). */
  encoder: RecurrentSpec;
  /** seq2seq only: the decoder stack, initialised from the encoder's final state. */
  decoder?: RecurrentSpec;
  /**
   * How a many-to-one task summarises the sequence: `hN` = final hidden state of the top layer (both directions
   * concatenated when bidirectional; the packed-sequence-correct choice), `last` = output[:, -1] (wrong for
   * bidirectional and padded batches, linted), `mean` = mean of outputs over real steps.
   * Many-to-many tasks always read every step.
   */
  readout?: 'hN' | 'last' | 'mean';
  /**
   * The encoder's initial state h0 (and c0): zeros, or learned (`initial_h`/`initial_c`, one vector per layer and
   * direction, broadcast over the batch: the tutorial's `initial_state`), for every task; not with stateful training.
   */
  initialState?: 'zeros' | 'learned';
  /** The output head after the readout: optional hidden layers, then Linear to the task's output size. */
  head?: HeadSpec;
}

export interface EmbeddingSpec {
  dim: number;
  vocabSize?: number;
  /** Keep the <pad> row at zero and out of training (PyTorch padding_idx). Default true. */
  paddingIdx?: boolean;
  dropout?: number;
}

export interface RecurrentSpec {
  cell: CellType;
  /** vanilla RNN only. */
  nonlinearity?: 'tanh' | 'relu';
  hiddenSize: number;
  numLayers?: number;
  /** Dropout between stacked layers (PyTorch semantics: not after the last layer). */
  dropout?: number;
  bidirectional?: boolean;
  /** Pack variable-length batches (no computation on padding). Default true. */
  packed?: boolean;
  /** Residual connections between stacked layers of equal width (deep stacks). */
  residual?: boolean;
  /** LayerNorm on each layer's output (deep stacks). */
  layerNorm?: boolean;
  /** Learn the biases b_ih and b_hh (PyTorch's `bias`, default true); false: the cells have no bias parameters. */
  bias?: boolean;
  /**
   * LSTM only: PyTorch's `proj_size` P (0 < P < hiddenSize; 0 or absent = none). h_t = W_hr·(o_t ⊙ tanh(c_t)) is P
   * wide (so are h0, h_n, the output per direction and the next layer's input); c_t stays hiddenSize wide.
   */
  projSize?: number;
}

export interface HeadSpec {
  hidden?: number[];
  activation?: 'tanh' | 'relu';
  dropout?: number;
}

// ------------------------------------------------------------------------------------------------ training

export interface TrainingSpec {
  epochs: number;
  batchSize: number;
  seed?: number;
  /** Stop after this many optimizer steps in total, whatever `epochs` says. */
  maxSteps?: number;
  optimizer: OptimizerSpec;
  schedule?: ScheduleSpec;
  loss?: 'mse' | 'l1' | 'huber' | 'cross-entropy' | 'bce-with-logits';
  labelSmoothing?: number;
  /** clip_grad_norm_ max norm (recommended for every recurrent model). */
  clipGradNorm?: number;
  clipGradValue?: number;
  /** The run stops as diverged when the loss exceeds this many times the initial loss (default 1000). */
  divergenceFactor?: number;
  earlyStopping?: { patience: number; minDelta?: number; metric?: string };
  /** seq2seq / generate: probability of feeding the ground truth to the decoder, and how it decays. */
  teacherForcing?: TeacherForcingSpec;
  /** Carry hidden state across consecutive batches (time series); detach = truncated BPTT. */
  stateful?: { enabled: boolean; detach?: boolean };
  /** Truncated BPTT: backpropagate through chunks of this many steps, state carried detached between chunks. */
  tbpttSteps?: number;
  /**
   * Validate every N epochs (default 1): epochs N, 2N, … and always the last (src/train/validationCadence.ts);
   * early stopping's and the plateau schedule's patience count validations.
   */
  validateEvery?: number;
  /**
   * Per-epoch validation on a large split: at most `maxBatches` batches (default 200), a fixed seeded sample of
   * the split, the same every epoch. The held-out test evaluation at the end always covers its whole split.
   */
  validation?: { maxBatches?: number };
  decoding?: DecodingSpec;
}

export type OptimizerSpec =
  | { type: 'sgd'; lr: number; momentum?: number; nesterov?: boolean; weightDecay?: number; dampening?: number }
  | { type: 'adam'; lr: number; betas?: [number, number]; eps?: number; weightDecay?: number }
  | { type: 'adamw'; lr: number; betas?: [number, number]; eps?: number; weightDecay?: number };

export type ScheduleSpec =
  | { type: 'step'; stepSize: number; gamma?: number }
  | { type: 'cosine'; tMax?: number; etaMin?: number }
  | { type: 'plateau'; factor?: number; patience?: number; minLr?: number; threshold?: number };

export interface TeacherForcingSpec {
  start: number;
  end?: number;
  /** How the ratio moves from start to end over `epochs` (default: all training epochs). */
  decay?: 'none' | 'linear' | 'exponential' | 'inverse-sigmoid';
  epochs?: number;
}

export interface DecodingSpec {
  strategy?: 'greedy' | 'beam' | 'sample';
  beamWidth?: number;
  temperature?: number;
  maxLength?: number;
}
