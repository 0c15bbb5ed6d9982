// What the engine parity tests share: a spec trained by SeqLab beside the PyTorch project exported from the same
// initial weights, and the events the project's train.py prints.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../../tensor';
import type { SeqModelSpec } from '../../modelSpec/types';
import { prepareData } from '../../data';
import type { TrainerEvent } from '../../train/protocol';
import { SequenceModel } from '../../train/model';
import { nodeRunIo } from '../../train/runIo';
import { encodeWeights } from '../../train/runFolder';
import { train } from '../../train/trainer';
import { exportPytorch } from '../exportPytorch';

/** A spec and its one data file (`file` in the spec's folder, holding `text`). */
export interface EngineCase {
  spec: SeqModelSpec;
  file: string;
  text: string;
}

/** SeqLab's run of a case (its events) and, in `dir`/export, the PyTorch project of the run's initial weights. */
export async function seqlabRunAndExport(dir: string, { spec, file, text }: EngineCase): Promise<{ events: TrainerEvent[]; project: string; validationSize: number }> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
  const data = prepareData(spec, dir, nodeRunIo, path.join(dir, 'spec.seqmodel.json'));
  const events: TrainerEvent[] = [];
  fs.mkdirSync(path.join(dir, 'seqlab-run'));
  await train({ spec, data, io: nodeRunIo, runDir: path.join(dir, 'seqlab-run'), emit: (e) => events.push(e), progressIntervalMs: 0 });
  const model = new SequenceModel(spec, data.info, new Rng(spec.training.seed ?? 0));
  const project = path.join(dir, 'export');
  exportPytorch({ spec, data, model, weightsBytes: encodeWeights(model.namedParameters()), outDir: project, io: nodeRunIo, dataFile: path.join(dir, file) });
  return { events, project, validationSize: data.validation.size };
}

/**
 * The events train.py printed as JSON lines. torchrun prefixes each line of a worker with "[default<rank>]:"; a
 * prefix also starts a line (once seen: two prefixed lines with no line end between them).
 */
export function printedEvents(stdout: string): TrainerEvent[] {
  return stdout.split(/\n|(?=\[default\d+\]:)/).map((line) => line.replace(/^\[default\d+\]:/, '')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as TrainerEvent);
}
