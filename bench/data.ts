// `npm run bench:data [-- --seconds S] [--only csv-2m,text-20mb,shuffle] [--repeat N] [--keep]`: data at real size. Generates its own
// files into a temporary folder, points the bundled example specs at them (data.path swapped), and runs each case
// in a child process (bench/dataRun.ts, bundled as the CLI is) that sets the run up as `seqlab train` does and trains for S seconds.
// Reports per case, twice: as `seqlab train` runs (spec analysis included) and the data path alone: file size, peak
// RSS of the child, the ArrayBuffer bytes it holds at data ready (after a full collection), seconds to data ready
// and to the end of the first training step (from process start), steady training samples/s after the first step.
// Seconds are wall-clock (CPU seconds of the child in brackets: what an
// idle machine's wall clock would about show, as a shared machine's load stretches the wall-clock ones).
// The `cache-*` cases run `seqlab train` through the disk cache (SEQLAB_CACHE_THRESHOLD_MB=0) twice instead: the
// first run builds the cache (its build time in its own column), the second reuses it. `--repeat N` runs the selected
// cases N times, interleaved (every case once, then again), and reports the median with the spread (min–max) and
// the load average around the runs: the machine is shared, and its load moves the wall-clock seconds.
// The `shuffle` case reads no file: the seeded orders of a large run (bench/shuffleRun.ts), in CPU seconds.
import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { flag, option } from './commandLine';
import { median, spread } from './statistics';

const seconds = Number(option('--seconds') ?? 10);
const only = option('--only')?.split(',');
const repeat = Number(option('--repeat') ?? 1);
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..');
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-bench-data-'));

/** Writes a file from generated pieces without holding it in memory. */
function writeFile(name: string, pieces: () => Iterable<string>): string {
  const file = path.join(folder, name);
  const fd = fs.openSync(file, 'w');
  let buffered: string[] = [];
  let size = 0;
  const flush = () => {
    fs.writeSync(fd, buffered.join(''));
    buffered = [];
    size = 0;
  };
  for (const piece of pieces()) {
    buffered.push(piece);
    size += piece.length;
    if (size > 1 << 22) flush();
  }
  flush();
  fs.closeSync(fd);
  return file;
}

/** A deterministic generator (the files are the same on every run). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** load,temperature rows like examples/data/load.csv: a daily and weekly cycle, weather, noise. */
function* seriesRows(rows: number): Iterable<string> {
  const random = lcg(1);
  yield 'load,temperature\n';
  for (let i = 0; i < rows; i++) {
    const temperature = 10 + 8 * Math.sin((2 * Math.PI * i) / 8760) + 4 * Math.sin((2 * Math.PI * i) / 24) + random();
    const load = 70 + 12 * Math.sin((2 * Math.PI * (i - 7)) / 24) + 5 * Math.sin((2 * Math.PI * i) / 168) - 0.4 * temperature + 2 * random();
    yield `${load.toFixed(2)},${temperature.toFixed(2)}\n`;
  }
}

/** Characters in the manner of examples/data/coriolanus.txt: the bundled text, repeated up to `bytes`. */
function* textOf(bytes: number): Iterable<string> {
  const base = fs.readFileSync(path.join(root, 'examples/data/coriolanus.txt'), 'utf8');
  for (let written = 0; written < bytes; written += base.length) yield written + base.length <= bytes ? base : base.slice(0, bytes - written);
}

/** JSONL reviews like examples/data/sentiment.csv: words from a small lexicon, a rare word, a label. */
function* reviews(rows: number): Iterable<string> {
  const random = lcg(2);
  const words = 'the a film story acting plot was is truly very not great awful boring brilliant pacing ending music cast dull moving slow clever silly'.split(' ');
  for (let i = 0; i < rows; i++) {
    const n = 5 + Math.floor(random() * 15);
    const text: string[] = [];
    for (let k = 0; k < n; k++) text.push(words[Math.floor(random() * words.length)]);
    text.push(`w${Math.floor(random() * 50000)}`);
    yield `${JSON.stringify({ text: `${text.join(' ')}.`, label: random() < 0.5 ? 'positive' : 'negative' })}\n`;
  }
}

/** The bundled example spec with its data path (and anything else in `data`) swapped. */
function specFor(example: string, data: Record<string, unknown>, name: string): string {
  const spec = JSON.parse(fs.readFileSync(path.join(root, 'examples', `${example}.seqmodel.json`), 'utf8'));
  delete spec.$schema;
  Object.assign(spec.data, data);
  const file = path.join(folder, `${name}.seqmodel.json`);
  fs.writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

interface Case {
  id: string;
  what: string;
  make(): string; // the spec path
  /** Through the disk cache (threshold 0): a first run builds it, a second reuses it; target ≤ 1 GB peak RSS. */
  cache?: boolean;
}

const CASES: Case[] = [
  { id: 'csv-2m', what: 'CSV series 2M rows × 2 (forecaster)', make: () => specFor('forecaster', { path: writeFile('series-2m.csv', () => seriesRows(2e6)) }, 'csv-2m') },
  { id: 'csv-20m', what: 'CSV series 20M rows × 2 (forecaster)', make: () => specFor('forecaster', { path: writeFile('series-20m.csv', () => seriesRows(2e7)) }, 'csv-20m') },
  { id: 'text-20mb', what: 'char text 20 MB (generator)', make: () => specFor('generator', { path: writeFile('text-20mb.txt', () => textOf(20e6)) }, 'text-20mb') },
  { id: 'text-1gb', what: 'char text 1 GB (generator)', make: () => specFor('generator', { path: writeFile('text-1gb.txt', () => textOf(1e9)) }, 'text-1gb') },
  { id: 'jsonl-1m', what: 'JSONL text classification 1M rows (sentiment)', make: () => specFor('sentiment', { path: writeFile('reviews-1m.jsonl', () => reviews(1e6)), format: 'jsonl' }, 'jsonl-1m') },
  { id: 'cache-csv-20m', what: 'CSV series 20M rows × 2 (forecaster), disk cache', cache: true, make: () => specFor('forecaster', { path: writeFile('cache-series-20m.csv', () => seriesRows(2e7)) }, 'cache-csv-20m') },
  { id: 'cache-text-1gb', what: 'char text 1 GB (generator), disk cache', cache: true, make: () => specFor('generator', { path: writeFile('cache-text-1gb.txt', () => textOf(1e9)) }, 'cache-text-1gb') },
  { id: 'cache-jsonl-1m', what: 'JSONL text classification 1M rows (sentiment), disk cache', cache: true, make: () => specFor('sentiment', { path: writeFile('cache-reviews-1m.jsonl', () => reviews(1e6)), format: 'jsonl' }, 'cache-jsonl-1m') },
];

// The child runs bundled as the CLI is (dist/cli.js: one CommonJS file, the kernels inlined), so that its start-up
// is the CLI's; through tsx, compiling the sources took 9–11 s of wall-clock at a load average of 24.
const runner = path.join(folder, 'dataRun.cjs');
const shuffleRunner = path.join(folder, 'shuffleRun.cjs');
buildSync({
  entryPoints: [path.join(here, 'dataRun.ts'), path.join(here, 'shuffleRun.ts')],
  outdir: folder,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  mainFields: ['module', 'main'],
  loader: { '.wasm': 'binary' },
  absWorkingDir: root,
  logLevel: 'warning',
});

const fixed = (x: unknown, digits = 1) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—');
/** One child run's figures (bench/dataRun.ts), with the machine's 1-minute load average before and after it. */
type Result = Record<string, unknown> & { loadBefore: number; loadAfter: number };
const runs = new Map<string, { c: Case; mode: string; fileMb: number; results: Result[] }>();
const specs = new Map<string, string>();
const selected = CASES.filter((c) => !only || only.includes(c.id));
const shuffleRuns: Result[] = [];
console.log(`bench:data in ${folder}: ${seconds} s of training steps per case, each in its own process, ${repeat} repetition(s) interleaved (Node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB)`);
for (let repetition = 0; repetition < repeat; repetition++) {
  if (!only || only.includes('shuffle')) {
    const loadBefore = os.loadavg()[0];
    const child = spawnSync(process.execPath, [shuffleRunner], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    shuffleRuns.push({ ...(JSON.parse(line || '{}') as Record<string, unknown>), loadBefore, loadAfter: os.loadavg()[0] });
    console.log(`shuffle #${repetition + 1}: ${line || child.stderr.trim().split('\n').slice(-3).join(' ')} (load ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)})`);
  }
  for (const c of selected) {
    if (!specs.has(c.id)) specs.set(c.id, c.make());
    const specPath = specs.get(c.id)!;
    const dataFile = JSON.parse(fs.readFileSync(specPath, 'utf8')).data.path as string;
    const fileMb = fs.statSync(dataFile).size / 1e6;
    for (const mode of c.cache ? ['cache build', 'cache reused'] : ['train', 'data']) {
      const env = c.cache ? { ...process.env, SEQLAB_CACHE_THRESHOLD_MB: '0' } : process.env;
      const runMode = c.cache ? 'train' : mode;
      const loadBefore = os.loadavg()[0];
      const child = spawnSync(process.execPath, ['--expose-gc', runner, specPath, String(seconds), folder, runMode], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24, env });
      const line = child.stdout.trim().split('\n').pop() ?? '';
      let result: Record<string, unknown>;
      try {
        result = JSON.parse(line) as Record<string, unknown>;
      } catch {
        result = { error: `exit ${child.status ?? child.signal}: ${child.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 200)}` };
      }
      const key = `${c.id} ${mode}`;
      if (!runs.has(key)) runs.set(key, { c, mode, fileMb, results: [] });
      runs.get(key)!.results.push({ ...result, loadBefore, loadAfter: os.loadavg()[0] });
      console.log(`${key} #${repetition + 1}: ${line || String(result.error)} (load ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)})`);
    }
    // The next run builds the cache again; the last repetition gives the disk space of the file back.
    fs.rmSync(path.join(folder, '.seqlab', 'cache'), { recursive: true, force: true });
    if (repetition === repeat - 1) fs.rmSync(dataFile, { force: true });
  }
}

/** A column over the repetitions: the median and, with more than one, the spread (min–max). */
function column(results: Result[], pick: (r: Result) => unknown, digits: number): string {
  const values = results.map(pick).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (values.length === 0) return '—';
  const missing = values.length < results.length ? `, ${results.length - values.length} of ${results.length} missing` : '';
  return values.length > 1 ? `${fixed(median(values), digits)} (${spread(values, digits)}${missing})` : `${fixed(values[0], digits)}${missing}`;
}

if (runs.size > 0) {
  console.log(`\n${repeat > 1 ? `Median of ${repeat} interleaved repetitions (min–max); ` : ''}seconds wall-clock from process start, CPU seconds of the child in brackets (median)\n`);
  console.log('| case | path | file | peak RSS MB (target) | arrays MB at data ready | data ready (s) | first step (s) | steady samples/s | cache build (s) | load average | note |\n|---|---|---|---|---|---|---|---|---|---|---|');
  for (const { c, mode, fileMb, results } of runs.values()) {
    const target = c.cache ? 1024 : 2 * fileMb + 200;
    const how = c.cache ? `seqlab train, ${mode}` : mode === 'train' ? 'seqlab train' : 'data only';
    const cpu = (pick: (r: Result) => unknown) => column(results, pick, 1).split(' ')[0];
    const cacheOf = (r: Result) => r.cache as { built: boolean; seconds: number } | undefined;
    const built = results.filter((r) => cacheOf(r)?.built);
    const loads = results.flatMap((r) => [r.loadBefore, r.loadAfter]);
    const errors = [...new Set(results.map((r) => r.error).filter(Boolean))].join('; ');
    console.log(`| ${c.what} | ${how} | ${fixed(fileMb, 0)} MB | ${column(results, (r) => r.peakRssMb, 0)} (≤ ${fixed(target, 0)}) | ${column(results, (r) => r.dataReadyArrayBuffersMb, 1)} | ${column(results, (r) => r.dataReadySeconds, 1)} [${cpu((r) => r.dataReadyCpuSeconds)} CPU] | ${column(results, (r) => r.firstStepSeconds, 1)} [${cpu((r) => r.firstStepCpuSeconds)} CPU] | ${column(results, (r) => r.samplesPerSecond, 0)} | ${built.length ? column(built, (r) => cacheOf(r)!.seconds, 1) : '—'} | ${spread(loads, 0)} | ${errors} |`);
  }
}
if (shuffleRuns.length > 0) {
  console.log(`\nSeeded orders (bench/shuffleRun.ts), CPU seconds${repeat > 1 ? `, median of ${repeat} (min–max)` : ''}\n`);
  console.log('| 26.6M draws | epoch order, 26.6M windows | epoch order, 1M ragged examples bucketed | load average |\n|---|---|---|---|');
  const loads = shuffleRuns.flatMap((r) => [r.loadBefore, r.loadAfter]);
  console.log(`| ${column(shuffleRuns, (r) => r.drawsCpuSeconds, 2)} | ${column(shuffleRuns, (r) => r.windowOrderCpuSeconds, 2)} | ${column(shuffleRuns, (r) => r.bucketedOrderCpuSeconds, 2)} | ${spread(loads, 0)} |`);
}
if (!flag('--keep')) fs.rmSync(folder, { recursive: true, force: true });
