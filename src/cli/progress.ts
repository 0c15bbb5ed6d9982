/**
 * How `seqlab train` reports: a one-line progress bar redrawn in place on a terminal, or one JSON object per line
 * (machine-readable, for `--json` and for pipes), and a summary table at the end.
 */
import type { RunFinished, TestEvaluation, TrainerEvent } from '../train/protocol';
import { testReport } from '../train/evaluate';
import { formatDataSummary } from '../data/summary';
import { metricDisplayName } from '../train/metrics';
import { formatClock, formatCount } from '../format/display';

export interface Reporter {
  event(event: TrainerEvent): void;
  finish(result: RunFinished, baselines: Record<string, number>): void;
}

/**
 * JSON lines: every event except the large per-unit gate arrays (the panels read those from the worker), unless
 * `gates` asks for them too (the editor's PyTorch runs, whose panels read this output): then as plain arrays.
 */
export function jsonReporter(write: (line: string) => void, options: { gates?: boolean } = {}): Reporter {
  let test: TestEvaluation | undefined;
  return {
    event(event) {
      if (event.type === 'gates' && !options.gates) return;
      if (event.type === 'testEvaluation') test = event;
      write(JSON.stringify(event, finiteOrString));
    },
    finish(result, baselines) {
      write(JSON.stringify({ type: 'summary', status: result.status, metrics: result.finalMetrics, baselines, ...(test ? { test: testReport(test) } : {}), runDir: result.runDir }, finiteOrString));
    },
  };
}

function finiteOrString(_key: string, value: unknown): unknown {
  if (value instanceof Float32Array) return Array.from(value); // JSON would write a typed array as an object
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

export function progressLine(event: Extract<TrainerEvent, { type: 'step' }>, epochs: number, width = 24): string {
  const fraction = Math.min(1, event.step / Math.max(1, event.totalSteps));
  const filled = Math.round(fraction * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  return `epoch ${event.epoch}/${epochs} ${bar} step ${event.step}/${event.totalSteps}  loss ${event.loss.toPrecision(4)}  ${Math.round(event.samplesPerSecond)} samples/s  ETA ${formatClock(event.etaSeconds)}`;
}

/** A terminal: the bar is redrawn with `\r`, epoch results and logs are printed on lines of their own. */
export function terminalReporter(write: (text: string) => void): Reporter {
  let epochs = 0;
  let test: TestEvaluation | undefined;
  let barShown = false;
  const clearBar = () => {
    if (barShown) write('\r\x1b[2K');
    barShown = false;
  };
  return {
    event(event) {
      switch (event.type) {
        case 'runStarted':
          epochs = event.epochs;
          write(`training ${event.specName} (${event.task}, ${formatCount(event.parameterCount)} parameters${event.kernels ? `, ${event.kernels} kernels` : ''}) → ${event.runDir}\n`);
          return;
        case 'step':
          clearBar();
          write(progressLine(event, epochs));
          barShown = true;
          return;
        case 'epoch': {
          clearBar();
          if (event.validationLoss === undefined) {
            write(`epoch ${event.epoch}: train loss ${event.trainLoss.toPrecision(4)}  (not validated: training.validateEvery)\n`);
            return;
          }
          const metrics = Object.entries(event.metrics).map(([k, v]) => `${metricDisplayName(k)} ${v.toPrecision(4)}`).join('  ');
          write(`epoch ${event.epoch}: train loss ${event.trainLoss.toPrecision(4)}  val loss ${event.validationLoss.toPrecision(4)}  ${metrics}${event.best ? '  (best)' : ''}\n`);
          return;
        }
        case 'log':
          clearBar();
          write(`${event.level}: ${event.message}\n`);
          return;
        case 'dataSummary':
          write(`${formatDataSummary(event.summary)}\n\n`);
          return;
        case 'testEvaluation':
          test = event; // shown in the summary, apart from the validation figures
          return;
        default:
          return;
      }
    },
    finish(result, baselines) {
      clearBar();
      write(`\n${summaryTable(result, baselines, test)}\n`);
    },
  };
}

export function summaryTable(result: RunFinished, baselines: Record<string, number>, test?: TestEvaluation): string {
  const rows: [string, string][] = [
    ['status', result.status],
    ['epochs completed', String(result.epochs)], // a run stopped inside its first epoch completed 0
    ['steps', String(result.steps)],
    ['best validation loss', Number.isFinite(result.bestValidationLoss) ? `${result.bestValidationLoss.toPrecision(4)} (epoch ${result.bestEpoch})` : '—'],
    ...Object.entries(result.finalMetrics).map(([k, v]): [string, string] => [`final ${metricDisplayName(k)}`, v.toPrecision(4)]),
    ...Object.entries(baselines).map(([k, v]): [string, string] => [`baseline ${metricDisplayName(k)}`, v.toPrecision(4)]),
    ...(test ? testRows(test) : []),
    ['time', formatClock(result.seconds)],
    ['run folder', result.runDir],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  if (result.message) lines.push('', `  ${result.message}`);
  return lines.join('\n');
}

/** The held-out test block of the summary: evaluated once, on the whole test split, with its own baselines. */
function testRows(test: TestEvaluation): [string, string][] {
  const weights = test.checkpoint === 'best' ? `best checkpoint of epoch ${test.epoch}` : `final weights of epoch ${test.epoch}`;
  return [
    ['test (held out)', `${weights}, all ${formatCount(test.size)} examples`],
    ['test loss', test.loss.toPrecision(4)],
    ...Object.entries(test.metrics).map(([k, v]): [string, string] => [`test ${metricDisplayName(k)}`, v.toPrecision(4)]),
    ...Object.entries(test.baselines).map(([k, v]): [string, string] => [`test baseline ${metricDisplayName(k)}`, v.toPrecision(4)]),
  ];
}
