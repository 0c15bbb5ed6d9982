import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GrowableIds, growableFloat64 } from './growable';

test('growable ids start as bytes and widen only when an id needs it, keeping what was pushed', () => {
  const ids = new GrowableIds(2);
  for (const id of [1, 255, 7]) ids.push(id);
  const bytes = ids.trimmed();
  assert.ok(bytes instanceof Uint8Array);
  assert.deepEqual(Array.from(bytes), [1, 255, 7]);
  for (const id of [3, 256, 4, 65535, 65536, 9]) ids.push(id);
  const wide = ids.trimmed();
  assert.ok(wide instanceof Int32Array);
  assert.deepEqual(Array.from(wide), [3, 256, 4, 65535, 65536, 9]);
  ids.push(300);
  assert.ok(ids.trimmed() instanceof Uint16Array);
});

test('growable arrays keep every value across doublings and a reservation', () => {
  const values = growableFloat64(16);
  for (let i = 0; i < 100; i++) values.push(i / 3);
  values.reserve(1000);
  for (let i = 100; i < 150; i++) values.push(i / 3);
  const out = values.trimmed();
  assert.equal(out.length, 150);
  assert.deepEqual(Array.from(out), Array.from({ length: 150 }, (_, i) => i / 3));
});
