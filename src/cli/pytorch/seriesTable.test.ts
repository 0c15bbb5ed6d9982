// series_table.py keeps a CSV series' numbers parsed once, in blocks, in memory or (beyond its memory limit) in a
// mapped temporary file: windows that straddle blocks, the last short block and a second read give exactly the rows
// the parser gives, each block is parsed once and only when touched, and a copy sent to another process (pickled) parses for itself.
// Runs Debian's torch's Python at /usr/bin/python3, which `npm test` installs when missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PYTHON, assertTorchInstalled } from '../testing/torchInstalled';

const script = `
import json, pickle, sys
import numpy as np
sys.path.insert(0, ${JSON.stringify(__dirname)})
import series_table
series_table.BLOCK_ROWS = 8
ROWS, COLUMNS = 45, 3
parsed = []
def parse(first, count):
    parsed.append((first, count))
    r = np.arange(first, first + count, dtype=np.float64)[:, None]
    return r * 10.0 + np.arange(COLUMNS) + 0.1  # row r, column c: 10 r + c + 0.1
expected = parse(0, ROWS); parsed.clear()
result = {}
for name, limit in (("memory", 1 << 20), ("file", 0)):
    table = series_table.SeriesTable(parse, ROWS, COLUMNS, memory_limit=limit)
    firsts = np.array([37, 6, 14, 0, 6])
    windows = table.windows(firsts, 8)
    again = table.windows(firsts, 8)
    result[name] = {
        "storage": type(table._values).__name__,
        "windows": bool((windows == np.stack([expected[f:f + 8] for f in firsts])).all()) and bool((again == windows).all()),
        "rows": bool((table.rows(40, 5) == expected[40:45]).all()) and bool((table.rows(3, 20) == expected[3:23]).all()),
        "parsed": sorted(parsed),
    }
    parsed.clear()
copy = pickle.loads(pickle.dumps(table))
result["copy"] = {"values": copy._values is None, "rows": bool((copy.rows(9, 30) == expected[9:39]).all()), "parsed": sorted(parsed)}
print(json.dumps(result))
`;

test('series_table.py gives the parser\'s rows, parses each block once, in memory and in a mapped file', () => {
  assertTorchInstalled();
  const run = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', cwd: path.join(__dirname) });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as Record<string, { storage?: string; windows?: boolean; rows?: boolean; values?: boolean; parsed: number[][] }>;
  // Blocks of 8 rows (the last one 5 rows short): the windows and rows() touch all but block 3 (rows 24–31).
  const blocks = [[0, 8], [8, 8], [16, 8], [32, 8], [40, 5]];
  for (const [name, storage] of [['memory', 'ndarray'], ['file', 'memmap']]) {
    assert.deepEqual(result[name], { storage, windows: true, rows: true, parsed: blocks }, name);
  }
  assert.deepEqual(result.copy, { values: true, rows: true, parsed: [[8, 8], [16, 8], [24, 8], [32, 8]] });
});
