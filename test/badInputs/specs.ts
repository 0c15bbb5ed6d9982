/**
 * Small valid specs and data files the bad-input cases start from (each case breaks one thing). Specs are
 * printed with two-space indentation, so a case can name the line of a property by its text.
 */
import { encodeSafetensors } from '../../src/nn/safetensors';
import { Tensor } from '../../src/tensor';

type Json = Record<string, unknown>;

const training = { epochs: 1, batchSize: 8, seed: 1, optimizer: { type: 'adam', lr: 0.01 }, clipGradNorm: 1 };

/** Replace the values at dotted paths (`model.encoder.hiddenSize`); `undefined` removes the property. */
function edited(base: Json, edits: Record<string, unknown>): Json {
  const copy = JSON.parse(JSON.stringify(base)) as Json;
  for (const [dotted, value] of Object.entries(edits)) {
    const keys = dotted.split('.');
    let node = copy;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Json;
    if (value === undefined) delete node[keys.at(-1)!];
    else node[keys.at(-1)!] = value;
  }
  return copy;
}

const bases = {
  adding: {
    name: 'adding', task: { type: 'regress' },
    data: { source: 'synthetic', generator: 'adding', samples: 40, length: 6, seed: 1, split: { validation: 0.25 } },
    model: { encoder: { cell: 'lstm', hiddenSize: 4 } }, training,
  },
  series: {
    name: 'series', task: { type: 'forecast', horizon: 1 },
    data: { source: 'csv', path: 'load.csv', columns: ['load', 'temp'], target: ['load'], window: 4, split: { validation: 0.25 } },
    model: { encoder: { cell: 'gru', hiddenSize: 4 } }, training,
  },
  sentiment: {
    name: 'sentiment', task: { type: 'classify', labels: ['neg', 'pos'] },
    data: { source: 'text-classification', path: 'reviews.csv', format: 'csv', textField: 'text', labelField: 'label', tokenizer: 'word', split: { validation: 0.25 } },
    model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 4 } }, training,
  },
  jsonl: {
    name: 'jsonl', task: { type: 'classify', labels: ['neg', 'pos'] },
    data: { source: 'text-classification', path: 'reviews.jsonl', format: 'jsonl', textField: 'text', labelField: 'label', tokenizer: 'word', split: { validation: 0.25 } },
    model: { embedding: { dim: 4 }, encoder: { cell: 'lstm', hiddenSize: 4 } }, training,
  },
  tagger: {
    name: 'tagger', task: { type: 'tag' },
    data: { source: 'conll', path: 'tags.conll', split: { validation: 0.25 } },
    model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 4 } }, training,
  },
  pairs: {
    name: 'pairs', task: { type: 'seq2seq' },
    data: { source: 'pairs', path: 'pairs.tsv', tokenizer: 'char', split: { validation: 0.25 } },
    model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 4 }, decoder: { cell: 'gru', hiddenSize: 4 } }, training,
  },
  text: {
    name: 'text', task: { type: 'generate' },
    data: { source: 'text', path: 'story.txt', tokenizer: 'char', window: 8, split: { validation: 0.25 } },
    model: { embedding: { dim: 4 }, encoder: { cell: 'gru', hiddenSize: 4 } }, training,
  },
} satisfies Record<string, Json>;

export type BaseName = keyof typeof bases;

/** A spec's text: a base with edits (see `edited`). */
export function spec(base: BaseName, edits: Record<string, unknown> = {}): string {
  return `${JSON.stringify(edited(bases[base], edits), null, 2)}\n`;
}

/** The valid data file each base reads. */
export const data = {
  'load.csv': `load,temp\n${Array.from({ length: 40 }, (_, i) => `${(50 + 10 * Math.sin(i / 3)).toFixed(2)},${(10 + i / 4).toFixed(2)}`).join('\n')}\n`,
  'reviews.csv': `text,label\n${Array.from({ length: 16 }, (_, i) => (i % 2 ? 'a fine good film,pos' : 'a dull bad film,neg')).join('\n')}\n`,
  'reviews.jsonl': `${Array.from({ length: 16 }, (_, i) => JSON.stringify({ text: i % 2 ? 'a fine good film' : 'a dull bad film', label: i % 2 ? 'pos' : 'neg' })).join('\n')}\n`,
  'tags.conll': `${Array.from({ length: 8 }, () => 'the DET\ncat NOUN\nsat VERB\n').join('\n')}`,
  'pairs.tsv': `${Array.from({ length: 16 }, (_, i) => `ab${'cd'.slice(0, i % 3)}\t${'dc'.slice(0, i % 3)}ba`).join('\n')}\n`,
  'story.txt': 'the cat sat on the mat and the dog sat on the log. '.repeat(6),
};

/** `text` as UTF-8 bytes with the first `@` replaced by 0xFF, a byte no UTF-8 text holds. */
export function withInvalidUtf8(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  bytes[bytes.indexOf(0x40)] = 0xff;
  return bytes;
}

/** The rows of load.csv with one line replaced (1-based file line, the header is line 1). */
export function loadCsvWithLine(line: number, text: string): string {
  const lines = data['load.csv'].split('\n');
  lines[line - 1] = text;
  return lines.join('\n');
}

/** Weights for the `adding` base (LSTM 4 over 2 inputs, Linear 4 → 1), with optional changes. */
export function addingWeights(change: { shapeOf?: string; drop?: string; extra?: string; value?: number } = {}): Uint8Array {
  const shapes: Record<string, number[]> = {
    'encoder.weight_ih_l0': [16, 2], 'encoder.weight_hh_l0': [16, 4], 'encoder.bias_ih_l0': [16], 'encoder.bias_hh_l0': [16],
    'head.output.weight': [1, 4], 'head.output.bias': [1],
  };
  const tensors: Record<string, Tensor> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    if (name === change.drop) continue;
    const actual = name === change.shapeOf ? [shape[0] + 1, ...shape.slice(1)] : shape;
    const values = new Float32Array(actual.reduce((a, b) => a * b, 1)).fill(0.01);
    if (change.value !== undefined) values[values.length - 1] = change.value;
    tensors[name] = new Tensor(values, actual);
  }
  if (change.extra) tensors[change.extra] = new Tensor(new Float32Array([1]), [1]);
  return encodeSafetensors(tensors, { format: 'pt' });
}

/** A safetensors file whose tensors are float16 (PyTorch's `.half()`), which SeqLab does not read. */
export function float16Weights(): Uint8Array {
  const header = JSON.stringify({ 'head.output.bias': { dtype: 'F16', shape: [1], data_offsets: [0, 2] } });
  const bytes = new Uint8Array(8 + header.length + 2);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
  bytes.set(new TextEncoder().encode(header), 8);
  return bytes;
}
