import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvStreamParser, parseCsv, parseCsvWithHeader, type CsvRecord } from './csv';
import { DataError } from './types';

const texts = (text: string) => parseCsv(text, 'f.csv').map((record) => record.fields.map((field) => field.text));

test('csv: quoted fields keep commas, doubled quotes and line breaks', () => {
  assert.deepEqual(texts('a,b\n"x, y","say ""hi"""\n"two\nlines",z\n'), [
    ['a', 'b'],
    ['x, y', 'say "hi"'],
    ['two\nlines', 'z'],
  ]);
});

test('csv: CRLF, a lone CR, a BOM and blank lines are handled', () => {
  assert.deepEqual(texts('\uFEFFa,b\r\n1,2\r\n\r\n3,4\r5,6'), [
    ['a', 'b'],
    ['1', '2'],
    ['3', '4'],
    ['5', '6'],
  ]);
});

test('csv: empty fields and a trailing delimiter give empty strings; a quoted empty line is a record', () => {
  assert.deepEqual(texts('a,,c,\n""\n'), [['a', '', 'c', ''], ['']]);
});

test('csv: positions are 1-based lines and columns of each field, counted after a BOM', () => {
  const records = parseCsv('\uFEFFname,value\n"multi\nline",42\n\nlast,7', 'f.csv');
  const positions = records.map((record) => record.fields.map((field) => `${field.line}:${field.column}`));
  assert.deepEqual(positions, [['1:1', '1:6'], ['2:1', '3:7'], ['5:1', '5:6']]);
  assert.deepEqual(records.map((record) => record.line), [1, 2, 5]);
});

test('csv: an unterminated quote is reported where it opens', () => {
  assert.throws(() => parseCsv('a,b\n1,"open\n2,3\n', 'data/x.csv'), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.equal(error.message, 'data/x.csv:2:3: unterminated quoted field (a `"` is never closed)');
    return true;
  });
});

test('csv: text after a closing quote is an error at that character', () => {
  assert.throws(() => parseCsv('"ab"c,d', 'x.csv'), /x\.csv:1:5: unexpected "c" after a closing quote/);
});

test('csv: a row with the wrong number of fields names its line', () => {
  assert.throws(() => parseCsvWithHeader('a,b,c\n1,2,3\n4,5\n', 'x.csv'), /x\.csv:3:4: expected 3 fields as in the header, found 2/);
  assert.throws(() => parseCsvWithHeader('a,b\n1,2,3\n', 'x.csv'), /x\.csv:2:5: expected 2 fields as in the header, found 3/);
});

test('csv stream: every cut of the text into two chunks gives the same records and positions as one piece', () => {
  const text = '\uFEFFname,value\r\n"multi\r\nline, ""q""",42\r\n\r\nlast,7\rx,"y"';
  const whole = parseCsv(text, 'f.csv');
  assert.deepEqual(whole.map((record) => record.fields.map((field) => `${field.line}:${field.column} ${field.text}`)), [
    ['1:1 name', '1:6 value'],
    ['2:1 multi\r\nline, "q"', '3:14 42'],
    ['5:1 last', '5:6 7'],
    ['6:1 x', '6:3 y'],
  ]);
  for (let cut = 0; cut <= text.length; cut++) {
    const records: CsvRecord[] = [];
    const parser = new CsvStreamParser('f.csv', (record) => records.push(record));
    parser.push(text.slice(0, cut));
    parser.push(text.slice(cut));
    parser.end();
    assert.deepEqual(records, whole, `cut at ${cut}`);
  }
});

test('csv stream: an unterminated quote is reported at its opening line even when the file arrives in chunks', () => {
  const parser = new CsvStreamParser('x.csv', () => {});
  for (const chunk of ['a,b\n1,2\n3,"op', 'en\n4,5\n', '6,7\n']) parser.push(chunk);
  assert.throws(() => parser.end(), /x\.csv:3:3: unterminated quoted field/);
});
