// The editor with a large data file: a generated CSV (200 MB by default) referenced by the open spec. Plays the
// extension host's spec language (src/extension/specLanguage.ts): every keystroke runs analyzeSpec with the head
// cache (src/extension/dataFileHeads.ts) over Node's fs and a hover on data.path, then lets the stat it started
// finish. Reports per-keystroke analysis time (wall-clock, synchronous: what blocks the host), the stat's round
// trip, and the growth of the process's RSS and V8 heap over a spec that names a missing file, so the file's
// size shows if anything reads it. Three repetitions, each with its own fresh cache.
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createHistogram, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DataFileHeads } from '../src/extension/dataFileHeads';
import { analyzeSpec, dataPathHoverAt, specTemplates } from '../src/modelSpec';
import { median, spread } from './statistics';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Writes `megabytes` of `date,value,volume` rows in 1 MB chunks (never the whole file in memory). */
async function writeCsv(file: string, megabytes: number): Promise<number> {
  const out = createWriteStream(file);
  out.write('date,value,volume\n');
  let row = 0;
  for (let written = 0; written < megabytes * 1e6;) {
    let chunk = '';
    while (chunk.length < 1e6) {
      chunk += `2020-01-01T${String(row % 86400).padStart(5, '0')},${(Math.sin(row / 50) * 100 + row * 1e-4).toFixed(4)},${row % 997}\n`;
      row++;
    }
    written += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((done, fail) => out.end((error?: Error | null) => (error ? fail(error) : done())));
  return row;
}

interface Repetition {
  analysisP50: number;
  analysisP99: number;
  statP50: number;
  rssGrowthMb: number;
  heapGrowthMb: number;
}

const memory = () => {
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};

/** One repetition: a fresh head cache, `keystrokes` edits of a spec naming the data file. */
async function repetition(dir: string, spec: string, keystrokes: number): Promise<Repetition> {
  const specPath = join(dir, 'forecaster.seqmodel.json');
  const missing = spec.replace('"data/big.csv"', '"data/none.csv"');
  let changed = 0;
  const heads = new DataFileHeads(() => changed++);
  const context = { specPath, dataFile: (p: string) => heads.peek(p) };
  const dataPath = join(dir, 'data', 'big.csv');
  // Baseline: the same work on a spec whose data file does not exist.
  for (let i = 0; i < 50; i++) {
    analyzeSpec(missing.replace('"hiddenSize": 64', `"hiddenSize": ${64 + (i % 9)}`), context);
    await heads.settled(join(dir, 'data', 'none.csv'));
  }
  const before = memory();
  const analysis = createHistogram();
  const stat = createHistogram();
  analyzeSpec(spec, context);
  await heads.settled(dataPath); // the head arrives; the editor analyses again
  for (let i = 0; i < keystrokes; i++) {
    const text = spec.replace('"hiddenSize": 64', `"hiddenSize": ${64 + (i % 9)}`); // a different text each time
    const started = performance.now();
    const result = analyzeSpec(text, context);
    dataPathHoverAt(result, text.indexOf('"data/big.csv"') + 2);
    const analysed = performance.now();
    await heads.settled(dataPath);
    analysis.record(Math.max(1, Math.round((analysed - started) * 1e6)));
    stat.record(Math.max(1, Math.round((performance.now() - analysed) * 1e6)));
    if (result.diagnostics.some((d) => d.severity === 'error')) throw new Error(`unexpected errors: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  }
  const after = memory();
  if (changed < 1) throw new Error('the head never arrived');
  return {
    analysisP50: analysis.percentile(50) / 1e6, analysisP99: analysis.percentile(99) / 1e6, statP50: stat.percentile(50) / 1e6,
    rssGrowthMb: (after.rss - before.rss) / 1e6, heapGrowthMb: (after.heapUsed - before.heapUsed) / 1e6,
  };
}


/** Prints one table row per file size: median of `repetitions` with the spread (min–max). */
export async function measureDataFileCases(dir: string, sizesMb: number[], keystrokes = 300, repetitions = 3): Promise<void> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const forecaster = JSON.parse(specTemplates().find((t) => t.id === 'forecaster')!.text);
  forecaster.data = { ...forecaster.data, path: 'data/big.csv', columns: ['value', 'volume'], target: ['value'] };
  const spec = JSON.stringify(forecaster, null, 2);
  if (!spec.includes('"hiddenSize": 64')) throw new Error('the forecaster template changed: pick another edited key');
  console.log(`\nEditor with a large data file: ${keystrokes} keystrokes per repetition, median of ${repetitions} (min–max)`);
  console.log('| data file | rows | analysis + hover p50 ms | p99 ms | stat round trip p50 ms | RSS growth MB | heap growth MB |');
  console.log('|---|---|---|---|---|---|---|');
  for (const megabytes of sizesMb) {
    const rows = await writeCsv(join(dir, 'data', 'big.csv'), megabytes);
    const size = statSync(join(dir, 'data', 'big.csv')).size;
    const runs: Repetition[] = [];
    for (let r = 0; r < repetitions; r++) runs.push(await repetition(dir, spec, keystrokes));
    const column = (pick: (r: Repetition) => number, digits: number) => `${median(runs.map(pick)).toFixed(digits)} (${spread(runs.map(pick), digits)})`;
    console.log(`| ${(size / 1e6).toFixed(0)} MB CSV | ${rows.toLocaleString('en-US')} | ${column((r) => r.analysisP50, 2)} | ${column((r) => r.analysisP99, 2)} | ${column((r) => r.statP50, 2)} | ${column((r) => r.rssGrowthMb, 1)} | ${column((r) => r.heapGrowthMb, 1)} |`);
  }
}
