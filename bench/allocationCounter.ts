// Counts Float32Array constructions while a function runs, by swapping the global constructor for a counting
// subclass (every `new Float32Array(...)` in any module looks the global up at call time).
export function countFloat32Arrays(run: () => void): number {
  const original = globalThis.Float32Array;
  let count = 0;
  class CountingFloat32Array extends original {
    constructor(...args: ConstructorParameters<typeof original>) {
      super(...args);
      count++;
    }
  }
  globalThis.Float32Array = CountingFloat32Array as typeof Float32Array;
  try {
    run();
  } finally {
    globalThis.Float32Array = original;
  }
  return count;
}
