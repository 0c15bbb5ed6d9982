// The UI suite: what a user does with SeqLab, through the real workbench in Chromium. The tests run in order on
// one page (each builds on the previous state, as a user's session would). The extension appends what it sees
// (trainer events, webview messages) to SEQLAB_E2E_EVENTS, which the tests read for facts the pixels cannot give.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { animationsSettled, guard, webviewFrame } from './lib.mjs';

function readRecords(eventsFile) {
  return readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** Polls `probe` (a DOM read, the events file) until it answers; `timeoutMs` is a hang guard, stretched by load. */
/** How many opaque pixels of a canvas have each colour ([r, g, b], within 12 per channel): is each curve drawn? */
function paintedPixels(canvas, colours) {
  return canvas.evaluate((element, wanted) => {
    const data = element.getContext('2d').getImageData(0, 0, element.width, element.height).data;
    return wanted.map((rgb) => {
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 200 && Math.abs(data[i] - rgb[0]) < 12 && Math.abs(data[i + 1] - rgb[1]) < 12 && Math.abs(data[i + 2] - rgb[2]) < 12) n++;
      }
      return n;
    });
  }, colours);
}

async function until(what, probe, timeoutMs = 30_000, intervalMs = 250) {
  const deadline = Date.now() + guard(timeoutMs);
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last?.message ?? last)})`);
    await sleep(intervalMs);
  }
}

/**
 * The panel's frame as it is now: on a slow machine the host may render a panel again (its watchdog), which
 * replaces the frame, so probes look it up each time instead of holding one.
 */
function panelFrame(page, kind) {
  return webviewFrame(page, kind, 5000);
}

async function focusSpecTab(page, name) {
  const tab = page.locator('.tabs-container .tab', { hasText: name }).first();
  if (await tab.count()) await tab.click();
  else await page.getByRole('treeitem', { name }).first().click();
  await page.locator('.editor-instance .monaco-editor').first().waitFor();
}

function trainingRuns(eventsFile) {
  const runs = new Map();
  for (const record of readRecords(eventsFile)) {
    if (record.type !== 'trainerEvent') continue;
    const run = runs.get(record.runId) ?? { id: record.runId, events: [] };
    run.events.push(record.event);
    runs.set(record.runId, run);
  }
  return [...runs.values()];
}

export function uiSuite(lib) {
  const suite = lib.createSuite('ui');
  const shot = (context, name) => context.page.screenshot({ path: join(context.shots, `${name}.png`) });

  suite.test('the workbench loads with SeqLab installed and opens the bundled forecaster spec', async ({ page }) => {
    await lib.waitForWorkbench(page);
    await page.getByRole('treeitem', { name: 'forecaster.seqmodel.json' }).click();
    await page.locator('.tabs-container .tab', { hasText: 'forecaster.seqmodel.json' }).waitFor();
    await page.locator('.editor-instance .monaco-editor .view-line', { hasText: '"encoder"' }).waitFor();
    // The language contribution applies: the status bar names the spec language.
    await until('the seqmodel language mode', async () => (await page.locator('[id="status.editor.mode"]').innerText()).includes('SeqLab Model Spec'));
  }, 90_000);

  suite.test('hovering the encoder shows its shapes with named dimensions', async (context) => {
    const { page } = context;
    const key = page.locator('.editor-instance .monaco-editor .view-line span span', { hasText: '"encoder"' }).first();
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'hidden=64' }).first();
    // The mouse first; in headless Chromium the editor's mouse hover does not always fire, so then the keyboard
    // (cursor on the key, "Show Hover"): the same hover providers and widget either way.
    let how = 'mouse';
    try {
      await key.hover();
      await hover.waitFor({ timeout: guard(4000) });
    } catch {
      how = 'keyboard';
      const text = await until('the shape hover', async () => {
        await page.keyboard.press('Escape');
        await key.click();
        await page.keyboard.press('Control+k');
        await page.keyboard.press('Control+i');
        await hover.waitFor({ timeout: guard(3000) });
        return hover.innerText();
      }, 30_000, 500);
      assert.ok(text);
    }
    const text = await hover.innerText();
    console.log(`    hover (${how}): ${text.split('\n').slice(0, 4).join(' | ')}`);
    assert.match(text, /LSTM/);
    assert.match(text, /batch=32/);
    assert.match(text, /seq=36/);
    assert.match(text, /h_n/);
    await animationsSettled(page); // the hover fades in
    await shot(context, '01-hover-shapes');
    await page.keyboard.press('Escape');
    await page.mouse.move(0, 0);
  }, 60_000);

  suite.test('breaking the spec shows a SeqLab error in Problems, and undo clears it', async (context) => {
    const { page } = context;
    const cellValue = page.locator('.editor-instance .monaco-editor .view-line span span', { hasText: '"lstm"' }).first();
    await cellValue.dblclick(); // selects the word lstm (the quotes are not part of a JSON word)
    await page.keyboard.type('lstn');
    const problems = page.locator('[id="status.problems"]');
    await until('an error count in the status bar', async () => /Errors?: [1-9]/.test((await problems.getAttribute('aria-label')) ?? ''), 30_000);
    await problems.click();
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'seqlab' }).first();
    await row.waitFor({ timeout: guard(15_000) });
    const rowText = await row.innerText();
    assert.match(rowText, /lstn|cell/i, rowText);
    await shot(context, '02-problems');
    await focusSpecTab(page, 'forecaster.seqmodel.json');
    await page.locator('.editor-instance .monaco-editor .view-line', { hasText: '"lstn"' }).first().click();
    await page.keyboard.press('Control+z');
    await page.locator('.editor-instance .monaco-editor .view-line span span', { hasText: '"lstm"' }).first().waitFor({ timeout: guard(10_000) });
    await until('the errors to clear', async () => !/Errors?: [1-9]/.test((await problems.getAttribute('aria-label')) ?? ''), 30_000);
    await page.keyboard.press('Control+s');
    await lib.runCommand(page, 'View: Hide Panel');
  }, 90_000);

  suite.test('Train Sequence Model from the palette draws a loss chart that falls', async (context) => {
    const { page, eventsFile } = context;
    await focusSpecTab(page, 'forecaster.seqmodel.json');
    await lib.runCommand(page, 'SeqLab: Train Sequence Model');
    await until('the loss chart', async () => (await (await panelFrame(page, 'dashboard')).locator('canvas#loss-chart').count()) > 0, 60_000, 500);
    // The dashboard opens beside the spec, not over it: their tabs are in different editor groups.
    const groupOf = (title) => page.locator('.editor-group-container').evaluateAll((groups, wanted) =>
      groups.findIndex((group) => [...group.querySelectorAll('.tab')].some((tab) => (tab.getAttribute('aria-label') ?? tab.textContent ?? '').includes(wanted))), title);
    const [specGroup, dashboardGroup] = await until('both tabs placed', async () => {
      const both = [await groupOf('forecaster.seqmodel.json'), await groupOf('SeqLab: Training Dashboard')];
      return both.every((g) => g >= 0) ? both : undefined;
    }, 15_000);
    assert.notEqual(dashboardGroup, specGroup, 'the dashboard opened over the spec');
    const profile = await until('a falling loss line on the chart', async () => {
      if ((trainingRuns(eventsFile).at(-1)?.events.filter((e) => e.type === 'step').length ?? 0) < 8) return undefined;
      const p = await lib.lineProfile((await panelFrame(page, 'dashboard')).locator('canvas#loss-chart'));
      return p.linePixels > 80 && p.leftCount > 10 && p.rightCount > 10 && p.rightMeanY > p.leftMeanY + 5 ? p : undefined;
    }, 150_000, 1000);
    console.log(`    loss chart: ${profile.width}x${profile.height}, ${profile.painted} painted px, line ${profile.linePixels} px, mean y left ${profile.leftMeanY.toFixed(1)} → right ${profile.rightMeanY.toFixed(1)}`);
    const run = trainingRuns(eventsFile).at(-1);
    assert.ok(run, 'no trainer events recorded');
    const losses = run.events.filter((e) => e.type === 'step').map((e) => e.loss);
    assert.ok(losses.length >= 6, `${losses.length} step events`);
    const head = losses.slice(0, 3).reduce((a, b) => a + b) / 3;
    const tail = losses.slice(-3).reduce((a, b) => a + b) / 3;
    assert.ok(tail < head, `loss did not fall: ${head} → ${tail}`);
    await shot(context, '03-dashboard-training');
  }, 180_000);

  suite.test('Show Gate Activations draws heatmaps once an epoch has ended', async (context) => {
    const { page, eventsFile } = context;
    await until('a gate snapshot from the trainer', () => trainingRuns(eventsFile).at(-1)?.events.some((e) => e.type === 'gates'), 150_000, 1000);
    await lib.runCommand(page, 'SeqLab: Show Gate Activations');
    const painted = await until('painted gate heatmaps', async () => {
      const counts = await (await panelFrame(page, 'gates')).locator('canvas').evaluateAll((canvases) => canvases.map((c) => {
        const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        if (data) for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
        return n;
      }));
      return counts.filter((n) => n > 500).length >= 4 ? counts : undefined;
    }, 30_000, 500);
    console.log(`    gate canvases painted: ${painted.join(', ')} px`);
    await shot(context, '04-gate-activations');
  }, 200_000);

  suite.test('the architecture diagram shows the layers, and a click jumps to the spec line', async (context) => {
    const { page } = context;
    await focusSpecTab(page, 'forecaster.seqmodel.json');
    await lib.runCommand(page, 'SeqLab: Open Architecture Diagram');
    const svgText = await until('the diagram SVG', async () => {
      const text = await (await panelFrame(page, 'architecture')).locator('svg').first().textContent({ timeout: guard(2000) });
      return text && /lstm/i.test(text) ? text : undefined;
    }, 30_000, 500);
    assert.match(svgText, /64/);
    await shot(context, '05-architecture');
    const block = (await panelFrame(page, 'architecture')).locator('svg [data-offset], svg [role="button"], svg g.node').filter({ hasText: /lstm/i }).first();
    await block.click();
    const selection = page.locator('[id="status.editor.selection"]');
    const expectedLine = readFileSync(join(context.workspace, 'forecaster.seqmodel.json'), 'utf8').split('\n').findIndex((line) => line.includes('"encoder"')) + 1;
    await until(`the cursor on the encoder line (${expectedLine})`, async () => (await selection.innerText()).includes(`Ln ${expectedLine},`), 15_000);
  }, 90_000);

  for (const [kind, command, shotName] of [['gradients', 'SeqLab: Show Gradient Flow', '06-gradient-flow'], ['predictions', 'SeqLab: Show Predictions', '07-predictions']]) {
    suite.test(`${command} draws the latest epoch's data`, async (context) => {
      const { page } = context;
      await lib.runCommand(page, command);
      const painted = await until(`a painted ${kind} chart`, async () => {
        const counts = await (await panelFrame(page, kind)).locator('canvas').evaluateAll((canvases) => canvases.map((c) => {
          const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          if (data) for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
          return n;
        }));
        return counts.some((n) => n > 2000) ? counts : undefined;
      }, 60_000, 500);
      console.log(`    ${kind} canvases painted: ${painted.join(', ')} px`);
      if (kind === 'predictions') {
        // The validation series' mean absolute error, as the panel prints it, is the MAE of the epoch it shows.
        const shown = await until('a validation series summary matching its epoch', async () => {
          const frame = await panelFrame(page, 'predictions');
          const epochText = await frame.locator('#predictions-status').innerText({ timeout: guard(2000) });
          const summary = await frame.locator('#series-summary').innerText({ timeout: guard(2000) });
          const epochShown = Number(/^Epoch (\d+)/.exec(epochText)?.[1]);
          const maeShown = Number(/mean absolute error ([\d.e+-]+)/.exec(summary)?.[1]);
          const run = trainingRuns(context.eventsFile).filter((r) => r.events.some((e) => e.type === 'predictions')).at(-1);
          const epochEvent = run?.events.find((e) => e.type === 'epoch' && e.epoch === epochShown);
          if (!epochEvent || !Number.isFinite(maeShown)) return undefined;
          return Math.abs(maeShown - epochEvent.metrics.mae) <= 1e-3 * epochEvent.metrics.mae ? { epochShown, maeShown, mae: epochEvent.metrics.mae } : undefined;
        }, 30_000, 500);
        console.log(`    predictions: epoch ${shown.epochShown}, series MAE shown ${shown.maeShown}, epoch MAE ${shown.mae}`);

        // The autoregressive rollout from validation step 3: its first value is that window's one-step-ahead
        // prediction by the same weights, its truth the validation series from there, temperature from the data.
        const answersBefore = readRecords(context.eventsFile).filter((r) => r.type === 'rolloutAnswer').length;
        const frame = await panelFrame(page, 'predictions');
        await frame.locator('#rollout-start').fill('3');
        await frame.locator('#rollout-horizon').fill('12');
        await frame.locator('#rollout-button').click();
        const answer = await until('the rollout answer', () => readRecords(context.eventsFile).filter((r) => r.type === 'rolloutAnswer')[answersBefore]?.answer, 120_000, 500);
        assert.equal(answer.type, 'rollout', answer.reason);
        const { rollout } = answer;
        assert.deepEqual([rollout.start, rollout.horizon, rollout.target, rollout.fromData], [3, 12, 'load', ['temperature']]);
        const run = trainingRuns(context.eventsFile).filter((r) => r.events.some((e) => e.type === 'predictions')).at(-1);
        const sameWeights = await until(`the predictions of epoch ${rollout.weights.epoch}`, () => trainingRuns(context.eventsFile).find((r) => r.id === run.id)
          .events.find((e) => e.type === 'predictions' && e.epoch === rollout.weights.epoch), 60_000);
        const oneStep = sameWeights.series.predicted[3];
        assert.ok(Math.abs(rollout.predicted[0] - oneStep) <= 1e-4 * Math.abs(oneStep), `rollout starts at ${rollout.predicted[0]}, the window's prediction is ${oneStep}`);
        rollout.truth.forEach((truth, i) => assert.ok(Math.abs(truth - sameWeights.series.truth[3 + i]) <= 1e-6 * Math.abs(truth), `truth ${i}: ${truth} vs ${sameWeights.series.truth[3 + i]}`));
        const summary = await until('the rollout drawn', async () => {
          const text = await (await panelFrame(page, 'predictions')).locator('#rollout-summary').innerText({ timeout: guard(2000) }).catch(() => '');
          return text.includes('12 steps from validation step 3') ? text : undefined;
        }, 30_000, 500);
        assert.match(summary, /temperature taken from the data/);
        console.log(`    rollout: ${summary}`);
      }
      await shot(context, shotName);
    }, 90_000);
  }

  suite.test('Stop Training stops a running run', async (context) => {
    const { page, eventsFile } = context;
    // A fresh run, stopped early: the first test's run may be about to finish on its own (the whole
    // forecaster trains in about 10 s), so let it end first rather than race it.
    await until('the earlier run to end', () => {
      const latest = trainingRuns(eventsFile).at(-1);
      return !latest || latest.events.some((e) => e.type === 'runFinished') ? true : undefined;
    }, 60_000);
    await focusSpecTab(page, 'forecaster.seqmodel.json');
    const before = trainingRuns(eventsFile).length;
    await lib.runCommand(page, 'SeqLab: Train Sequence Model');
    // Two epochs in, so that the run folder holds metrics lines for the dashboard to replay after a reload.
    const run = await until('a new run to finish two epochs', () => {
      const runs = trainingRuns(eventsFile);
      const latest = runs.at(-1);
      return runs.length > before && latest.events.filter((e) => e.type === 'epoch').length >= 2 ? latest : undefined;
    }, 60_000, 100);
    await lib.runCommand(page, 'SeqLab: Stop Training');
    const finished = await until('the run to finish', () => trainingRuns(eventsFile).find((r) => r.id === run.id)?.events.find((e) => e.type === 'runFinished'), 30_000);
    assert.equal(finished.status, 'stopped', finished.message);
    await page.locator('.statusbar-item', { hasText: 'stopped' }).first().waitFor({ timeout: guard(10_000) });
    // The dashboard was in a background tab: revealing it reloads the webview, which replays the whole history.
    await lib.runCommand(page, 'SeqLab: Show Training Dashboard');
    const status = await until('the dashboard to say Stopped', async () => {
      const text = await (await panelFrame(page, 'dashboard')).locator('#run-status').innerText({ timeout: guard(2000) });
      return /^Stopped/.test(text) ? text : undefined;
    }, 30_000, 500);
    console.log(`    dashboard status: ${status}`);
    const profile = await until('the replayed loss chart', async () => {
      const p = await lib.lineProfile((await panelFrame(page, 'dashboard')).locator('canvas#loss-chart'));
      return p.linePixels > 80 ? p : undefined;
    }, 20_000, 500);
    assert.ok(profile.linePixels > 80, `the replayed loss chart is empty (${profile.linePixels} px)`);
    await page.mouse.move(700, 880);
    await animationsSettled(page);
    await shot(context, '08-dashboard-stopped');
  }, 150_000);

  suite.test('after a window reload the dashboard is restored and replays the run from its folder', async (context) => {
    const { page } = context;
    await page.reload();
    await lib.waitForWorkbench(page);
    // Only the visible webview of each editor group loads: bring the dashboard's tab to the front.
    await page.locator('.tabs-container .tab', { hasText: 'SeqLab: Training Dashboard' }).first().click({ timeout: guard(30_000) });
    // The frame is looked up afresh each time: the host renders a panel again if its first load failed.
    const status = await until('the restored dashboard to say Stopped', async () => {
      const dashboard = await lib.webviewFrame(page, 'dashboard', 5000);
      const text = await dashboard.locator('#run-status').innerText({ timeout: guard(2000) });
      return /^Stopped/.test(text) ? text : undefined;
    }, 60_000, 500);
    console.log(`    restored dashboard status: ${status.slice(0, 100)}`);
    const profile = await until('the restored loss chart', async () => {
      const dashboard = await lib.webviewFrame(page, 'dashboard', 5000);
      const p = await lib.lineProfile(dashboard.locator('canvas#loss-chart'));
      return p.linePixels > 40 ? p : undefined;
    }, 20_000, 500);
    console.log(`    restored loss chart: line ${profile.linePixels} px`);
    // The panels share one editor group beside the spec: the diagram loads once its tab is brought to the front.
    await page.locator('.tabs-container .tab', { hasText: 'SeqLab: Architecture' }).first().click({ timeout: guard(30_000) });
    await until('the restored architecture diagram', async () => {
      const architecture = await lib.webviewFrame(page, 'architecture', 5000);
      return /lstm/i.test((await architecture.locator('svg').first().textContent({ timeout: guard(2000) })) ?? '');
    }, 90_000, 500); // the host renders a blank restored panel again, with growing pauses (src/extension/panels.ts)
    await shot(context, 'restored-dashboard');
  }, 200_000);

  suite.test('the runs table overlays three selected runs, each curve the values of its metrics.jsonl in its row colour', async (context) => {
    const { page, workspace } = context;
    // Three finished runs of one spec, made quickly with the CLI (different seeds: the table's varied parameter).
    const cli = join(new URL('../..', import.meta.url).pathname, 'bin', 'seqlab.js');
    const runDirs = [];
    for (const seed of [1, 2, 3]) {
      const result = spawnSync(process.execPath, [cli, 'train', join(workspace, 'sine.seqmodel.json'), '--epochs', '3', '--seed', String(seed), '--json'], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(result.status, 0, result.stderr);
      runDirs.push(JSON.parse(result.stdout.trim().split('\n').at(-1)).runDir);
    }
    await lib.runCommand(page, 'SeqLab: Show Runs Table');
    const frame = await lib.webviewFrame(page, 'runs', 30_000);
    const rowOf = (runDir) => frame.locator(`#runs-table tbody tr[data-id="${runDir}"]`);
    await until('the three runs in the table', async () => {
      for (const runDir of runDirs) if ((await rowOf(runDir).count()) !== 1) return undefined;
      return true;
    }, 30_000, 500);
    const header = await frame.locator('#runs-table thead').innerText();
    assert.match(header, /training\.seed/, `the seed is the varied parameter: ${header}`);
    for (const runDir of runDirs) await rowOf(runDir).locator('input[type="checkbox"]').check();
    const overlay = await until('three overlaid curves', async () => {
      const rows = await frame.locator('#overlay-data tr[data-id]').evaluateAll((trs) => trs.map((tr) => ({
        id: tr.getAttribute('data-id'), colour: tr.getAttribute('data-colour'), values: tr.querySelector('td')?.textContent ?? '',
      })));
      return rows.length === 3 ? rows : undefined;
    }, 30_000, 500);
    const parse = (css) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    for (const runDir of runDirs) {
      const curve = overlay.find((row) => row.id === runDir);
      assert.ok(curve, `no curve for ${runDir}`);
      const expected = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).validationLoss);
      assert.deepEqual(curve.values.split(' ').map(Number), expected, `${runDir}: the curve is not its metrics.jsonl`);
      const swatch = await rowOf(runDir).locator('.swatch').evaluate((node) => getComputedStyle(node).backgroundColor);
      assert.deepEqual(parse(swatch), parse(curve.colour), 'the row swatch has its curve colour');
    }
    assert.equal(new Set(overlay.map((row) => row.colour)).size, 3, 'three colours');
    // Each colour is painted on the chart.
    const painted = await paintedPixels(frame.locator('canvas#overlay-chart'), overlay.map((row) => parse(row.colour)));
    console.log(`    overlay: ${overlay.length} curves, pixels per colour ${painted.join(', ')}`);
    assert.ok(painted.every((n) => n > 20), `a curve is not drawn: ${painted.join(', ')} px`);
    await shot(context, '09-runs-table');
  }, 240_000);

  suite.test('Run Sweep from the palette shows every planned trial at once, queued with its parameters; rows turn running and completed, each ending with its report.json\'s figures; three selected trials are three curves of their metrics.jsonl', async (context) => {
    const { page, workspace } = context;
    // Three trials (one per cell) of the sine spec, small enough to train in seconds each; two train at once, so
    // the third waits, queued, until one of them ends.
    const sweepName = 'cells-ui';
    writeFileSync(join(workspace, `${sweepName}.seqsweep.json`), `${JSON.stringify({
      spec: 'sine.seqmodel.json', maxConcurrent: 2,
      parameters: { 'model.encoder.cell': { values: ['rnn', 'gru', 'lstm'] }, 'data.samples': { values: [800] }, 'training.epochs': { values: [3] } },
    }, null, 2)}\n`);
    await page.getByRole('treeitem', { name: `${sweepName}.seqsweep.json` }).click({ timeout: guard(30_000) });
    await page.locator('.tabs-container .tab', { hasText: `${sweepName}.seqsweep.json` }).waitFor();
    await lib.runCommand(page, 'SeqLab: Run Sweep');
    const sweepsDir = join(workspace, '.seqlab', 'sweeps');
    const dir = await until('the sweep folder', () => {
      const name = existsSync(sweepsDir) ? readdirSync(sweepsDir).find((n) => n.startsWith(`${sweepName}-`)) : undefined;
      return name && existsSync(join(sweepsDir, name, 'state.json')) ? join(sweepsDir, name) : undefined;
    }, 60_000);
    const trials = () => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).trials;
    const planned = trials();
    const trialDirs = planned.map((trial) => join(dir, trial.runDir));
    assert.equal(trialDirs.length, 3);

    // What the table shows, row by row: its id, status (data-status), cell texts and full figures (data-value).
    const rowsNow = async () => (await lib.webviewFrame(page, 'runs', 5000)).locator('#runs-table tbody tr[data-id]').evaluateAll((trs) => trs.map((tr) => ({
      id: tr.getAttribute('data-id'), status: tr.getAttribute('data-status'),
      cells: [...tr.querySelectorAll('th, td')].slice(1).map((cell) => cell.textContent ?? ''),
      values: [...tr.querySelectorAll('th, td')].slice(1).map((cell) => cell.getAttribute('data-value')),
    })));
    const header = async () => (await lib.webviewFrame(page, 'runs', 5000)).locator('#runs-table thead th').evaluateAll((ths) => ths.slice(1).map((th) => (th.textContent ?? '').replace(/ [▲▼]$/, '')));
    let columns = [];
    const column = (label) => {
      const index = columns.indexOf(label);
      assert.ok(index >= 0, `no column ${label} in ${columns.join(' | ')}`);
      return index;
    };
    const sweepRows = async () => (await rowsNow()).filter((row) => trialDirs.includes(row.id));

    // The first time the table shows the sweep, it shows all of it: a row per planned trial, with its parameter.
    const first = await until('the sweep\'s rows in the table', async () => {
      const rows = await sweepRows();
      return rows.length > 0 ? rows : undefined;
    }, 60_000, 100);
    columns = await header();
    assert.equal(first.length, 3, `the table showed ${first.length} of the 3 planned trials at first`);
    for (const trial of planned) {
      const row = first.find((r) => r.id === join(dir, trial.runDir));
      assert.equal(row.cells[column('model.encoder.cell')], trial.params['model.encoder.cell'], `${trial.id}: its planned cell`);
      // A quiet machine may finish a trial before the table first shows: completed only with its report written.
      const ended = row.status === 'completed' && existsSync(join(row.id, 'report.json'));
      assert.ok(['pending', 'running'].includes(row.status) || ended, `${trial.id} is ${row.status} at the table's first showing`);
      if (!ended) assert.equal(row.cells[column('status')], row.status === 'pending' ? 'queued' : 'running');
    }
    const queued = first.filter((row) => row.status === 'pending');
    assert.ok(first.filter((row) => row.status === 'running').length <= 2, 'at most two trials train at once');
    if (!first.some((row) => row.status === 'completed')) assert.ok(queued.length >= 1, 'two trials at once leave the third queued');
    for (const row of queued) {
      assert.equal(row.cells[column('best val loss')], '—', 'a queued trial has no figures');
      assert.ok(['—', '0'].includes(row.cells[column('epochs')]), `a queued trial has trained no epoch: ${row.cells[column('epochs')]}`);
    }

    // Watch the rows change state until every trial's row says completed.
    const histories = new Map(trialDirs.map((id) => [id, []]));
    const finalRows = await until('every trial completed in the table', async () => {
      const rows = await sweepRows();
      for (const row of rows) {
        const history = histories.get(row.id);
        if (history.at(-1) !== row.status) history.push(row.status);
      }
      return rows.length === 3 && rows.every((row) => row.status === 'completed') ? rows : undefined;
    }, 300_000, 200);
    console.log(`    table rows' states: ${[...histories].map(([id, history]) => `${id.split('/').at(-1)} ${history.join(' → ')}`).join('; ')}`);
    for (const row of queued) {
      const history = histories.get(row.id);
      assert.equal(history[0], 'pending', `${row.id}: ${history.join(' → ')}`);
      assert.ok(history.length >= 2 && history.at(-1) === 'completed', `${row.id} never changed state in the table: ${history.join(' → ')}`);
    }
    const summary = await (await lib.webviewFrame(page, 'runs', 5000)).locator('#runs-summary').innerText();
    assert.match(summary, /^sweep finished: 3 of 3 trials ended/, summary);
    // Trained specs may differ in more paths than the plan (a default one cell has): the header as it ends.
    columns = await header();

    // Each row ends with its trial's figures: the best validation loss report.json says (the full value, not only its
    // rounding), which is also the sweep's metric of that trial, its epochs, and its parameter (the trial's spec).
    const format = (value) => (value === 0 ? '0' : Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5 ? value.toExponential(2) : String(+value.toPrecision(4)));
    for (const trial of trials()) {
      const runDir = join(dir, trial.runDir);
      const row = finalRows.find((r) => r.id === runDir);
      const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8'));
      const spec = JSON.parse(readFileSync(join(runDir, 'spec.json'), 'utf8'));
      assert.equal(spec.model.encoder.cell, trial.params['model.encoder.cell']);
      assert.equal(row.cells[column('model.encoder.cell')], spec.model.encoder.cell, `${trial.id}: cell`);
      assert.equal(Number(row.values[column('best val loss')]), report.bestValidationLoss, `${trial.id}: best val loss`);
      assert.equal(report.bestValidationLoss, trial.metric, `${trial.id}: the sweep's metric is the report's best validation loss`);
      assert.equal(row.cells[column('best val loss')], format(report.bestValidationLoss), `${trial.id}: best val loss as printed`);
      assert.equal(Number(row.values[column('epochs')]), report.epochs, `${trial.id}: epochs`);
      assert.equal(row.status, report.status);
    }

    // Three trials selected: three curves, each the validation losses of its metrics.jsonl.
    const frame = await lib.webviewFrame(page, 'runs', 5000);
    for (const runDir of trialDirs) await frame.locator(`#runs-table tbody tr[data-id="${runDir}"] input[type="checkbox"]`).check();
    const overlay = await until('three overlaid curves', async () => {
      const rows = await (await lib.webviewFrame(page, 'runs', 5000)).locator('#overlay-data tr[data-id]').evaluateAll((trs) => trs.map((tr) => ({
        id: tr.getAttribute('data-id'), colour: tr.getAttribute('data-colour'), values: tr.querySelector('td')?.textContent ?? '',
      })));
      return rows.length === 3 ? rows : undefined;
    }, 30_000, 500);
    for (const runDir of trialDirs) {
      const curve = overlay.find((row) => row.id === runDir);
      assert.ok(curve, `no curve for ${runDir}`);
      const expected = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).validationLoss);
      assert.deepEqual(curve.values.split(' ').map(Number), expected, `${runDir}: the curve is not its metrics.jsonl`);
    }
    assert.equal(new Set(overlay.map((row) => row.colour)).size, 3, 'three colours');
    const parse = (css) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const painted = await paintedPixels((await lib.webviewFrame(page, 'runs', 5000)).locator('canvas#overlay-chart'), overlay.map((row) => parse(row.colour)));
    console.log(`    sweep overlay: ${overlay.length} curves, pixels per colour ${painted.join(', ')}`);
    assert.ok(painted.every((n) => n > 20), `a curve is not drawn: ${painted.join(', ')} px`);
    await shot(context, '10-sweep-runs-table');
  }, 420_000);

  suite.test('Delete Sweep… in the Runs view asks first, then removes the whole sweep folder', async (context) => {
    const { page, workspace } = context;
    const sweepsDir = join(workspace, '.seqlab', 'sweeps');
    const dir = join(sweepsDir, readdirSync(sweepsDir).find((n) => n.startsWith('cells-ui-')));
    await lib.runCommand(page, 'Explorer: Focus on SeqLab Runs View');
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'SeqLab Runs' }) });
    const node = view.locator('.monaco-list-row', { hasText: /^cells-ui/ }).first();
    await node.waitFor({ timeout: guard(30_000) });
    const description = await node.innerText();
    assert.match(description, /finished · 3\/3 trials/, description);
    const deleteItem = page.locator('.context-view .action-item', { hasText: 'Delete Sweep…' }).first();
    const dialog = page.locator('.monaco-dialog-box');
    // A context menu may drop a click that comes right after it opened (it guards against the opening right-click's
    // mouse-up): open it again and click again until the confirmation shows.
    await until('Delete Sweep… from the sweep\'s menu, and its confirmation', async () => {
      if (await dialog.isVisible()) return true;
      await page.keyboard.press('Escape');
      await node.click({ button: 'right' });
      await deleteItem.waitFor({ timeout: guard(3000) });
      await deleteItem.hover();
      await sleep(300);
      await deleteItem.click();
      await dialog.waitFor({ timeout: guard(5000) });
      return true;
    }, 60_000, 500);
    assert.match(await dialog.innerText(), /Delete the sweep cells-ui-\d{8}-\d{6}(-\d+)? and its 3 trials\?/);
    await shot(context, '11-delete-sweep');
    await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).click();
    await until('the sweep folder removed', () => !existsSync(dir), 30_000);
    await until('the sweep gone from the view', async () => (await view.locator('.monaco-list-row', { hasText: /^cells-ui/ }).count()) === 0, 30_000);
  }, 120_000);

  suite.test('Train with PyTorch from the palette: the gradient-flow and gate panels draw the PyTorch run, layer by layer', async (context) => {
    const { page, eventsFile } = context;
    const before = new Set(trainingRuns(eventsFile).map((run) => run.id));
    await focusSpecTab(page, 'forecaster.seqmodel.json');
    await lib.runCommand(page, 'SeqLab: Train with PyTorch');
    // The forecaster's 2 LSTM layers of 64 units over 36-hour windows, trained by the exported train.py: the first
    // epoch's records are enough, so the run is stopped once they are in.
    const run = await until('a PyTorch run with its first gradient flow and gates', () => {
      const latest = trainingRuns(eventsFile).find((r) => !before.has(r.id) && /^pytorch /.test(r.events.find((e) => e.type === 'runStarted')?.kernels ?? ''));
      return latest?.events.some((e) => e.type === 'gradFlow') && latest.events.some((e) => e.type === 'gates') ? latest : undefined;
    }, 300_000, 1000);
    if (!run.events.some((e) => e.type === 'runFinished')) await lib.runCommand(page, 'SeqLab: Stop Training');
    const ended = await until('the PyTorch run to end', () => trainingRuns(eventsFile).find((r) => r.id === run.id).events.find((e) => e.type === 'runFinished'), 60_000);
    assert.ok(['stopped', 'completed', 'early-stopped'].includes(ended.status), ended.message);
    const events = trainingRuns(eventsFile).find((r) => r.id === run.id).events;
    const flow = events.filter((e) => e.type === 'gradFlow').at(-1);
    assert.equal(flow.norms.length, 2, 'one gradient-flow row per LSTM layer');

    // Gradient flow: the status names the run's last snapshot and its layers; per layer, the earliest ÷ latest ratio
    // of that snapshot (which no other run shares); each layer's line painted in its palette colour.
    await lib.runCommand(page, 'SeqLab: Show Gradient Flow');
    const expectedStatus = `forecaster · epoch ${flow.epoch}, step ${flow.step} (bold) · 2 layers × ${flow.norms[0].length} time steps`;
    const shown = await until('the PyTorch run in the gradient-flow panel', async () => {
      const frame = await panelFrame(page, 'gradients');
      const status = await frame.locator('#gradient-status').innerText({ timeout: guard(2000) });
      const rows = await frame.locator('#gradient-summary dt').evaluateAll((dts) => dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent ?? '']));
      return status.startsWith(expectedStatus) && rows.length === 2 ? { status, rows } : undefined;
    }, 30_000, 500);
    assert.deepEqual(shown.rows.map(([term]) => term), ['layer 0', 'layer 1']);
    shown.rows.forEach(([, value], layer) => {
      const norms = flow.norms[layer];
      const ratio = norms[0] / norms.at(-1);
      const printed = Number(/^([-\d.e+]+)/.exec(value)?.[1]);
      assert.ok(Math.abs(printed - ratio) <= 5e-3 * ratio, `layer ${layer}: the panel prints ${value}, the run's norms give ${ratio}`);
    });
    const layerColours = await (await panelFrame(page, 'gradients')).locator('body').evaluate(() => ['--vscode-charts-blue', '--vscode-charts-orange'].map((name) => {
      const hex = getComputedStyle(document.documentElement).getPropertyValue(name).trim().replace('#', '');
      return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
    }));
    const linePixels = await until('both layers\' lines painted', async () => {
      const painted = await paintedPixels((await panelFrame(page, 'gradients')).locator('canvas#gradient-flow-chart'), layerColours);
      return painted.every((n) => n > 100) ? painted : undefined;
    }, 30_000, 500);
    console.log(`    PyTorch gradient flow: ${shown.status}; ${shown.rows.map(([t, v]) => `${t} ${v}`).join(', ')}; line pixels per layer ${linePixels.join(', ')}`);
    await shot(context, '12-pytorch-gradient-flow');

    // Gates: the run's last layer-0 snapshot, an LSTM's four gates and cell state painted as heatmaps.
    const gates = events.filter((e) => e.type === 'gates' && e.layer === 0).at(-1);
    assert.deepEqual(gates.gates, ['input', 'forget', 'cell', 'output', 'cellState']);
    await lib.runCommand(page, 'SeqLab: Show Gate Activations');
    const expectedGates = `LSTM layer 0 · epoch ${gates.epoch}, step ${gates.step} · 64 units × ${gates.steps} time steps`;
    const heatmaps = await until('the PyTorch run\'s gates painted', async () => {
      const frame = await panelFrame(page, 'gates');
      const status = await frame.locator('#snapshot-status').innerText({ timeout: guard(2000) });
      const counts = await frame.locator('canvas').evaluateAll((canvases) => canvases.map((c) => {
        const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        if (data) for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
        return n;
      }));
      return status.startsWith(expectedGates) && counts.filter((n) => n > 500).length >= 5 ? { status, counts } : undefined;
    }, 30_000, 500);
    console.log(`    PyTorch gates: ${heatmaps.status}; canvases painted ${heatmaps.counts.join(', ')} px`);
    await shot(context, '13-pytorch-gates');
  }, 420_000);

  suite.test('no webview message was refused by the host', async ({ eventsFile }) => {
    const records = readRecords(eventsFile).filter((r) => r.type === 'webviewMessage');
    assert.ok(records.some((r) => r.message.type === 'ready'), 'no panel said ready');
    assert.deepEqual(records.filter((r) => 'refused' in r.message), []);
  });

  return suite;
}
