/**
 * How a run ended, in one sentence: `RunFinished.message`, which every view shows as it is (dashboard status line,
 * notification, status bar tooltip, `seqlab train`'s summary), so no view adds figures of its own that repeat or
 * contradict it. Each figure appears once; a stop inside an epoch names that epoch and how far into it the run
 * got (never "after 0 epochs"); a diverged or failed run says where, why and which checkpoint is kept.
 */
import type { RunFinished } from './protocol';
import { formatCount } from '../format/display';

/** Where the committed checkpoint stands. */
export interface CheckpointPosition {
  file: string;
  /** The epoch its last step belongs to. */
  epoch: number;
  step: number;
  /** True when it was taken inside that epoch (a run stopped mid-epoch). */
  partial: boolean;
}

export interface RunOutcomeFacts {
  status: RunFinished['status'];
  /** Complete epochs. */
  epochs: number;
  steps: number;
  stepsPerEpoch: number;
  bestValidationLoss: number;
  bestEpoch: number;
  /** Steps taken in the epoch the run ended in, when it ended inside one (a stop, a divergence, a failure). */
  stepInEpoch?: number;
  /** The epoch and step where a diverged or failed run went wrong. */
  at?: { epoch: number; step: number };
  /** Why: the divergence ("loss became NaN: the learning rate … is likely too high …"), the failure, or the early stop. */
  reason?: string;
  /** The checkpoint the run leaves (stopped, diverged, failed). */
  checkpoint?: CheckpointPosition;
  /** Why the checkpoint of a stop was not written (a non-finite value). */
  notSaved?: string;
  /** Where a resumed run continued from. */
  resumedFrom?: { epoch: number; step: number };
}

const plural = (count: number, noun: string) => `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;

/**
 * "the last checkpoint (epoch 2, step 60) is kept at …"; where the run ended at the checkpoint's own step, its
 * position is not said twice.
 */
export function checkpointPhrase(checkpoint: CheckpointPosition, endedAtStep?: number): string {
  if (checkpoint.step === 0) return `the untrained weights are kept at ${checkpoint.file}`;
  if (checkpoint.step === endedAtStep) return `its checkpoint is kept at ${checkpoint.file}`;
  const position = checkpoint.partial ? `step ${checkpoint.step}, in epoch ${checkpoint.epoch}` : `epoch ${checkpoint.epoch}, step ${checkpoint.step}`;
  return `the last checkpoint (${position}) is kept at ${checkpoint.file}`;
}

export function runOutcomeSentence(run: RunOutcomeFacts): string {
  // The best epoch is the one the monitored metric chose (the loss, or e.g. accuracy with early stopping).
  const best = Number.isFinite(run.bestValidationLoss) && run.bestEpoch > 0 ? `best epoch ${run.bestEpoch} (validation loss ${run.bestValidationLoss.toPrecision(4)})` : '';
  const resumed = run.resumedFrom ? `resumed from step ${run.resumedFrom.step}` : '';
  const checkpoint = run.checkpoint ? checkpointPhrase(run.checkpoint, run.status === 'stopped' ? run.steps : undefined) : '';
  const notSaved = run.notSaved ? `the stop was not saved (${run.notSaved})` : '';
  // One full stop at the end, also after a reason that brought its own.
  const sentence = (...clauses: string[]) => `${clauses.filter((clause) => clause !== '').join('; ').replace(/\.$/, '')}.`;
  const trained = `${plural(run.epochs, 'epoch')} (${plural(run.steps, 'step')})`;
  switch (run.status) {
    case 'completed':
      return sentence(`Completed ${trained}`, resumed, best);
    case 'early-stopped':
      return sentence(`Stopped early after ${trained}${run.reason ? `: ${run.reason}` : ''}`, resumed, best);
    case 'stopped': {
      const inEpoch = run.stepInEpoch ?? 0;
      const where = run.steps === 0 ? 'Stopped before the first step'
        : inEpoch > 0 ? `Stopped at step ${run.steps}, in epoch ${run.epochs + 1} (${run.stepsPerEpoch > 0 ? `${inEpoch} of its ${plural(run.stepsPerEpoch, 'step')}` : `${plural(inEpoch, 'step')} into it`})`
        : `Stopped after ${trained}`;
      return sentence(where, resumed, best, notSaved, checkpoint);
    }
    case 'diverged':
    case 'failed': {
      const what = run.status === 'diverged' ? 'Diverged' : 'Failed';
      const where = run.at ? ` at step ${run.at.step}, in epoch ${run.at.epoch}` : '';
      return sentence(`${what}${where}${run.reason ? `: ${run.reason}` : ''}`, resumed, best, checkpoint);
    }
  }
}
