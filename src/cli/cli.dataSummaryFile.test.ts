// The full data summary outlives the read that made it: `seqlab check` and a run save it (the run also in its
// folder), and the data.path hover shows it while the data file is unchanged — else the head summary, as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type CliIo } from './commands';
import { analyzeSpec } from '../modelSpec';
import { dataFileMarkdown } from '../modelSpec/dataHeadSummary';
import { parseDataSummaryRecord } from '../data/summaryRecord';
import { probeDataFileSync } from '../train/dataFileProbe';
import { DATA_SUMMARY_FILE, latestSummaryPath } from '../train/dataSummaryFile';
import { SavedDataSummaries } from '../extension/savedDataSummaries';

const quiet = (): CliIo => ({ isTTY: false, stdout: () => {}, stderr: () => {} });

function workspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-summary-'));
  const csv = path.join(dir, 'series.csv');
  fs.writeFileSync(csv, ['value,other', ...Array.from({ length: 120 }, (_, i) => `${Math.sin(i / 5).toFixed(3)},${i % 7}`)].join('\n') + '\n');
  const spec = path.join(dir, 'series.seqmodel.json');
  const specText = JSON.stringify({
    name: 'series', task: { type: 'forecast', horizon: 1 },
    data: { source: 'csv', path: 'series.csv', columns: ['value', 'other'], target: ['value'], window: 8, split: { validation: 0.2 } },
    model: { encoder: { cell: 'gru', hiddenSize: 4 } },
    training: { epochs: 1, batchSize: 16, optimizer: { type: 'adam', lr: 0.01 } },
  }, null, 2);
  fs.writeFileSync(spec, specText);
  return { dir, csv, spec, specText };
}

const hoverOf = (spec: string, specText: string, saved: ReturnType<typeof parseDataSummaryRecord>) => {
  const analysis = analyzeSpec(specText, { specPath: spec, dataFile: (p) => probeDataFileSync(p) });
  return dataFileMarkdown(analysis.dataFile!, saved);
};

test('seqlab check saves the full summary for the hover, which shows it while the data file is unchanged', async () => {
  const { dir, csv, spec, specText } = workspace();
  // Named relative to the working folder, as on a command line: the record still names the data file absolutely.
  assert.equal(await main(['check', path.relative(process.cwd(), spec)], quiet()), 0);
  const record = parseDataSummaryRecord(fs.readFileSync(latestSummaryPath(spec), 'utf8'))!;
  const stat = fs.statSync(csv);
  assert.deepEqual(record.file, { path: csv, size: stat.size, mtimeMs: stat.mtimeMs });
  assert.equal(record.by, 'check');
  assert.equal(record.summary.rows, 120);
  assert.deepEqual(record.summary.splits, { train: 90, validation: 22, test: 0 });
  // The editor reads the record (cached by its mtime), never the data file, and matches it by the data file's stat.
  const summaries = new SavedDataSummaries();
  const saved = await summaries.latest(spec);
  assert.deepEqual(saved, record);
  const full = hoverOf(spec, specText, saved);
  assert.match(full, /The whole file, as `seqlab check` read it/);
  assert.match(full, /data: forecast, 120 rows; 112 windows: train 90 · validation 22 · test 0/);
  // The file changes (one more row): the record no longer describes it, and the hover is the head's again.
  fs.appendFileSync(csv, '0.5,1\n');
  const head = hoverOf(spec, specText, await summaries.latest(spec));
  assert.doesNotMatch(head, /The whole file/);
  assert.match(head, /121 rows \(the whole file\)/);
  fs.rmSync(dir, { recursive: true });
});

test('a run saves the full summary in its folder and as the spec\'s latest', async () => {
  const { dir, spec } = workspace();
  const out = path.join(dir, 'run');
  assert.equal(await main(['train', spec, '--out', out, '--max-steps', '1'], quiet()), 0);
  const inRun = parseDataSummaryRecord(fs.readFileSync(path.join(out, DATA_SUMMARY_FILE), 'utf8'))!;
  assert.equal(inRun.by, 'run');
  assert.deepEqual(inRun.summary.splits, { train: 90, validation: 22, test: 0 });
  assert.ok(Number.isFinite(inRun.summary.baselines.validation.persistenceMse));
  assert.deepEqual(parseDataSummaryRecord(fs.readFileSync(latestSummaryPath(spec), 'utf8')), inRun);
  fs.rmSync(dir, { recursive: true });
});
