// Sweeps started the way "SeqLab: Run Sweep" starts them: validated first (nothing created on an error, the error
// at its value in the sweep file), then trials queued in the extension host's run manager through the core's
// sweep runner, never more at once than min(the file's maxConcurrent, seqlab.maxConcurrentRuns); Stop keeps the
// folder resumable and Resume finishes it without training an epoch twice. Tiny real trainings, in this thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeRunIo } from '../train/runIo';
import { tinyAddingSpec } from '../train/testing/tinyRuns';
import { readSweepFolder } from '../train/sweeps/sweepFolder';
import { sweepFileDiagnostics } from '../train/sweeps/trialPlan';
import { prepareSweep, trialsAtOnce } from '../train/sweeps/sweepStart';
import { inProcessLauncher } from '../train/sweeps/trialLaunchers';
import type { RunsTable } from '../train/runsTableProtocol';
import { TrainingRunManager } from './runManager';
import { RunRecordReader } from './runRecords';
import { tableOfScope } from './runsTableData';
import { readSweepEntries } from './sweepEntries';
import { SweepSessions } from './sweepSessions';

const hangGuard = { timeout: 300_000 };

function workspace(sweep: object) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-sweepui-'));
  fs.writeFileSync(path.join(dir, 'adding.seqmodel.json'), JSON.stringify(tinyAddingSpec({ epochs: 2 }), null, 2));
  const sweepPath = path.join(dir, 'tiny.seqsweep.json');
  const text = JSON.stringify({ spec: 'adding.seqmodel.json', ...sweep }, null, 2);
  fs.writeFileSync(sweepPath, text);
  return { dir, sweepPath, text };
}

const readSpec = (file: string) => fs.readFileSync(file, 'utf8');

function sessions(maxConcurrentRuns: number, threadsSetting?: number) {
  const log: string[] = [];
  const launcherThreads: number[] = [];
  let closes = 0;
  const runs = new TrainingRunManager({ workerScriptPath: 'not used: trials compute through the sweep launcher', maxConcurrentRuns: () => maxConcurrentRuns, log: (l) => log.push(l) });
  // The most runs the manager had training at once, looked at on every event.
  let mostAtOnce = 0;
  runs.onEvent(() => {
    mostAtOnce = Math.max(mostAtOnce, runs.runs().filter((run) => run.state === 'running' || run.state === 'stopping').length);
  });
  const sweeps = new SweepSessions({
    runs, io: nodeRunIo, maxConcurrentRuns: () => maxConcurrentRuns, threadsPerRun: () => threadsSetting, log: (l) => log.push(l),
    createLauncher: (threads) => {
      launcherThreads.push(threads);
      const launcher = inProcessLauncher();
      return { launch: (request, onEvent) => launcher.launch(request, onEvent), close: async () => {
        closes++;
        await launcher.close?.();
      } };
    },
  });
  return { runs, sweeps, log, mostAtOnce: () => mostAtOnce, launcherThreads, closes: () => closes };
}

const lines = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { epoch: number; validationLoss: number });

test('an impossible trial is an error at its value in the sweep file, and nothing is created or started', () => {
  // 60000 hidden units pass the spec analysis the editor runs as you type; only validateRun (run on start) refuses them.
  const { dir, sweepPath, text } = workspace({ parameters: { 'model.encoder.hiddenSize': { values: [4, 60000] } } });
  assert.deepEqual(sweepFileDiagnostics(text, sweepPath, readSpec).filter((d) => d.severity === 'error'), []);
  const preparation = prepareSweep(text, sweepPath, readSpec, nodeRunIo);
  assert.equal(preparation.prepared, undefined);
  const errors = preparation.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1);
  assert.equal(text.slice(errors[0].offset, errors[0].offset + errors[0].length), '60000');
  assert.match(errors[0].message, /^Trial t001 \(model\.encoder\.hiddenSize=60000, seed 11\): Training this model needs about/);
  assert.equal(fs.existsSync(path.join(dir, '.seqlab')), false, 'a refused sweep leaves no folder');
  fs.rmSync(dir, { recursive: true });
});

test('trials at once: the file asks, the shell caps, --parallel overrides', () => {
  assert.equal(trialsAtOnce({ maxConcurrent: 4 }, 2), 2);
  assert.equal(trialsAtOnce({ maxConcurrent: 1 }, 2), 1);
  assert.equal(trialsAtOnce({ maxConcurrent: 2 }, 16), 2);
  assert.equal(trialsAtOnce({ maxConcurrent: 2 }, 16, 3), 3);
});

test('threads per trial: seqlab.threadsPerRun when set, else as seqlab sweep (one when trials share the cores)', hangGuard, async () => {
  const { dir, sweepPath, text } = workspace({ parameters: { 'model.encoder.cell': { values: ['rnn'] } }, maxConcurrent: 2 });
  const prepared = prepareSweep(text, sweepPath, readSpec, nodeRunIo).prepared!;
  const threadsFor = async (maxConcurrentRuns: number, setting?: number) => {
    const { sweeps, launcherThreads, runs } = sessions(maxConcurrentRuns, setting);
    const active = sweeps.start(prepared);
    sweeps.stop(active.dir);
    await active.outcome;
    runs.dispose();
    return launcherThreads[0];
  };
  assert.deepEqual([await threadsFor(2), await threadsFor(1), await threadsFor(2, 2), await threadsFor(1, 1)], [1, 2, 2, 1]);
  fs.rmSync(dir, { recursive: true });
});

test('a sweep runs its trials as runs of the run manager, at most seqlab.maxConcurrentRuns at once, each a completed run folder', hangGuard, async () => {
  const { dir, sweepPath, text } = workspace({ parameters: { 'model.encoder.cell': { values: ['rnn', 'gru'] } }, seeds: 2, maxConcurrent: 4 });
  const { runs, sweeps, mostAtOnce, closes } = sessions(1);
  const preparation = prepareSweep(text, sweepPath, readSpec, nodeRunIo);
  assert.ok(preparation.prepared, JSON.stringify(preparation.diagnostics));
  let changes = 0;
  sweeps.onDidChange(() => changes++);
  const active = sweeps.start(preparation.prepared);
  assert.equal(active.parallel, 1, 'the setting caps the file\'s maxConcurrent 4');
  assert.deepEqual([...sweeps.states()], [[active.dir, 'running']]);
  const outcome = await active.outcome;
  assert.ok('finished' in outcome && outcome.finished);
  assert.equal(mostAtOnce(), 1);
  assert.equal(closes(), 1, 'the launcher\'s idle workers are released when the sweep returns');
  assert.equal(sweeps.states().size, 0, 'an ended sweep is no longer active');
  assert.ok(changes >= 4 * 2, `told of each trial's start and end (${changes} changes)`);
  const folder = readSweepFolder(active.dir, nodeRunIo);
  assert.deepEqual(folder.state.trials.map((t) => t.status), ['completed', 'completed', 'completed', 'completed']);
  // Each trial was one run of the manager, in the trial's folder, and its events are the folder's epochs.
  assert.equal(runs.runs().length, 4);
  for (const trial of folder.state.trials) {
    const runDir = path.join(active.dir, trial.runDir);
    const run = runs.runs().find((r) => r.runDir === runDir);
    assert.ok(run, `no run of the manager trained ${trial.id}`);
    assert.equal(run.finished?.status, 'completed');
    const epochs = run.events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.validationLoss : NaN));
    assert.deepEqual(epochs, lines(path.join(runDir, 'metrics.jsonl')).map((l) => l.validationLoss));
    assert.equal(trial.metric, Math.min(...epochs));
  }
  runs.dispose();
  fs.rmSync(dir, { recursive: true });
});

test('Stop leaves the sweep resumable; Resume finishes it with every epoch trained once', hangGuard, async () => {
  const { dir, sweepPath, text } = workspace({ parameters: { 'model.encoder.cell': { values: ['rnn', 'gru', 'lstm'] } } });
  const { runs, sweeps } = sessions(1);
  const active = sweeps.start(prepareSweep(text, sweepPath, readSpec, nodeRunIo).prepared!);
  // Stop once the first trial has reported an epoch: it stops at its next step, the others never start.
  await new Promise<void>((resolve) => {
    const subscription = runs.onEvent((_run, event) => {
      if (event.type === 'epoch') {
        subscription.dispose();
        assert.equal(sweeps.stop(active.dir), true);
        assert.equal(sweeps.states().get(active.dir), 'stopping');
        resolve();
      }
    });
  });
  const stopped = await active.outcome;
  assert.ok('finished' in stopped && !stopped.finished);
  const halfway = readSweepFolder(active.dir, nodeRunIo).state.trials.map((t) => t.status);
  assert.ok(halfway.includes('pending'), `trials left to run after the stop: ${halfway.join(', ')}`);
  assert.equal(sweeps.stop(active.dir), false, 'a stopped sweep is not running');

  const resumed = sweeps.resume(active.dir);
  const outcome = await resumed.outcome;
  assert.ok('finished' in outcome && outcome.finished);
  for (const trial of readSweepFolder(active.dir, nodeRunIo).state.trials) {
    assert.equal(trial.status, 'completed');
    assert.deepEqual(lines(path.join(active.dir, trial.runDir, 'metrics.jsonl')).map((l) => l.epoch), [1, 2], `${trial.id}: each epoch once`);
  }
  assert.throws(() => sweeps.resume(path.join(dir, 'nowhere')), /not a sweep folder to resume/);
  runs.dispose();
  fs.rmSync(dir, { recursive: true });
});

test('ASHA through the run manager: a trial stopped at its rung counts as the rung reached, the poorer half is pruned', hangGuard, async () => {
  const { dir, sweepPath, text } = workspace({
    method: 'asha', trials: 4, samplerSeed: 3, parameters: { 'training.optimizer.lr': { min: 0.0005, max: 0.05, distribution: 'log-uniform' } },
    asha: { reductionFactor: 2, minEpochs: 1, maxEpochs: 2 },
  });
  const { runs, sweeps } = sessions(2);
  const active = sweeps.start(prepareSweep(text, sweepPath, readSpec, nodeRunIo).prepared!);
  const outcome = await active.outcome;
  assert.ok('finished' in outcome && outcome.finished);
  const trials = readSweepFolder(active.dir, nodeRunIo).state.trials;
  assert.deepEqual(trials.map((t) => t.status).sort(), ['completed', 'completed', 'pruned', 'pruned']);
  for (const trial of trials) {
    const epochs = lines(path.join(active.dir, trial.runDir, 'metrics.jsonl')).map((l) => l.epoch);
    assert.deepEqual(epochs, trial.status === 'pruned' ? [1] : [1, 2], `${trial.id} (${trial.status})`);
  }
  // A promoted trial continued its run: one run of the manager per rung it trained.
  assert.equal(runs.runs().length, 4 + 2);
  runs.dispose();
  fs.rmSync(dir, { recursive: true });
});

test('the runs table of a running sweep, as the panel is sent it on each change: every planned trial is a row from the start, rows go queued → running → completed, progress counts up, the end shows each trial\'s report', hangGuard, async () => {
  const { dir, sweepPath, text } = workspace({ parameters: { 'model.encoder.cell': { values: ['rnn', 'gru', 'lstm'] } } });
  const { runs, sweeps } = sessions(2);
  const reader = new RunRecordReader();
  const tables: RunsTable[] = [];
  // What the runs index and the panel do on each change (runsIndex.ts refreshNow, runsTablePanel.ts table()).
  const send = () => {
    const live = new Map(runs.activeRuns().flatMap((run) => (run.runDir ? [[run.runDir, run.id] as const] : [])));
    const states = sweeps.states();
    const entries = readSweepEntries(dir, reader, live, Date.now()).map((sweep) => (states.has(sweep.dir) ? { ...sweep, active: states.get(sweep.dir) } : sweep));
    tables.push(tableOfScope(`sweep:${entries[0].dir}`, [], entries).table);
  };
  sweeps.onDidChange(send);
  runs.onEvent((_run, event) => {
    if (event.type === 'epoch') send();
  });
  const active = sweeps.start(prepareSweep(text, sweepPath, readSpec, nodeRunIo).prepared!);
  await active.outcome;
  send();
  assert.ok(tables.every((table) => table.scope === `sweep:${active.dir}` && table.sweep?.trials === 3));
  assert.deepEqual(tables.map((table) => table.rows.length), tables.map(() => 3), 'every planned trial is a row of every table');
  const ended = tables.map((table) => table.sweep!.ended);
  for (let k = 1; k < tables.length; k++) assert.ok(ended[k] >= ended[k - 1], `ended trials only grow: ${ended.join(',')}`);
  // Each row's state only moves forward, and the one trial the first two leave waiting is seen queued, then running.
  const order = ['pending', 'running', 'completed'];
  for (const id of tables[0].rows.map((row) => row.id)) {
    const seen = tables.map((table) => order.indexOf(table.rows.find((row) => row.id === id)!.status));
    assert.ok(seen.every((index, k) => index >= 0 && (k === 0 || index >= seen[k - 1])), `${id}: ${seen.map((index) => order[index]).join(' → ')}`);
  }
  assert.ok(tables.some((table) => table.rows.some((row) => row.status === 'pending') && table.rows.some((row) => row.status === 'running')), 'a table with a queued and a running trial');
  assert.equal(tables[0].rows.filter((row) => row.status === 'pending').length >= 1, true, 'two trials at once leave the third queued');
  assert.ok(tables.some((table) => table.rows.length > 0 && table.rows.some((row) => row.status === 'running') && table.sweep!.status === 'running' && table.sweep!.stoppable),
    'a table while trials trained');
  assert.ok(tables.some((table) => table.sweep!.ended > 0 && table.sweep!.ended < 3), 'a table between the first and the last trial\'s end');
  const last = tables.at(-1)!;
  assert.deepEqual([last.sweep!.status, last.sweep!.ended, last.sweep!.running, last.sweep!.pending, last.sweep!.stoppable], ['finished', 3, 0, 0, false]);
  assert.ok(last.parameters.includes('model.encoder.cell'), last.parameters.join(', '));
  for (const trial of readSweepFolder(active.dir, nodeRunIo).state.trials) {
    const runDir = path.join(active.dir, trial.runDir);
    const row = last.rows.find((r) => r.id === runDir);
    assert.ok(row, `no row for ${trial.id}`);
    const report = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as { status: string; bestValidationLoss: number; epochs: number };
    assert.deepEqual([row.status, row.params['model.encoder.cell'], row.best.loss, row.epochs], [report.status, trial.params['model.encoder.cell'], report.bestValidationLoss, report.epochs]);
  }
  runs.dispose();
  fs.rmSync(dir, { recursive: true });
});
