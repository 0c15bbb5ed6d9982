// example_cache.py keeps token examples once read, within its memory budget: a kept example is answered from memory
// as a fresh dict (a caller adding its split index changes nothing kept), the examples past the budget are read from
// the source every time, and the index pass's offers count against the same budget.
// Runs Debian's torch's Python at /usr/bin/python3, which `npm test` installs when missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PYTHON, assertTorchInstalled } from '../testing/torchInstalled';

const script = `
import json, sys
import numpy as np
sys.path.insert(0, ${JSON.stringify(__dirname)})
import example_cache
reads = []
def read(i):
    reads.append(i)
    return {"length": 3, "input_ids": np.arange(i, i + 3, dtype=np.int64), "target_class": i % 2}
size = example_cache.PER_EXAMPLE_BYTES + 3 * 8
cache = example_cache.ExampleCache(budget=3 * size)
cache.offer(7, read(7))  # as the index pass offers what it read
reads.clear()
cached = cache.reader(read)
first = cached(7)
first["index"] = 99
answers = [cached(i) for i in (7, 1, 2, 3, 1, 2, 3)]
print(json.dumps({
    "reads": reads,
    "kept": sorted(cache.examples),
    "used": cache.used == 3 * size,
    "values": [[int(a["input_ids"][0]), a["target_class"], "index" in a] for a in answers],
}))
`;

test('example_cache.py answers kept examples from memory, within its budget, and reads the others each time', () => {
  assertTorchInstalled();
  const run = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), {
    reads: [1, 2, 3, 3], // 7 was offered; 1 and 2 fill the budget; 3 does not fit and is read both times
    kept: [1, 2, 7],
    used: true,
    values: [[7, 1, false], [1, 1, false], [2, 0, false], [3, 1, false], [1, 1, false], [2, 0, false], [3, 1, false]],
  });
});
