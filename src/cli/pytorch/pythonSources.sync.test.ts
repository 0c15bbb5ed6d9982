import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PYTHON_SOURCES } from './pythonSources';
// @ts-expect-error: a plain .mjs script without type declarations
import { renderSources, PYTHON_FILES } from './embedSources.mjs';

test('the embedded PyTorch sources are the .py files beside them (run embedSources.mjs after editing those)', () => {
  assert.deepEqual(Object.keys(PYTHON_SOURCES), PYTHON_FILES);
  const rendered = (renderSources as () => string)();
  for (const name of PYTHON_FILES as string[]) assert.ok(rendered.includes(PYTHON_SOURCES[name]), `${name} is out of date in pythonSources.ts`);
});
