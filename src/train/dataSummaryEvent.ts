/**
 * The data summary as a trainer event: computed once before training and sent right after `runStarted` (panels
 * start a clean slate on `runStarted`, so it must come after it), and saved in the run folder. Shared by the worker
 * and the CLI.
 */
import { summarizeData } from '../data/summary';
import type { Baselines, PreparedData } from '../data/types';
import type { DataSummaryEvent, TrainerEvent } from './protocol';
import { saveDataSummary } from './dataSummaryFile';
import type { RunIo } from './runIo';
import type { RunSetup } from './session';

/** `validationBaselines`: the run's own (setUpRun computed them), so they are not computed twice. */
export function dataSummaryEvent(data: PreparedData, validationBaselines?: Baselines): DataSummaryEvent {
  return { type: 'dataSummary', summary: summarizeData(data, { validationBaselines }) };
}

/**
 * `emit`, with the run's data summary (with its own validation baselines) sent right after the first `runStarted`
 * and saved then as `data-summary.json` in its folder: a run refused before it starts (a resume that cannot
 * continue) leaves nothing behind.
 */
export function withRunDataSummary(emit: (event: TrainerEvent) => void, setup: RunSetup, io: RunIo): (event: TrainerEvent) => void {
  const summary = dataSummaryEvent(setup.data, setup.baselines);
  return withDataSummary(emit, summary, () => saveDataSummary(io, summary.summary, { specPath: setup.specPath, runDir: setup.runDir, file: setup.dataFile }));
}

/** `emit`, with `summary` sent once right after the first `runStarted` (and `onSent` called then). */
export function withDataSummary(emit: (event: TrainerEvent) => void, summary: DataSummaryEvent, onSent?: () => void): (event: TrainerEvent) => void {
  let sent = false;
  return (event) => {
    emit(event);
    if (event.type === 'runStarted' && !sent) {
      sent = true;
      onSent?.();
      emit(summary);
    }
  };
}
