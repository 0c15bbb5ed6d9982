// The sniffer against a corpus of small files of every format (test/fixtures/sniff, expected results in
// expected.json): format, delimiter, header, column kinds, the proposed task and its label or target column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sniffData, trendCheck, type ColumnKind } from './sniff';

const corpus = join(__dirname, '..', '..', 'test', 'fixtures', 'sniff');
interface Expected {
  format: string;
  delimiter?: string;
  header?: boolean;
  kinds?: Record<string, ColumnKind>;
  task: string | null;
  target?: string;
  inputs?: string[];
  trending?: boolean;
  textField?: string;
  labelField?: string;
  labels?: string[];
  tags?: string[];
}
const expected = JSON.parse(readFileSync(join(corpus, 'expected.json'), 'utf8')) as Record<string, Expected>;

test('sniff corpus: every file has an expectation, and at least 12 files of csv and 5 of each other format', () => {
  const files = readdirSync(corpus).filter((f) => f !== 'expected.json').sort();
  assert.deepEqual(files, Object.keys(expected).sort());
  const perFormat = new Map<string, number>();
  for (const e of Object.values(expected)) perFormat.set(e.format, (perFormat.get(e.format) ?? 0) + 1);
  assert.ok((perFormat.get('csv') ?? 0) >= 12, JSON.stringify([...perFormat]));
  for (const format of ['tsv', 'jsonl', 'conll', 'text']) assert.ok((perFormat.get(format) ?? 0) >= 5, `${format}: ${perFormat.get(format)}`);
});

for (const [file, want] of Object.entries(expected)) {
  test(`sniff corpus: ${file}`, () => {
    const result = sniffData(file, readFileSync(join(corpus, file), 'utf8'));
    assert.equal(result.format, want.format);
    if ('delimiter' in want) assert.equal(result.delimiter, want.delimiter);
    if ('header' in want) assert.equal(result.header, want.header);
    for (const [name, kind] of Object.entries(want.kinds ?? {})) {
      assert.equal(result.columns.find((c) => c.name === name)?.kind, kind, `column ${name}`);
    }
    if (want.task === null) {
      assert.equal(result.proposal, undefined, `proposed ${JSON.stringify(result.proposal)}`);
      assert.ok(result.reason && result.reason.length > 20, 'a sentence says why no task fits');
      return;
    }
    const p = result.proposal;
    assert.ok(p, result.reason);
    assert.equal(p.task, want.task);
    if (p.task === 'forecast') {
      assert.equal(p.target, want.target);
      assert.deepEqual(p.inputs, want.inputs);
      assert.equal(p.trend.trending, want.trending);
    }
    if (p.task === 'classify') {
      assert.equal(p.textField, want.textField);
      assert.equal(p.labelField, want.labelField);
      assert.deepEqual(p.labels, want.labels);
      assert.equal(p.format, want.format === 'jsonl' ? 'jsonl' : 'csv');
    }
    if (p.task === 'tag') assert.deepEqual(p.tags, want.tags);
  });
}

test('sniff: a date column is never the target, a low-cardinality string column is a label, not an input', () => {
  const rows = Array.from({ length: 40 }, (_, i) => `2024-02-${String((i % 28) + 1).padStart(2, '0')},${(Math.sin(i / 4) * 10).toFixed(2)},${i % 2 ? 'up' : 'down'}`);
  const result = sniffData('x.csv', `day,level,direction\n${rows.join('\n')}\n`);
  assert.deepEqual(result.columns.map((c) => c.kind), ['date', 'number', 'label']);
  assert.equal(result.proposal?.task, 'forecast');
  assert.equal(result.proposal?.task === 'forecast' && result.proposal.target, 'level');
  assert.deepEqual(result.proposal?.task === 'forecast' && result.proposal.inputs, ['level']);
});

test('sniff: a head cut mid-line keeps whole lines only and extrapolates the record count', () => {
  const full = `a,b\n${Array.from({ length: 1000 }, (_, i) => `${i % 17},${(i * 7) % 13}`).join('\n')}\n`;
  const head = full.slice(0, 2003); // ends inside a row
  const result = sniffData('big.csv', head, { fileSize: full.length });
  assert.equal(result.truncated, true);
  const wholeRows = head.slice(0, head.lastIndexOf('\n') + 1).split('\n').length - 2; // minus header and the final ''
  assert.equal(result.records, wholeRows);
  assert.ok(Math.abs(result.estimatedRecords - 1000) < 5, String(result.estimatedRecords));
  assert.ok(result.columns.every((c) => c.kind === 'number'), 'the cut last line would have been a bad number');
});

test('sniff: --task and --target override the likeliest guess, and an impossible request says why', () => {
  const text = readFileSync(join(corpus, 'daily-weather.csv'), 'utf8');
  const rain = sniffData('daily-weather.csv', text, { target: 'rain_mm' }).proposal;
  assert.equal(rain?.task === 'forecast' && rain.target, 'rain_mm');
  assert.equal(sniffData('daily-weather.csv', text, { task: 'generate' }).proposal?.task, 'generate');
  const tag = sniffData('daily-weather.csv', text, { task: 'tag' });
  assert.equal(tag.proposal, undefined);
  assert.match(tag.reason!, /does not look like data for task "tag".*forecast/);
  const missing = sniffData('daily-weather.csv', text, { target: 'nope' });
  assert.match(missing.reason!, /"nope" is not a numeric column/);
  assert.match(sniffData('x.csv', text, { task: 'regress' }).reason!, /synthetic/);
});

test('trendCheck: the share of validation values outside the training range, on the proposed split', () => {
  // 100 rows: training 0..74, validation 75..89, test 90..99.
  const rising = Float64Array.from({ length: 100 }, (_, i) => i);
  assert.deepEqual(trendCheck(rising), { outsideShare: 1, trending: true });
  const seasonal = Float64Array.from({ length: 100 }, (_, i) => i % 10);
  assert.deepEqual(trendCheck(seasonal), { outsideShare: 0, trending: false });
  const fewAbove = Float64Array.from({ length: 100 }, (_, i) => (i === 80 || i === 81 ? 5 : i % 2));
  assert.equal(trendCheck(fewAbove).outsideShare, 2 / 15);
  assert.equal(trendCheck(fewAbove).trending, false);
});
