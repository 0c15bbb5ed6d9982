/**
 * The bad-input corpus: one row per case — the files of a workspace, the command line, the exit code expected
 * and the place the message must name (`file`, or `file` plus the line holding `at`). Spec and data cases also
 * run `seqlab check`, which must answer as `train` does. Refused runs must leave no run folder behind.
 */
import { addingWeights, data, float16Weights, loadCsvWithLine, spec, withInvalidUtf8 } from './specs';

/** A folder in a case's workspace. */
export const FOLDER = Symbol('folder');

export type FileContent = string | Uint8Array | typeof FOLDER;

/** A Node file error injected into one `fs` function for paths ending with `pathEnd`. */
export interface InjectedFault {
  fn: 'mkdirSync' | 'readFileSync' | 'openSync' | 'readdirSync';
  code: 'EROFS' | 'EACCES' | 'ENOSPC' | 'EIO' | 'EMFILE';
  pathEnd: string;
  /** Let this many matching calls through first (the spec checks open a data file before its loader does). */
  after?: number;
}

/** How a `setup` run's folder is broken before the case runs (by kind of file, whatever the checkpoint layout). */
export type RunDamage = 'truncate-weights' | 'float16-weights' | 'empty-json' | 'remove-weights';

export interface BadInputCase {
  name: string;
  kind: 'spec' | 'data' | 'arguments' | 'faults';
  files: Record<string, FileContent>;
  /** The command line; `$W` is the workspace folder. */
  args: string[];
  exit: 0 | 1 | 2;
  /** The file the message must name (relative to the workspace, or absolute). */
  names: string;
  /** When set, the message must name `names` at the line (of that file) holding this text. */
  at?: string;
  /** The reason, in words. */
  says?: RegExp;
  /** Also run `seqlab check` on the spec: it must exit with the same code and name the same place. */
  check?: boolean;
  fault?: InjectedFault;
  /** A command run first (a short training into `$W/run`), whose run folder `damage` then breaks. */
  setup?: { args: string[]; damage: RunDamage };
}

const S = 'spec.seqmodel.json';
const train = (...extra: string[]) => ['train', `$W/${S}`, ...extra];
const predict = (...extra: string[]) => ['predict', `$W/${S}`, ...extra];

/** A spec case: the spec (and the data it reads) given, train and check both refuse it at `at`. */
function specCase(name: string, text: string, at: string | undefined, says: RegExp, files: Record<string, FileContent> = {}): BadInputCase {
  return { name, kind: 'spec', files: { [S]: text, ...files }, args: train(), exit: 2, names: S, at, says, check: true };
}

/** A data case: the spec of `base` reading a broken `file`; train and check both name the file (at `at`). */
function dataCase(name: string, base: Parameters<typeof spec>[0], file: keyof typeof data, content: FileContent, at: string | undefined, says: RegExp, edits: Record<string, unknown> = {}): BadInputCase {
  return { name, kind: 'data', files: { [S]: spec(base, edits), [file]: content }, args: train(), exit: 2, names: file, at, says, check: true };
}

const adding = spec('adding');
const csvRows = (rows: string[]) => `load,temp\n${rows.join('\n')}\n`;

export const cases: BadInputCase[] = [
  // ---------------------------------------------------------------------------------------------- spec
  specCase('JSON syntax error (missing colon)', adding.replace('"hiddenSize": 4', '"hiddenSize" 4'), '"hiddenSize" 4', /JSON syntax/),
  specCase('empty spec file', '', undefined, /./),
  specCase('spec is a JSON array', '[]\n', '[]', /JSON object/),
  specCase('unknown cell type', spec('adding', { 'model.encoder.cell': 'transformer' }), '"transformer"', /cell/),
  specCase('hiddenSize 0', spec('adding', { 'model.encoder.hiddenSize': 0 }), '"hiddenSize"', /hiddenSize|>= 1|minimum/i),
  specCase('hiddenSize negative', spec('adding', { 'model.encoder.hiddenSize': -8 }), '"hiddenSize"', /./),
  specCase('hiddenSize a string', spec('adding', { 'model.encoder.hiddenSize': 'big' }), '"hiddenSize"', /number|integer/i),
  specCase('hiddenSize fractional', spec('adding', { 'model.encoder.hiddenSize': 4.5 }), '"hiddenSize"', /integer/i),
  specCase('misspelt property', spec('adding', { 'model.encoder.hiddenSize': undefined, 'model.encoder.hiddenSzie': 4 }), '"hiddenSzie"', /hiddenSzie|hiddenSize/),
  specCase('duplicate key', adding.replace('"hiddenSize": 4', '"hiddenSize": 4,\n      "hiddenSize": 8'), '"hiddenSize": 8', /duplicate/i),
  specCase('no model section', spec('adding', { model: undefined }), undefined, /model/),
  specCase('no training section', spec('adding', { training: undefined }), undefined, /training/),
  specCase('batchSize 0', spec('adding', { 'training.batchSize': 0 }), '"batchSize"', /./),
  specCase('epochs 0', spec('adding', { 'training.epochs': 0 }), '"epochs"', /./),
  specCase('negative learning rate', spec('adding', { 'training.optimizer.lr': -0.1 }), '"lr"', /./),
  specCase('unknown optimizer', spec('adding', { 'training.optimizer.type': 'adamax' }), '"adamax"', /./),
  specCase('unknown task type', spec('adding', { 'task.type': 'translate' }), '"translate"', /./),
  specCase('dropout above 1', spec('adding', { 'model.encoder.dropout': 1.5 }), '"dropout"', /./),
  specCase('numLayers 0', spec('adding', { 'model.encoder.numLayers': 0 }), '"numLayers"', /./),
  specCase('negative clipGradNorm', spec('adding', { 'training.clipGradNorm': -1 }), '"clipGradNorm"', /./),
  specCase('embedding on real-valued input', spec('adding', { 'model.embedding': { dim: 4 } }), '"embedding"', /embedding/i),
  specCase('forecast from the adding generator', spec('adding', { 'task.type': 'forecast' }), '"generator"', /forecast/),
  specCase('copy task too short to copy', spec('adding', { 'task.type': 'tag', 'data.generator': 'copy', 'data.length': 5, 'model.embedding': { dim: 4 } }), '"copy"', /too short/),
  specCase('seq2seq without a decoder', spec('pairs', { 'model.decoder': undefined }), undefined, /decoder/, { 'pairs.tsv': data['pairs.tsv'] }),
  specCase('a generator that does not suit the task (copy for seq2seq)', spec('pairs', { data: { source: 'synthetic', generator: 'copy', samples: 20, length: 12 } }), '"copy"', /suits task "tag", not "seq2seq"/),
  specCase('vocabSize smaller than the data\'s vocabulary', spec('text', { 'model.embedding.vocabSize': 5 }), '"vocabSize"', /smaller than the data's vocabulary/, { 'story.txt': data['story.txt'] }),
  specCase('stateful training of independent sequences', spec('adding', { 'training.stateful': { enabled: true, detach: true } }), '"stateful"', /stateful needs a series/),
  specCase('hiddenSize 65536 (hundreds of GB)', spec('adding', { 'model.encoder.hiddenSize': 65536 }), '"hiddenSize"', /needs about [\d.]+ GB .*lower model\.encoder\.hiddenSize/),
  specCase('hiddenSize 6000 (past what the kernels can address)', spec('adding', { 'model.encoder.hiddenSize': 6000, 'data.length': 100 }), '"hiddenSize"', /needs about [\d.]+ GB .*lower model\.encoder\.hiddenSize \(about \d+ or less would fit\)/),
  specCase('hiddenSize 6000 with the bundled batch 50 (the weights alone are past the kernels)', spec('adding', { 'model.encoder.hiddenSize': 6000, 'data.length': 100, 'training.batchSize': 50 }), '"hiddenSize"', /needs about [\d.]+ GB .*lower model\.encoder\.hiddenSize \(about \d+ or less would fit\)/),
  specCase('a batch of activations too large', spec('adding', { 'model.encoder.hiddenSize': 256, 'data.samples': 20000, 'data.length': 200, 'training.batchSize': 20000 }), '"batchSize"', /lower training\.batchSize \(\d+ or less would fit\)/),
  specCase('data path missing', spec('series', { 'data.path': 'nowhere.csv' }), '"nowhere.csv"', /nowhere\.csv/),
  specCase('CSV column not in the header', spec('series', { 'data.columns': ['load', 'humidity'] }), '"humidity"', /humidity/, { 'load.csv': data['load.csv'] }),
  specCase('window 0', spec('series', { 'data.window': 0 }), '"window"', /./, { 'load.csv': data['load.csv'] }),
  specCase('maxVocab above embedding.vocabSize', spec('sentiment', { 'data.maxVocab': 50, 'model.embedding.vocabSize': 10 }), '"vocabSize"', /smaller than data\.maxVocab/, { 'reviews.csv': data['reviews.csv'] }),

  // ---------------------------------------------------------------------------------------------- data
  dataCase('NaN in a CSV series', 'series', 'load.csv', loadCsvWithLine(12, 'NaN,3'), 'NaN,3', /NaN|not a (finite )?number/i),
  dataCase('Infinity in a CSV series', 'series', 'load.csv', loadCsvWithLine(7, '4,Infinity'), '4,Infinity', /Infinity|finite/i),
  dataCase('text where a number belongs', 'series', 'load.csv', loadCsvWithLine(9, 'high,3'), 'high,3', /high|number/i),
  dataCase('unterminated quote in a CSV series', 'series', 'load.csv', loadCsvWithLine(10, '"51.2,3'), '"51.2,3', /unterminated quoted field/),
  dataCase('unterminated quote in a classification CSV', 'sentiment', 'reviews.csv', data['reviews.csv'].replace('a dull bad film,neg', '"a dull bad film,neg'), '"a dull', /unterminated quoted field/),
  dataCase('invalid UTF-8 in a text file', 'text', 'story.txt', withInvalidUtf8(`${data['story.txt']}\nand then the b@ird flew off\n`), 'and then the b', /not valid UTF-8/),
  dataCase('invalid UTF-8 in a CoNLL file', 'tagger', 'tags.conll', withInvalidUtf8(data['tags.conll'].replace('cat NOUN', 'c@t NOUN')), 't NOUN', /not valid UTF-8/),
  dataCase('invalid UTF-8 in TSV pairs', 'pairs', 'pairs.tsv', withInvalidUtf8(data['pairs.tsv'].replace('abc\tdba', 'a@bc\tdba')), 'bc\tdba', /not valid UTF-8/),
  dataCase('invalid UTF-8 in JSONL', 'jsonl', 'reviews.jsonl', withInvalidUtf8(data['reviews.jsonl'].replace('a dull bad film', 'a dull b@d film')), 'd film', /not valid UTF-8/),
  dataCase('empty cell in a CSV series', 'series', 'load.csv', loadCsvWithLine(20, ',3'), undefined, /./),
  dataCase('ragged row: a field missing', 'series', 'load.csv', loadCsvWithLine(15, '51.2'), '51.2', /field|column/i),
  dataCase('ragged row: a field too many', 'series', 'load.csv', loadCsvWithLine(16, '51.2,3,9'), '51.2,3,9', /field|column/i),
  // The spec's own checks read the data file's head: these are named at the spec line that reads it.
  { ...dataCase('CSV with a header and no rows', 'series', 'load.csv', 'load,temp\n', undefined, /load\.csv has 0 rows, fewer than window \+ horizon/), names: S, at: '"window"' },
  dataCase('CSV empty', 'series', 'load.csv', '', undefined, /the file is empty/),
  { ...dataCase('series shorter than the window', 'series', 'load.csv', csvRows(['1,2', '3,4', '5,6']), undefined, /has 3 rows, fewer than window/), names: S, at: '"window"' },
  { ...dataCase('CSV series path is a folder', 'series', 'load.csv', FOLDER, undefined, /load\.csv is a directory, not a regular file/), names: S, at: '"path"' },
  { ...dataCase('classification CSV: a label outside task.labels', 'sentiment', 'reviews.csv', data['reviews.csv'].replace('a dull bad film,neg', 'a dull bad film,awful'), undefined, /label\(s\) "awful" missing from task\.labels/), names: S, at: '"labels"' },
  { ...dataCase('classification CSV: a row without its label', 'sentiment', 'reviews.csv', data['reviews.csv'].replace('a fine good film,pos', 'a fine good film'), undefined, /label\(s\) "" missing/), names: S, at: '"labels"' },
  { ...dataCase('classification CSV: the text column missing', 'sentiment', 'reviews.csv', data['reviews.csv'].replace('text,label', 'review,label'), undefined, /Column "text" \(textField\) is not in the header/), names: S, at: '"textField"' },
  dataCase('classification CSV: no rows', 'sentiment', 'reviews.csv', 'text,label\n', undefined, /./),
  dataCase('JSONL: a line that is not JSON', 'jsonl', 'reviews.jsonl', data['reviews.jsonl'].replace('{"text":"a fine good film","label":"pos"}', '{"text": "a fine good film", "label": pos}'), 'label": pos}', /JSON/i),
  dataCase('JSONL: a line that is not an object', 'jsonl', 'reviews.jsonl', data['reviews.jsonl'].replace('{"text":"a dull bad film","label":"neg"}', '["a dull bad film", "neg"]'), '["a dull', /object/i),
  dataCase('JSONL: the text field missing', 'jsonl', 'reviews.jsonl', data['reviews.jsonl'].replace('{"text":"a fine good film","label":"pos"}', '{"body":"a fine good film","label":"pos"}'), '"body"', /text/),
  dataCase('JSONL: the text not a string', 'jsonl', 'reviews.jsonl', data['reviews.jsonl'].replace('{"text":"a fine good film","label":"pos"}', '{"text":42,"label":"pos"}'), '"text":42', /text|string/i),
  dataCase('JSONL: empty file', 'jsonl', 'reviews.jsonl', '', undefined, /./),
  dataCase('CoNLL: a token without its tag', 'tagger', 'tags.conll', data['tags.conll'].replace('cat NOUN', 'cat'), undefined, /tag|column|field/i),
  dataCase('CoNLL: empty file', 'tagger', 'tags.conll', '', undefined, /./),
  { ...dataCase('CoNLL: a tag outside task.labels', 'tagger', 'tags.conll', data['tags.conll'].replace('sat VERB', 'sat VRB'), undefined, /"VRB" missing from task\.labels/, { 'task.labels': ['DET', 'NOUN', 'VERB'] }), names: S, at: '"labels"' },
  { ...dataCase('CoNLL path is a folder', 'tagger', 'tags.conll', FOLDER, undefined, /tags\.conll is a directory, not a regular file/), names: S, at: '"path"' },
  dataCase('TSV pairs: a line without a tab', 'pairs', 'pairs.tsv', data['pairs.tsv'].replace('abc\tdba', 'abc dba'), 'abc dba', /tab/i),
  dataCase('TSV pairs: empty file', 'pairs', 'pairs.tsv', '', undefined, /./),
  dataCase('TSV pairs: an empty target', 'pairs', 'pairs.tsv', data['pairs.tsv'].replace('abc\tdba', 'abc\t'), undefined, /./),
  dataCase('text shorter than the window', 'text', 'story.txt', 'the cat', undefined, /window|short/i),
  dataCase('text file empty', 'text', 'story.txt', '', undefined, /no training examples/),
  { ...dataCase('text path is a folder', 'text', 'story.txt', FOLDER, undefined, /story\.txt is a directory, not a regular file/), names: S, at: '"path"' },

  // ---------------------------------------------------------------------------------------------- arguments
  ...(
    [
      ['missing', undefined, /no such file/],
      ['a folder', FOLDER, /is a folder, not a file/],
      ['empty', new Uint8Array(0), /is empty/],
      ['truncated', addingWeights().subarray(0, 200), /not a usable safetensors file: truncated/],
      ['float16', float16Weights(), /dtype F16; only F32/],
      ['garbage', new TextEncoder().encode('this is not a safetensors file at all'), /not a usable safetensors file/],
      ['a wrong shape', addingWeights({ shapeOf: 'encoder.weight_hh_l0' }), /encoder\.weight_hh_l0 has shape \[17, 4\] where this model has \[16, 4\]/],
      ['a tensor missing', addingWeights({ drop: 'head.output.bias' }), /missing head\.output\.bias/],
      ['an extra tensor', addingWeights({ extra: 'decoder.weight_ih_l0' }), /has decoder\.weight_ih_l0, which this model does not have/],
      ['NaN weights', addingWeights({ value: NaN }), /not finite: .* is NaN/],
      ['infinite weights', addingWeights({ value: Infinity }), /not finite: .* is Infinity/],
    ] as const
  ).flatMap(([what, content, says]): BadInputCase[] => [
    { name: `--init ${what}`, kind: 'arguments', files: { [S]: adding, ...(content === undefined ? {} : { 'w.safetensors': content }) }, args: train('--init', '$W/w.safetensors'), exit: 2, names: 'w.safetensors', says },
    { name: `--weights ${what} (predict)`, kind: 'arguments', files: { [S]: adding, 'in.json': '[[[0.5, 1], [0.2, 0]]]', ...(content === undefined ? {} : { 'w.safetensors': content }) }, args: predict('--weights', '$W/w.safetensors', '--input', '$W/in.json'), exit: 2, names: 'w.safetensors', says },
  ]),
  { name: '--weights truncated (export)', kind: 'arguments', files: { [S]: adding, 'w.safetensors': addingWeights().subarray(0, 100) }, args: ['export', `$W/${S}`, '--weights', '$W/w.safetensors', '--to', 'pytorch', '--out', '$W/py'], exit: 2, names: 'w.safetensors', says: /truncated/ },
  { name: '--resume a folder that does not exist', kind: 'arguments', files: { [S]: adding }, args: train('--resume', '$W/runs/old'), exit: 2, names: 'runs/old', says: /no such run folder/ },
  { name: '--resume a file', kind: 'arguments', files: { [S]: adding, 'old-run': 'not a folder' }, args: train('--resume', '$W/old-run'), exit: 2, names: 'old-run', says: /not a run folder/ },
  { name: '--resume a folder that is not a run', kind: 'arguments', files: { [S]: adding, 'old-run': FOLDER }, args: train('--resume', '$W/old-run'), exit: 2, names: 'old-run', says: /not a run folder \(it has no spec\.json\)/ },
  { name: '--resume a run whose spec.json is corrupt', kind: 'arguments', files: { [S]: adding, 'old-run/spec.json': '{"name": "adding", ' }, args: train('--resume', '$W/old-run'), exit: 2, names: 'old-run/spec.json', says: /cannot be resumed/ },
  { name: '--resume a run without its checkpoint', kind: 'arguments', files: { [S]: adding, 'old-run/spec.json': adding }, args: train('--resume', '$W/old-run'), exit: 2, names: 'old-run', says: /./ },
  ...(
    [
      ['truncated weights', 'truncate-weights', /\.safetensors: is not a usable safetensors file: truncated/],
      ['float16 weights', 'float16-weights', /\.safetensors: is not a usable safetensors file: .*dtype F16/],
      ['emptied JSON files', 'empty-json', /cannot be resumed/],
      ['weights removed', 'remove-weights', /\.safetensors: no such file/],
    ] as const
  ).map(([what, damage, says]): BadInputCase => ({
    name: `--resume a run folder with ${what}`, kind: 'arguments', files: { [S]: adding }, args: train('--resume', '$W/run'), exit: 2, names: 'run', says,
    setup: { args: train('--out', '$W/run', '--max-steps', '2'), damage },
  })),
  { name: '--out naming a file', kind: 'arguments', files: { [S]: adding, 'taken.txt': 'a file' }, args: train('--out', '$W/taken.txt'), exit: 2, names: 'taken.txt', says: /is a file, not a folder/ },
  { name: '--out a folder holding files', kind: 'arguments', files: { [S]: adding, 'out/model.safetensors': addingWeights() }, args: train('--out', '$W/out'), exit: 2, names: 'out', says: /already holds 1 file/ },
  { name: '--out below a file', kind: 'arguments', files: { [S]: adding, 'taken.txt': 'a file' }, args: train('--out', '$W/taken.txt/run'), exit: 2, names: 'taken.txt', says: /is a file, not a folder/ },
  { name: 'the spec is a folder', kind: 'arguments', files: { [S]: FOLDER }, args: train(), exit: 2, names: S, says: /is a folder, not a file/ },
  { name: 'the spec does not exist', kind: 'arguments', files: {}, args: train(), exit: 2, names: S, says: /no such file/ },
  { name: 'check: the spec does not exist', kind: 'arguments', files: {}, args: ['check', `$W/${S}`], exit: 2, names: S, says: /no such file/ },
  { name: '--input missing (predict)', kind: 'arguments', files: { [S]: adding, 'w.safetensors': addingWeights() }, args: predict('--weights', '$W/w.safetensors', '--input', '$W/in.json'), exit: 2, names: 'in.json', says: /no such file/ },
  { name: '--input a folder (predict)', kind: 'arguments', files: { [S]: adding, 'w.safetensors': addingWeights(), 'in.json': FOLDER }, args: predict('--weights', '$W/w.safetensors', '--input', '$W/in.json'), exit: 2, names: 'in.json', says: /is a folder/ },
  { name: '--input not JSON (predict)', kind: 'arguments', files: { [S]: adding, 'w.safetensors': addingWeights(), 'in.json': '[[[0.5, 1]],\n  oops]' }, args: predict('--weights', '$W/w.safetensors', '--input', '$W/in.json'), exit: 2, names: 'in.json', at: 'oops', says: /JSON/ },
  { name: '--output in a folder that does not exist (predict)', kind: 'arguments', files: { [S]: adding, 'w.safetensors': addingWeights(), 'in.json': '[[[0.5, 1], [0.2, 0]]]' }, args: predict('--weights', '$W/w.safetensors', '--input', '$W/in.json', '--output', '$W/no/such/out.json'), exit: 2, names: 'no/such', says: /does not exist/ },

  // ---------------------------------------------------------------------------------------------- faults
  { name: 'read-only output folder', kind: 'faults', files: { [S]: adding }, args: train(), exit: 2, names: '.seqlab/runs', says: /read-only/, fault: { fn: 'mkdirSync', code: 'EROFS', pathEnd: '/runs' } },
  { name: 'read-only --out folder', kind: 'faults', files: { [S]: adding }, args: train('--out', '$W/out'), exit: 2, names: 'out', says: /the file system is read-only: cannot create it/, fault: { fn: 'mkdirSync', code: 'EROFS', pathEnd: '/out' } },
  { name: 'permission denied on the run folder', kind: 'faults', files: { [S]: adding }, args: train(), exit: 2, names: '.seqlab/runs', says: /permission denied/, fault: { fn: 'mkdirSync', code: 'EACCES', pathEnd: '/runs' } },
  { name: 'disk full creating the run folder', kind: 'faults', files: { [S]: adding }, args: train(), exit: 2, names: '.seqlab/runs', says: /the disk is full/, fault: { fn: 'mkdirSync', code: 'ENOSPC', pathEnd: '/runs' } },
  { name: 'permission denied reading the data', kind: 'faults', files: { [S]: spec('series'), 'load.csv': data['load.csv'] }, args: train(), exit: 2, names: 'load.csv', says: /cannot read the data file: .*permission denied: cannot read it/, check: true, fault: { fn: 'openSync', code: 'EACCES', pathEnd: 'load.csv', after: 1 } },
  { name: 'permission denied opening the data for the spec checks', kind: 'faults', files: { [S]: spec('series'), 'load.csv': data['load.csv'] }, args: train(), exit: 2, names: S, at: '"path"', says: /Cannot read .*load\.csv: permission denied: cannot read it/, check: true, fault: { fn: 'openSync', code: 'EACCES', pathEnd: 'load.csv' } },
  { name: 'I/O error reading the spec', kind: 'faults', files: { [S]: adding }, args: train(), exit: 2, names: S, says: /input\/output error/, check: true, fault: { fn: 'readFileSync', code: 'EIO', pathEnd: S } },
  { name: 'permission denied reading --init', kind: 'faults', files: { [S]: adding, 'w.safetensors': addingWeights() }, args: train('--init', '$W/w.safetensors'), exit: 2, names: 'w.safetensors', says: /permission denied/, fault: { fn: 'readFileSync', code: 'EACCES', pathEnd: 'w.safetensors' } },
  { name: 'permission denied listing --out', kind: 'faults', files: { [S]: adding, out: FOLDER }, args: train('--out', '$W/out'), exit: 2, names: 'out', says: /permission denied/, fault: { fn: 'readdirSync', code: 'EACCES', pathEnd: '/out' } },
  { name: 'disk full writing predictions', kind: 'faults', files: { [S]: adding, 'w.safetensors': addingWeights(), 'in.json': '[[[0.5, 1], [0.2, 0]]]' }, args: predict('--weights', '$W/w.safetensors', '--input', '$W/in.json', '--output', '$W/out.json'), exit: 2, names: 'out.json', says: /the disk is full: cannot write it/, fault: { fn: 'openSync', code: 'ENOSPC', pathEnd: '.tmp' } },
];
