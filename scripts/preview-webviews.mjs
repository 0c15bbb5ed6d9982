// Preview of every webview panel outside VS Code: builds the panel bundles, writes one static page per panel
// (the host's own HTML shell and CSP, a stand-in `acquireVsCodeApi` that replays sample trainer events, and the
// theme's CSS variables), and screenshots each page with Debian Chromium headless.
//
//   node scripts/preview-webviews.mjs [--theme dark|light|high-contrast] [--out DIR] [--panel NAME] [--interact]
//
// Prints the PNG paths; look at them. With --interact it also drives the pages with the keyboard and mouse
// through playwright-core (the copy the end-to-end tests install under test/e2e) and checks what the panels
// post back. Nothing here ships: it is a developer's tool.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = new URL('..', import.meta.url).pathname;
const argument = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const themeName = argument('--theme', 'dark');
const outDir = argument('--out', mkdtempSync(join(tmpdir(), 'seqlab-preview-')));
const onlyPanel = argument('--panel', undefined);
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';

// ------------------------------------------------------------------------------------------ theme variables

const themes = {
  // VS Code "Dark Modern"
  dark: {
    bodyClass: 'vscode-dark',
    variables: {
      'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', foreground: '#cccccc', descriptionForeground: '#9d9d9d',
      'charts-foreground': '#cccccc', 'charts-lines': '#cccccc80', 'charts-red': '#f14c4c', 'charts-blue': '#3794ff',
      'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7',
      focusBorder: '#0078d4', 'panel-border': '#2b2b2b', 'widget-border': '#313131', 'editorWidget-background': '#202020',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': '#ffffff12',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
      'dropdown-background': '#313131', 'dropdown-border': '#3c3c3c', 'dropdown-foreground': '#cccccc', 'dropdown-listBackground': '#1f1f1f',
      'settings-dropdownBackground': '#313131', 'settings-dropdownBorder': '#3c3c3c', 'settings-dropdownForeground': '#cccccc', 'settings-dropdownListBorder': '#454545',
      'checkbox-selectBackground': '#313131', 'widget-shadow': '#0000005c', 'settings-checkboxBackground': '#313131', 'settings-checkboxForeground': '#cccccc',
      'checkbox-background': '#313131', 'checkbox-border': '#3c3c3c', 'checkbox-foreground': '#cccccc', 'settings-checkboxBorder': '#3c3c3c',
      'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff', 'list-hoverBackground': '#2a2d2e',
      'textCodeBlock-background': '#2b2b2b', 'textBlockQuote-background': '#2b2b2b', errorForeground: '#f85149', 'editorWarning-foreground': '#cca700',
      'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', 'font-size': '13px', 'font-weight': 'normal',
      'editor-font-family': '"Droid Sans Mono", monospace', 'editor-font-size': '14px',
    },
  },
  // VS Code "Light Modern"
  light: {
    bodyClass: 'vscode-light',
    variables: {
      'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', foreground: '#3b3b3b', descriptionForeground: '#3b3b3b',
      'charts-foreground': '#3b3b3b', 'charts-lines': '#3b3b3b80', 'charts-red': '#e51400', 'charts-blue': '#1a85ff',
      'charts-yellow': '#bf8803', 'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-purple': '#652d90',
      focusBorder: '#005fb8', 'panel-border': '#e5e5e5', 'widget-border': '#e5e5e5', 'editorWidget-background': '#f8f8f8',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': '#0000001a',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
      'dropdown-background': '#ffffff', 'dropdown-border': '#cecece', 'dropdown-foreground': '#3b3b3b', 'dropdown-listBackground': '#ffffff',
      'settings-dropdownBackground': '#ffffff', 'settings-dropdownBorder': '#cecece', 'settings-dropdownForeground': '#3b3b3b', 'settings-dropdownListBorder': '#c8c8c8',
      'checkbox-selectBackground': '#ffffff', 'widget-shadow': '#00000029', 'settings-checkboxBackground': '#f8f8f8', 'settings-checkboxForeground': '#3b3b3b',
      'checkbox-background': '#f8f8f8', 'checkbox-border': '#cecece', 'checkbox-foreground': '#3b3b3b', 'settings-checkboxBorder': '#cecece',
      'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000', 'list-hoverBackground': '#f2f2f2',
      'textCodeBlock-background': '#f8f8f8', 'textBlockQuote-background': '#f8f8f8', errorForeground: '#f85149', 'editorWarning-foreground': '#bf8803',
      'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', 'font-size': '13px', 'font-weight': 'normal',
      'editor-font-family': '"Droid Sans Mono", monospace', 'editor-font-size': '14px',
    },
  },
  // VS Code "Dark High Contrast"
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    variables: {
      'editor-background': '#000000', 'editor-foreground': '#ffffff', foreground: '#ffffff', descriptionForeground: '#ffffff',
      'charts-foreground': '#ffffff', 'charts-lines': '#ffffff80', 'charts-red': '#f14c4c', 'charts-blue': '#3794ff',
      'charts-yellow': '#ffd700', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7',
      focusBorder: '#f38518', contrastBorder: '#6fc3df', 'panel-border': '#6fc3df', 'widget-border': '#6fc3df', 'editorWidget-background': '#0c141f',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
      'settings-dropdownBackground': '#000000', 'settings-dropdownBorder': '#6fc3df', 'settings-dropdownForeground': '#ffffff', 'settings-dropdownListBorder': '#6fc3df',
      'settings-checkboxBackground': '#000000', 'settings-checkboxBorder': '#6fc3df', 'settings-checkboxForeground': '#ffffff',
      'list-activeSelectionBackground': '#000000', 'list-activeSelectionForeground': '#ffffff', 'list-hoverBackground': '#000000',
      'textCodeBlock-background': '#000000', 'textBlockQuote-background': '#000000', errorForeground: '#f48771', 'editorWarning-foreground': '#ffd700',
      'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', 'font-size': '13px', 'font-weight': 'normal',
      'editor-font-family': '"Droid Sans Mono", monospace', 'editor-font-size': '14px',
    },
  },
};
const theme = themes[themeName];
if (!theme) throw new Error(`unknown theme ${themeName} (dark, light or high-contrast)`);

// ------------------------------------------------------------------------------------------ sample events

/** Seeded uniform numbers, so every preview shows the same data. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const random = seededRandom(7);
const noise = (scale) => (random() - 0.5) * 2 * scale;
const sigmoid = (x) => 1 / (1 + Math.exp(-x));

function trainingEvents({ specName, decay, plateau, stepsDone, totalSteps = 1000, epochs = 10 }) {
  const stepsPerEpoch = totalSteps / epochs;
  const events = [{ type: 'runStarted', runId: specName, runDir: `.seqlab/runs/${specName}`, specName, task: 'forecast', parameterCount: 50_497, totalSteps, epochs, stepsPerEpoch, metricNames: ['rmse', 'mae'] }];
  let best = Infinity;
  for (let step = 1; step <= stepsDone; step++) {
    const clean = 0.16 * Math.exp(-Math.max(0, step - plateau) / decay) + 0.004;
    const loss = clean * (1 + noise(0.35));
    const gradNormBefore = 0.6 + 3 * Math.exp(-step / 300) * (1 + noise(0.6));
    const lr = step < 50 ? (0.01 * step) / 50 : 0.01 * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps));
    events.push({ type: 'step', epoch: Math.ceil(step / stepsPerEpoch), step, totalSteps, loss, lr, gradNormBefore, gradNormAfter: Math.min(1, gradNormBefore), samplesPerSecond: 1450 + noise(80), etaSeconds: ((totalSteps - step) * 50) / 1450 });
    if (step % stepsPerEpoch === 0) {
      const validationLoss = clean * 1.1;
      const isBest = validationLoss < best;
      best = Math.min(best, validationLoss);
      events.push({ type: 'epoch', epoch: step / stepsPerEpoch, step, trainLoss: clean, validationLoss, metrics: { rmse: Math.sqrt(validationLoss) * 3.1, mae: Math.sqrt(validationLoss) * 2.4 }, best: isBest, lr, seconds: 3.4 });
    }
  }
  return events;
}

function gateSnapshot({ layer, step, epoch, hiddenSize, steps, sharpness }) {
  const values = (phase, kind) => {
    const out = [];
    for (let t = 0; t < steps; t++) {
      for (let h = 0; h < hiddenSize; h++) {
        const drive = sharpness * (Math.sin(t / 4 + h * 0.7 + phase) + 0.6 * Math.cos(h * 1.3 - t / 9)) + noise(0.4);
        out.push(kind === 'sigmoid' ? sigmoid(drive) : Math.tanh(drive));
      }
    }
    return out;
  };
  const gates = { input: values(0, 'sigmoid'), forget: values(1.2, 'sigmoid').map((v) => 0.35 + 0.65 * v), cell: values(2.1, 'tanh'), output: values(3.3, 'sigmoid') };
  // c_t = f ⊙ c_{t-1} + i ⊙ g, so the cell state really is unbounded and accumulates.
  const cellState = new Array(steps * hiddenSize).fill(0);
  for (let t = 0; t < steps; t++) for (let h = 0; h < hiddenSize; h++) {
    const i = t * hiddenSize + h;
    cellState[i] = (t > 0 ? gates.forget[i] * cellState[i - hiddenSize] : 0) + gates.input[i] * gates.cell[i];
  }
  gates.cellState = cellState;
  const saturation = Object.fromEntries(Object.entries(gates).map(([name, v]) => [name, v.filter((x) => x < 0.1 || x > 0.9).length / v.length]));
  const timeLabels = Array.from({ length: steps }, (_, t) => (Math.sin(t / 3) * 0.8 + 0.1).toFixed(2));
  return { type: 'gates', epoch, step, cell: 'lstm', layer, hiddenSize, steps, timeLabels, gates, saturation };
}

function gradientFlow(step, epoch, perStepShrink, layers = 2, steps = 60) {
  return {
    type: 'gradFlow', epoch, step,
    norms: Array.from({ length: layers }, (_, layer) => Array.from({ length: steps }, (_, t) => 0.05 * (layer + 1) * perStepShrink ** (steps - 1 - t) * (1 + noise(0.15)))),
  };
}

const forecasterDiagram = (() => {
  const x = 40;
  const width = 300;
  const nodes = [
    { id: 'input', label: 'Input', detail: 'window 30 × 1 feature', kind: 'input', x, y: 0, width, height: 44, offset: 20, line: 3 },
    { id: 'lstm1', label: 'LSTM', detail: 'hidden 64 · 17,152 params', kind: 'lstm', x, y: 110, width, height: 52, offset: 120, line: 8 },
    { id: 'lstm2', label: 'LSTM', detail: 'hidden 64 · 33,280 params', kind: 'lstm', x, y: 230, width, height: 52, offset: 200, line: 9 },
    { id: 'readout', label: 'Readout: last', detail: 'h_T of the top layer', kind: 'readout', x, y: 350, width, height: 44, offset: 260, line: 11 },
    { id: 'dense', label: 'Linear', detail: '64 → 1 · 65 params', kind: 'linear', x, y: 460, width, height: 44, offset: 300, line: 12 },
    { id: 'loss', label: 'MSE loss', detail: 'forecast 1 step', kind: 'loss', x, y: 570, width, height: 44, offset: 360, line: 15 },
  ];
  const cx = x + width / 2;
  const edge = (from, to, label) => {
    const a = nodes.find((n) => n.id === from);
    const b = nodes.find((n) => n.id === to);
    return { from, to, label, points: [{ x: cx, y: a.y + a.height }, { x: cx, y: b.y }] };
  };
  return {
    width: 380, height: 614, nodes,
    edges: [
      edge('input', 'lstm1', '[batch=32, seq=30, input=1]'), edge('lstm1', 'lstm2', '[batch=32, seq=30, hidden=64]'),
      edge('lstm2', 'readout', '[batch=32, seq=30, hidden=64]'), edge('readout', 'dense', '[batch=32, hidden=64]'), edge('dense', 'loss', '[batch=32, 1]'),
    ],
  };
})();

const runEvents = trainingEvents({ specName: 'forecaster', decay: 180, plateau: 40, stepsDone: 640 });
const compareEvents = trainingEvents({ specName: 'forecaster-gru', decay: 320, plateau: 120, stepsDone: 1000 });
compareEvents.push({ type: 'runFinished', status: 'completed', message: '', epochs: 10, steps: 1000, bestValidationLoss: compareEvents.filter((e) => e.type === 'epoch').at(-1).validationLoss, bestEpoch: 10, finalMetrics: {}, seconds: 41, runDir: '.seqlab/runs/forecaster-gru' });
runEvents.push({ type: 'log', level: 'warning', message: 'Gradient norm 4.1 clipped to 1 at step 12' });

/** UI state a page starts with (what `getState()` returns), by page. */
const storedStates = { 'dashboard-stopped': { smoothingWeight: 0.6, logScaleLoss: true } };
const pages = {
  // The last 60 events arrive live, one message each, so both the replay and the live path are drawn.
  dashboard: [
    { type: 'status', state: 'running', runName: 'forecaster-20261125-1041' },
    { type: 'history', events: runEvents.slice(0, -60), compare: compareEvents },
    ...runEvents.slice(-60).map((event) => ({ type: 'event', event })),
  ],
  // A stopped run reopened: the replay ends with runFinished, the host says finished, and UI state is restored.
  'dashboard-stopped': [
    { type: 'status', state: 'finished', runName: 'forecaster-20261125-1041' },
    {
      type: 'history',
      events: [...runEvents.slice(0, 300), { type: 'runFinished', status: 'stopped', message: 'Stopped by the user.', epochs: 3, steps: 290, bestValidationLoss: 0.0512, bestEpoch: 2, finalMetrics: {}, seconds: 12.5, runDir: '.seqlab/runs/forecaster' }],
    },
  ],
  gates: (() => {
    const snapshots = [100, 200, 300, 400, 500, 600].flatMap((step, i) => [0, 1].map((layer) => gateSnapshot({ layer, step, epoch: step / 100, hiddenSize: 24, steps: 40, sharpness: 0.8 + 0.5 * i })));
    return [{ type: 'history', events: [runEvents[0], ...snapshots.slice(0, -2)] }, ...snapshots.slice(-2).map((event) => ({ type: 'event', event }))];
  })(),
  gradients: [
    {
      type: 'history',
      events: [runEvents[0], ...[50, 200, 350, 500, 650].map((step, i) => gradientFlow(step, Math.ceil(step / 100), 0.9 + 0.018 * i))],
      compare: [{ ...runEvents[0], specName: 'rnn-adding' }, gradientFlow(650, 7, 0.78, 1)],
    },
  ],
  architecture: [{ type: 'architecture', diagram: forecasterDiagram }],
  'predictions-forecast': (() => {
    const level = (t) => 20 + 3 * Math.sin(t / 6) + 0.8 * Math.sin(t / 1.7);
    const validation = Array.from({ length: 160 }, (_, t) => level(t));
    const test = Array.from({ length: 90 }, (_, t) => level(t + 160));
    const oneStep = (values) => values.map((v) => v + noise(0.35));
    const start = 40;
    return [
      {
        type: 'history',
        events: [runEvents[0], {
          type: 'predictions', epoch: 6,
          samples: [0, 1, 2].map((k) => {
            const series = Array.from({ length: 42 }, (_, t) => Math.sin((t + 5 * k) / 4) + 0.3 * Math.sin((t + k) / 1.7));
            return { kind: 'forecast', history: series.slice(0, 30), truth: series.slice(30), predicted: series.slice(30).map((v, i) => v * (0.9 - 0.01 * i) + noise(0.08)) };
          }),
          series: { target: 'load', truth: validation, predicted: oneStep(validation) },
        }, {
          type: 'testEvaluation', checkpoint: 'best', checkpointFile: '.seqlab/runs/forecaster/best.safetensors', epoch: 6, size: 90, loss: 0.08,
          metrics: { mse: 0.2, rmse: 0.45, mae: 0.36 }, baselines: {}, series: { target: 'load', truth: test, predicted: oneStep(test) },
        }],
      },
      {
        type: 'rollout',
        rollout: {
          split: 'validation', start, horizon: 30, requestedHorizon: 30, target: 'load',
          history: Array.from({ length: 30 }, (_, t) => level(start - 30 + t)), truth: validation.slice(start, start + 30),
          predicted: validation.slice(start, start + 30).map((v, i) => v + 0.04 * i * i ** 0.5 * Math.sin(i / 3)),
          fromData: ['temperature'], weights: { file: '.seqlab/runs/forecaster/best.safetensors', epoch: 6 },
        },
      },
    ];
  })(),
  'predictions-steps': (() => {
    // regress-per-step: the validation series predicted step by step (no rollout) and single windows.
    const clean = (t) => 8 + 5 * Math.sin(t / 9) + 1.2 * Math.sin(t / 2.3);
    const validation = Array.from({ length: 200 }, (_, t) => clean(t));
    return [{
      type: 'history',
      events: [{ ...runEvents[0], specName: 'seattle-temp-min', task: 'regress-per-step' }, {
        type: 'predictions', epoch: 9,
        samples: [0, 14, 28].map((start) => {
          const truth = validation.slice(start, start + 14);
          return { kind: 'steps', target: 'temp_min', truth, predicted: truth.map((v) => v + noise(1.2)) };
        }),
        series: { target: 'temp_min', truth: validation, predicted: validation.map((v) => v + noise(1.2)), perStep: true },
      }],
    }];
  })(),
  'predictions-labels': [
    {
      type: 'history',
      events: [{
        type: 'predictions', epoch: 4,
        samples: [
          { kind: 'classify', input: 'the film was a quiet delight', truth: 'positive', predicted: 'positive', confidence: 0.93 },
          { kind: 'classify', input: 'two hours I will not get back', truth: 'negative', predicted: 'neutral', confidence: 0.51 },
          { kind: 'tag', tokens: ['Ada', 'Lovelace', 'wrote', 'in', 'London'], truth: ['B-PER', 'I-PER', 'O', 'O', 'B-LOC'], predicted: ['B-PER', 'I-PER', 'O', 'O', 'B-ORG'] },
          { kind: 'generate', text: 'To be, or not to be, that is the quest of the sorrowing heart and the night', temperature: 0.8 },
          { kind: 'seq2seq', source: '12+345', target: '357', output: '357' },
          { kind: 'seq2seq', source: '908+77', target: '985', output: '975' },
        ],
        confusion: { labels: ['negative', 'neutral', 'positive'], counts: [[41, 7, 2], [9, 30, 11], [3, 6, 51]] },
        classScores: [
          { precision: 41 / 53, recall: 41 / 50, f1: 82 / 103, support: 50 },
          { precision: 30 / 43, recall: 30 / 50, f1: 60 / 93, support: 50 },
          { precision: 51 / 64, recall: 51 / 60, f1: 102 / 124, support: 60 },
        ],
        mistakes: [
          { input: 'not bad at all, honestly', truth: 'positive', predicted: 'negative', confidence: 0.91 },
          { input: 'fine, I suppose', truth: 'neutral', predicted: 'positive', confidence: 0.77 },
        ],
      }],
    },
  ],
};

// The runs table: an RNN/LSTM/GRU × 3 seeds sweep-like set of runs, two groups selected (mean ± std bands).
{
  const runRows = [];
  const runCurves = [];
  ['rnn', 'lstm', 'gru'].forEach((cell, c) => [1, 2, 3].forEach((seed) => {
    const id = `/w/.seqlab/runs/adding-${cell}-${seed}`;
    const plateau = cell === 'rnn' ? 0.167 : 0.01 * (c + seed * 0.3);
    const losses = Array.from({ length: 10 }, (_, e) => plateau + (0.17 - plateau) * Math.exp(-e * (cell === 'rnn' ? 0.05 : 0.5)) + noise(0.003));
    runRows.push({
      id, name: `adding-${cell}-${seed}`, specName: 'adding', status: 'completed', params: { 'model.encoder.cell': cell, 'training.seed': seed }, seed, configKey: cell,
      epochs: 10, final: { loss: losses[9], mse: losses[9] }, best: { loss: Math.min(...losses), mse: Math.min(...losses) }, test: {}, seconds: 40 + 10 * c, samplesPerSecond: 900 - 100 * c,
    });
    runCurves.push({ id, epochs: losses.map((_, e) => e + 1), series: { loss: losses, mse: losses, 'train loss': losses } });
  }));
  pages.runs = [
    { type: 'runsTable', table: { scopes: [{ id: 'spec:adding', label: 'adding (9 runs)' }], scope: 'spec:adding', parameters: ['model.encoder.cell', 'training.seed'], seedPath: 'training.seed', metrics: ['loss', 'mse'], rows: runRows } },
    { type: 'runsCurves', curves: runCurves },
  ];
  storedStates.runs = { grouped: true, selected: ['group:rnn', 'group:lstm', 'group:gru'], slots: [['group:rnn', 0], ['group:lstm', 1], ['group:gru', 2]] };
}

// ------------------------------------------------------------------------------------------ build and render

const panelsWithCode = readdirSync(join(root, 'webview'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'webview', d.name, 'main.ts'))).map((d) => d.name);
mkdirSync(join(outDir, 'dist', 'webview'), { recursive: true });
for (const panel of panelsWithCode) {
  // The same options as scripts/build.mjs uses for panels, so the preview runs what ships.
  await build({ entryPoints: [join(root, 'webview', panel, 'main.ts')], outfile: join(outDir, 'dist', 'webview', `${panel}.js`), bundle: true, platform: 'browser', format: 'iife', target: 'es2022', minify: true, logLevel: 'warning', absWorkingDir: root });
}
cpSync(join(root, 'media', 'webview'), join(outDir, 'media', 'webview'), { recursive: true });

const { buildWebviewHtml } = await tsImport('../src/extension/webviewHtml.ts', import.meta.url);

// The architecture pages draw the real layouts of the bundled templates, with the line numbers the host adds.
try {
  const spec = await tsImport('../src/modelSpec/index.ts', import.meta.url);
  const layoutOf = (templateId, unrolled) => {
    const template = spec.specTemplates().find((t) => t.id === templateId);
    const diagram = spec.buildDiagram(spec.analyzeSpec(template.text), { unrolled });
    const lineOf = (offset) => template.text.slice(0, offset).split('\n').length - 1;
    return { ...diagram, nodes: diagram.nodes.map((n) => ({ ...n, line: lineOf(n.offset) })), unrolled, specName: `${templateId}.seqmodel.json` };
  };
  pages.architecture = [{ type: 'architecture', diagram: layoutOf('forecaster', false) }];
  pages['architecture-unrolled'] = [{ type: 'architecture', diagram: layoutOf('seq2seq', true) }];
} catch (error) {
  console.error(`spec layouts unavailable, drawing the sample diagram: ${error.message}`);
}
const themeCss = `:root {\n${Object.entries(theme.variables).map(([name, value]) => `  --vscode-${name}: ${value};`).join('\n')}\n}\n`;
writeFileSync(join(outDir, 'theme.css'), themeCss);

/** Stands in for VS Code: answers `ready` by posting the page's messages, and records what the panel sends. */
const fakeHost = (messages, bodyClass, storedState) => `
document.body.classList.add(${JSON.stringify(bodyClass)});
window.seqlabPosted = [];
const toTyped = (message) => {
  // Gate arrays arrive as Float32Array when the host transfers them.
  for (const event of message.events ?? (message.event ? [message.event] : [])) {
    if (event.type === 'gates') for (const name of Object.keys(event.gates)) event.gates[name] = Float32Array.from(event.gates[name]);
  }
  return message;
};
window.acquireVsCodeApi = () => ({
  postMessage(message) {
    window.seqlabPosted.push(message);
    if (message.type === 'ready') for (const m of ${JSON.stringify(messages)}) window.postMessage(toTyped(m), '*');
  },
  getState() { return ${JSON.stringify(storedState ?? null)} ?? undefined; },
  setState() {},
});
`;

const shots = [];
for (const [page, messages] of Object.entries(pages)) {
  const panel = page.split('-')[0];
  if (!panelsWithCode.includes(panel) || (onlyPanel && onlyPanel !== panel && onlyPanel !== page)) continue;
  const nonce = 'cHJldmlldy1ub25jZQ==';
  writeFileSync(join(outDir, `${page}-host.js`), fakeHost(messages, theme.bodyClass, storedStates[page]));
  let html = buildWebviewHtml({
    panel, title: `SeqLab ${panel}`, cspSource: 'file:', nonce,
    scriptUri: `dist/webview/${panel}.js`, styleUris: ['theme.css', ...readdirSync(join(root, 'media', 'webview')).filter((name) => name.endsWith('.css')).sort().map((name) => `media/webview/${name}`)],
  });
  // The fake host must exist before the panel script calls acquireVsCodeApi().
  html = html.replace(`<script nonce="${nonce}" src="dist/webview/`, `<script nonce="${nonce}" src="${page}-host.js"></script>\n  <script nonce="${nonce}" src="dist/webview/`);
  const htmlPath = join(outDir, `${page}.html`);
  writeFileSync(htmlPath, html);
  const png = join(outDir, `${page}-${themeName}.png`);
  const height = argument('--height', page === 'gates' || page.startsWith('predictions') ? '1900' : '900');
  const result = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--hide-scrollbars', '--enable-logging=stderr', '--v=0',
    '--virtual-time-budget=3000', `--screenshot=${png}`, `--window-size=1200,${height}`, pathToFileURL(htmlPath).href], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0 || !existsSync(png)) {
    console.error(`${page}: chromium failed (${result.status})\n${result.stderr}`);
    process.exitCode = 1;
    continue;
  }
  // Console messages of the page (script errors, CSP refusals) come out on stderr as CONSOLE lines.
  const pageMessages = (result.stderr ?? '').split('\n').filter((line) => /CONSOLE|Content Security Policy|Refused/.test(line));
  for (const line of pageMessages) console.error(`${page}: ${line}`);
  if (pageMessages.length > 0) process.exitCode = 1;
  shots.push(png);
}
console.log(shots.join('\n'));

// ------------------------------------------------------------------------------------------ interaction checks

if (process.argv.includes('--interact')) {
  const requireFromE2e = createRequire(join(root, 'test', 'e2e', 'package.json'));
  const { chromium: browserType } = requireFromE2e('playwright-core');
  const browser = await browserType.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const failures = [];
  const check = (name, ok, detail = '') => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
    if (!ok) failures.push(name);
  };
  const open = async (pageName) => {
    await page.goto(pathToFileURL(join(outDir, `${pageName}.html`)).href);
    await page.waitForFunction(() => window.seqlabPosted?.length > 0);
    await page.waitForTimeout(300);
  };
  const posted = () => page.evaluate(() => window.seqlabPosted);

  await open('dashboard');
  check('dashboard posts ready first', (await posted())[0]?.type === 'ready' && (await posted())[0]?.panel === 'dashboard');
  await page.keyboard.press('Tab'); // Pause button
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
  check('Enter on the focused Pause button posts pause', (await posted()).some((m) => m.type === 'pause'), JSON.stringify((await posted()).slice(1)));
  check('the button then reads Resume', (await page.locator('#pause-button').innerText()).trim() === 'Resume');
  await page.locator('#stop-button').click();
  check('Stop posts stop', (await posted()).some((m) => m.type === 'stop'));
  check('#run-status says paused', /^Paused/.test(await page.locator('#run-status').innerText()));

  await open('gates');
  const heatmap = page.locator('canvas[data-gate="forget"]');
  await heatmap.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(200);
  check('↓ on a focused heatmap selects the next units', /unit 3 selected/.test(await page.locator('#snapshot-status').innerText()), await page.locator('#snapshot-status').innerText());
  check('focus stays on the heatmap', await page.evaluate(() => document.activeElement?.getAttribute('data-gate')) === 'forget');
  const box = await page.locator('canvas[data-gate="input"]').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height * (10.5 / 24));
  await page.waitForTimeout(200);
  check('a click on row 10 selects unit 10', /unit 10 selected/.test(await page.locator('#snapshot-status').innerText()));
  check('the trace title follows', (await page.locator('#trace-title').innerText()) === 'Unit 10 over the sequence');

  await open('architecture');
  const block = page.locator('svg g.node').filter({ hasText: /LSTM/ }).first();
  await block.focus();
  await page.keyboard.press('Enter');
  await block.click();
  const reveals = (await posted()).filter((m) => m.type === 'revealLine');
  check('Enter and click on a block post revealLine with its line', reveals.length === 2 && Number.isInteger(reveals[0].line), JSON.stringify(reveals));
  await page.locator('#unroll').click();
  check('the Unroll toggle posts setUnrolled', (await posted()).some((m) => m.type === 'setUnrolled' && m.unrolled === true));

  await browser.close();
  if (failures.length > 0) process.exitCode = 1;
  console.log(`interaction: ${failures.length === 0 ? 'all checks passed' : `${failures.length} failed`}`);
}
