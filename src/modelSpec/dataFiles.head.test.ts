// Spec analysis from a data file's stat and head only: what a head cut mid-line may and may not say, and the
// located refusal of paths that are not regular files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec, specTemplates } from '.';
import { dataHead, estimateFromHead, type DataFileFacts, type ReadableDataFile } from './dataFiles';
import { describeDataFileKind, type DataFileKind } from './dataFileKind';
import { withCode } from './testSupport';

const template = (id: string) => specTemplates().find((t) => t.id === id)!.text;
const covered = (text: string, d: { offset: number; length: number }) => text.slice(d.offset, d.offset + d.length);
const headFacts = (head: string, size: number): ReadableDataFile => ({ status: 'file', size, mtimeMs: 1, head, headBytes: head.length, complete: head.length >= size });
const contextFor = (dataPath: string, facts: DataFileFacts | undefined) => ({
  specPath: '/s/spec.seqmodel.json',
  dataFile: (p: string) => (p === dataPath ? facts : { status: 'missing' as const }),
  readTextFile: () => {
    throw new Error('a whole-file read during analysis');
  },
});

test('a head cut mid-line keeps only its complete lines', () => {
  const head = dataHead(headFacts('\uFEFFtext,label\ngreat,positive\r\nawful,negative\nmeh,neu', 1_000_000));
  assert.deepEqual(head.lines, ['text,label', 'great,positive', 'awful,negative']);
  assert.equal(head.complete, false);
  assert.ok(head.coveredBytes < 52 && head.coveredBytes > 40, `covered ${head.coveredBytes} bytes of the head's complete lines`);
  assert.equal(estimateFromHead(head, 3), Math.round(3 * 1_000_000 / head.coveredBytes), 'counts scale with the file size');
  assert.deepEqual(dataHead(headFacts('one line without its end', 10_000)).lines, [], 'a head without a line break holds no complete line');
  const whole = dataHead(headFacts('a\nb', 3));
  assert.deepEqual(whole.lines, ['a', 'b'], 'a complete head keeps its last line, ended or not');
  assert.equal(estimateFromHead(whole, 2), 2);
});

test('labels from a partial head: a cut label is not reported, an unseen listed label is not called unused', () => {
  const text = template('classifier'); // labels negative, positive; data/sentiment.csv
  const dataPath = '/s/data/sentiment.csv';
  const cut = headFacts('text,label\ngreat film,positive\nawful,negative\nmeh,neu', 50_000_000);
  const fromHead = analyzeSpec(text, contextFor(dataPath, cut));
  assert.deepEqual(withCode(fromHead, 'semantic/label-not-listed'), [], 'the partial last line ("neu") is dropped');
  const onlyPositive = headFacts('text,label\ngreat film,positive\nfine,positive\nmeh,', 50_000_000);
  assert.deepEqual(withCode(analyzeSpec(text, contextFor(dataPath, onlyPositive)), 'semantic/label-unused'), [], '"negative" may come after the head');
  const complete = headFacts('text,label\ngreat film,positive\nfine,positive\n', 44);
  assert.equal(withCode(analyzeSpec(text, contextFor(dataPath, complete)), 'semantic/label-unused').length, 1, 'a complete head does say it');
  const listedNot = headFacts('text,label\ngreat film,positive\nmeh,neutral\nawful,neg', 50_000_000);
  const [d] = withCode(analyzeSpec(text, contextFor(dataPath, listedNot)), 'semantic/label-not-listed');
  assert.match(d.message, /"neutral"/, 'a label on a complete line of the head is a fact about the file');
  assert.doesNotMatch(d.message, /"neg"/);
});

test('rows of a partial head are not counted as the whole file', () => {
  const forecaster = JSON.parse(template('forecaster'));
  const text = JSON.stringify(forecaster, null, 2);
  const dataPath = `/s/${forecaster.data.path.replace(/^\.\//, '')}`;
  const columns: string[] = forecaster.data.columns;
  const header = columns.join(',');
  const fewRows = `${header}\n${columns.map(() => '1').join(',')}\n${columns.map(() => '2').join(',')}\n`;
  assert.equal(withCode(analyzeSpec(text, contextFor(dataPath, headFacts(fewRows, fewRows.length))), 'semantic/too-few-rows').length, 1, 'a complete small file is too short');
  assert.deepEqual(withCode(analyzeSpec(text, contextFor(dataPath, headFacts(fewRows, 200_000_000))), 'semantic/too-few-rows'), [], 'a head of long lines says nothing about the rows after it');
  const misspelt = headFacts(`${header.replace(columns[0], 'zzz')}\n1\n`, 200_000_000);
  assert.ok(withCode(analyzeSpec(text, contextFor(dataPath, misspelt)), 'semantic/unknown-column').some((d) => d.message.includes(`"${columns[0]}"`)), 'the header line is in the head');
  assert.deepEqual(analyzeSpec(text, contextFor(dataPath, headFacts(header.slice(0, 3), 200_000_000))).diagnostics.filter((d) => d.code.startsWith('semantic/')), [], 'a header cut by the head is not judged');
});

test('a data path that is not a regular file is refused on data.path; facts not known yet wait', () => {
  const text = template('classifier');
  const dataPath = '/s/data/sentiment.csv';
  for (const kind of ['fifo', 'directory', 'character-device', 'block-device', 'socket'] as DataFileKind[]) {
    const [d, ...rest] = withCode(analyzeSpec(text, contextFor(dataPath, { status: 'not-a-file', kind })), 'semantic/data-not-a-file');
    assert.equal(rest.length, 0);
    assert.equal(d.severity, 'error');
    assert.equal(covered(text, d), '"data/sentiment.csv"', kind);
    assert.match(d.message, /^\/s\/data\/sentiment\.csv is .*not a regular file/);
  }
  const [missing] = withCode(analyzeSpec(text, contextFor(dataPath, { status: 'missing' })), 'semantic/file-not-found');
  assert.equal(covered(text, missing), '"data/sentiment.csv"');
  const pending = analyzeSpec(text, contextFor(dataPath, undefined));
  assert.deepEqual(pending.diagnostics.filter((d) => d.code.startsWith('semantic/')), [], 'no file diagnostic before the stat is known');
  assert.equal(pending.dataFile?.absolutePath, dataPath, 'the analysis says which file it waits for');
});

test('describeDataFileKind decides from the stat alone', () => {
  const stat = (which: string) => Object.fromEntries(['isFile', 'isDirectory', 'isFIFO', 'isCharacterDevice', 'isBlockDevice', 'isSocket'].map((m) => [m, () => m === which])) as unknown as Parameters<typeof describeDataFileKind>[0];
  assert.deepEqual(['isFile', 'isDirectory', 'isFIFO', 'isCharacterDevice', 'isBlockDevice', 'isSocket', 'none'].map((m) => describeDataFileKind(stat(m))), ['file', 'directory', 'fifo', 'character-device', 'block-device', 'socket', 'other']);
});
