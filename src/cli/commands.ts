/**
 * The commands of `seqlab` (entry point: main.ts): train, check, predict and export sequence models from `*.seqmodel.json` specs in a terminal.
 * Exit codes: 0 success, 1 a failed (or diverged) run, 2 a bad spec, bad data or bad arguments.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Rng } from '../tensor';
import type { LayerInfo, NamedShape, SpecTotals } from '../modelSpec/analysisTypes';
import { formatBytes, formatNamedShape, formatParameterCount } from '../modelSpec'; // the hover's units, so both say the same figure
import { DataError } from '../data';
import type { DataInfo } from '../data/types';
import { validationBudgetText } from '../modelSpec/validationBudget';
import { formatDataSummary, summarizeData } from '../data/summary';
import { nodeRunIo } from '../train/runIo';
import { CACHE_THRESHOLD_ENV } from '../train/nodeDataCache';
import { RunControl } from '../train/runControl';
import { SpecError, formatDiagnostic, setUpRun } from '../train/session';
import { validateRun } from '../train/validateRun';
import { recordDataSizes } from '../train/knownDataSizes';
import { FileError, withFileErrors } from '../train/fileErrors';
import { train } from '../train/trainer';
import { withRunDataSummary } from '../train/dataSummaryEvent';
import { dataFileStamp, saveDataSummary } from '../train/dataSummaryFile';
import { encodeWeights } from '../train/runFolder';
import { PredictInputError, RAW_OUTPUT_TASKS, predictMany } from '../train/predict';
import { loadTrainedModel } from '../train/trainedModel';
import { readPredictInputs } from '../train/predictInputs';
import { StatefulTrainingError } from '../train/statefulBatches';
import { TORCHRUN_COMMAND, exportPytorch, specDataFile, type ExportDataMode } from './exportPytorch';
import { PytorchUnavailableError, checkPytorch, trainWithPytorch } from './pytorchEngine';
import { refuseUnsupportedByPytorch } from './pytorchSupport';
import { jsonReporter, summaryTable, terminalReporter } from './progress';
import { initCommand } from './init';
import { alignedTable } from './table';
import { SWEEP_HELP, runsCommand, sweepCommand } from './sweep';
import { formatCount } from '../format/display';

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
  /** Ctrl-C handling: the CLI asks the trainer to stop cleanly (checkpoint kept) instead of dying mid-write. */
  onInterrupt?(handler: () => void): void;
}

export class UsageError extends Error {}
/** A run that started and then failed: exit 1 whatever the cause, even a file error (a disk filling up). */
export class RunFailure extends Error {}

const CACHE_THRESHOLD_HELP = `  --cache-threshold MB  a data file of at least MB megabytes is converted once into a binary cache
                   (.seqlab/cache/ beside the spec) and read per batch (0: always; default a quarter of the free
                   memory, or $${CACHE_THRESHOLD_ENV})`;

export const HELP: Record<string, string> = {
  main: `seqlab — train and inspect recurrent sequence models from *.seqmodel.json specs

Usage: seqlab <command> [options]

Commands:
  train SPEC      train a model; writes a run folder (.seqlab/runs/<name>-<time>/ beside the spec)
  check SPEC      print every diagnostic (file:line:col severity message) and the shape table
  predict SPEC    run trained weights on inputs from a file (JSON, or the spec's data format)
  export SPEC     write a PyTorch project (model.py, train.py for torchrun/DDP, the weights)
  init DATA       write a spec for a data file (.csv, .tsv, .jsonl, .conll, .txt) beside it
  sweep FILE      train the trials of a *.seqsweep.json (grid, random, tpe, asha), N at once; a live table
  runs [FOLDER]   list runs and sweep trials with their parameters and results

Run 'seqlab <command> --help' for the options of a command.
Exit codes: 0 success, 1 the run failed or diverged, 2 bad spec, data or arguments.`,
  train: `Usage: seqlab train SPEC [--out DIR] [--init WEIGHTS.safetensors] [--epochs N] [--max-steps N] [--seed N] [--resume RUN_DIR] [--cache-threshold MB] [--json [--gates]]

Trains the model SPEC describes. A progress bar (epoch, step, loss, samples/s, ETA) on a terminal; one JSON
event per line with --json or when the output is not a terminal; a summary table at the end.

  --out DIR        write the run folder here instead of .seqlab/runs/<name>-<time>/ beside the spec
  --init FILE      start from these weights (safetensors with PyTorch state-dict names)
  --epochs N       override training.epochs
  --max-steps N    stop after N optimizer steps in total
  --seed N         override training.seed
  --resume DIR     continue the run in DIR from its last checkpoint
${CACHE_THRESHOLD_HELP}
  --json           JSON lines output
  --gates          with --json, also the gate snapshots (every gate's values on one validation example, per
                   layer and epoch: large)

  --engine pytorch train with PyTorch instead: the run folder gets the exported project (pytorch/), whose
                   train.py reads the original data file and writes the same run folder (torchrun for --nproc > 1)
  --nproc N        PyTorch processes on this machine (default 1)
  --device D       cpu or cuda (default: cuda when PyTorch sees a GPU)
  --python P       the Python interpreter with PyTorch (default python3)
  --data embed     train on data.safetensors (the prepared splits) instead of reading the data file`,
  check: `Usage: seqlab check SPEC [--cache-threshold MB] [--json]

Prints every diagnostic as 'file:line:col severity message', then the shape table (input and output shapes,
h_n, parameters per layer). Exit code 2 when the spec has errors.

${CACHE_THRESHOLD_HELP}
  --json           print { diagnostics, layers, totals } as JSON`,
  predict: `Usage: seqlab predict SPEC --weights FILE --input FILE [--output FILE] [--batch-size N] [--raw]

Runs the model with the given weights on the inputs in FILE and writes a JSON array of outputs, one per input
in file order (to stdout without --output).
  --batch-size N   run up to N inputs per forward pass (default 1): inputs of different lengths are packed
                   together (shortest first), each output equal to the input run alone; generate runs one
                   prompt at a time; with packed: false, the "last" readout or beam search without a maxLength
                   a batch takes inputs of one length only
  --raw            the model's outputs instead of labels and values: classify: logits [C] per input;
                   tag: { tokens, logits [T][C] }; forecast/regress: the outputs in the model's normalised
                   units, before denormalisation (not for seq2seq and generate)
 FILE is either a .json array, one input per element —
series: [[x1, ...], ...] per time step in original units; text tasks: a string (or an array of tokens);
generate: a prompt string ("" to start from <s>) — or a file in the spec's data format:
  csv series       the spec's columns by header; every window of data.window rows is one input
                   (output i predicts what follows the window of data rows i+1 … i+window)
  synthetic series a .csv whose columns are the features; the whole file is one sequence
  text-classification  CSV with the text column, or JSONL (.jsonl) objects with the text field
  conll            one token per line, a blank line between sentences (tags, if present, are ignored)
  pairs            one source text per line (a tab and a target, if present, are ignored)
  text             the whole file is the prompt
A bad input is reported as file:line:col.`,
  export: `Usage: seqlab export SPEC --weights FILE --to pytorch --out DIR [--data embed]

Writes a PyTorch project to DIR: model.py (the same network, same parameter names), seqlab_data.py (SeqLab's
loaders: reads the original data file lazily, same split, vocabulary, normalisation and batches), train.py (runs
under '${TORCHRUN_COMMAND}' with DistributedDataParallel, or plain 'python train.py',
into a SeqLab run folder; seq2seq follows the spec's teacher-forcing schedule), README.md (why torch 1.13 needs
'--redirects 1 --tee 1', multi-node torchrun), check_parity.py (reproduces SeqLab's outputs on
reference.safetensors, tolerance 1e-5), config.json (with the vocabulary and normalisation statistics) and
model.safetensors (the weights). --data embed (and synthetic data) adds data.safetensors, the prepared splits,
and trains on them instead of the file. The run folder's weights load back with 'seqlab predict --weights'.`,
  ...SWEEP_HELP,
};

/** --cache-threshold MB: passed on as the environment variable the data io reads (also the worker's). */
function applyCacheThreshold(value: string | undefined): void {
  if (value === undefined) return;
  if (!(value.trim() !== '' && Number(value) >= 0)) throw new UsageError(`--cache-threshold must be a number of megabytes ≥ 0, got '${value}'`);
  process.env[CACHE_THRESHOLD_ENV] = value;
}

interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(args: string[], options: ParseArgsConfig['options']): ParsedArgs {
  try {
    const parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function integerOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got '${value}'`);
  return n;
}

function readSpec(positionals: string[], command: string): { specPath: string; specText: string } {
  if (positionals.length !== 1) throw new UsageError(`seqlab ${command} needs exactly one SPEC file (got ${positionals.length})\n\n${HELP[command]}`);
  const specPath = positionals[0];
  return { specPath, specText: withFileErrors(specPath, 'read', () => fs.readFileSync(specPath, 'utf8')) };
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(`${HELP.main}\n`);
      return command ? EXIT_OK : EXIT_USAGE;
    }
    switch (command) {
      case 'train':
        return await trainCommand(rest, io);
      case 'check':
        return checkCommand(rest, io);
      case 'predict':
        return predictCommand(rest, io);
      case 'export':
        return exportCommand(rest, io);
      case 'init':
        return initCommand(rest, io);
      case 'sweep':
        return await sweepCommand(rest, io);
      case 'runs':
        return runsCommand(rest, io);
      default:
        throw new UsageError(`unknown command '${command}'\n\n${HELP.main}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`seqlab: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof RunFailure) {
      io.stderr(`seqlab: ${error.message}\n`);
      return EXIT_RUN_FAILED;
    }
    if (error instanceof SpecError || error instanceof DataError || error instanceof StatefulTrainingError || error instanceof FileError || error instanceof PytorchUnavailableError) {
      io.stderr(`${error.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`seqlab: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_RUN_FAILED;
  }
}

async function trainCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    out: { type: 'string' }, init: { type: 'string' }, epochs: { type: 'string' }, 'max-steps': { type: 'string' },
    seed: { type: 'string' }, json: { type: 'boolean' }, gates: { type: 'boolean' }, resume: { type: 'string' }, 'cache-threshold': { type: 'string' },
    engine: { type: 'string' }, nproc: { type: 'string' }, device: { type: 'string' }, python: { type: 'string' }, data: { type: 'string' },
  });
  if (values.help) {
    io.stdout(`${HELP.train}\n`);
    return EXIT_OK;
  }
  applyCacheThreshold(values['cache-threshold'] as string | undefined);
  const overrides = {
    epochs: integerOption(values.epochs as string | undefined, 'epochs'),
    maxSteps: integerOption(values['max-steps'] as string | undefined, 'max-steps'),
    seed: integerOption(values.seed as string | undefined, 'seed'),
  };
  if (overrides.epochs === 0) throw new UsageError('--epochs must be at least 1');
  const { specPath, specText } = readSpec(positionals, 'train');
  const pytorch = pytorchOptions(values);
  if (pytorch) {
    checkPytorch(pytorch.python); // before the run folder exists: a refused run leaves nothing behind
    refuseUnsupportedByPytorch(specPath, specText, pytorch.nproc);
  }
  const setup = setUpRun({
    specPath, specText, outDir: values.out as string | undefined, resumeFrom: values.resume as string | undefined, initWeights: values.init as string | undefined,
  }, nodeRunIo);
  const reporter = values.json || !io.isTTY ? jsonReporter((line) => io.stdout(`${line}\n`), { gates: values.gates === true }) : terminalReporter((text) => io.stdout(text));
  for (const w of setup.warnings) io.stderr(`${formatDiagnostic(specPath, w)}\n`);
  if (setup.data.info.cache) io.stderr(`${dataCacheLine(setup.data.info.cache)}\n`);
  const control = new RunControl();
  io.onInterrupt?.(() => control.stop());
  let started = false;
  let result;
  try {
    result = pytorch ? await trainWithPytorch({
      ...pytorch, specPath, setup, overrides, initWeights: values.init as string | undefined,
      emit: withRunDataSummary((e) => { started ||= e.type === 'runStarted'; reporter.event(e); }, setup, nodeRunIo),
      log: (line) => io.stderr(`${line}\n`), onStop: (stop) => io.onInterrupt?.(stop),
    }) : await train({
      spec: setup.spec, data: setup.data, io: nodeRunIo, runDir: setup.runDir, control,
      emit: withRunDataSummary((e) => { started ||= e.type === 'runStarted'; reporter.event(e); }, setup, nodeRunIo),
      overrides, initWeights: values.init as string | undefined, resume: setup.resume, baselines: setup.baselines,
    });
  } catch (error) {
    // Before the run starts, a failure is about what it was given (the folder resumed, the output folder);
    // once it runs, a failure is the run's (exit 1).
    if (!started && error instanceof FileError) throw error;
    if (!started && setup.resume && error instanceof Error) throw new FileError(setup.runDir, `cannot be resumed: ${error.message}`);
    throw new RunFailure(error instanceof Error ? error.message : String(error));
  }
  reporter.finish(result, setup.baselines);
  return result.status === 'failed' || result.status === 'diverged' ? EXIT_RUN_FAILED : EXIT_OK;
}

/** `--engine pytorch` and its options, checked; undefined for SeqLab's own trainer. */
function pytorchOptions(values: ParsedArgs['values']): { python: string; nproc: number; device?: 'cpu' | 'cuda'; dataMode?: ExportDataMode } | undefined {
  const engine = (values.engine as string | undefined) ?? 'seqlab';
  if (engine !== 'seqlab' && engine !== 'pytorch') throw new UsageError(`--engine must be seqlab or pytorch, got '${engine}'`);
  const only = ['nproc', 'device', 'python', 'data'].filter((name) => values[name] !== undefined);
  if (engine === 'seqlab') {
    if (only.length) throw new UsageError(`--${only[0]} applies to --engine pytorch`);
    return undefined;
  }
  if (values.resume) throw new UsageError('--resume continues SeqLab runs; a PyTorch run starts from weights with --init');
  const nproc = integerOption(values.nproc as string | undefined, 'nproc') ?? 1;
  if (nproc < 1) throw new UsageError('--nproc must be at least 1');
  const device = values.device as string | undefined;
  if (device !== undefined && device !== 'cpu' && device !== 'cuda') throw new UsageError(`--device must be cpu or cuda, got '${device}'`);
  const dataMode = values.data as string | undefined;
  if (dataMode !== undefined && dataMode !== 'embed' && dataMode !== 'stream') throw new UsageError(`--data must be embed or stream, got '${dataMode}'`);
  return { python: (values.python as string | undefined) ?? 'python3', nproc, device, dataMode };
}

export function shapeTable(layers: readonly LayerInfo[]): string {
  const header = ['layer', 'input', 'output', 'h_n', 'parameters'];
  const shape = (s: NamedShape | undefined) => (s ? formatNamedShape(s) : '');
  const rows = layers.map((l) => [l.label, shape(l.input), shape(l.output), shape(l.hN), formatParameterCount(l.parameters, l.parameterFormula)]);
  return alignedTable(header, rows);
}

function checkCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, 'cache-threshold': { type: 'string' } });
  if (values.help) {
    io.stdout(`${HELP.check}\n`);
    return EXIT_OK;
  }
  applyCacheThreshold(values['cache-threshold'] as string | undefined);
  const { specPath, specText } = readSpec(positionals, 'check');
  // The very check `train` runs before it starts: spec, data, sizes the data decides, memory.
  const { analysis, data, dataSizes, memory, refusal } = validateRun({ specPath, specText }, nodeRunIo);
  // For the editor: its parameter count then uses the sizes this data gave (src/train/knownDataSizes.ts).
  if (!refusal && analysis.spec && dataSizes) recordDataSizes(nodeRunIo, specPath, analysis.spec, dataSizes);
  const summary = data ? summarizeData(data) : undefined;
  if (summary && !refusal) saveDataSummary(nodeRunIo, summary, { specPath, file: dataFileStamp(analysis) }); // for the editor's data.path hover
  // A refusal that is not a spec diagnostic (a data file's line, a stateful setup) is printed after them.
  const otherProblem = refusal && !(refusal instanceof SpecError) ? refusal.message : undefined;
  if (values.json) {
    io.stdout(`${JSON.stringify({ file: specPath, diagnostics: analysis.diagnostics, ...(otherProblem ? { error: otherProblem } : {}), layers: analysis.layers, totals: analysis.totals, validationBudget: analysis.validationBudget, dataSizes, memory, dataSummary: summary }, null, 2)}\n`);
    return refusal ? EXIT_USAGE : EXIT_OK;
  }
  for (const d of analysis.diagnostics) io.stdout(`${formatDiagnostic(specPath, d)}\n`);
  if (otherProblem) io.stdout(`${otherProblem}\n`);
  if (analysis.diagnostics.length || otherProblem) io.stdout('\n');
  if (analysis.layers.length) io.stdout(`${shapeTable(analysis.layers)}\n\n${totalsLine(analysis.totals)}\n`);
  if (analysis.validationBudget) io.stdout(`${validationBudgetText(analysis.validationBudget)}\n`);
  if (summary) io.stdout(`\n${formatDataSummary(summary)}\n`);
  if (data?.info.cache) io.stdout(`${dataCacheLine(data.info.cache)}\n`);
  return refusal ? EXIT_USAGE : EXIT_OK;
}

/** Where the data is read from when it goes through the disk cache, and whether this load built it. */
function dataCacheLine(cache: NonNullable<DataInfo['cache']>): string {
  return `data read per batch from the disk cache ${cache.folder} (${cache.built ? `built in ${cache.seconds.toFixed(1)} s` : 'reused'})`;
}

/** The totals under the shape table: parameters (with the data-dependent terms when unknown), FLOPs, BPTT memory. */
export function totalsLine(totals: SpecTotals): string {
  const parameters = formatParameterCount(totals.parameters, totals.parameterFormula);
  const bptt = totals.sequenceLength !== undefined
    ? `${formatBytes(totals.bpttActivationBytes)} of activations for backpropagation through time (T=${totals.sequenceLength})`
    : 'backpropagation-through-time memory unknown (the sequence length comes from the data)';
  return `total parameters ${parameters}, ${formatCount(totals.flopsPerStep)} FLOPs per step, ${bptt}`;
}

function predictCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, {
    weights: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' }, 'batch-size': { type: 'string' }, raw: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(`${HELP.predict}\n`);
    return EXIT_OK;
  }
  const { specPath, specText } = readSpec(positionals, 'predict');
  if (!values.weights || !values.input) throw new UsageError(`predict needs --weights FILE and --input FILE\n\n${HELP.predict}`);
  const batchSize = integerOption(values['batch-size'] as string | undefined, 'batch-size') ?? 1;
  if (batchSize < 1) throw new UsageError(`--batch-size must be at least 1, got ${batchSize}`);
  const { spec, data, model } = loadTrainedModel(specPath, specText, values.weights as string, nodeRunIo);
  if (values.raw && !RAW_OUTPUT_TASKS.includes(spec.task.type)) throw new UsageError(`--raw shows the outputs of ${RAW_OUTPUT_TASKS.join(', ')} models; ${specPath} is a ${spec.task.type} model, whose outputs are decoded tokens`);
  const inputFile = values.input as string;
  const inputs = readPredictInputs(spec, nodeRunIo.readTextFile(inputFile), inputFile);
  const rng = new Rng(spec.training.seed ?? 0);
  let outputs: unknown[];
  try {
    outputs = predictMany(model, spec, data.info, inputs.map((input) => input.value), rng, { batchSize, raw: values.raw === true });
  } catch (error) {
    if (!(error instanceof PredictInputError)) throw error;
    const input = inputs[error.index];
    throw new DataError(inputFile, input.line, input.column, error.message.replace(/^predict: /, ''));
  }
  const text = `${JSON.stringify(outputs, null, 2)}\n`;
  if (values.output) nodeRunIo.writeFileAtomic(values.output as string, text);
  else io.stdout(text);
  return EXIT_OK;
}

function exportCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, { weights: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, data: { type: 'string' } });
  if (values.help) {
    io.stdout(`${HELP.export}\n`);
    return EXIT_OK;
  }
  const { specPath, specText } = readSpec(positionals, 'export');
  if (values.to !== 'pytorch') throw new UsageError(`export needs --to pytorch (the only target so far)\n\n${HELP.export}`);
  if (!values.weights || !values.out) throw new UsageError(`export needs --weights FILE and --out DIR\n\n${HELP.export}`);
  const { spec, data, model } = loadTrainedModel(specPath, specText, values.weights as string, nodeRunIo);
  const dataMode = values.data as string | undefined;
  if (dataMode !== undefined && dataMode !== 'embed' && dataMode !== 'stream') throw new UsageError(`--data must be embed or stream, got '${dataMode}'`);
  const files = exportPytorch({ spec, data, model, weightsBytes: encodeWeights(model.namedParameters()), outDir: values.out as string, io: nodeRunIo, dataFile: specDataFile(spec, specPath), dataMode });
  io.stdout(`wrote ${files.map((f) => path.join(values.out as string, f)).join(', ')}\n`);
  return EXIT_OK;
}

export { summaryTable };
