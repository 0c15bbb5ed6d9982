// The wasm allocator: released blocks go back to a free list of their size class and are handed out again
// (zeroed), so memory is bounded by the peak of what is live, not by everything ever allocated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWasmKernels } from './wasmKernels';
import { sizeClassBytes } from './wasmRuntime';

const wasm = createWasmKernels();
assert.ok(wasm, 'this engine has no WebAssembly SIMD with shared memory (Node 20 has both): the wasm backend cannot be tested');

test('size classes: 64-byte multiples, at least the request, under 12.5 % waste above 512 bytes', () => {
  for (let bytes = 0; bytes <= 1 << 20; bytes += 4 + (bytes >> 6)) {
    const size = sizeClassBytes(bytes);
    assert.equal(size % 64, 0, `${bytes} → ${size}`);
    assert.ok(size >= bytes, `${bytes} → ${size}`);
    if (bytes > 512) assert.ok(size < bytes * 1.125, `${bytes} → ${size}`);
  }
  assert.equal(sizeClassBytes(1000 * 4), sizeClassBytes(1010 * 4), 'nearby sizes share a class');
});

test('a released block is reused, zeroed, for a request of the same size class', () => {
  const runtime = wasm!.runtime;
  const first = wasm!.alloc(1000);
  first.fill(7);
  const highWater = runtime.allocatedBytes;
  wasm!.release!(first);
  const second = wasm!.alloc(1010);
  assert.equal(second.byteOffset, first.byteOffset, 'same block');
  assert.equal(second.length, 1010);
  assert.ok(second.every((v) => v === 0), 'zeroed like a fresh allocation');
  assert.equal(runtime.allocatedBytes, highWater, 'no new heap bytes');
  const third = wasm!.alloc(1000);
  assert.notEqual(third.byteOffset, second.byteOffset, 'a live block is never handed out twice');
});

test('release ignores arrays it did not hand out, views inside a block and double releases', () => {
  const runtime = wasm!.runtime;
  const block = wasm!.alloc(256);
  wasm!.release!(new Float32Array(256));
  wasm!.release!(block.subarray(16));
  const freeBefore = runtime.freeBytes;
  wasm!.release!(block);
  wasm!.release!(block);
  assert.equal(runtime.freeBytes - freeBefore, sizeClassBytes(256 * 4), 'released exactly once');
  const a = wasm!.alloc(256), b = wasm!.alloc(256);
  assert.notEqual(a.byteOffset, b.byteOffset);
});

test('alternating sizes with releases reach a steady memory size', () => {
  const runtime = wasm!.runtime;
  const sizes = [5000, 123, 70000, 4999, 64, 250000, 1];
  const round = () => {
    const blocks = sizes.map((n) => wasm!.alloc(n));
    blocks.forEach((b) => wasm!.release!(b));
  };
  round();
  const highWater = runtime.allocatedBytes, memory = runtime.memoryBytes;
  for (let i = 0; i < 50; i++) round();
  assert.equal(runtime.allocatedBytes, highWater);
  assert.equal(runtime.memoryBytes, memory);
});

test('a free block serves a smaller request down to half its size, and goes back to its own class', () => {
  const own = createWasmKernels()!;
  const runtime = own.runtime;
  const large = own.alloc(2000);
  own.release!(large);
  const tooSmall = own.alloc(900);
  assert.notEqual(tooSmall.byteOffset, large.byteOffset, 'under half the block: left for a better fit');
  const smaller = own.alloc(1500);
  assert.equal(smaller.byteOffset, large.byteOffset, 'a somewhat smaller request takes the freed block');
  const highWater = runtime.allocatedBytes;
  own.release!(smaller);
  const again = own.alloc(2000);
  assert.equal(again.byteOffset, large.byteOffset, 'the block kept its full size');
  assert.equal(runtime.allocatedBytes, highWater);
});
