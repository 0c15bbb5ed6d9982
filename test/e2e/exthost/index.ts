// Entry point the VS Code extension host loads through `extensionTestsPath`: runs the mocha suite beside it and
// writes a small JSON report (the harness reads pass/fail counts from it, not from the console).
import Mocha from 'mocha';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function run(): Promise<void> {
  // A hang guard per test, stretched on a loaded machine by the harness' factor (test/e2e/lib.mjs).
  const slack = Number(process.env.SEQLAB_E2E_SLACK) > 0 ? Number(process.env.SEQLAB_E2E_SLACK) : 1;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: Math.round(180_000 * slack), reporter: 'spec' });
  mocha.addFile(join(__dirname, 'extension.exthost.js'));
  return new Promise((resolve, reject) => {
    const failures: { title: string; error: string }[] = [];
    let passed = 0;
    const runner = mocha.run((failureCount) => {
      const reportPath = process.env.SEQLAB_EXTHOST_REPORT;
      if (reportPath) writeFileSync(reportPath, JSON.stringify({ passed, failed: failures.length, failures }, null, 2));
      if (failureCount > 0) reject(new Error(`${failureCount} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => passed++);
    runner.on('fail', (test, error: Error) => failures.push({ title: test.fullTitle(), error: String(error?.stack ?? error) }));
  });
}
