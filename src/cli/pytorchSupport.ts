/**
 * What `seqlab train --engine pytorch` cannot carry out as SeqLab would, refused before any run folder exists, at
 * the place in the spec that asks for it (exit 2). Every training option a SeqLab run honours is honoured by the
 * exported train.py (schedules, early stopping, divergence, stateful training, truncated BPTT, clipping, teacher
 * forcing, decoding, the validation budget, the test split); what remains is how a batch is shared by processes.
 */
import { SpecSource } from '../modelSpec/specSource';
import { SpecError } from '../train/validateRun';

/** Throws a SpecError pointing at what the spec asks that `--engine pytorch --nproc N` cannot do. */
export function refuseUnsupportedByPytorch(specPath: string, specText: string, processes: number): void {
  let spec: { training?: { batchSize?: unknown } };
  try {
    spec = JSON.parse(specText);
  } catch {
    return; // not JSON: the spec's own checks say where, with the rest of its problems
  }
  const source = new SpecSource(specText);
  const batchSize = spec?.training?.batchSize;
  if (typeof batchSize === 'number' && batchSize < processes) {
    // Each process trains its part of SeqLab's batch (the batch size is that of all processes together).
    source.reportAt('error', 'pytorch/batch-smaller-than-processes', `training.batchSize ${batchSize} is smaller than the ${processes} processes of --nproc: each process trains a part of every batch. Use --nproc ${batchSize} or less, or a larger batch.`, ['training', 'batchSize'], 'value');
  }
  if (source.diagnostics.length) throw new SpecError(specPath, source.diagnostics);
}
