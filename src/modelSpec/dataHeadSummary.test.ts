// The hover on data.path: a light summary from the file's stat and head, exact only when the head is the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec, dataPathHoverAt, specTemplates } from '.';
import type { DataFileFacts, ReadableDataFile } from './dataFiles';
import { columnSummary, summarizeDataHead } from './dataHeadSummary';

const template = (id: string) => specTemplates().find((t) => t.id === id)!.text;
const fileFacts = (head: string, size: number): ReadableDataFile => ({ status: 'file', size, mtimeMs: 1, head, headBytes: head.length, complete: head.length >= size });

function hoverOnDataPath(text: string, facts: DataFileFacts | undefined) {
  const analysis = analyzeSpec(text, { specPath: '/s/spec.seqmodel.json', dataFile: () => facts });
  const at = text.indexOf('"data/') + 3;
  return dataPathHoverAt(analysis, at);
}

test('columns get their type and head statistics; the row count is exact only for a whole file', () => {
  const text = template('classifier'); // data/sentiment.csv
  const head = 'text,label,stars\ngreat film,positive,5\nawful,negative,1\nfine,positive,4\nmeh,negat';
  const hover = hoverOnDataPath(text, fileFacts(head, 200_000_000));
  assert.ok(hover);
  assert.equal(text.slice(hover.offset, hover.offset + hover.length), '"data/sentiment.csv"');
  assert.match(hover.markdown, /CSV, 200\.0 MB/);
  assert.match(hover.markdown, /≈ [\d,]+ rows, estimated from the first 65\.5 kB \(3 rows\)/);
  assert.match(hover.markdown, /\| `stars` \| number \| min 1 · max 5 · mean 3\.33 · std 1\.7 \|/);
  assert.match(hover.markdown, /\| `label` \| text \| 2 distinct of 3: `positive` 2, `negative` 1 \|/, 'the cut line "meh,negat" is not counted');
  assert.match(hover.markdown, /known only after a full read/);

  const whole = 'text,label\ngreat film,positive\nawful,negative\n';
  const exact = hoverOnDataPath(text, fileFacts(whole, whole.length))!.markdown;
  assert.match(exact, /^\*\*Data file\*\* `data\/sentiment\.csv` — CSV, 46 B\n\n2 rows \(the whole file\)\./);
  assert.doesNotMatch(exact, /≈|full read/);
});

test('the hover says what is known when the file is refused, missing or not read yet', () => {
  const text = template('classifier');
  assert.match(hoverOnDataPath(text, { status: 'not-a-file', kind: 'fifo' })!.markdown, /is a named pipe \(FIFO\), not a regular file/);
  assert.match(hoverOnDataPath(text, { status: 'missing' })!.markdown, /Not found: `\/s\/data\/sentiment\.csv`/);
  assert.match(hoverOnDataPath(text, undefined)!.markdown, /Reading its first 65\.5 kB/);
  const analysis = analyzeSpec(text, { specPath: '/s/spec.seqmodel.json', dataFile: () => ({ status: 'missing' }) });
  assert.equal(dataPathHoverAt(analysis, text.indexOf('"encoder"')), undefined, 'elsewhere it is the layer hover');
});

test('each data source is summarised in its own unit', () => {
  const conll = summarizeDataHead({ source: 'conll', path: 'a.conll' } as never, fileFacts('EU B-ORG\nrejects O\n\nPeter B-PER\nBlack I-PER\n\nThe O\n', 45));
  assert.deepEqual([conll.unit, conll.inHead, conll.complete], ['sentence', 3, true]);
  assert.deepEqual(conll.columns.find((c) => c.name === 'tag')?.top?.map((t) => t.value), ['O', 'B-ORG', 'B-PER', 'I-PER']);
  const text = summarizeDataHead({ source: 'text', path: 'a.txt', tokenizer: 'char' } as never, fileFacts('to be or\nnot to', 1000));
  assert.deepEqual([text.unit, text.inHead, text.estimate], ['character', 9, Math.round(9 * 1000 / 9)]);
  const jsonl = summarizeDataHead({ source: 'text-classification', path: 'a.jsonl' } as never, fileFacts('{"text":"hi","label":1}\n{"text":"yo","label":0}\n', 48));
  assert.deepEqual(jsonl.columns.map((c) => [c.name, c.type]), [['text', 'text'], ['label', 'number']]);
  assert.deepEqual(columnSummary('x', ['1', ' ', '2e3', undefined]), { name: 'x', type: 'number', count: 2, min: 1, max: 2000, mean: 1000.5, std: 999.5 });
});
