/**
 * `seqlab init DATA`: sniffs the head of a data file (src/data/sniff.ts), writes a spec for the likeliest task
 * beside it (src/modelSpec/specFromData.ts) and says what it decided and why. The spec is analysed before it is
 * written, so what init writes passes `seqlab check`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { SNIFF_HEAD_BYTES, sniffData } from '../data/sniff';
import { analyzeSpec } from '../modelSpec/analyze';
import { specFromSniff, specNameFor } from '../modelSpec/specFromData';
import type { TaskType } from '../modelSpec/types';
import { dataFileRefusal } from '../modelSpec/dataFileKind';
import { probeDataFileSync } from '../train/dataFileProbe';
import { writeFileAtomicSync } from '../train/runIo';
import { formatDiagnostic } from '../train/session';
import type { CliIo } from './commands';

export const INIT_HELP = `Usage: seqlab init DATA [--task TASK] [--target COLUMN] [--out SPEC] [--force]

Reads the first ${SNIFF_HEAD_BYTES / 1024} KB of DATA (.csv, .tsv, .jsonl, .conll, .txt), guesses its format, columns and
the task (forecast a numeric column, classify text by a label column, tag CoNLL tokens, seq2seq on
source<TAB>target pairs, or generate text), and writes a spec with a sound default model beside it
(DATA's name with .seqmodel.json). Prints what it found and why, then the next command to run.

  --task TASK      forecast | classify | tag | seq2seq | generate instead of the likeliest task
  --target COLUMN  the column to forecast, or the label field to classify by
  --out SPEC       write the spec here instead (data.path is made relative to it)
  --force          overwrite SPEC if it exists`;

const TASKS: readonly TaskType[] = ['forecast', 'regress', 'classify', 'tag', 'generate', 'seq2seq'];

/** Exit codes as in commands.ts: 0 written, 2 bad arguments or data no task fits. */
export function initCommand(args: string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true, strict: true,
      options: { task: { type: 'string' }, target: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${INIT_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) return usage(io, `seqlab init needs exactly one DATA file (got ${positionals.length})\n\n${INIT_HELP}`);
  const task = values.task as TaskType | undefined;
  if (task !== undefined && !TASKS.includes(task)) return usage(io, `--task must be one of ${TASKS.join(', ')}, got '${task}'`);

  const dataFile = positionals[0];
  const head = readHead(dataFile);
  if (typeof head === 'string') return usage(io, head);
  const sniff = sniffData(dataFile, head.text, { fileSize: head.size, task, target: values.target });
  if (!sniff.proposal) return usage(io, `${dataFile}: ${sniff.reason}`);

  const specPath = values.out ?? path.join(path.dirname(dataFile), `${specNameFor(dataFile)}.seqmodel.json`);
  if (fs.existsSync(specPath) && !values.force) return usage(io, `${specPath} exists; pass --force to overwrite it or --out to write elsewhere`);
  const dataPath = path.relative(path.dirname(path.resolve(specPath)), path.resolve(dataFile)).split(path.sep).join('/');
  const { text } = specFromSniff(sniff, { name: specNameFor(dataFile), dataPath });

  const analysis = analyzeSpec(text, { specPath: path.resolve(specPath), readTextFile: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    // A proposal that does not analyse is SeqLab's fault, not the data's: say so and write nothing.
    for (const d of errors) io.stderr(`${formatDiagnostic(specPath, d)}\n`);
    io.stderr(`seqlab: the spec proposed for ${dataFile} has errors; nothing written\n`);
    return 1;
  }
  writeFileAtomicSync(specPath, text);
  for (const note of sniff.notes) io.stdout(`${note}\n`);
  for (const d of analysis.diagnostics) io.stdout(`${formatDiagnostic(specPath, d)}\n`);
  io.stdout(`wrote ${specPath} (task ${sniff.proposal.task})\nnext: seqlab train ${specPath}\n`);
  return 0;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`seqlab: ${message}\n`);
  return 2;
}

/** The first SNIFF_HEAD_BYTES of a regular file and its size, or a sentence saying why not (missing, a pipe, …). */
function readHead(file: string): { text: string; size: number } | string {
  const facts = probeDataFileSync(path.resolve(file), SNIFF_HEAD_BYTES);
  switch (facts.status) {
    case 'file':
      return { text: facts.head, size: facts.size };
    case 'missing':
      return `${file}: no such file`;
    case 'not-a-file':
      return `${file} ${dataFileRefusal(facts.kind)}`;
    default:
      return `${file}: cannot be read: ${facts.reason}`;
  }
}
