import { test } from 'node:test';
import assert from 'node:assert/strict';
import { divergingScale, formatCssColour, legendStops, mixColours, parseCssColour, sequentialScale } from './colourScale';

test('theme colour strings in every form VS Code uses are parsed', () => {
  assert.deepEqual(parseCssColour('#1e1e1e'), { red: 30, green: 30, blue: 30, alpha: 1 });
  assert.deepEqual(parseCssColour('#fff'), { red: 255, green: 255, blue: 255, alpha: 1 });
  assert.deepEqual(parseCssColour(' #FF000080 '), { red: 255, green: 0, blue: 0, alpha: 128 / 255 });
  assert.deepEqual(parseCssColour('rgba(55, 148, 255, 0.5)'), { red: 55, green: 148, blue: 255, alpha: 0.5 });
  assert.deepEqual(parseCssColour('rgb(10 20 30 / 40%)'), { red: 10, green: 20, blue: 30, alpha: 0.4 });
  assert.equal(parseCssColour('var(--x)'), undefined);
  assert.equal(parseCssColour('#12345'), undefined);
});

test('mixing clamps t and interpolates each channel', () => {
  const black = { red: 0, green: 0, blue: 0, alpha: 1 };
  const white = { red: 255, green: 255, blue: 255, alpha: 1 };
  assert.equal(mixColours(black, white, 0.5).red, 127.5);
  assert.equal(mixColours(black, white, 7).green, 255);
  assert.equal(mixColours(black, white, -1).blue, 0);
  assert.equal(formatCssColour(mixColours(black, white, 0.5)), 'rgba(128, 128, 128, 1)');
});

test('a sequential scale runs from the background to the high colour', () => {
  const background = parseCssColour('#000000')!;
  const blue = parseCssColour('#0000ff')!;
  const scale = sequentialScale(0, 1, background, blue);
  assert.equal(scale.colourOf(0).blue, 0);
  assert.equal(scale.colourOf(1).blue, 255);
  assert.equal(scale.colourOf(0.25).blue, 63.75);
});

test('a diverging scale is the background at its midpoint and saturates at both ends', () => {
  const red = parseCssColour('#ff0000')!;
  const background = parseCssColour('#808080')!;
  const blue = parseCssColour('#0000ff')!;
  const scale = divergingScale(-1, 1, red, background, blue);
  assert.deepEqual(scale.colourOf(0), background);
  assert.deepEqual(scale.colourOf(-1), red);
  assert.deepEqual(scale.colourOf(1), blue);
  assert.equal(scale.colourOf(-0.5).red, 128 + (255 - 128) * 0.5);
  assert.deepEqual(legendStops(scale, 3).map((s) => s.value), [-1, 0, 1]);
});
