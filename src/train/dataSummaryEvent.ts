/**
 * The data summary as a trainer event: computed once before training and sent right after `runStarted` (panels
 * start a clean slate on `runStarted`, so it must come after it). Shared by the worker and the CLI.
 */
import { summarizeData } from '../data/summary';
import type { Baselines, PreparedData } from '../data/types';
import type { DataSummaryEvent, TrainerEvent } from './protocol';

/** `validationBaselines`: the run's own (setUpRun computed them), so they are not computed twice. */
export function dataSummaryEvent(data: PreparedData, validationBaselines?: Baselines): DataSummaryEvent {
  return { type: 'dataSummary', summary: summarizeData(data, { validationBaselines }) };
}

/** `emit`, with `summary` sent once right after the first `runStarted`. */
export function withDataSummary(emit: (event: TrainerEvent) => void, summary: DataSummaryEvent): (event: TrainerEvent) => void {
  let sent = false;
  return (event) => {
    emit(event);
    if (event.type === 'runStarted' && !sent) {
      sent = true;
      emit(summary);
    }
  };
}
