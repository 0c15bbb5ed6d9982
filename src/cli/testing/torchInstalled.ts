// The tests that run exported projects need Debian's PyTorch. `npm test` (scripts/test.mjs) installs it when
// missing; a test started some other way on a machine without it fails with this sentence instead of skipping.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';

let checked: string | undefined;

export function assertTorchInstalled(): void {
  checked ??= !existsSync(PYTHON)
    ? `${PYTHON} is missing`
    : spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0 ? '' : `${PYTHON} cannot import torch`;
  assert.equal(checked, '', `${checked}: install Debian's PyTorch (apt-get install python3-torch), as npm test does`);
}
