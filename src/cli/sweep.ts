/**
 * `seqlab sweep FILE` and `seqlab runs [FOLDER]`: thin shells over src/train/sweeps. The sweep file is
 * analysed (located diagnostics, exit 2), every trial's spec validated as `seqlab train` would before any
 * trial runs, then trials train in worker threads, N at once, with a table redrawn on a terminal or one JSON
 * object per line otherwise. Ctrl-C stops the running trials at their next step (checkpoints kept).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { nodeRunIo } from '../train/runIo';
import { withFileErrors } from '../train/fileErrors';
import type { SpecDiagnostic } from '../modelSpec';
import { formatDiagnostic } from '../train/validateRun';
import { analyzeSweep } from '../train/sweeps/sweepFile';
import { describeTrial } from '../train/sweeps/trialPlan';
import { runSweep, type SweepProgress } from '../train/sweeps/sweepRunner';
import { defaultThreadsPerTrial, prepareSweep, readSweepToResume, startSweepFolder, trialsAtOnce } from '../train/sweeps/sweepStart';
import { workerLauncher } from '../train/sweeps/trialLaunchers';
import { type ResolvedSweep, type SweepTrial, SWEEP_FILES, readSweepFolder } from '../train/sweeps/sweepFolder';
import { type RunRow, collectRunRows, sortRows, sweepRows } from '../train/sweeps/runsTable';
import { formatMeanStd, groupBySeeds, meanStd } from '../train/sweeps/seedGroups';
import { awaitsProposal } from '../train/sweeps/tpeSweep';
import { type CliIo, EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, RunFailure, UsageError, integerOption, parse } from './commands';
import { alignedTable } from './table';
import { formatClock } from '../format/display';

export const SWEEP_HELP: Record<string, string> = {
  sweep: `Usage: seqlab sweep FILE.seqsweep.json [--parallel N] [--threads-per-run 1|2] [--json] [--resume SWEEP_DIR]

Trains every trial of a sweep: the base spec with the listed parameters set (grid, random, tpe: each
configuration proposed from the finished ones, or asha: successive halving that stops poor trials early, its
new configurations random or, with "sampler": "tpe", proposed). Each trial is an ordinary run folder in
.seqlab/sweeps/<name>-<time>/trials/ beside the sweep file; state.json there records every trial.
Every trial's spec is validated before anything runs; a problem is reported at its place in FILE (exit 2).

  --parallel N          trials training at once (default: the file's maxConcurrent, 2 when absent, at most
                        one per core; the editor caps it by seqlab.maxConcurrentRuns instead)
  --threads-per-run N   threads each trial computes on (1 or 2; default 1 when trials run in parallel)
  --resume DIR          continue the sweep in DIR: finished trials are kept, interrupted ones continue
  --json                one JSON object per line (the default when the output is not a terminal)`,
  runs: `Usage: seqlab runs [FOLDER] [--json] [--sort METRIC]

Lists the runs (.seqlab/runs) and sweep trials (.seqlab/sweeps) under FOLDER (default: the current folder,
three levels down; or one sweep folder): varied parameters, final and best validation metrics, test metrics,
duration and samples/s, then mean ± std over seeds for sweeps with repeats.

  --sort METRIC    sort by the best value of METRIC (loss, rmse, accuracy, …), best first
  --json           one JSON object per run`,
};

/** The built worker beside the CLI bundle (dist/sweepWorker.js). */
function workerScript(): string {
  const candidates = [path.join(__dirname, 'sweepWorker.js'), path.join(__dirname, '../../dist/sweepWorker.js')];
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new RunFailure(`the trial worker is missing (${candidates[0]}): run npm run build`);
  return found;
}

export async function sweepCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    parallel: { type: 'string' }, json: { type: 'boolean' }, resume: { type: 'string' }, 'threads-per-run': { type: 'string' },
  });
  if (values.help) {
    io.stdout(`${SWEEP_HELP.sweep}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(`seqlab sweep needs exactly one sweep FILE (got ${positionals.length})\n\n${SWEEP_HELP.sweep}`);
  const parallelOption = integerOption(values.parallel as string | undefined, 'parallel');
  if (parallelOption === 0) throw new UsageError('--parallel must be at least 1');
  const threadsOption = integerOption(values['threads-per-run'] as string | undefined, 'threads-per-run');
  if (threadsOption !== undefined && threadsOption !== 1 && threadsOption !== 2) throw new UsageError(`--threads-per-run must be 1 or 2, got ${threadsOption}`);

  const sweepPath = path.resolve(positionals[0]);
  const text = withFileErrors(positionals[0], 'read', () => fs.readFileSync(sweepPath, 'utf8'));
  const readSpec = (file: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  /** Prints the diagnostics (warnings first); true when one is an error. */
  const report = (diagnostics: readonly SpecDiagnostic[]) => {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    for (const d of [...diagnostics.filter((d) => d.severity !== 'error'), ...errors]) io.stderr(`${formatDiagnostic(positionals[0], d)}\n`);
    return errors.length > 0;
  };

  let dir: string;
  let sweep: ResolvedSweep;
  let baseSpecText: string;
  if (values.resume) {
    if (report(analyzeSweep(text, { sweepPath, readSpec }).diagnostics)) return EXIT_USAGE;
    // The folder records what the sweep was: its resolved sweep and its base spec as they were at the start.
    dir = path.resolve(values.resume as string);
    const recorded = readSweepToResume(dir, nodeRunIo);
    if ('problem' in recorded) throw new UsageError(recorded.problem);
    ({ sweep, baseSpecText } = recorded);
    if (path.resolve(sweep.sweepFile) !== sweepPath) io.stderr(`note: ${dir} was started from ${sweep.sweepFile}; it continues as recorded there\n`);
  } else {
    // Every trial's spec, as `seqlab train` would validate it, before anything runs.
    const preparation = prepareSweep(text, sweepPath, readSpec, nodeRunIo);
    if (report(preparation.diagnostics) || !preparation.prepared) return EXIT_USAGE;
    ({ sweep, baseSpecText } = preparation.prepared);
    dir = startSweepFolder(nodeRunIo, preparation.prepared, new Date());
  }

  const parallel = trialsAtOnce(sweep, os.availableParallelism(), parallelOption);
  const threadsPerRun = (threadsOption ?? defaultThreadsPerTrial(parallel)) as 1 | 2;
  const json = Boolean(values.json) || !io.isTTY;
  const reporter = json ? jsonSweepReporter((line) => io.stdout(`${line}\n`)) : terminalSweepReporter((t) => io.stdout(t), sweep);
  reporter.started(dir, sweep, parallel);
  let requestStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  io.onInterrupt?.(() => requestStop());
  const outcome = await runSweep({
    dir, sweep, baseSpecText, io: nodeRunIo, launcher: workerLauncher(workerScript(), threadsPerRun), parallel, stopRequested,
    onProgress: (progress) => reporter.progress(progress),
  });
  reporter.finished(dir, outcome.finished);
  if (!outcome.finished) {
    io.stderr(`seqlab: the sweep stopped; continue it with: seqlab sweep ${positionals[0]} --resume ${dir}\n`);
    return EXIT_RUN_FAILED;
  }
  return EXIT_OK;
}

interface SweepReporter {
  started(dir: string, sweep: ResolvedSweep, parallel: number): void;
  progress(progress: SweepProgress): void;
  finished(dir: string, complete: boolean): void;
}

/** JSON lines: sweep start, each trial change (and its epochs), the end. Steps stay in the trial's folder. */
function jsonSweepReporter(write: (line: string) => void): SweepReporter {
  const line = (value: unknown) => write(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
  return {
    started: (dir, sweep, parallel) => line({ type: 'sweepStarted', dir, name: sweep.name, method: sweep.method, metric: sweep.metric, parallel }),
    progress: ({ trial, event }) => {
      if (!event) line({ type: 'trial', ...trial });
      else if (event.type === 'epoch') line({ type: 'trialEpoch', id: trial.id, epoch: event.epoch, validationLoss: event.validationLoss, metrics: event.metrics });
    },
    finished: (dir, complete) => {
      const rows = sweepRows(nodeRunIo, dir);
      line({ type: 'sweepFinished', dir, complete, trials: rows.map((r) => ({ name: r.name, status: r.status, params: r.params, seed: r.seed, best: r.best, final: r.final, test: r.test, seconds: r.seconds })) });
    },
  };
}

/** A terminal: the trial table redrawn in place (at most 4 times a second), the results table at the end. */
function terminalSweepReporter(write: (text: string) => void, sweep: ResolvedSweep): SweepReporter {
  const live = new Map<string, { epoch: number; epochs?: number; loss?: number }>();
  let shownLines = 0;
  let lastDraw = 0;
  const draw = (trials: SweepTrial[], force = false) => {
    const now = Date.now();
    if (!force && now - lastDraw < 250) return;
    lastDraw = now;
    const rows = trials.map((t) => {
      const l = live.get(t.id);
      return [t.id, awaitsProposal(sweep, trials, t) ? `(TPE proposes it), seed ${t.seed}` : describeTrial(t), t.status, ...(sweep.asha ? [String(t.rung)] : []), l ? `${l.epoch}${l.epochs ? `/${l.epochs}` : ''}` : '', t.metric === null ? '' : t.metric.toPrecision(4)];
    });
    const table = alignedTable(['trial', 'parameters', 'status', ...(sweep.asha ? ['rung'] : []), 'epoch', `best ${sweep.metric.name}`], rows);
    write(`${shownLines ? `\x1b[${shownLines}A\x1b[0J` : ''}${table}\n`);
    shownLines = table.split('\n').length;
  };
  return {
    started: (dir, s, parallel) => write(`sweep ${s.name}: ${s.method}, ${s.trials} configuration${s.trials === 1 ? '' : 's'} × ${s.seeds.length} seed${s.seeds.length === 1 ? '' : 's'}, ${parallel} at once → ${dir}\n`),
    progress: ({ state, trial, event }) => {
      if (event?.type === 'runStarted') live.set(trial.id, { epoch: 0, epochs: event.epochs });
      if (event?.type === 'step' || event?.type === 'epoch') {
        const l = live.get(trial.id) ?? { epoch: 0 };
        live.set(trial.id, { ...l, epoch: event.epoch });
      }
      draw(state.trials, !event);
    },
    finished: (dir) => {
      write(`\n${formatRunsTable(sweepRows(nodeRunIo, dir), sweep.metric.name)}\n`);
    },
  };
}

const fmt = (n: number | undefined) => (n === undefined ? '' : Number(n.toPrecision(4)).toString());

/** Runs and trials as a table: varied parameters, seed, status, final/best/test metric, epochs, time, samples/s. */
export function formatRunsTable(rows: readonly RunRow[], metric: string): string {
  const varied = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  const header = ['run', ...varied.map((p) => p.split('.').slice(-1)[0]), ...(rows.some((r) => r.seed !== undefined) ? ['seed'] : []), 'status', 'epochs', `final ${metric}`, `best ${metric}`, `test ${metric}`, 'time', 'samples/s'];
  const withSeeds = header.includes('seed');
  const body = rows.map((r) => [
    r.name, ...varied.map((p) => (r.params[p] === undefined ? '' : typeof r.params[p] === 'number' ? fmt(r.params[p] as number) : String(r.params[p]))),
    ...(withSeeds ? [r.seed === undefined ? '' : String(r.seed)] : []), r.status, String(r.epochs),
    fmt(r.final[metric]), fmt(r.best[metric]), fmt(r.test?.[metric]), r.seconds === undefined ? '' : formatClock(r.seconds), r.samplesPerSecond === undefined ? '' : String(Math.round(r.samplesPerSecond)),
  ]);
  let text = alignedTable(header, body);
  // Repeats over seeds: one line per configuration, mean ± std of the best value.
  const groups = groupBySeeds(rows.filter((r): r is RunRow & { configKey: string } => r.configKey !== undefined)).filter((g) => g.members.length > 1);
  if (groups.length > 0) {
    const groupRows = groups.map((g) => {
      const best = meanStd(g.members.map((m) => m.best[metric] ?? NaN));
      const test = meanStd(g.members.map((m) => m.test?.[metric] ?? NaN));
      return [...varied.map((p) => String(g.members[0].params[p] ?? '')), String(g.members.length), best ? formatMeanStd(best) : '', test ? formatMeanStd(test) : ''];
    });
    text += `\n\nover seeds (mean ± std)\n${alignedTable([...varied.map((p) => p.split('.').slice(-1)[0]), 'runs', `best ${metric}`, `test ${metric}`], groupRows)}`;
  }
  return text;
}

export function runsCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, sort: { type: 'string' } });
  if (values.help) {
    io.stdout(`${SWEEP_HELP.runs}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 1) throw new UsageError(`seqlab runs takes at most one FOLDER (got ${positionals.length})\n\n${SWEEP_HELP.runs}`);
  const folder = path.resolve(positionals[0] ?? '.');
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new UsageError(`${positionals[0]}: no such folder`);
  const metric = (values.sort as string | undefined) ?? metricOf(folder);
  let rows = collectRunRows(nodeRunIo, folder);
  if (values.sort) rows = sortRows(rows, metric);
  if (values.json) {
    for (const row of rows) io.stdout(`${JSON.stringify(row)}\n`);
    return EXIT_OK;
  }
  io.stdout(rows.length ? `${formatRunsTable(rows, metric)}\n` : `no runs under ${folder}\n`);
  return EXIT_OK;
}

/** A sweep folder's own metric; validation loss elsewhere. */
function metricOf(folder: string): string {
  const file = path.join(folder, SWEEP_FILES.sweep);
  if (!fs.existsSync(file)) return 'loss';
  return readSweepFolder(folder, nodeRunIo).sweep?.metric.name ?? 'loss';
}
