import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, Tensor } from '../tensor';
import { fixturesDir, loadFixture } from '../../test/fixtures/load';
import { fixtureValues } from '../../test/fixtures/layers/fixtureTensors';
import { Linear } from './linear';
import { prefixed } from './parameter';
import { decodeSafetensors, encodeSafetensors } from './safetensors';
import { loadStateDict, stateDict } from './stateDict';

const referenceBytes = () => new Uint8Array(readFileSync(join(fixturesDir, 'layers', 'reference.safetensors')));

/** A file built from a header object and raw data, for the error cases. */
function handMade(header: object, dataBytes: number, padTo8 = true): Uint8Array {
  let json = new TextEncoder().encode(JSON.stringify(header));
  if (padTo8 && json.length % 8) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(8 - (json.length % 8)));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

test('a file laid out by the reference rules decodes to the same values and metadata', () => {
  const f = loadFixture('layers/safetensors.json');
  const { tensors, metadata } = decodeSafetensors(referenceBytes());
  assert.deepEqual(metadata, f.meta.metadata);
  assert.deepEqual(Object.keys(tensors).sort(), Object.keys(f.arrays).sort());
  for (const [name, expected] of Object.entries(f.arrays)) {
    assert.deepEqual(tensors[name].shape, expected.shape, name);
    // Exact: both sides hold the same float32 values.
    assert.deepEqual([...tensors[name].data], fixtureValues(f, name).map(Math.fround), name);
  }
});

test('encoding the decoded tensors reproduces the reference file byte for byte', () => {
  const bytes = referenceBytes();
  const { tensors, metadata } = decodeSafetensors(bytes);
  // Insertion order must not matter: the encoder sorts by name like the reference implementation.
  const shuffled: Record<string, Tensor> = {};
  for (const name of Object.keys(tensors).reverse()) shuffled[name] = tensors[name];
  assert.deepEqual(encodeSafetensors(shuffled, { seqlab: metadata.seqlab, format: metadata.format }), bytes);
});

test('round trip keeps names, shapes and every bit of the values (including -0, ∞ and NaN)', () => {
  const weird = Tensor.from([-0, Infinity, -Infinity, NaN, 1e-45, 3.4028234663852886e38], [2, 3]);
  const a = Tensor.zeros([4, 5]);
  new Rng(1).fillNormal(a.data);
  const decoded = decodeSafetensors(encodeSafetensors({ 'b.weird': weird, 'a.weights': a }));
  assert.deepEqual(decoded.metadata, {});
  assert.deepEqual(decoded.tensors['b.weird'].shape, [2, 3]);
  assert.ok(Object.is(decoded.tensors['b.weird'].data[0], -0));
  assert.deepEqual(new Uint8Array(decoded.tensors['b.weird'].data.buffer), new Uint8Array(weird.data.buffer));
  assert.deepEqual([...decoded.tensors['a.weights'].data], [...a.data]);
  const bytes = encodeSafetensors({ x: a });
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal(headerLength % 8, 0, 'header padded to 8 bytes');
});

test('decoding rejects other dtypes, truncated files, overlaps, gaps and bad sizes with clear messages', () => {
  assert.throws(() => decodeSafetensors(new Uint8Array(5)), /truncated file: 5 bytes/);
  const good = referenceBytes();
  assert.throws(() => decodeSafetensors(good.subarray(0, 40)), /truncated file: header declares \d+ bytes but only 32 follow/);
  assert.throws(() => decodeSafetensors(good.subarray(0, good.length - 4)), /truncated file: tensors need \d+ data bytes but only \d+ are present/);
  assert.throws(() => decodeSafetensors(handMade({ h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, 4)), /tensor 'h' has dtype F16; only F32 is supported/);
  assert.throws(
    () => decodeSafetensors(handMade({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12)),
    /overlapping offsets: tensor 'b' \[4, 12\) overlaps 'a' \[0, 8\)/,
  );
  assert.throws(() => decodeSafetensors(handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8)), /gap in the data/);
  assert.throws(() => decodeSafetensors(handMade({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8)), /of shape \[3\] needs 12 bytes but data_offsets \[0, 8\) hold 8/);
  assert.throws(() => decodeSafetensors(handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 8)), /4 trailing data bytes/);
  const garbage = new Uint8Array(16);
  new DataView(garbage.buffer).setBigUint64(0, 1n << 40n, true);
  assert.throws(() => decodeSafetensors(garbage), /over the 100000000-byte limit/);
});

test('stateDict/loadStateDict move weights between models and name missing, unexpected and mis-shaped keys', () => {
  const source = prefixed('fc', new Linear(3, 2, new Rng(1)).namedParameters());
  const targetLayer = new Linear(3, 2, new Rng(2));
  const target = prefixed('fc', targetLayer.namedParameters());
  const decoded = decodeSafetensors(encodeSafetensors(stateDict(source))).tensors;
  assert.deepEqual(loadStateDict(target, decoded), { missingKeys: [], unexpectedKeys: [] });
  assert.deepEqual([...targetLayer.weight.value.data], [...source[0].parameter.value.data]);

  const partial = { 'fc.weight': decoded['fc.weight'], 'head.bias': Tensor.zeros([1]) };
  assert.throws(() => loadStateDict(target, partial), (e: Error) => /missing keys: fc\.bias/.test(e.message) && /unexpected keys: head\.bias/.test(e.message));
  assert.deepEqual(loadStateDict(target, partial, { strict: false }), { missingKeys: ['fc.bias'], unexpectedKeys: ['head.bias'] });

  const before = targetLayer.bias!.value.data.slice();
  const misShaped = { 'fc.weight': Tensor.zeros([3, 2]), 'fc.bias': Tensor.from([9, 9], [2]) };
  assert.throws(() => loadStateDict(target, misShaped, { strict: false }), /size mismatch for fc\.weight: checkpoint has shape \[3, 2\], model has shape \[2, 3\]/);
  assert.deepEqual([...targetLayer.bias!.value.data], [...before], 'a failed load changes nothing');
});
