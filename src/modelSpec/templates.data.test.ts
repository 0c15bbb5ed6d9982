import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { specTemplates, templateDataFile } from './index';
import { validateRun } from '../train/validateRun';
import { nodeRunIo } from '../train/runIo';

const examplesDir = join(new URL('.', import.meta.url).pathname, '..', '..', 'examples');

// What "New Spec from Template" does in an empty workspace: write the spec, copy examples/<data.path> beside it.
for (const template of specTemplates()) {
  test(`template ${template.id}, created into an empty folder, passes the validation seqlab check and train run`, () => {
    const folder = mkdtempSync(join(tmpdir(), 'seqlab-template-'));
    try {
      const specPath = join(folder, `${template.id}.seqmodel.json`);
      writeFileSync(specPath, template.text);
      const dataFile = templateDataFile(template);
      if (dataFile !== undefined) {
        mkdirSync(dirname(join(folder, dataFile)), { recursive: true });
        copyFileSync(join(examplesDir, dataFile), join(folder, dataFile));
      }
      const { refusal, analysis } = validateRun({ specPath, specText: template.text }, nodeRunIo);
      assert.equal(refusal, undefined, `${template.id}: ${refusal?.message}`);
      assert.deepEqual(analysis.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.severity} ${d.message}`), [], `${template.id} as created`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
}
